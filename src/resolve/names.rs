//! Clean names: what the tagger found, one mention at a time, turned into
//! the name a reader would write. Titles and roles are context, not part of
//! a name ("Senator Elizabeth Warren" is Elizabeth Warren); caption residue
//! ("Image:") and words a sentence opens with ("With", "So") never enter a
//! name; joined names ("Trump-Biden", "CentOS vs Stream") are split into
//! their parts; possessives are the name. Offices ("Senate Majority
//! Leader"), bare titles, days, months and groups of people are no names at
//! all; laws, events and awards ("Tenure of Office Act", "Hurricane
//! Lorenzo") are names of another kind. A name that is only part of a
//! longer capitalised name ("Atmospheric Science" in "Rosenstiel School of
//! Marine and Atmospheric Science") is kept but marked as a fragment, so
//! that it gets a page only when it is also seen whole.

use super::lexicon;
use crate::entities::{Gazetteer, Mention};
use crate::entity_kind::EntityKind;
use crate::hash::{FastMap, FastSet};

/// A cleaned mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The span after cleaning, with its kind (possibly changed by the
    /// name's head word) and the tagger's confidence.
    pub mention: Mention,
    /// Whether the span is only part of a longer capitalised name.
    pub fragment: bool,
}

/// What one article names, for the rules that look beyond one mention.
#[derive(Debug, Default)]
pub struct ArticleNames<'a> {
    /// Every name the tagger found, as written, with its kind.
    surfaces: FastMap<&'a str, EntityKind>,
    /// The last words of the people's full names.
    surnames: FastSet<&'a str>,
    /// Where each name found starts, and where each ends (sorted).
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl<'a> ArticleNames<'a> {
    /// The names found in `text`.
    pub fn new(text: &'a str, mentions: &[Mention]) -> Self {
        let mut names = ArticleNames {
            starts: mentions.iter().map(|m| m.start).collect(),
            ends: mentions.iter().map(|m| m.end).collect(),
            ..ArticleNames::default()
        };
        names.starts.sort_unstable();
        names.ends.sort_unstable();
        for m in mentions {
            let Some(surface) = text.get(m.start..m.end) else { continue };
            names.surfaces.entry(surface).or_insert(m.kind);
            if m.kind == EntityKind::Person
                && let Some((_, last)) = surface.rsplit_once(' ')
            {
                names.surnames.insert(last);
            }
        }
        names
    }

    /// Whether a name found in the article starts at `at`.
    fn starts_at(&self, at: usize) -> bool {
        self.starts.binary_search(&at).is_ok()
    }

    /// Whether a name found in the article ends at `at`.
    fn ends_at(&self, at: usize) -> bool {
        self.ends.binary_search(&at).is_ok()
    }

    /// The kind of a name the article uses on its own (or as a surname).
    fn kind_of(&self, name: &str, gazetteer: &Gazetteer) -> Option<EntityKind> {
        if self.surnames.contains(name) {
            return Some(EntityKind::Person);
        }
        self.surfaces.get(name).copied().or_else(|| gazetteer.place(name).map(|_| EntityKind::Place))
    }
}

/// Mentions the tagger split where a name goes on: two of the same kind
/// side by side ("Martin" "Luther King"), or a name and a lowercase
/// particle that continues it ("Leon" "van Biljon"), joined into one.
/// Mentions must be sorted and not overlap.
pub fn join_split_names(text: &str, mentions: &[Mention], gazetteer: &Gazetteer) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        // "[University] of the [South Pacific]": a head word, "of", a name.
        if let Some(last) = out.last_mut()
            && matches!(text.get(last.end..m.start), Some(" of " | " of the "))
            && let Some(head) = text.get(last.start..last.end).and_then(|l| l.rsplit(' ').next())
            && (lexicon::is_organisation_head(head) || lexicon::is_place_head(head))
            && m.kind != EntityKind::Person
        {
            let kind = if lexicon::is_organisation_head(head) { EntityKind::Organisation } else { EntityKind::Place };
            let mut kind_weights = [0u8; 4];
            kind_weights[kind as usize] = 255;
            *last = Mention { end: m.end, kind, confidence: last.confidence.min(m.confidence), kind_weights, ..*last };
            continue;
        }
        if let Some(last) = out.last_mut()
            && text.get(last.end..m.start) == Some(" ")
        {
            let next = text.get(m.start..m.end).unwrap_or("");
            let particle = next.split([' ', '-']).next().is_some_and(lexicon::is_particle);
            // "Zimbabwe" "African National Union", "Co-operative" "Commonwealth Federation".
            // (not "Scotland" "Nicola Sturgeon" found as an organisation).
            let parts: Vec<&str> = next.split(' ').collect();
            let person_like = parts.len() < 2
                || gazetteer.is_given_name(parts[0])
                || (parts.len() <= 3
                    && !parts.iter().any(|w| lexicon::is_generic_name(w) || lexicon::is_organisation_head(w)));
            let qualified = m.kind == EntityKind::Organisation
                && (last.kind == EntityKind::Misc || (last.kind == EntityKind::Place && !person_like));
            if qualified {
                *last = Mention { start: last.start, end: m.end, confidence: last.confidence.min(m.confidence), ..*m };
                continue;
            }
            if particle || (last.kind == m.kind && m.kind != EntityKind::Misc) {
                let kind = if particle && (last.kind == EntityKind::Person || m.kind == EntityKind::Person) {
                    EntityKind::Person
                } else {
                    last.kind
                };
                let mut kind_weights = [0u8; 4];
                for (w, (a, b)) in kind_weights.iter_mut().zip(last.kind_weights.iter().zip(m.kind_weights)) {
                    *w = ((u16::from(*a) + u16::from(b)) / 2) as u8;
                }
                *last = Mention {
                    start: last.start,
                    end: m.end,
                    kind,
                    confidence: last.confidence.min(m.confidence),
                    kind_weights,
                };
                continue;
            }
        }
        out.push(*m);
    }
    out
}

/// One word of a span: its byte range in the text.
type Word = (usize, usize);

fn word(text: &str, w: Word) -> &str {
    &text[w.0..w.1]
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn has_uppercase(w: &str) -> bool {
    w.chars().any(char::is_uppercase)
}

/// How much a head word ("University", "County") counts toward its kind,
/// next to the tagger's own probabilities (which sum to 1).
/// Head words are reliable: they outvote even a certain tagger.
const HEAD_WEIGHT: f32 = 1.2;

/// Cleans one mention into zero, one or several candidates (`out`);
/// `words` is scratch space, reused from one mention to the next.
pub fn clean(
    text: &str,
    m: &Mention,
    names: &ArticleNames<'_>,
    gazetteer: &Gazetteer,
    words: &mut Vec<(usize, usize)>,
    out: &mut Vec<Candidate>,
) {
    let Some(span) = text.get(m.start..m.end) else { return };
    // A span that starts or ends inside a word is a piece of another word
    // (also across an invisible character: "Chad\u{ad}wick").
    let inside = |c: char| c.is_alphanumeric() || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}');
    let before = text[..m.start].chars().next_back();
    let after = text[m.end..].chars().next();
    if before.is_some_and(inside) || after.is_some_and(inside) {
        return;
    }
    words.clear();
    let mut at = m.start;
    for part in span.split(' ') {
        if !part.is_empty() {
            words.push((at, at + part.len()));
        }
        at += part.len() + 1;
    }
    clean_words(text, m, words, names, gazetteer, out);
}

fn clean_words(
    text: &str,
    m: &Mention,
    words: &mut Vec<Word>,
    names: &ArticleNames<'_>,
    gazetteer: &Gazetteer,
    out: &mut Vec<Candidate>,
) {
    // "CentOS vs Stream": two names.
    if let Some(i) = words.iter().position(|&w| matches!(word(text, w), "vs" | "vs." | "v." | "versus")) {
        let mut rest = words.split_off(i + 1);
        words.pop();
        clean_words(text, m, words, names, gazetteer, out);
        clean_words(text, m, &mut rest, names, gazetteer, out);
        return;
    }
    // "Coast Guard Commandant Admiral Elson Hermogino directing Coast Guard":
    // a lowercase word inside that joins nothing ends one name and starts another.
    if let Some(i) = (1..words.len().saturating_sub(1)).find(|&i| {
        let w = word(text, words[i]);
        !has_uppercase(w) && !lexicon::is_connector(w) && !lexicon::is_particle(w) && w.chars().any(char::is_alphabetic)
    }) {
        let mut rest = words.split_off(i + 1);
        words.pop();
        clean_words(text, m, words, names, gazetteer, out);
        clean_words(text, m, &mut rest, names, gazetteer, out);
        return;
    }
    // "MSNBC and CBS Radio", "University of Washington and Stanford
    // University": two organisations, each closed by a head word or an acronym.
    if m.kind == EntityKind::Organisation
        && let Some(i) = (1..words.len().saturating_sub(1)).find(|&i| matches!(word(text, words[i]), "and" | "&"))
        && complete_organisation(text, &words[..i])
        && complete_organisation(text, &words[i + 1..])
    {
        let mut rest = words.split_off(i + 1);
        words.pop();
        let from = out.len();
        clean_words(text, m, words, names, gazetteer, out);
        clean_words(text, m, &mut rest, names, gazetteer, out);
        // Each is whole: the other, beside it, is a name of its own.
        out[from..].iter_mut().for_each(|c| c.fragment = false);
        return;
    }
    // "Coast Guard Commandant Admiral Elson Hermogino": an organisation, its
    // office, and the person who holds it.
    if m.kind != EntityKind::Person
        && let Some(i) = (1..words.len().saturating_sub(1)).find(|&i| lexicon::is_role(word(text, words[i])))
        && words[i..].iter().any(|&w| !lexicon::is_role(word(text, w)) && capitalised(word(text, w)))
        && words[..i].iter().any(|&w| {
            let w = word(text, w);
            !lexicon::is_role_modifier(w) && gazetteer.place(w).is_none() && gazetteer.demonym(w).is_none()
        })
    {
        let mut rest = words.split_off(i);
        while rest.first().is_some_and(|&w| lexicon::is_role(word(text, w)) || lexicon::is_role_modifier(word(text, w)))
        {
            rest.remove(0);
        }
        clean_words(text, m, words, names, gazetteer, out);
        if !rest.is_empty() {
            let person = Mention { kind: EntityKind::Person, kind_weights: [255, 0, 0, 0], ..*m };
            clean_words(text, &person, &mut rest, names, gazetteer, out);
        }
        return;
    }
    // Symbols and quotes at either end.
    while let Some(&(s, e)) = words.first() {
        match text[s..e].find(|c: char| c.is_alphanumeric()) {
            Some(skip) => {
                words[0].0 = s + skip;
                break;
            }
            None => {
                words.remove(0);
            }
        }
    }
    while let Some(&(s, e)) = words.last() {
        let w = &text[s..e];
        let kept = w.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
        let kept = kept.strip_suffix("'s").or_else(|| kept.strip_suffix("’s")).unwrap_or(kept);
        if kept.chars().any(char::is_alphanumeric) {
            let last = words.len() - 1;
            words[last].1 = s + kept.len();
            break;
        }
        words.pop();
    }
    // Photo credits: "Kamala Harris Image: ...", "Gloria La RivaImage: ...".
    if let Some(&(s, e)) = words.last()
        && text[e..].trim_start_matches(' ').starts_with(':')
    {
        let w = &text[s..e];
        for residue in ["Image", "Photo", "Picture", "Photograph", "Credit", "Video", "File"] {
            if w == residue {
                words.pop();
                break;
            }
            if let Some(name) = w.strip_suffix(residue)
                && name.ends_with(|c: char| c.is_lowercase())
            {
                let last = words.len() - 1;
                words[last].1 = s + name.len();
                break;
            }
        }
    }
    // Words no name opens with, lowercase words at either end, post-nominals.
    while words.len() > 1 && lexicon::is_function_word(word(text, words[0])) {
        words.remove(0);
    }
    while words.first().is_some_and(|&w| !has_uppercase(word(text, w)) && !lexicon::is_particle(word(text, w))) {
        words.remove(0);
    }
    // "Northamptonshire police": a name cut short before a lowercase word.
    let mut cut_short = false;
    while let Some(&last) = words.last() {
        let w = word(text, last);
        if lexicon::is_post_nominal(w) {
            words.pop();
        } else if !has_uppercase(w) && !w.chars().any(|c| c.is_ascii_digit()) {
            words.pop();
            cut_short = true;
        } else {
            break;
        }
    }
    if words.is_empty() {
        return;
    }
    let mut kind = m.kind;
    let mut weights = m.kind_weights.map(|w| f32::from(w) / 255.0);
    // Titles and roles before a name.
    if let Some(n) = role_prefix(text, words, gazetteer) {
        let rest = &words[n..];
        let remainder_is_person = kind == EntityKind::Person
            || gazetteer.is_given_name(word(text, rest[0]).trim_end_matches('.'))
            || (rest.len() >= 2
                && rest.iter().all(|&w| capitalised(word(text, w)) || lexicon::is_particle(word(text, w))));
        if remainder_is_person {
            words.drain(..n);
            // "Chair In Global Islamic Politics": no name opens with "In" either.
            while words.len() > 1 && lexicon::is_function_word(word(text, words[0])) {
                words.remove(0);
            }
            if kind != EntityKind::Person {
                kind = EntityKind::Person;
                weights = [1.0, 0.0, 0.0, 0.0];
            }
        }
    }
    let head = head_word(text, words);
    // Offices and bare titles ("Senate Majority Leader", "Sheriff of
    // Milwaukee County", "President"), days, months, groups of people.
    if lexicon::is_role(head) && !(kind == EntityKind::Person && words.len() > 1 && !all_roles(text, words)) {
        return;
    }
    if words.len() == 1 {
        let w = word(text, words[0]);
        let calendar = lexicon::is_calendar_word(w) && !(lexicon::is_month(w) && kind == EntityKind::Person);
        if calendar || lexicon::is_group_noun(w) || lexicon::is_function_word(w) || w.len() < 2 {
            return;
        }
    }
    // Joined names: "Trump-Biden", "Enron/Azurix", "United States Donald Trump".
    if let Some(parts) = split_joined(text, words, m.kind, names, gazetteer) {
        for (part, part_kind) in parts {
            let mut weights = [0u8; 4];
            weights[part_kind as usize] = 255;
            let mention = Mention { start: part.0, end: part.1, kind: part_kind, kind_weights: weights, ..*m };
            out.push(Candidate { mention, fragment: false });
        }
        return;
    }
    // The head word's kind counts as one more vote.
    let first = word(text, words[0]);
    let last = word(text, words[words.len() - 1]);
    let person_named = kind == EntityKind::Person && words.len() > 1 && gazetteer.is_given_name(first);
    let other_head =
        lexicon::is_other_head(head) || (lexicon::is_other_head(last) && !lexicon::is_organisation_head(head));
    if lexicon::is_other_opening(first) && words.len() > 1 || (other_head && !person_named) {
        kind = EntityKind::Misc;
    } else if words.len() > 1 {
        if lexicon::is_organisation_head(head) && !person_named {
            weights[EntityKind::Organisation as usize] += HEAD_WEIGHT;
        } else if lexicon::is_place_head(head) && !(person_named && lexicon::is_surname_like_place_head(head)) {
            weights[EntityKind::Place as usize] += HEAD_WEIGHT;
        }
    }
    if kind != EntityKind::Misc {
        let best = (0..3).max_by(|&a, &b| weights[a].total_cmp(&weights[b])).unwrap_or(kind as usize);
        if weights[best] > weights[kind as usize] {
            kind = [EntityKind::Person, EntityKind::Place, EntityKind::Organisation][best];
        }
    }
    let sum: f32 = weights.iter().sum();
    let kind_weights = weights.map(|w| crate::entities::quantise_probability(if sum > 0.0 { w / sum } else { 0.0 }));
    let (mut start, mut end) = (words[0].0, words[words.len() - 1].1);
    // "Pacific Gas [and Electric Company]": an organisation's name the
    // tagger stopped at "and", closed by a head word a few words on.
    if kind == EntityKind::Organisation
        && !complete_organisation(text, words)
        && let Some(close) = closing_head(text, end)
    {
        end = close;
    }
    // "University of Colorado at Boulder": a campus is part of the name.
    if kind == EntityKind::Organisation
        && matches!(head, "University" | "College")
        && let Some(rest) = text[end..].strip_prefix(" at ")
        && let Some(place) = campus(rest)
    {
        end += " at ".len() + place;
    }
    // "the Thai Raksa Chart Party", "the Hungarian Defence Forces": a
    // nationality before an organisation's name is part of it.
    if kind == EntityKind::Organisation
        && let Some(&(before, at)) = preceding_words(text, start).first()
        && gazetteer.demonym(before).is_some()
        && !opens_sentence(text, at)
    {
        start = at;
    }
    let mention = Mention { start, end, kind, kind_weights, ..*m };
    let fragment = cut_short || is_fragment(text, (start, end), kind, names, gazetteer);
    out.push(Candidate { mention, fragment });
}

/// The number of leading words that are a title or role ("Senator", "US
/// Defence Secretary", "Secretary of State", "Mayor of London") when a name
/// follows them; `None` when the name does not open with one.
fn role_prefix(text: &str, words: &[Word], gazetteer: &Gazetteer) -> Option<usize> {
    // After the last role word, words of the title run on up to the first
    // that is not one ("Secretary of State | Mike Pompeo"); a place is
    // part of the title only between role words ("US Senator | Lincoln Chafee").
    let mut after_last_role = None;
    for (i, &w) in words.iter().enumerate().take(words.len() - 1) {
        let w = word(text, w);
        let bare = w.trim_end_matches('.');
        if lexicon::is_role(w) {
            // "Dean Smith": a role word that is mostly a given name opens a name.
            if i == 0 && matches!(bare, "Dean" | "Major") && gazetteer.is_given_name(bare) {
                return None;
            }
            after_last_role = Some(i + 1);
        } else if lexicon::is_role_modifier(w) || matches!(w, "of" | "the" | "for" | "and" | "Affairs") {
            continue;
        } else if gazetteer.place(bare).is_some() || gazetteer.demonym(bare).is_some() {
            if after_last_role.is_some() && !lexicon::is_role(word(text, words[i + 1])) {
                // The place opens the name after the title, or is the title's ("Mayor of London").
                let of_title = i > 0 && matches!(word(text, words[i - 1]), "of" | "for");
                return Some(if of_title { i + 1 } else { after_last_role.unwrap_or(i) });
            }
            continue;
        } else {
            return after_last_role.map(|_| i);
        }
    }
    after_last_role
}

fn all_roles(text: &str, words: &[Word]) -> bool {
    words.iter().all(|&w| {
        let w = word(text, w);
        lexicon::is_role(w) || lexicon::is_role_modifier(w) || lexicon::is_connector(w)
    })
}

/// The word of a name that says what it is: the last one, or the one
/// before "of" or "for" ("Department of Justice" → "Department").
pub fn head_of(name: &str) -> &str {
    let words: Vec<&str> = name.split(' ').collect();
    match words.iter().position(|&w| matches!(w, "of" | "for")).filter(|&i| i > 0) {
        Some(i) => words[i - 1],
        None => words[words.len() - 1],
    }
}

/// [`head_of`] the words of a span.
fn head_word<'t>(text: &'t str, words: &[Word]) -> &'t str {
    let split = words.iter().position(|&w| matches!(word(text, w), "of" | "for")).filter(|&i| i > 0);
    let head = match split {
        Some(i) => words[i - 1],
        None => *words.last().expect("a word"),
    };
    word(text, head)
}

/// The parts of a name that is two names run together, with their kinds:
/// every part is a name the article (or the gazetteer) knows on its own,
/// and the whole is not.
fn split_joined(
    text: &str,
    words: &[Word],
    kind: EntityKind,
    names: &ArticleNames<'_>,
    gazetteer: &Gazetteer,
) -> Option<Vec<(Word, EntityKind)>> {
    let whole = &text[words[0].0..words[words.len() - 1].1];
    if gazetteer.place(whole).is_some() {
        return None;
    }
    if words.len() == 1 {
        let (s, _) = words[0];
        let mut parts = Vec::new();
        let mut at = s;
        for piece in whole.split(['-', '/', '–']) {
            parts.push((at, at + piece.len()));
            at += piece.len() + whole[at - s + piece.len()..].chars().next().map_or(1, char::len_utf8);
        }
        if parts.len() < 2 {
            return None;
        }
        // "PKK-YPG": acronyms side by side are never one name.
        let acronym = |p: &str| p.chars().count() >= 2 && p.chars().all(|c| c.is_ascii_uppercase());
        if parts.iter().all(|&p| acronym(word(text, p))) {
            return Some(parts.into_iter().map(|p| (p, kind)).collect());
        }
        let kinds: Option<Vec<EntityKind>> = parts
            .iter()
            .map(|&p| {
                let piece = word(text, p);
                capitalised(piece).then(|| names.kind_of(piece, gazetteer)).flatten()
            })
            .collect();
        return kinds.map(|k| parts.into_iter().zip(k).collect());
    }
    // A place, then a person: "United States Donald Trump".
    for k in 1..words.len().saturating_sub(1) {
        let place = &text[words[0].0..words[k - 1].1];
        let known_place = gazetteer.place(place).is_some()
            || names.surfaces.get(place).is_some_and(|&kind| kind != EntityKind::Person);
        let rest = &text[words[k].0..words[words.len() - 1].1];
        let person = (kind == EntityKind::Person && gazetteer.is_given_name(word(text, words[k])))
            || names.kind_of(rest, gazetteer) == Some(EntityKind::Person)
            || names.surnames.contains(word(text, words[words.len() - 1]));
        if known_place && person {
            let place_kind = names.surfaces.get(place).copied().unwrap_or(EntityKind::Place);
            return Some(vec![
                ((words[0].0, words[k - 1].1), place_kind),
                ((words[k].0, words[words.len() - 1].1), EntityKind::Person),
            ]);
        }
    }
    None
}

/// Whether `text[start..end]` (a name of `kind`) is only part of a longer
/// capitalised name around it: a capitalised word (or a number) right
/// after it or right before it, or one joined to it by "of", "for the",
/// "and" (for organisations). A word that is itself part of another name
/// found beside it is not part of this one ("American Airlines and
/// JetBlue", "Mayor of Koszalin Piotr Jedlinski"). Before a person's name
/// stand titles, nationalities and parties ("President", "Ukrainian",
/// "Democrat"), which do not count.
fn is_fragment(
    text: &str,
    (start, end): (usize, usize),
    kind: EntityKind,
    names: &ArticleNames<'_>,
    gazetteer: &Gazetteer,
) -> bool {
    let next = following_words(text, end);
    let capital_or_number = |w: &str| {
        (capitalised(w) || !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()))
            && !lexicon::is_calendar_word(w)
            && !lexicon::is_post_nominal(w)
            && !lexicon::is_role(w)
            && w != "I"
    };
    if next.first().is_some_and(|&(w, _)| capital_or_number(w)) {
        return true;
    }
    let previous = preceding_words(text, start);
    let opener = |w: &str| lexicon::is_function_word(w) || w == "The";
    // A capitalised word before, not a title and not another name's end.
    let names_before = |w: &str, at: usize| {
        capitalised(w)
            && !opener(w)
            && !lexicon::is_role(w)
            && !lexicon::is_role_modifier(w)
            && !w.ends_with(['\'', '’'])
            && !w.ends_with("'s")
            && !names.ends_at(at + w.len())
    };
    if kind == EntityKind::Person {
        let title = |w: &str| lexicon::is_honorific(w) || gazetteer.demonym(w).is_some();
        return previous.first().is_some_and(|&(w, at)| names_before(w, at) && !title(w) && !opens_sentence(text, at));
    }
    if previous.first().is_some_and(|&(w, at)| names_before(w, at)) {
        return true;
    }
    let joins = |w: &str| (kind == EntityKind::Organisation && lexicon::is_connector(w)) || matches!(w, "of" | "for");
    // "[Republic] of Ireland" is one name even when the tagger found
    // "Ireland" apart; "[American Airlines] and JetBlue" are two.
    if let [(connector, _), (w, at), ..] = *next.as_slice()
        && joins(connector)
        && capital_or_number(w)
        && (matches!(connector, "of" | "for" | "de" | "del" | "upon") || !names.starts_at(at))
    {
        return true;
    }
    // Back over "of", "the", "for": "School of the [South Pacific]", "Rally for the [Republic]".
    let mut joined = false;
    for &(w, at) in previous.as_slice() {
        if matches!(w, "of" | "the" | "for") || (kind == EntityKind::Organisation && lexicon::is_connector(w)) {
            joined |= w != "the";
            continue;
        }
        return joined && names_before(w, at);
    }
    false
}

/// Whether the words are a whole organisation's name by their form: an
/// acronym, or a name with a head word ("CBS Radio", "University of Washington").
fn complete_organisation(text: &str, part: &[Word]) -> bool {
    let name = &text[part[0].0..part[part.len() - 1].1];
    let acronym = part.len() == 1 && name.len() >= 2 && name.chars().all(|c| c.is_ascii_uppercase());
    acronym
        || lexicon::is_organisation_head(head_of(name))
        || lexicon::is_organisation_head(word(text, part[part.len() - 1]))
}

/// Where an organisation's name that goes on after `end` with "and" or
/// "&" and at most three capitalised words ends, when the last of them is
/// an organisation's head word ("and Electric Company").
fn closing_head(text: &str, end: usize) -> Option<usize> {
    let rest = text[end..].strip_prefix(" and ").or_else(|| text[end..].strip_prefix(" & "))?;
    let mut at = text.len() - rest.len();
    for _ in 0..3 {
        let len = text[at..].find(|c: char| !is_word_char(c)).unwrap_or(text.len() - at);
        let w = &text[at..at + len];
        if !capitalised(w) {
            return None;
        }
        if lexicon::is_organisation_head(w) {
            return Some(at + len);
        }
        at = at + len + text[at + len..].strip_prefix(' ').map(|_| 1)?;
    }
    None
}

/// The length of the capitalised words (one to three) that open `rest`.
fn campus(rest: &str) -> Option<usize> {
    let mut len = 0;
    for (i, w) in rest.split(' ').take(3).enumerate() {
        let word_len = w.find(|c: char| !is_word_char(c)).unwrap_or(w.len());
        if !capitalised(&w[..word_len]) {
            break;
        }
        len = if i == 0 { word_len } else { len + 1 + word_len };
        if word_len < w.len() {
            break;
        }
    }
    (len > 0).then_some(len)
}

/// Whether the word starting at `start` opens its sentence.
fn opens_sentence(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '"', '“', '‘', '(', '\'']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':'])
}

/// A word's characters (besides letters and digits).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '&' | '\'' | '’')
}

/// Up to three words near a name, with where each starts, nearest first.
#[derive(Debug, Clone, Copy, Default)]
struct Near<'t> {
    words: [(&'t str, usize); 3],
    len: usize,
}

impl<'t> Near<'t> {
    fn push(&mut self, word: (&'t str, usize)) {
        self.words[self.len] = word;
        self.len += 1;
    }

    fn len(&self) -> usize {
        self.len
    }

    fn first(&self) -> Option<&(&'t str, usize)> {
        self.words[..self.len].first()
    }

    fn as_slice(&self) -> &[(&'t str, usize)] {
        &self.words[..self.len]
    }
}

/// The next two words after `end` (with where each starts), as far as only
/// single spaces separate them; a word followed by ":" is a label and ends
/// the name ("Image: ..."), and a final period ends the sentence.
fn following_words(text: &str, end: usize) -> Near<'_> {
    let mut words = Near::default();
    let mut at = end;
    while words.len() < 2 {
        let Some(rest) = text[at..].strip_prefix(' ') else { break };
        let start = at + 1;
        let len = rest.find(|c: char| !(is_word_char(c) || c == '.')).unwrap_or(rest.len());
        if len == 0 || rest[len..].starts_with(':') {
            break;
        }
        let w = &rest[..len];
        let bare = w.trim_end_matches('.');
        if w.ends_with('.') && bare.len() > 1 && !bare.contains('.') {
            words.push((bare, start));
            break;
        }
        words.push((w, start));
        at = start + len;
    }
    words
}

/// The three words before `start` (nearest first, with where each starts),
/// as far as only single spaces separate them.
fn preceding_words(text: &str, start: usize) -> Near<'_> {
    let mut words = Near::default();
    let mut at = start;
    while words.len() < 3 {
        let Some(before) = text[..at].strip_suffix(' ') else { break };
        let from = before.char_indices().rev().take_while(|&(_, c)| is_word_char(c)).last().map(|(i, _)| i);
        let Some(from) = from else { break };
        words.push((&before[from..], from));
        at = from;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cleans every `[name|K]` of a marked text as one mention of kind K
    /// (P, L, O, M): the cleaned names, `*` after a fragment, with kinds.
    fn cleaned(marked: &str) -> Vec<String> {
        let gazetteer = Gazetteer::builtin();
        let (text, mentions) = crate::resolve::tests::marked_text(marked);
        let names = ArticleNames::new(&text, &mentions);
        let (mut out, mut words) = (Vec::new(), Vec::new());
        for m in &mentions {
            clean(&text, m, &names, &gazetteer, &mut words, &mut out);
        }
        out.iter()
            .map(|c| {
                let kind = ["P", "L", "O", "M"][c.mention.kind as usize];
                format!("{}|{kind}{}", c.mention.text(&text), if c.fragment { "*" } else { "" })
            })
            .collect()
    }

    #[test]
    fn titles_and_roles_are_context() {
        assert_eq!(cleaned("[Senator Elizabeth Warren|P] spoke."), ["Elizabeth Warren|P"]);
        assert_eq!(cleaned("He met [Senator Warren|P]."), ["Warren|P"]);
        assert_eq!(cleaned("said [Professor Seager|P]."), ["Seager|P"]);
        assert_eq!(cleaned("[Mme Spanton|P] said."), ["Spanton|P"]);
        assert_eq!(cleaned("[US Senator Lincoln Chafee|O] said."), ["Lincoln Chafee|P"]);
        assert_eq!(cleaned("[Broadcaster Piers Morgan|O] said."), ["Piers Morgan|P"]);
        assert_eq!(cleaned("[Secretary of State Mike Pompeo|P] flew."), ["Mike Pompeo|P"]);
        assert_eq!(cleaned("[Kama Melly QC|P] argued."), ["Kama Melly|P"]);
        assert_eq!(cleaned("[Chair In Global Islamic Politics|P] at"), ["Global Islamic Politics|P"]);
        assert_eq!(cleaned("[Dean Smith|P] coached."), ["Dean Smith|P"], "a given name is no title");
        assert_eq!(cleaned("[General Motors|O] cut jobs."), ["General Motors|O"]);
    }

    #[test]
    fn offices_titles_days_and_groups_are_no_names() {
        for marked in [
            "[Senate Majority Leader|O] Mitch McConnell",
            "the [Sheriff of Milwaukee County|O] said",
            "a [Senior Staff Attorney|O] at",
            "[Defence Secretary|O] Ben Wallace",
            "the [Attorney General|O] said",
            "[President|P] Trump",
            "on [Monday|L] morning",
            "[Justices|O] ruled",
            "[Thank|O] you",
            "[Firstly|O], the",
            "[Jr.|P] was",
        ] {
            assert_eq!(cleaned(marked), Vec::<String>::new(), "{marked}");
        }
        assert_eq!(cleaned("[May|P] said"), ["May|P"], "Theresa May is a person");
    }

    #[test]
    fn caption_residue_and_opening_words_never_enter_a_name() {
        assert_eq!(cleaned("Senator [Kamala Harris Image|P]: Gage Skidmore."), ["Kamala Harris|P"]);
        assert_eq!(cleaned("Candidate [Gloria La RivaImage|P]: her campaign."), ["Gloria La Riva|P"]);
        assert_eq!(cleaned("[So University of California Davis|O] found"), ["University of California Davis|O"]);
        assert_eq!(cleaned("[With Wikinews|O] present"), ["Wikinews|O"]);
        assert_eq!(cleaned("on [channel BFM TV|O] tonight"), ["BFM TV|O"]);
        assert_eq!(cleaned("“[Zelensky’s|P] office”"), ["Zelensky|P"]);
    }

    #[test]
    fn joined_names_are_split_into_their_parts() {
        assert_eq!(
            cleaned("[Donald Trump|P] and [Joe Biden|P] met; the [Trump-Biden|P] debate"),
            ["Donald Trump|P", "Joe Biden|P", "Trump|P", "Biden|P"]
        );
        assert_eq!(cleaned("the [Ukraine-Belarus|L] border"), ["Ukraine|L", "Belarus|L"]);
        assert_eq!(cleaned("[Guinea-Bissau|L] voted"), ["Guinea-Bissau|L"], "one country");
        assert_eq!(cleaned("[Hewlett-Packard|O] sold"), ["Hewlett-Packard|O"], "parts unknown on their own");
        assert_eq!(cleaned("[CentOS vs Stream|O] debate"), ["CentOS|O", "Stream|O"]);
        assert_eq!(cleaned("the [PKK-YPG|O] said"), ["PKK|O", "YPG|O"]);
        assert_eq!(cleaned("on [MSNBC and CBS Radio|O] today"), ["MSNBC|O", "CBS Radio|O"]);
        assert_eq!(
            cleaned("at [University of Washington and Stanford University|O] labs"),
            ["University of Washington|O", "Stanford University|O"]
        );
        assert_eq!(cleaned("[Pacific Gas and Electric Company|O] said"), ["Pacific Gas and Electric Company|O"]);
        assert_eq!(
            cleaned("by [Coast Guard Commandant Admiral Elson Hermogino directing Coast Guard|O] units"),
            ["Coast Guard|O", "Elson Hermogino|P", "Coast Guard|O"]
        );
        assert_eq!(cleaned("[United States Donald Trump|P] said"), ["United States|L", "Donald Trump|P"]);
    }

    #[test]
    fn laws_events_and_vessels_are_names_of_another_kind() {
        assert_eq!(cleaned("the [Tenure of Office Act|O] was"), ["Tenure of Office Act|M"]);
        assert_eq!(cleaned("[Hurricane Lorenzo|P] hit"), ["Hurricane Lorenzo|M"]);
        assert_eq!(cleaned("the [Electronic Commerce Directive|O] says"), ["Electronic Commerce Directive|M"]);
        assert_eq!(cleaned("[Doris Day|P] sang"), ["Doris Day|P"]);
    }

    #[test]
    fn head_words_vote_for_a_kind() {
        assert_eq!(cleaned("at [Binghamton University|L] in"), ["Binghamton University|O"]);
        assert_eq!(cleaned("in [Riverside County|O] where"), ["Riverside County|L"]);
        assert_eq!(cleaned("from [Jefferson Parish|P] where"), ["Jefferson Parish|L"]);
    }

    #[test]
    fn parts_of_longer_names_are_fragments() {
        assert_eq!(
            cleaned("the Rosenstiel School of Marine and [Atmospheric Science|O] found"),
            ["Atmospheric Science|O*"]
        );
        assert_eq!(cleaned("the Rock and [Roll Hall|L] of Fame"), ["Roll Hall|L*"]);
        assert_eq!(cleaned("the Hungarian [Defence Forces|O] said"), ["Hungarian Defence Forces|O"]);
        assert_eq!(cleaned("the Thai [Raksa Chart Party|O] said"), ["Thai Raksa Chart Party|O"]);
        assert_eq!(cleaned("Kyiv [Raksa Chart Party|O] said"), ["Raksa Chart Party|O*"]);
        assert_eq!(cleaned("the [Port Authority|O] of New York"), ["Port Authority|O*"]);
        assert_eq!(cleaned("in [PLOS|O] ONE, a journal"), ["PLOS|O*"]);
        assert_eq!(cleaned("Ukrainian President [Volodymyr Zelensky|P] said"), ["Volodymyr Zelensky|P"]);
        assert_eq!(cleaned("[Donald Trump|P] and Mike Pence"), ["Donald Trump|P"]);
        assert_eq!(cleaned("the Interior Ministry in [Kyiv|L] on Monday"), ["Kyiv|L"]);
        assert_eq!(cleaned("in [Kyiv|L]. Then"), ["Kyiv|L"]);
        assert_eq!(cleaned("[Iran|L] and [Iraq|L] met"), ["Iran|L", "Iraq|L"]);
        assert_eq!(cleaned("at the [University of Colorado|O] at Boulder in"), ["University of Colorado at Boulder|O"]);
        assert_eq!(cleaned("[Four Navy|O] ships"), ["Navy|O"]);
        assert_eq!(cleaned("at [All Saints|O] school"), ["All Saints|O"]);
        assert_eq!(cleaned("from [Hyde|L] [Park Corner|P] to")[0], "Hyde|L*");
        assert_eq!(cleaned("from [Hyde Park Corner|L] to"), ["Hyde Park Corner|L"]);
        assert_eq!(cleaned("[Democrat Joe Biden|P] and [Pope Francis|P]"), ["Joe Biden|P", "Pope Francis|P"]);
        assert_eq!(cleaned("said Democrat [Joe Biden|P] and Pope [Francis|P]"), ["Joe Biden|P", "Francis|P"]);
        assert_eq!(cleaned("at the Rally for the [Republic|O] in"), ["Republic|O*"]);
        assert_eq!(cleaned("the University of the [South Pacific|L] in"), ["South Pacific|L*"]);
        assert_eq!(cleaned("[The Centre|L] for Aviation said"), ["The Centre|L*"]);
        assert_eq!(cleaned("[Northamptonshire police|O] said"), ["Northamptonshire|O*"]);
        assert_eq!(cleaned("[American Airlines|O] and [JetBlue|O] fly"), ["American Airlines|O", "JetBlue|O"]);
        assert_eq!(
            cleaned("utility [Pacific Gas|O] and Electric Company (PG&E)"),
            ["Pacific Gas and Electric Company|O"]
        );
        assert_eq!(cleaned("[Acme|O] and Sons said"), ["Acme|O*"]);
        assert_eq!(cleaned("the [Republic|L] of [Ireland|L] and"), ["Republic|L*", "Ireland|L"]);
        assert_eq!(cleaned("NYC [Mayor de Blasio|L] said"), ["de Blasio|P"]);
        assert_eq!(
            cleaned("said [David Livermore|P] of the [University of East Anglia|O]'s"),
            ["David Livermore|P", "University of East Anglia|O"]
        );
        assert_eq!(cleaned("Mayor of [Koszalin|L] [Piotr Jedlinski|P] has"), ["Koszalin|L*", "Piotr Jedlinski|P"]);
        assert_eq!(cleaned("Voter [Kitty Mak|P] told"), ["Kitty Mak|P"]);
        assert_eq!(cleaned("Speaking on [al-Masirah TV|O] in"), ["al-Masirah TV|O"]);
        assert_eq!(cleaned("the [United Nations|O] [Nikki Haley|P] wrote"), ["United Nations|O*", "Nikki Haley|P"]);
    }

    #[test]
    fn names_the_tagger_split_are_joined() {
        let (text, mentions) = crate::resolve::tests::marked_text(
            "[Leon|L] [van Biljon|P] met [Martin|P] [Luther King|P] in [Koszalin|L] [Piotr Jedlinski|P]'s office \
             at the [University|L] of the [South Pacific|L] near [Kyiv|L] of [Ukraine|L]. \
             [Pacific Gas|O] and [Electric Company|O] bought [American Airlines|O] and [JetBlue|O]. \
             The [Zimbabwe|L] [African National Union|O] won in [Scotland|L] [Nicola Sturgeon|O] said.",
        );
        let joined: Vec<String> = join_split_names(&text, &mentions, &Gazetteer::builtin())
            .iter()
            .map(|m| format!("{}|{}", m.text(&text), ["P", "L", "O", "M"][m.kind as usize]))
            .collect();
        assert_eq!(
            joined,
            [
                "Leon van Biljon|P",
                "Martin Luther King|P",
                "Koszalin|L",
                "Piotr Jedlinski|P",
                "University of the South Pacific|O",
                "Kyiv|L",
                "Ukraine|L",
                "Pacific Gas|O",
                "Electric Company|O",
                "American Airlines|O",
                "JetBlue|O",
                "Zimbabwe African National Union|O",
                "Scotland|L",
                "Nicola Sturgeon|O"
            ]
        );
    }

    #[test]
    fn a_span_inside_a_word_is_dropped() {
        let gazetteer = Gazetteer::builtin();
        let text = "Chadwick Boseman died.";
        let m = Mention::certain(0, 4, EntityKind::Place);
        let mut out = Vec::new();
        clean(text, &m, &ArticleNames::new(text, &[m]), &gazetteer, &mut Vec::new(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
