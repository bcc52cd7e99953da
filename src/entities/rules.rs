//! The first extractor: capitalisation rules plus the gazetteers.
//!
//! Runs of capitalised words are candidates; titles ("President",
//! "Minister") mark the person that follows; the place list, company
//! suffixes and keywords ("Ministry", "Club", "Airport") decide places and
//! organisations; demonyms ("Ukrainian") are recognised as [`Misc`] so they
//! never become places. A second pass over the same text tags a surname
//! alone ("Zelensky") once the full name ("Volodymyr Zelensky") was seen.
//!
//! [`Misc`]: EntityKind::Misc

use std::collections::HashSet;

use super::tokenize::{Token, tokenize};
use super::{EntityKind, Extractor, Gazetteer, Mention};

/// Words capitalised at the start of a sentence that are not names.
const COMMON_WORDS: &[&str] = &[
    "A",
    "About",
    "According",
    "Across",
    "After",
    "Again",
    "Against",
    "All",
    "Almost",
    "Also",
    "Although",
    "Among",
    "An",
    "And",
    "Another",
    "Any",
    "Are",
    "As",
    "At",
    "Because",
    "Before",
    "Being",
    "Both",
    "But",
    "By",
    "Can",
    "Despite",
    "Did",
    "Do",
    "During",
    "Each",
    "Earlier",
    "Either",
    "Even",
    "Every",
    "Few",
    "First",
    "For",
    "From",
    "Further",
    "Had",
    "Has",
    "Have",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Instead",
    "It",
    "Its",
    "Just",
    "Last",
    "Later",
    "Many",
    "May",
    "Meanwhile",
    "More",
    "Most",
    "Much",
    "My",
    "Neither",
    "Never",
    "New",
    "Next",
    "No",
    "Nor",
    "Not",
    "Now",
    "Of",
    "On",
    "Once",
    "One",
    "Only",
    "Or",
    "Other",
    "Our",
    "Over",
    "Several",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Through",
    "Thus",
    "To",
    "Today",
    "Tomorrow",
    "Two",
    "Under",
    "Unlike",
    "Until",
    "Upon",
    "We",
    "Were",
    "What",
    "When",
    "Where",
    "Whether",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Within",
    "Without",
    "Yesterday",
    "Yet",
    "You",
    "Your",
    "Officials",
    "Police",
    "Reports",
    "Sources",
    "Witnesses",
    "Residents",
    "Authorities",
    "Speaking",
    "Following",
    "Asked",
    "Rescuers",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Hundreds",
    "Thousands",
    "Dozens",
    "Millions",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
];

/// Month and weekday names: capitalised, never entities.
const CALENDAR_WORDS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Christmas",
    "Easter",
];

/// Words that introduce a person's name.
const TITLES: &[&str] = &[
    "President",
    "Minister",
    "Secretary",
    "Chancellor",
    "Senator",
    "Sen.",
    "Governor",
    "Gov.",
    "Mayor",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "General",
    "Gen.",
    "Colonel",
    "Col.",
    "Captain",
    "Capt.",
    "Lieutenant",
    "Lt.",
    "Sergeant",
    "Admiral",
    "Commander",
    "Chief",
    "Judge",
    "Justice",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Professor",
    "Prof.",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Ambassador",
    "Speaker",
    "Representative",
    "Rep.",
    "Congressman",
    "Congresswoman",
    "Deputy",
    "Director",
    "Chairman",
    "Chairwoman",
    "CEO",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Bishop",
    "Archbishop",
    "Cardinal",
    "Rev.",
    "Reverend",
    "Sheikh",
    "Emir",
    "Sultan",
    "Ayatollah",
    "Premier",
    "Commissioner",
    "Inspector",
    "Detective",
    "Coach",
    "Leader",
    "Candidate",
    "Attorney",
    "Envoy",
    "Negotiator",
    "Adviser",
    "Advisor",
    "Billionaire",
    "Businessman",
    "Businesswoman",
    "Actor",
    "Actress",
    "Singer",
    "Writer",
    "Author",
    "Journalist",
    "Reporter",
    "Player",
    "Striker",
    "Manager",
    "Head",
];

/// Words that make a name an organisation.
const ORG_WORDS: &[&str] = &[
    "Ministry",
    "Committee",
    "Service",
    "Services",
    "University",
    "Club",
    "Council",
    "Party",
    "Union",
    "Agency",
    "Bank",
    "Company",
    "Corporation",
    "Association",
    "Organisation",
    "Organization",
    "Institute",
    "Court",
    "Department",
    "Parliament",
    "Congress",
    "Senate",
    "Army",
    "Navy",
    "Police",
    "Commission",
    "Foundation",
    "Federation",
    "Group",
    "League",
    "Airlines",
    "Airways",
    "Times",
    "Post",
    "News",
    "Press",
    "Network",
    "Assembly",
    "Office",
    "Bureau",
    "Board",
    "Authority",
    "Force",
    "Forces",
    "Guard",
    "Church",
    "School",
    "College",
    "Hospital",
    "FC",
    "Society",
    "Centre",
    "Center",
    "Museum",
    "Fund",
    "Reserve",
    "Government",
    "Administration",
    "Cabinet",
    "Embassy",
    "Movement",
    "Front",
    "Alliance",
    "Coalition",
    "Industries",
    "Holdings",
    "Motors",
    "Broadcasting",
    "Television",
    "Radio",
    "Journal",
    "Herald",
    "Tribune",
    "Guardian",
    "Telegraph",
    "Gazette",
    "Channel",
    "Studios",
    "Records",
    "Systems",
    "Technologies",
    "House",
    "Duma",
    "Ministries",
    "Secretariat",
    "Directorate",
    "Tribunal",
    "Academy",
    "Laboratory",
    "Council",
    "Commons",
    "Institution",
    "Brigade",
    "Regiment",
    "Battalion",
    "Prosecutor",
];

/// Last words that make a name a place.
const PLACE_WORDS: &[&str] = &[
    "Street",
    "Road",
    "Avenue",
    "Bridge",
    "Airport",
    "Station",
    "Square",
    "Park",
    "River",
    "Lake",
    "Mountains",
    "Island",
    "Islands",
    "Sea",
    "Ocean",
    "Bay",
    "Valley",
    "Province",
    "Region",
    "County",
    "District",
    "Oblast",
    "Peninsula",
    "Strait",
    "Gulf",
    "Desert",
    "Coast",
    "Canal",
    "Prefecture",
    "Territory",
    "Heights",
    "Beach",
];

/// Leading words that make a name a place.
const PLACE_PREFIXES: &[&str] =
    &["North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Mount", "Lake"];

/// Last words that make a name an event or other named thing.
const MISC_WORDS: &[&str] = &[
    "War",
    "Cup",
    "Games",
    "Olympics",
    "Championship",
    "Championships",
    "Festival",
    "Day",
    "Award",
    "Awards",
    "Prize",
    "Act",
    "Bill",
    "Treaty",
    "Agreement",
    "Summit",
    "Conference",
    "Election",
    "Elections",
    "Week",
    "Series",
    "Open",
    "Marathon",
    "Tour",
    "Crisis",
    "Revolution",
    "Accords",
    "Olympic",
    "Declaration",
    "Plan",
    "Protocol",
];

/// Lowercase words allowed inside a name (`Bank of England`, `Ludwig van Beethoven`).
const CONNECTORS: &[&str] =
    &["of", "de", "del", "da", "di", "van", "von", "der", "bin", "al", "la", "le", "du", "for", "and"];

/// The capitalisation-and-gazetteer extractor.
#[derive(Debug)]
pub struct RuleExtractor {
    gazetteer: Gazetteer,
}

impl RuleExtractor {
    /// An extractor using the given name lists.
    pub fn new(gazetteer: Gazetteer) -> Self {
        Self { gazetteer }
    }

    /// The name lists it uses.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Classifies a run of name words (after titles and demonyms are split off).
    fn classify(&self, text: &str, words: &[Token], after_title: bool) -> Option<EntityKind> {
        let first = words.first()?.text(text);
        let last = words.last()?.text(text);
        let name = &text[words[0].start..words[words.len() - 1].end];
        let g = &self.gazetteer;
        if g.place(name).is_some() {
            return Some(EntityKind::Place);
        }
        let texts: Vec<&str> = words.iter().map(|t| t.text(text)).collect();
        if g.is_org_suffix(last) && words.len() > 1 || texts.iter().any(|w| ORG_WORDS.contains(w)) {
            return Some(EntityKind::Organisation);
        }
        if MISC_WORDS.contains(&last) {
            return Some(EntityKind::Misc);
        }
        if words.len() > 1
            && (PLACE_WORDS.contains(&last)
                || PLACE_PREFIXES.contains(&first) && g.place(&name[first.len() + 1..]).is_some())
        {
            return Some(EntityKind::Place);
        }
        if words.len() == 1 {
            if g.demonym(first).is_some() {
                return Some(EntityKind::Misc);
            }
            if is_acronym(first) {
                return Some(EntityKind::Organisation);
            }
            return after_title.then_some(EntityKind::Person);
        }
        if words.len() <= 4 && texts.iter().all(|w| is_name_word(w) || CONNECTORS.contains(w)) {
            return Some(EntityKind::Person);
        }
        None
    }
}

impl Extractor for RuleExtractor {
    fn extract(&self, text: &str) -> Vec<Mention> {
        let tokens = tokenize(text);
        let mut mentions = Vec::new();
        for run in capitalised_runs(text, &tokens) {
            self.extract_run(text, run, &mut mentions);
        }
        self.tag_repeated_names(text, &tokens, &mut mentions);
        mentions.sort_by_key(|m| m.start);
        mentions
    }
}

impl RuleExtractor {
    /// Splits a run of capitalised words at demonyms and titles and classifies the parts.
    fn extract_run(&self, text: &str, run: &[Token], mentions: &mut Vec<Mention>) {
        let whole = &text[run[0].start..run[run.len() - 1].end];
        if run.len() > 1 && self.gazetteer.place(whole).is_some() {
            mentions.push(Mention { start: run[0].start, end: run[run.len() - 1].end, kind: EntityKind::Place });
            return;
        }
        let mut rest = run;
        let mut after_title = false;
        // Leading common words, calendar words, demonyms and titles.
        while let Some((first, tail)) = rest.split_first() {
            let word = first.text(text);
            if CALENDAR_WORDS.contains(&word)
                || (first.sentence_start || !tail.is_empty()) && COMMON_WORDS.contains(&word) && !after_title
            {
                rest = tail;
            } else if self.gazetteer.demonym(word).is_some() && !tail.is_empty() {
                mentions.push(Mention { start: first.start, end: first.end, kind: EntityKind::Misc });
                rest = tail;
            } else if TITLES.contains(&word) && !tail.is_empty() {
                after_title = true;
                rest = tail;
            } else if let Some(i) = tail.iter().position(|t| TITLES.contains(&t.text(text))).filter(|_| !after_title) {
                // "Defense Minister Oleksiy Reznikov": what precedes a later title is a qualifier.
                if i + 1 < tail.len() {
                    after_title = true;
                    rest = &tail[i + 1..];
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        // Leading and trailing connectors and calendar words are not part of the name.
        while let Some((first, tail)) = rest.split_first() {
            if CONNECTORS.contains(&first.text(text)) {
                rest = tail;
            } else {
                break;
            }
        }
        while let Some((last, init)) = rest.split_last() {
            let w = last.text(text);
            if CONNECTORS.contains(&w) || CALENDAR_WORDS.contains(&w) {
                rest = init;
            } else {
                break;
            }
        }
        if rest.is_empty() {
            return;
        }
        if rest.len() == 1
            && rest[0].sentence_start
            && !after_title
            && self.gazetteer.place(rest[0].text(text)).is_none()
        {
            // A lone capitalised word opening a sentence is usually not a name
            // unless a list says so; the second pass may still tag it.
            if let Some(kind) = self.classify(text, rest, false).filter(|k| *k != EntityKind::Person) {
                mentions.push(Mention { start: rest[0].start, end: rest[0].end, kind });
            }
            return;
        }
        if let Some(kind) = self.classify(text, rest, after_title) {
            // "Samba of Qatar": a person's name ends before a connector.
            if kind == EntityKind::Person
                && let Some(i) = rest.iter().position(|t| CONNECTORS.contains(&t.text(text)))
            {
                rest = &rest[..i];
            }
            if rest.len() == 1 && rest[0].end - rest[0].start == 1 {
                return;
            }
            mentions.push(Mention { start: rest[0].start, end: rest[rest.len() - 1].end, kind });
        }
    }

    /// Second pass: a surname (or acronym) alone after the full name appeared.
    fn tag_repeated_names(&self, text: &str, tokens: &[Token], mentions: &mut Vec<Mention>) {
        let mut surnames = HashSet::new();
        for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
            let name = m.text(text);
            if let Some(last) = name.rsplit(' ').next().filter(|_| name.contains(' ')) {
                surnames.insert(last);
            }
        }
        if surnames.is_empty() {
            return;
        }
        let taken: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
        for t in tokens {
            let word = t.text(text);
            if surnames.contains(word) && !taken.iter().any(|&(s, e)| s < t.end && t.start < e) {
                mentions.push(Mention { start: t.start, end: t.end, kind: EntityKind::Person });
            }
        }
    }
}

/// Maximal runs of capitalised words (with inner connectors), broken at
/// punctuation and sentence starts.
fn capitalised_runs<'t>(text: &str, tokens: &'t [Token]) -> Vec<&'t [Token]> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !is_capitalised(tokens[i].text(text)) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < tokens.len() {
            let t = &tokens[end];
            if t.after_punct || t.sentence_start {
                break;
            }
            let w = t.text(text);
            if is_capitalised(w) {
                end += 1;
            } else if CONNECTORS.contains(&w)
                && tokens
                    .get(end + 1)
                    .is_some_and(|n| !n.after_punct && !n.sentence_start && is_capitalised(n.text(text)))
                && (w != "and"
                    || ORG_WORDS.iter().any(|k| tokens[end + 1..].iter().take(3).any(|n| n.text(text) == *k)))
            {
                end += 2;
            } else {
                break;
            }
        }
        runs.push(&tokens[start..end]);
        i = end;
    }
    runs
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// `FSB`, `NATO`: two to six capitals.
fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters) && word.chars().all(|c| c.is_uppercase() || c == '.' || c == '&')
}

/// A capitalised word that looks like part of a personal name.
fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.any(char::is_lowercase)
        && !word.chars().any(|c| c.is_ascii_digit())
        && !COMMON_WORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, EntityKind)> {
        let x = RuleExtractor::new(Gazetteer::builtin());
        x.extract(text).iter().map(|m| (m.text(text).to_string(), m.kind)).collect()
    }

    fn has(found: &[(String, EntityKind)], name: &str, kind: EntityKind) -> bool {
        found.iter().any(|(n, k)| n == name && *k == kind)
    }

    #[test]
    fn seed_sentences() {
        let f = found(
            "Russian negotiator Vladimir Medinsky said Russia wants to come to an agreement. The office of President Volodymyr Zelensky confirmed Sunday. Zelensky had previously rejected Belarus.",
        );
        assert!(has(&f, "Russian", EntityKind::Misc), "{f:?}");
        assert!(has(&f, "Vladimir Medinsky", EntityKind::Person), "{f:?}");
        assert!(has(&f, "Russia", EntityKind::Place), "{f:?}");
        assert!(has(&f, "Volodymyr Zelensky", EntityKind::Person), "{f:?}");
        assert!(has(&f, "Zelensky", EntityKind::Person), "{f:?}");
        assert!(has(&f, "Belarus", EntityKind::Place), "{f:?}");
        assert!(!f.iter().any(|(n, _)| n == "Sunday" || n == "The"), "{f:?}");
    }

    #[test]
    fn titles_and_organisations() {
        let f = found(
            "Ukraine’s delegation includes Ukraine’s Defense Minister Oleksiy Reznikov. The Federal Security Service (FSB) said so, and Chelsea Football Club agreed.",
        );
        assert!(has(&f, "Oleksiy Reznikov", EntityKind::Person), "{f:?}");
        assert!(has(&f, "Federal Security Service", EntityKind::Organisation), "{f:?}");
        assert!(has(&f, "FSB", EntityKind::Organisation), "{f:?}");
        assert!(has(&f, "Chelsea Football Club", EntityKind::Organisation), "{f:?}");
        assert!(has(&f, "Ukraine", EntityKind::Place), "{f:?}");
    }

    #[test]
    fn multi_word_places_keep_their_first_word() {
        let f = found("He moved to New York City last year.");
        assert!(has(&f, "New York City", EntityKind::Place), "{f:?}");
    }

    #[test]
    fn demonyms_are_never_places() {
        let f = found("Ukrainian forces held. The Ukrainian delegation arrived.");
        assert!(f.iter().all(|(_, k)| *k != EntityKind::Place), "{f:?}");
    }
}
