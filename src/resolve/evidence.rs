//! A page is a promise: whether an entity gets one, from the evidence for
//! it. The tagger's confidence in each article counts as independent
//! evidence (a name found in two articles at 70 % is a name at 91 %); the
//! gazetteer, a given name before a surname, or a head word such as
//! "University" add to it; a name seen only as a piece of a longer one, a
//! short name that no full name explains, or a name whose kind the
//! mentions disagree on take from it. An entity gets a page when the result
//! reaches `[entities] min_confidence` (0.2 more for organisations, see
//! [`ORGANISATION_MARGIN`]; and `min_articles` articles mention it); otherwise it is kept, unlinked, with the reason it has none, which
//! `gazette entities review` and `gazette entities extract` show.

use super::lexicon;
use super::names::head_of;
use crate::entities::Gazetteer;
use crate::entity_kind::EntityKind;

use crate::archive::NoPage;
use crate::config::DEFAULT_MIN_CONFIDENCE;

/// What an entity's page decision rests on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Evidence {
    /// Product over the articles of (1 − the tagger's best confidence in a
    /// whole mention there): the chance that every article is wrong.
    pub miss: f64,
    /// Articles where it is seen as a whole name.
    pub whole_articles: usize,
    /// Articles that mention it.
    pub articles: usize,
    /// The mentions' votes for each kind.
    pub kind_votes: [f32; 4],
    /// Whether the owner's entities file names it.
    pub owner: bool,
    /// Whether its name is one the gazetteer knows for a place.
    pub gazetteer_place: bool,
    /// Whether its name is also the surname or first name of someone the
    /// archive names in full (then it is no mononym).
    pub part_of_a_full_name: bool,
    /// Whether the articles also abbreviate it ("Federal Security Service
    /// (FSB)"): a generic-sounding name with its own acronym is one body.
    pub abbreviated: bool,
}

/// The settings the decision reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRules {
    /// `[entities] min_articles`.
    pub min_articles: usize,
    /// `[entities] min_confidence`.
    pub min_confidence: f32,
}

impl Default for PageRules {
    fn default() -> Self {
        PageRules { min_articles: 1, min_confidence: DEFAULT_MIN_CONFIDENCE }
    }
}

/// How much a kind of support counts, as the chance it would be right alone.
const GAZETTEER_SUPPORT: f64 = 0.8;
const GIVEN_NAME_SUPPORT: f64 = 0.5;
const HEAD_WORD_SUPPORT: f64 = 0.5;
const PERSONAL_NAME_SUPPORT: f64 = 0.3;

/// The estimated probability that a page for `name` of `kind` is right.
pub fn confidence(name: &str, kind: EntityKind, evidence: &Evidence, gazetteer: &Gazetteer) -> f32 {
    if evidence.owner {
        return 1.0;
    }
    let mut miss = evidence.miss;
    let words: Vec<&str> = name.split(' ').collect();
    let first = words[0];
    let last = words[words.len() - 1];
    let support = match kind {
        EntityKind::Place if evidence.gazetteer_place => GAZETTEER_SUPPORT,
        EntityKind::Person if words.len() > 1 && gazetteer.is_given_name(first) => GIVEN_NAME_SUPPORT,
        // Two or three capitalised words of no list: shaped like a personal name.
        EntityKind::Person if (2..=3).contains(&words.len()) && words.iter().all(|w| looks_like_name_word(w)) => {
            PERSONAL_NAME_SUPPORT
        }
        EntityKind::Organisation
            if words.len() > 1 && (lexicon::is_organisation_head(head_of(name)) || gazetteer.is_org_suffix(last)) =>
        {
            HEAD_WORD_SUPPORT
        }
        EntityKind::Place if words.len() > 1 && lexicon::is_place_head(head_of(name)) => HEAD_WORD_SUPPORT,
        _ => 0.0,
    };
    miss *= 1.0 - support;
    let mut p = 1.0 - miss;
    // Mentions that disagree on the kind: only the share that agrees counts.
    let total: f32 = evidence.kind_votes.iter().sum();
    if total > 0.0 {
        let share = f64::from(evidence.kind_votes[kind as usize] / total);
        p *= (share / 0.6).min(1.0);
    }
    // A short acronym the gazetteer does not know ("EV", "IRL") needs more.
    if words.len() == 1 && is_short_acronym(first) && !evidence.gazetteer_place && evidence.whole_articles < 2 {
        p *= 0.6;
    }
    p as f32
}

/// A capitalised word that is no title, head or generic word.
fn looks_like_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| c.is_lowercase() || matches!(c, '-' | '\'' | '’'))
        && !lexicon::is_role(word)
        && !lexicon::is_generic_name(word)
        && !lexicon::is_function_word(word)
        && !lexicon::is_other_head(word)
}

fn is_short_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 3 && word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

/// Whether a person's name is one word (besides particles such as "de"):
/// a surname or first name alone.
pub fn is_short_person_name(name: &str) -> bool {
    name.split(' ').filter(|w| !lexicon::is_particle(w) && !lexicon::is_capitalised_particle(w)).count() <= 1
}

/// Whether an entity gets a page, or why not.
pub fn decide(
    name: &str,
    kind: EntityKind,
    evidence: &Evidence,
    confidence: f32,
    rules: &PageRules,
    gazetteer: &Gazetteer,
) -> Result<(), NoPage> {
    if kind.section().is_none() {
        return Err(NoPage::Kind);
    }
    if evidence.articles < rules.min_articles.max(1) {
        return Err(NoPage::FewArticles);
    }
    if evidence.owner {
        return Ok(());
    }
    if evidence.whole_articles == 0 {
        return Err(NoPage::Fragment);
    }
    // A lone surname or first name that no full name explains: a page only
    // for a name that is no given name, seen in two articles with
    // confidence (a mononym: "Wiranto").
    if kind == EntityKind::Person && is_short_person_name(name) {
        let mononym = !gazetteer.is_given_name(name)
            && !evidence.part_of_a_full_name
            && evidence.whole_articles >= 2
            && confidence >= 0.9;
        if !mononym {
            return Err(NoPage::ShortName);
        }
    }
    // A generic name in a few articles may mean a different body in each;
    // one that many articles use is the archive's own ("Congress").
    if kind != EntityKind::Person
        && lexicon::is_generic_name(name)
        && !evidence.abbreviated
        && !evidence.gazetteer_place
        && evidence.whole_articles < GENERIC_MIN_ARTICLES
    {
        return Err(NoPage::Generic);
    }
    let needed = rules.min_confidence + if kind == EntityKind::Organisation { ORGANISATION_MARGIN } else { 0.0 };
    if confidence < needed.min(1.0) {
        return Err(NoPage::LowConfidence);
    }
    Ok(())
}

/// What organisations need above `min_confidence`: their names are the
/// tagger's weakest (F1 53 on web text against 84 for people), and on the
/// sample site's judged pages organisations below 0.7 were right only six
/// times in ten.
pub const ORGANISATION_MARGIN: f32 = 0.2;

/// Articles a generic name needs before it gets a page.
const GENERIC_MIN_ARTICLES: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(confidences: &[f64], kind_votes: [f32; 4]) -> Evidence {
        Evidence {
            miss: confidences.iter().map(|c| 1.0 - c).product(),
            whole_articles: confidences.iter().filter(|&&c| c > 0.0).count(),
            articles: confidences.len(),
            kind_votes,
            owner: false,
            gazetteer_place: false,
            part_of_a_full_name: false,
            abbreviated: false,
        }
    }

    #[test]
    fn articles_are_independent_evidence() {
        let g = Gazetteer::builtin();
        let once = seen(&[0.7], [0.0, 0.0, 1.0, 0.0]);
        let twice = seen(&[0.7, 0.7], [0.0, 0.0, 2.0, 0.0]);
        let p1 = confidence("Acme Widgets", EntityKind::Organisation, &once, &g);
        let p2 = confidence("Acme Widgets", EntityKind::Organisation, &twice, &g);
        assert!((p1 - 0.7).abs() < 1e-6 && (p2 - 0.91).abs() < 1e-6, "{p1} {p2}");
        let university = confidence("Acme University", EntityKind::Organisation, &once, &g);
        assert!((university - 0.85).abs() < 1e-6, "a head word adds support: {university}");
    }

    #[test]
    fn disagreeing_kinds_lower_the_confidence() {
        let g = Gazetteer::builtin();
        let split = seen(&[0.9], [0.0, 0.4, 0.6, 0.0]);
        let p = confidence("Acme Widgets", EntityKind::Organisation, &split, &g);
        assert!((p - 0.9).abs() < 1e-6, "60 % agreement is enough: {p}");
        let p = confidence("Acme Widgets", EntityKind::Place, &split, &g);
        assert!((p - 0.6).abs() < 1e-6, "{p}");
    }

    #[test]
    fn pages_need_whole_names_full_names_and_confidence() {
        let g = Gazetteer::builtin();
        let rules = PageRules::default();
        let decide_for =
            |name: &str, kind, e: &Evidence| decide(name, kind, e, confidence(name, kind, e, &g), &rules, &g);
        let person = [1.0, 0.0, 0.0, 0.0];
        assert_eq!(decide_for("Anna Kowalska", EntityKind::Person, &seen(&[0.6], person)), Ok(()));
        assert_eq!(
            decide_for("Fouzia Azeem", EntityKind::Person, &seen(&[0.45], person)),
            Ok(()),
            "shaped like a name"
        );
        assert_eq!(decide_for("Santos City", EntityKind::Person, &seen(&[0.45], person)), Err(NoPage::LowConfidence));
        assert_eq!(decide_for("Kowalska", EntityKind::Person, &seen(&[0.99], person)), Err(NoPage::ShortName));
        assert_eq!(decide_for("Wiranto", EntityKind::Person, &seen(&[0.95, 0.95], person)), Ok(()), "a mononym");
        assert_eq!(decide_for("Ashley", EntityKind::Person, &seen(&[0.99, 0.99], person)), Err(NoPage::ShortName));
        assert_eq!(decide_for("De Blasio", EntityKind::Person, &seen(&[0.99], person)), Err(NoPage::ShortName));
        assert_eq!(decide_for("Ben Affleck", EntityKind::Person, &seen(&[0.9], person)), Ok(()));
        let surname = Evidence { part_of_a_full_name: true, ..seen(&[0.99, 0.99], person) };
        assert_eq!(decide_for("Rosselló", EntityKind::Person, &surname), Err(NoPage::ShortName));
        assert_eq!(decide_for("Xyz Qwerty", EntityKind::Person, &seen(&[0.0], person)), Err(NoPage::Fragment));
        let org = [0.0, 0.0, 1.0, 0.0];
        assert_eq!(decide_for("Zorblat", EntityKind::Organisation, &seen(&[0.3], org)), Err(NoPage::LowConfidence));
        assert_eq!(decide_for("EV", EntityKind::Organisation, &seen(&[0.8], org)), Err(NoPage::LowConfidence));
        assert_eq!(decide_for("Zorblat", EntityKind::Organisation, &seen(&[0.65], org)), Err(NoPage::LowConfidence));
        assert_eq!(decide_for("Zorblat", EntityKind::Person, &seen(&[0.65, 0.5], person)), Err(NoPage::ShortName));
        assert_eq!(decide_for("Zorblat", EntityKind::Place, &seen(&[0.65], [0.0, 1.0, 0.0, 0.0])), Ok(()));
        assert_eq!(decide_for("BBC", EntityKind::Organisation, &seen(&[0.8, 0.8], org)), Ok(()));
        assert_eq!(
            decide_for("Interior Ministry", EntityKind::Organisation, &seen(&[0.99], org)),
            Err(NoPage::Generic)
        );
        assert_eq!(decide_for("Congress", EntityKind::Organisation, &seen(&[0.9, 0.9, 0.9], org)), Ok(()));
        let abbreviated = Evidence { abbreviated: true, ..seen(&[0.99], org) };
        assert_eq!(decide_for("Federal Security Service", EntityKind::Organisation, &abbreviated), Ok(()));
        let strict = PageRules { min_articles: 2, ..rules };
        let e = seen(&[0.99], org);
        assert_eq!(decide("Zorblat", EntityKind::Organisation, &e, 0.99, &strict, &g), Err(NoPage::FewArticles));
        assert_eq!(decide("Ukrainian", EntityKind::Misc, &e, 0.99, &rules, &g), Err(NoPage::Kind));
    }
}
