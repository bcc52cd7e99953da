//! Word lists the name rules read: titles and roles, words that never open
//! a name, particles, heads that tell a name's kind, and the days and
//! months. All comparisons are on the word lowercased, without a final
//! period.

/// A word lowercased, without a final period, for the lists below.
pub fn fold(word: &str) -> String {
    word.trim_end_matches('.').to_lowercase()
}

/// A sorted list of lowercase words, with a bitmap of the pairs of letters
/// they open with, so that most words are turned down without a search
/// (names are looked up many times per mention).
struct Words {
    list: &'static [&'static str],
    openings: [u64; 12],
}

/// 0 to 25 for `a` to `z`, 26 for anything else (or no letter).
const fn letter(b: Option<&u8>) -> usize {
    match b {
        Some(&c) if c.is_ascii_lowercase() => (c - b'a') as usize,
        _ => 26,
    }
}

impl Words {
    const fn new(list: &'static [&'static str]) -> Words {
        let mut openings = [0u64; 12];
        let mut i = 0;
        while i < list.len() {
            let b = list[i].as_bytes();
            let pair = letter(b.first()) * 27 + letter(if b.len() > 1 { Some(&b[1]) } else { None });
            openings[pair / 64] |= 1 << (pair % 64);
            i += 1;
        }
        Words { list, openings }
    }
}

/// Whether the list holds the word, lowercased and without a final period.
/// ASCII words (nearly all lookups) are folded on the stack.
fn contains(words: &Words, word: &str) -> bool {
    let bare = word.trim_end_matches('.');
    let mut buffer = [0u8; 32];
    if bare.is_ascii() {
        let Some(slot) = buffer.get_mut(..bare.len()) else { return false };
        for (b, c) in slot.iter_mut().zip(bare.bytes()) {
            *b = c.to_ascii_lowercase();
        }
        let pair = letter(slot.first()) * 27 + letter(slot.get(1));
        if words.openings[pair / 64] >> (pair % 64) & 1 == 0 {
            return false;
        }
        return words.list.binary_search_by(|w| w.as_bytes().cmp(slot)).is_ok();
    }
    words.list.binary_search(&fold(word).as_str()).is_ok()
}

/// Titles, offices and roles that stand before a name ("Senator",
/// "Defence Minister", "broadcaster"): context, not part of it.
pub fn is_role(word: &str) -> bool {
    contains(&ROLES, word)
}

/// Titles that are part of a name, kept in it and never read as a
/// longer name before one ("Pope Francis", "Queen Elizabeth", "Sheikh").
pub fn is_honorific(word: &str) -> bool {
    contains(&HONORIFICS, word)
}

/// Words that qualify a role before it ("former", "Deputy", "Foreign").
pub fn is_role_modifier(word: &str) -> bool {
    contains(&ROLE_MODIFIERS, word)
}

/// Letters after a name that are honours, degrees or "Jr.", not the name ("QC", "MP").
pub fn is_post_nominal(word: &str) -> bool {
    POST_NOMINALS.contains(&word.trim_end_matches('.'))
}

/// Words that never begin a name, although a sentence may open with them
/// ("With", "So", "Thank", "Firstly").
pub fn is_function_word(word: &str) -> bool {
    contains(&FUNCTION_WORDS, word)
}

/// Lowercase words that belong inside names ("al", "de", "van", "bin").
pub fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// Particles written with a capital that still belong inside a surname
/// ("De Blasio", "Van Gogh"); not "Al" or "Ben", which are given names.
pub fn is_capitalised_particle(word: &str) -> bool {
    matches!(
        word,
        "Da" | "Das"
            | "De"
            | "Del"
            | "Della"
            | "Der"
            | "Des"
            | "Di"
            | "Do"
            | "Dos"
            | "Du"
            | "La"
            | "Le"
            | "Ter"
            | "Van"
            | "Von"
            | "Zu"
    )
}

/// Small words that join the parts of one name ("of", "and", "for").
pub fn is_connector(word: &str) -> bool {
    CONNECTORS.contains(&word)
}

/// Days of the week and months (also abbreviated).
pub fn is_calendar_word(word: &str) -> bool {
    contains(&CALENDAR, word)
}

/// Months only, which are also given names or surnames ("May", "June").
pub fn is_month(word: &str) -> bool {
    contains(&MONTHS, word)
}

/// Heads of organisation names ("University", "Party", "Ministry").
pub fn is_organisation_head(word: &str) -> bool {
    contains(&ORGANISATION_HEADS, word)
}

/// Heads of place names ("County", "River", "Cathedral").
pub fn is_place_head(word: &str) -> bool {
    contains(&PLACE_HEADS, word)
}

/// Place heads that are also common surnames ("Hill", "Lake"): they say
/// nothing after a given name ("Faith Hill").
pub fn is_surname_like_place_head(word: &str) -> bool {
    contains(&SURNAME_LIKE_PLACE_HEADS, word)
}

/// Heads of names that are no person, place or organisation: laws,
/// events, awards, works ("Act", "Cup", "Festival", "Award").
pub fn is_other_head(word: &str) -> bool {
    contains(&OTHER_HEADS, word)
}

/// First words of names of storms, vessels, flights and operations
/// ("Hurricane", "HMS", "Operation").
pub fn is_other_opening(word: &str) -> bool {
    contains(&OTHER_OPENINGS, word)
}

/// Whether every word of a name is a generic word of institutions and
/// places ("Interior Ministry", "Air Force", "National Police", "Center"):
/// a descriptor that means a different body in each article that uses it.
pub fn is_generic_name(name: &str) -> bool {
    let mut words = name.split(' ').filter(|w| !matches!(*w, "of" | "and" | "for" | "the" | "&")).peekable();
    words.peek().is_some()
        && words.all(|w| {
            contains(&GENERIC_WORDS, w)
                || contains(&ORGANISATION_HEADS, w)
                || contains(&PLACE_HEADS, w)
                || contains(&ROLE_MODIFIERS, w)
        })
}

/// Plural nouns for groups of people, never a name on their own
/// ("Officials", "Justices", "Democrats").
pub fn is_group_noun(word: &str) -> bool {
    contains(&GROUP_NOUNS, word)
}

// Every list is sorted (checked by a test) so that lookups are binary searches.

const ROLES: Words = Words::new(&[
    "actor",
    "actress",
    "adm",
    "admiral",
    "adviser",
    "advisor",
    "advocate",
    "ambassador",
    "analyst",
    "anchor",
    "archbishop",
    "architect",
    "artist",
    "assemblyman",
    "assemblywoman",
    "astronaut",
    "astronomer",
    "athlete",
    "attorney",
    "author",
    "bishop",
    "boss",
    "broadcaster",
    "businessman",
    "businesswoman",
    "cameraman",
    "campaigner",
    "candidate",
    "capt",
    "captain",
    "cardinal",
    "cde",
    "ceo",
    "cfo",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "champion",
    "chancellor",
    "chef",
    "chief",
    "chief-executive",
    "chieftain",
    "cmdr",
    "coach",
    "col",
    "colonel",
    "columnist",
    "comedian",
    "commandant",
    "commander",
    "commissioner",
    "commissioners",
    "composer",
    "comptroller",
    "comrade",
    "congressman",
    "congresswoman",
    "constable",
    "consul",
    "coo",
    "correspondent",
    "councillor",
    "councilman",
    "councilmember",
    "councilor",
    "councilwoman",
    "cpl",
    "cto",
    "dean",
    "defender",
    "delegate",
    "democrat",
    "designer",
    "det",
    "detective",
    "director",
    "doctor",
    "dr",
    "drummer",
    "economist",
    "editor",
    "engineer",
    "entrepreneur",
    "envoy",
    "father",
    "footballer",
    "founder",
    "gen",
    "general",
    "goalkeeper",
    "gov",
    "governor",
    "guitarist",
    "historian",
    "insp",
    "inspector",
    "investigator",
    "journalist",
    "judge",
    "justice",
    "lawmaker",
    "lawyer",
    "leader",
    "legislator",
    "lieutenant",
    "lt",
    "magistrate",
    "manager",
    "mayor",
    "member",
    "mep",
    "midfielder",
    "minister",
    "missionary",
    "mla",
    "mme",
    "mp",
    "mr",
    "mrs",
    "ms",
    "musician",
    "negotiator",
    "nominee",
    "novelist",
    "nurse",
    "officer",
    "official",
    "pastor",
    "philanthropist",
    "photographer",
    "physician",
    "physicist",
    "pilot",
    "player",
    "pm",
    "poet",
    "politician",
    "premier",
    "presenter",
    "president",
    "president-elect",
    "priest",
    "principal",
    "prof",
    "professor",
    "prosecutor",
    "psychologist",
    "pvt",
    "rabbi",
    "rapper",
    "rector",
    "referee",
    "rep",
    "reporter",
    "representative",
    "republican",
    "researcher",
    "rev",
    "reverend",
    "scientist",
    "sec",
    "secretary",
    "secretary-general",
    "sen",
    "senator",
    "sergeant",
    "sgt",
    "sheriff",
    "singer",
    "singer-songwriter",
    "skipper",
    "solicitor",
    "songwriter",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "striker",
    "student",
    "superintendent",
    "supt",
    "surgeon",
    "taoiseach",
    "teacher",
    "tory",
    "treasurer",
    "trooper",
    "trustee",
    "tycoon",
    "undersecretary",
    "veteran",
    "vice-chancellor",
    "vice-president",
    "warden",
    "writer",
]);

const HONORIFICS: Words = Words::new(&[
    "archduke",
    "ayatollah",
    "baron",
    "baroness",
    "countess",
    "dame",
    "duchess",
    "duke",
    "earl",
    "emir",
    "emperor",
    "empress",
    "grand",
    "imam",
    "king",
    "lady",
    "lord",
    "mahatma",
    "mother",
    "mufti",
    "pope",
    "prince",
    "princess",
    "queen",
    "saint",
    "sheikh",
    "sir",
    "st",
    "sultan",
]);

const ROLE_MODIFIERS: Words = Words::new(&[
    "acting",
    "agriculture",
    "assistant",
    "associate",
    "attorney",
    "cabinet",
    "city",
    "communications",
    "county",
    "culture",
    "defence",
    "defense",
    "deputy",
    "district",
    "economy",
    "education",
    "energy",
    "environment",
    "executive",
    "federal",
    "finance",
    "first",
    "foreign",
    "former",
    "general",
    "head",
    "health",
    "home",
    "interim",
    "interior",
    "justice",
    "labour",
    "late",
    "lead",
    "majority",
    "managing",
    "minority",
    "national",
    "opposition",
    "police",
    "presidential",
    "prime",
    "principal",
    "regional",
    "retired",
    "science",
    "senior",
    "shadow",
    "special",
    "state",
    "supreme",
    "trade",
    "transport",
    "vice",
]);

const POST_NOMINALS: &[&str] =
    &["CBE", "DBE", "Esq", "FRS", "Jr", "KBE", "KC", "MBE", "MD", "MEP", "MLA", "MP", "MSP", "OBE", "PhD", "QC", "Sr"];

const FUNCTION_WORDS: Words = Words::new(&[
    "a",
    "about",
    "above",
    "according",
    "actually",
    "additionally",
    "after",
    "afterwards",
    "again",
    "against",
    "also",
    "alternatively",
    "although",
    "among",
    "an",
    "and",
    "another",
    "any",
    "anyway",
    "apparently",
    "around",
    "as",
    "at",
    "basically",
    "because",
    "before",
    "behind",
    "below",
    "besides",
    "between",
    "both",
    "but",
    "by",
    "certainly",
    "clearly",
    "congratulations",
    "consequently",
    "conversely",
    "currently",
    "dear",
    "despite",
    "dozen",
    "dozens",
    "during",
    "each",
    "earlier",
    "eight",
    "either",
    "eleven",
    "elsewhere",
    "even",
    "eventually",
    "every",
    "fifty",
    "finally",
    "firstly",
    "five",
    "following",
    "for",
    "fortunately",
    "forty",
    "four",
    "from",
    "further",
    "furthermore",
    "generally",
    "goodbye",
    "hello",
    "hence",
    "her",
    "here",
    "hey",
    "hi",
    "his",
    "hopefully",
    "how",
    "however",
    "hundred",
    "hundreds",
    "i",
    "if",
    "importantly",
    "in",
    "including",
    "indeed",
    "initially",
    "inside",
    "instead",
    "interestingly",
    "into",
    "is",
    "it",
    "its",
    "just",
    "last",
    "lastly",
    "later",
    "like",
    "likewise",
    "many",
    "maybe",
    "meanwhile",
    "million",
    "millions",
    "moreover",
    "most",
    "my",
    "near",
    "nearby",
    "neither",
    "nevertheless",
    "next",
    "nine",
    "no",
    "nonetheless",
    "nor",
    "notably",
    "now",
    "of",
    "off",
    "oh",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "otherwise",
    "our",
    "outside",
    "over",
    "overall",
    "per",
    "perhaps",
    "please",
    "plus",
    "previously",
    "recently",
    "regardless",
    "sadly",
    "secondly",
    "seven",
    "several",
    "should",
    "similarly",
    "since",
    "six",
    "so",
    "some",
    "sorry",
    "specifically",
    "still",
    "such",
    "surprisingly",
    "ten",
    "thank",
    "thanks",
    "that",
    "their",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "thirdly",
    "thirty",
    "this",
    "those",
    "though",
    "thousand",
    "thousands",
    "three",
    "through",
    "throughout",
    "thus",
    "to",
    "today",
    "together",
    "tomorrow",
    "tonight",
    "toward",
    "towards",
    "twelve",
    "twenty",
    "two",
    "ultimately",
    "under",
    "unfortunately",
    "unlike",
    "until",
    "upon",
    "via",
    "was",
    "we",
    "welcome",
    "well",
    "what",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "with",
    "within",
    "without",
    "wow",
    "yes",
    "yesterday",
    "yet",
    "you",
    "your",
]);

const PARTICLES: &[&str] = &[
    "a", "abu", "al", "ap", "ben", "bin", "bint", "d'", "da", "das", "de", "del", "della", "der", "des", "di", "do",
    "dos", "du", "e", "el", "ibn", "la", "le", "los", "mac", "san", "st", "ter", "van", "von", "y", "zu",
];

const CONNECTORS: &[&str] = &["&", "and", "de", "del", "for", "of", "the", "upon"];

const CALENDAR: Words = Words::new(&[
    "apr",
    "april",
    "aug",
    "august",
    "dec",
    "december",
    "feb",
    "february",
    "fri",
    "friday",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "mar",
    "march",
    "may",
    "mon",
    "monday",
    "nov",
    "november",
    "oct",
    "october",
    "sat",
    "saturday",
    "sep",
    "sept",
    "september",
    "sun",
    "sunday",
    "thu",
    "thursday",
    "tue",
    "tuesday",
    "wed",
    "wednesday",
]);

const MONTHS: Words = Words::new(&[
    "april",
    "august",
    "december",
    "february",
    "january",
    "july",
    "june",
    "march",
    "may",
    "november",
    "october",
    "september",
]);

const ORGANISATION_HEADS: Words = Words::new(&[
    "academy",
    "agency",
    "airline",
    "airlines",
    "airways",
    "alliance",
    "assembly",
    "association",
    "authority",
    "board",
    "broadcasting",
    "bureau",
    "cabinet",
    "caucus",
    "club",
    "coalition",
    "college",
    "commission",
    "committee",
    "company",
    "confederation",
    "congress",
    "corp",
    "corporation",
    "council",
    "court",
    "department",
    "foundation",
    "fund",
    "government",
    "group",
    "guard",
    "herald",
    "inc",
    "institute",
    "institution",
    "journal",
    "league",
    "ltd",
    "media",
    "ministry",
    "network",
    "news",
    "office",
    "organisation",
    "organization",
    "parliament",
    "party",
    "police",
    "post",
    "press",
    "radio",
    "railway",
    "railways",
    "school",
    "senate",
    "service",
    "society",
    "studios",
    "telegraph",
    "television",
    "times",
    "tribunal",
    "tribune",
    "trust",
    "tv",
    "university",
]);

const PLACE_HEADS: Words = Words::new(&[
    "airport",
    "archipelago",
    "avenue",
    "basin",
    "bay",
    "beach",
    "boulevard",
    "bridge",
    "building",
    "canal",
    "canyon",
    "cape",
    "castle",
    "cathedral",
    "cemetery",
    "coast",
    "county",
    "creek",
    "desert",
    "district",
    "falls",
    "forest",
    "glacier",
    "gulf",
    "harbour",
    "highway",
    "hill",
    "hills",
    "hospital",
    "hotel",
    "island",
    "islands",
    "lake",
    "mall",
    "mosque",
    "mountain",
    "mountains",
    "oblast",
    "ocean",
    "parish",
    "peninsula",
    "plaza",
    "prefecture",
    "prison",
    "province",
    "region",
    "river",
    "road",
    "sea",
    "square",
    "stadium",
    "strait",
    "street",
    "temple",
    "territory",
    "tower",
    "township",
    "valley",
    "volcano",
]);

const SURNAME_LIKE_PLACE_HEADS: Words = Words::new(&[
    "bay", "beach", "bridge", "canal", "cape", "castle", "coast", "creek", "falls", "forest", "harbour", "hill",
    "hills", "lake", "mountain", "road", "temple", "valley",
]);

const OTHER_HEADS: Words = Words::new(&[
    "accord",
    "act",
    "amendment",
    "award",
    "awards",
    "bill",
    "championship",
    "championships",
    "constitution",
    "convention",
    "cup",
    "day",
    "directive",
    "election",
    "elections",
    "festival",
    "games",
    "law",
    "marathon",
    "medal",
    "olympics",
    "prize",
    "protocol",
    "regulation",
    "treaty",
    "trophy",
    "virus",
    "war",
    "week",
]);

const OTHER_OPENINGS: Words = Words::new(&[
    "cyclone",
    "flight",
    "hmas",
    "hms",
    "hurricane",
    "ms",
    "mv",
    "operation",
    "rms",
    "ss",
    "storm",
    "typhoon",
    "uss",
]);

const GENERIC_WORDS: Words = Words::new(&[
    "administration",
    "affairs",
    "air",
    "appeal",
    "appeals",
    "armed",
    "army",
    "border",
    "brigade",
    "center",
    "central",
    "centre",
    "chamber",
    "circuit",
    "city",
    "civil",
    "coast",
    "constitutional",
    "crown",
    "customs",
    "development",
    "electoral",
    "emergencies",
    "emergency",
    "fire",
    "force",
    "forces",
    "hall",
    "high",
    "hospital",
    "house",
    "human",
    "immigration",
    "intelligence",
    "judicial",
    "judiciary",
    "kingdom",
    "legislative",
    "library",
    "local",
    "marine",
    "marines",
    "military",
    "municipal",
    "museum",
    "naval",
    "navy",
    "provincial",
    "public",
    "republic",
    "rescue",
    "revenue",
    "rights",
    "royal",
    "secret",
    "security",
    "services",
    "situations",
    "social",
    "staff",
    "station",
    "town",
    "tribal",
    "welfare",
]);

const GROUP_NOUNS: Words = Words::new(&[
    "americans",
    "authorities",
    "christians",
    "citizens",
    "conservatives",
    "democrats",
    "europeans",
    "jews",
    "justices",
    "lawmakers",
    "liberals",
    "muslims",
    "officials",
    "republicans",
    "researchers",
    "residents",
    "scientists",
    "senators",
    "socialists",
    "students",
    "tories",
    "voters",
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_sorted_and_lowercase_for_binary_search() {
        for words in [
            ROLES,
            ROLE_MODIFIERS,
            HONORIFICS,
            FUNCTION_WORDS,
            CALENDAR,
            MONTHS,
            ORGANISATION_HEADS,
            PLACE_HEADS,
            SURNAME_LIKE_PLACE_HEADS,
            OTHER_HEADS,
            OTHER_OPENINGS,
            GROUP_NOUNS,
            GENERIC_WORDS,
        ] {
            let list = words.list;
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.windows(2).find(|w| w[0] >= w[1]));
            assert!(list.iter().all(|w| *w == w.to_lowercase() && !w.ends_with('.')), "{list:?}");
        }
    }

    #[test]
    fn lookups_ignore_case_and_a_final_period() {
        assert!(is_role("Senator") && is_role("Sen.") && is_role("PRESIDENT"));
        assert!(!is_role("Zelensky"));
        assert!(is_function_word("Thank") && is_function_word("Firstly") && !is_function_word("The"));
        assert!(is_calendar_word("Monday") && is_calendar_word("Jan.") && is_month("May"));
        assert!(is_post_nominal("QC") && is_post_nominal("Jr.") && !is_post_nominal("Smith"));
        assert!(is_particle("al") && !is_particle("Al"));
        assert!(is_other_head("Act") && is_place_head("County") && is_organisation_head("University"));
        for generic in
            ["Interior Ministry", "Air Force", "National Police", "Center", "Ministry of Defence", "Supreme Court"]
        {
            assert!(is_generic_name(generic), "{generic}");
        }
        for specific in
            ["Indonesian National Police", "Ministry of Defence of Ukraine", "Kyiv", "BBC", "Amnesty International"]
        {
            assert!(!is_generic_name(specific), "{specific}");
        }
    }
}
