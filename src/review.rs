//! `gazette entities review`: the entity pages most likely wrong, for a
//! newsroom to curate in minutes. Each item names the entity, says what
//! looks wrong, shows a sentence that mentions it and gives the exact
//! entities.toml lines that would fix it. Pages with low confidence come
//! first, then kinds the mentions disagree on, near-duplicate names left
//! apart, one-off pages, merges made on spelling alone, and names without
//! a page that look real.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::archive::NoPage;
use crate::archive::{Archive, EntityId};
use crate::content::sentences::SentenceIndex;
use crate::entity_kind::EntityKind;
use crate::resolve::variants::one_edit_candidates;
use crate::resolve::{skeleton, within_one_edit};
use crate::text::normalize;

/// Pages below this confidence are listed as likely wrong.
const LOW_CONFIDENCE: f32 = 0.75;
/// A one-off page below this confidence is listed.
const ONE_OFF_CONFIDENCE: f32 = 0.9;
/// Mentions must agree at least this much on an entity's kind.
const KIND_AGREEMENT: f32 = 0.75;
/// A name without a page at or above this confidence is listed.
const MISSING_PAGE_CONFIDENCE: f32 = 0.85;

/// What looks wrong about an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// Its page rests on weak evidence.
    LowConfidence,
    /// Its mentions disagree on whether it is a person, place or organisation.
    KindDisagreement,
    /// Another entity has nearly the same name and was not merged with it.
    NearDuplicate,
    /// One article mentions it, and the tagger was not sure.
    OneOff,
    /// A spelling of it joined it on its letters alone.
    SpellingMerge,
    /// It has no page although it looks like a real name.
    MissingPage,
}

impl Problem {
    fn describe(self) -> &'static str {
        match self {
            Problem::LowConfidence => "low confidence",
            Problem::KindDisagreement => "kind disputed",
            Problem::NearDuplicate => "near-duplicate not merged",
            Problem::OneOff => "one-off",
            Problem::SpellingMerge => "merged by spelling",
            Problem::MissingPage => "no page",
        }
    }
}

/// An entity as the review shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// Its canonical name.
    pub name: String,
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Its page, when it has one.
    pub page: Option<String>,
    /// Why it has none, when it has none.
    pub no_page: Option<NoPage>,
    /// The estimated probability that a page for it is right.
    pub confidence: f32,
    /// Articles that mention it.
    pub articles: usize,
    /// The share of its mentions' votes for each kind (person, place, organisation, misc).
    pub kind_shares: [f32; 4],
}

/// A sentence that mentions an entity.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    /// The article's file.
    pub file: PathBuf,
    /// The sentence.
    pub sentence: String,
}

/// One way to fix an item, as entities.toml lines.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    /// When to use it ("if it is no name").
    pub when: String,
    /// The lines to add to the entities file.
    pub toml: String,
}

/// One entity to check.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// What looks wrong.
    pub problem: Problem,
    /// Why, in words.
    pub why: String,
    /// The entity.
    pub entity: Subject,
    /// The other entity of a near-duplicate pair, or the spelling of a merge.
    pub other: Option<String>,
    /// Where it is mentioned.
    pub context: Option<Context>,
    /// The fixes.
    pub fixes: Vec<Fix>,
}

/// The whole review.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// Entity pages of the site.
    pub pages: usize,
    /// Items found (before any limit).
    pub found: usize,
    /// The items, most likely wrong first.
    pub items: Vec<Item>,
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

fn kind_word(kind: EntityKind) -> &'static str {
    kind.name()
}

fn retype(name: &str, kind: EntityKind) -> Fix {
    Fix {
        when: format!("if it is {} {}", if kind == EntityKind::Organisation { "an" } else { "a" }, kind_word(kind)),
        toml: format!("[[entity]]\nname = {}\ntype = \"{}\"", quoted(name), kind_word(kind)),
    }
}

fn ignore(name: &str) -> Fix {
    Fix { when: "if it is no person, place or organisation".into(), toml: format!("ignore = [{}]", quoted(name)) }
}

fn alias(full: &str, other: &str, kind: EntityKind) -> Fix {
    Fix {
        when: format!("if {} is {}", quoted(other), quoted(full)),
        toml: format!(
            "[[entity]]\nname = {}\ntype = \"{}\"\naliases = [{}]",
            quoted(full),
            kind_word(kind),
            quoted(other)
        ),
    }
}

fn apart(a: &str, b: &str) -> Fix {
    Fix { when: "if they are different".into(), toml: format!("never_merge = [[{}, {}]]", quoted(a), quoted(b)) }
}

/// The entities of `archive` most likely wrong, most likely first; `limit`
/// items at most (0: all). `min_confidence` is the site's page threshold.
pub fn review(archive: &Archive, min_confidence: f32, limit: usize) -> Review {
    let subject = |id: EntityId| {
        let e = &archive.entities[id];
        let total: f32 = e.kind_votes.iter().sum();
        Subject {
            name: e.name.clone(),
            kind: e.kind,
            page: archive.entity_path(id),
            no_page: e.no_page,
            confidence: (e.confidence * 1000.0).round() / 1000.0,
            articles: e.articles.len(),
            kind_shares: e.kind_votes.map(|v| if total > 0.0 { (v / total * 100.0).round() / 100.0 } else { 0.0 }),
        }
    };
    let mut items: Vec<(f32, Item)> = Vec::new();
    let mut push = |rank: f32, problem: Problem, why: String, id: EntityId, other: Option<String>, fixes: Vec<Fix>| {
        let context = context_of(archive, id);
        items.push((rank, Item { problem, why, entity: subject(id), other, context, fixes }));
    };
    for (id, e) in archive.entities.iter().enumerate() {
        if e.kind.section().is_none() {
            continue;
        }
        let total: f32 = e.kind_votes.iter().sum();
        let share = |k: EntityKind| if total > 0.0 { e.kind_votes[k as usize] / total } else { 1.0 };
        let runner_up = EntityKind::WITH_PAGES
            .into_iter()
            .filter(|&k| k != e.kind)
            .max_by(|&a, &b| share(a).total_cmp(&share(b)))
            .unwrap_or(EntityKind::Organisation);
        if e.has_page {
            if share(e.kind) < KIND_AGREEMENT {
                let why = format!(
                    "{:.0} % of its mentions read as a {}, {:.0} % as a {}",
                    share(e.kind) * 100.0,
                    kind_word(e.kind),
                    share(runner_up) * 100.0,
                    kind_word(runner_up)
                );
                let fixes = vec![retype(&e.name, runner_up), retype(&e.name, e.kind), ignore(&e.name)];
                push(share(e.kind), Problem::KindDisagreement, why, id, None, fixes);
            } else if e.confidence < LOW_CONFIDENCE {
                let why = format!(
                    "the evidence gives it {:.0} % (pages need {:.0} %)",
                    e.confidence * 100.0,
                    min_confidence * 100.0
                );
                push(
                    e.confidence,
                    Problem::LowConfidence,
                    why,
                    id,
                    None,
                    vec![ignore(&e.name), retype(&e.name, runner_up)],
                );
            } else if e.articles.len() == 1 && e.confidence < ONE_OFF_CONFIDENCE {
                let why = format!("one article, {:.0} % confidence", e.confidence * 100.0);
                push(1.0 + e.confidence, Problem::OneOff, why, id, None, vec![ignore(&e.name)]);
            }
            // Spellings joined by their letters alone.
            let key = normalize(&e.name);
            for a in &e.aliases {
                let alias_key = normalize(a);
                let spelling = alias_key != key
                    && !key.contains(&alias_key)
                    && (skeleton(&alias_key) == skeleton(&key) || within_one_edit(&alias_key, &key));
                if spelling {
                    let why = format!("{} joined {} by its letters", quoted(a), quoted(&e.name));
                    push(3.0 + e.confidence, Problem::SpellingMerge, why, id, Some(a.clone()), vec![apart(&e.name, a)]);
                }
            }
        } else if e.confidence >= MISSING_PAGE_CONFIDENCE
            && matches!(e.no_page, Some(NoPage::ShortName | NoPage::Fragment | NoPage::Generic))
        {
            let why =
                format!("{:.0} % confidence, but {}", e.confidence * 100.0, e.no_page.map_or("", NoPage::explain));
            let fix = Fix {
                when: "if it deserves a page as it is".into(),
                toml: format!("[[entity]]\nname = {}\ntype = \"{}\"", quoted(&e.name), kind_word(e.kind)),
            };
            push(4.0 - e.confidence, Problem::MissingPage, why, id, None, vec![fix]);
        }
    }
    // Near-duplicates: a surname or first name beside a full name, and
    // names one edit apart, of the same kind, left apart.
    let mut by_word: HashMap<(EntityKind, String), Vec<EntityId>> = HashMap::new();
    for (id, e) in archive.entities.iter().enumerate() {
        if e.kind == EntityKind::Person && e.name.contains(' ') && e.has_page {
            let key = normalize(&e.name);
            for word in key.split(' ') {
                by_word.entry((e.kind, word.to_string())).or_default().push(id);
            }
        }
    }
    for (id, e) in archive.entities.iter().enumerate() {
        if e.kind != EntityKind::Person || e.name.contains(' ') {
            continue;
        }
        if let Some(fulls) = by_word.get(&(e.kind, normalize(&e.name))) {
            let best = *fulls.iter().max_by_key(|&&f| archive.entities[f].articles.len()).unwrap_or(&fulls[0]);
            let full = &archive.entities[best].name;
            let why = format!(
                "{} may be {} ({} people of the archive have that name)",
                quoted(&e.name),
                quoted(full),
                fulls.len()
            );
            let fixes = vec![alias(full, &e.name, e.kind), ignore(&e.name)];
            push(2.0 + e.confidence, Problem::NearDuplicate, why, id, Some(full.clone()), fixes);
        }
    }
    let keys: Vec<String> = archive.entities.iter().map(|e| normalize(&e.name)).collect();
    let candidates = one_edit_candidates(archive.entities.iter().zip(&keys).map(|(e, k)| (e.kind, k.as_str())));
    for (a, b) in candidates {
        let (ea, eb) = (&archive.entities[a], &archive.entities[b]);
        if ea.kind.section().is_none() || !(ea.has_page || eb.has_page) || !within_one_edit(&keys[a], &keys[b]) {
            continue;
        }
        let (common, rare) = if ea.articles.len() >= eb.articles.len() { (a, b) } else { (b, a) };
        let (c, r) = (&archive.entities[common].name, &archive.entities[rare].name);
        let why = format!("{} and {} differ by one letter", quoted(c), quoted(r));
        let fixes = vec![alias(c, r, ea.kind), apart(c, r)];
        push(2.0 + archive.entities[rare].confidence, Problem::NearDuplicate, why, rare, Some(c.clone()), fixes);
    }
    items.sort_by(|(ra, a), (rb, b)| {
        a.problem.cmp(&b.problem).then(ra.total_cmp(rb)).then(a.entity.name.cmp(&b.entity.name))
    });
    let found = items.len();
    let mut items: Vec<Item> = items.into_iter().map(|(_, item)| item).collect();
    if limit > 0 {
        items.truncate(limit);
    }
    Review { pages: archive.entities.iter().filter(|e| e.has_page).count(), found, items }
}

/// The sentence of an entity's first mention in its first article.
fn context_of(archive: &Archive, id: EntityId) -> Option<Context> {
    let article = *archive.entities[id].articles.first()?;
    let a = &archive.articles[article];
    let ae = archive.article_entities[article].iter().find(|ae| ae.entity == id)?;
    let (start, end) = ae.spans.first()?;
    let sentence = if start < a.text.len() {
        SentenceIndex::new(&a.text).at(&a.text, start).unwrap_or("").to_string()
    } else {
        // A mention in the photo caption.
        a.entity_slice(start, end).to_string()
    };
    let sentence = if sentence.is_empty() { a.entity_slice(start, end).to_string() } else { sentence };
    Some(Context { file: a.source.clone(), sentence: sentence.split_whitespace().collect::<Vec<_>>().join(" ") })
}

/// The review as text, for people: each item with its context and fixes,
/// then every suggested `ignore` together.
pub fn to_text(review: &Review) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} entities to check ({} shown), of {} entity pages; most likely wrong first.\n\
         Add the lines of a fix to the entities file (site.toml: [entities] file = \"entities.toml\") and build again.\n",
        review.found,
        review.items.len(),
        review.pages
    );
    for (i, item) in review.items.iter().enumerate() {
        let e = &item.entity;
        let place = e.page.clone().unwrap_or_else(|| "no page".into());
        let _ = writeln!(
            out,
            "{:>3}. {}: {} {} ({place}, {} article{}, confidence {:.2})",
            i + 1,
            item.problem.describe(),
            kind_word(e.kind),
            quoted(&e.name),
            e.articles,
            if e.articles == 1 { "" } else { "s" },
            e.confidence
        );
        let _ = writeln!(out, "     {}", item.why);
        if let Some(c) = &item.context {
            let sentence: String = c.sentence.chars().take(200).collect();
            let _ = writeln!(out, "     {}: {sentence}", c.file.display());
        }
        for fix in &item.fixes {
            let _ = writeln!(out, "     {}:", fix.when);
            for line in fix.toml.lines() {
                let _ = writeln!(out, "         {line}");
            }
        }
        out.push('\n');
    }
    let ignored: Vec<String> = review
        .items
        .iter()
        .filter(|i| matches!(i.problem, Problem::LowConfidence | Problem::OneOff))
        .map(|i| quoted(&i.entity.name))
        .collect();
    if !ignored.is_empty() {
        let _ = writeln!(
            out,
            "Every low-confidence and one-off name above, if none of them is a name:\n    ignore = [{}]",
            ignored.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Article;
    use crate::entities::Mention;
    use crate::entities::overrides::EntityOverrides;
    use crate::resolve::{ResolveOptions, resolve};

    fn archive(texts: &[&str]) -> Archive {
        let (articles, mentions): (Vec<Article>, Vec<Vec<Mention>>) =
            texts.iter().enumerate().map(|(i, t)| crate::resolve::tests::article_of(i as u32 + 1, t)).unzip();
        let options = ResolveOptions { overrides: EntityOverrides::default(), ..ResolveOptions::default() };
        resolve(articles, mentions, &crate::entities::Gazetteer::builtin(), &options).0
    }

    #[test]
    fn likely_wrong_pages_come_with_their_context_and_fixes() {
        let mut archive = archive(&[
            "[Anna Kowalska|P] met [Bob Brown|P] in [Kyiv|L].",
            "[Anna Kowalska|P] spoke to [Acme Widgets|O].",
            "[Zorblat Quux|O] opened.",
            "[Kharkiw|L] burned.",
            "[Kharkiv|L] again. [Kharkiv|L] and more.",
            "[Kharkiv|L] once more.",
        ]);
        // Give one page weak evidence and another disputed kinds.
        let id = |archive: &Archive, name: &str| archive.entities.iter().position(|e| e.name == name).unwrap();
        let weak = id(&archive, "Zorblat Quux");
        archive.entities[weak].confidence = 0.55;
        let disputed = id(&archive, "Acme Widgets");
        archive.entities[disputed].kind_votes = [0.0, 0.6, 0.4, 0.0];
        let review = review(&archive, 0.5, 0);
        let find = |problem: Problem, name: &str| {
            review.items.iter().find(|i| i.problem == problem && i.entity.name == name).unwrap_or_else(|| {
                panic!(
                    "{problem:?} {name}: {:#?}",
                    review.items.iter().map(|i| (i.problem, &i.entity.name)).collect::<Vec<_>>()
                )
            })
        };
        let low = find(Problem::LowConfidence, "Zorblat Quux");
        assert_eq!(low.context.as_ref().unwrap().sentence, "Zorblat Quux opened.");
        assert_eq!(low.fixes[0].toml, "ignore = [\"Zorblat Quux\"]");
        let kind = find(Problem::KindDisagreement, "Acme Widgets");
        assert_eq!(kind.fixes[0].toml, "[[entity]]\nname = \"Acme Widgets\"\ntype = \"place\"");
        let typo = find(Problem::NearDuplicate, "Kharkiw");
        assert_eq!(typo.other.as_deref(), Some("Kharkiv"));
        assert!(typo.fixes.iter().any(|f| f.toml.contains("aliases = [\"Kharkiw\"]")), "{:?}", typo.fixes);
        assert_eq!(review.items[0].problem, Problem::LowConfidence, "most likely wrong first");
        assert!(review.items.iter().all(|i| i.entity.name != "Anna Kowalska"), "a sure page is not listed");
        let text = to_text(&review);
        assert!(text.contains("ignore = [\"Zorblat Quux\"]") && text.contains("Zorblat Quux opened."), "{text}");
        let json = serde_json::to_value(&review).unwrap();
        assert_eq!(json["items"][0]["problem"], "low-confidence");
        assert_eq!(super::review(&archive, 0.5, 1).items.len(), 1);
    }
}
