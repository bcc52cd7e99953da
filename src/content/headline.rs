//! A short, readable headline derived from an article's first sentence, for
//! formats that carry no title.
//!
//! The first clause is kept; time phrases that headlines leave out ("early
//! Monday morning") are dropped; a clause that is still long is cut before a
//! preposition or conjunction, and only as a last resort at a word, with "…".

use super::sentences::first_sentence;

/// Headlines longer than this many words are shortened.
const MAX_WORDS: usize = 12;
/// A cut never leaves fewer words than this.
const MIN_WORDS: usize = 5;

/// Words before which a long clause may be cut.
const CUT_BEFORE: &[&str] = &[
    "on",
    "in",
    "at",
    "as",
    "after",
    "while",
    "with",
    "for",
    "to",
    "from",
    "amid",
    "despite",
    "during",
    "since",
    "because",
    "when",
    "where",
    "which",
    "who",
    "that",
    "following",
    "according",
    "near",
    "over",
    "under",
    "by",
    "and",
    "but",
];

/// Words that make up time phrases headlines leave out.
const TIME_WORDS: &[&str] = &[
    "early",
    "late",
    "this",
    "last",
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "morning",
    "afternoon",
    "evening",
    "night",
    "yesterday",
    "today",
    "tonight",
];

/// Derives a headline from body text.
pub fn derive_headline(text: &str) -> String {
    let sentence = first_sentence(text);
    let sentence = sentence.trim_end_matches(['.', '!', ' ']);
    let sentence = strip_leading_adverbials(sentence);
    let clause = first_clause(sentence);
    let words: Vec<&str> = drop_time_phrases(clause.split_whitespace().collect());
    let words = shorten(&words);
    let mut headline = words.join(" ");
    headline = headline.trim_end_matches([',', ';', ':', '—', '–', '-', ' ']).to_string();
    capitalize_first(&cap_length(headline))
}

/// A headline of more than this many characters (a first sentence with few
/// spaces: unspaced scripts, URLs, run-together text) is cut.
const MAX_HEADLINE_CHARS: usize = 120;

/// `headline`, cut to [`MAX_HEADLINE_CHARS`] with an ellipsis: at the last
/// space in the second half of the limit, else at a character.
fn cap_length(headline: String) -> String {
    let Some((limit, _)) = headline.char_indices().nth(MAX_HEADLINE_CHARS) else { return headline };
    let half = headline.char_indices().nth(MAX_HEADLINE_CHARS / 2).map_or(0, |(i, _)| i);
    let cut = headline[..limit].rfind(' ').filter(|&i| i >= half).unwrap_or(limit);
    format!("{}…", headline[..cut].trim_end())
}

/// Words that open an adverbial phrase ("On Sunday, ...", "In findings
/// published in Science, ...") which a headline leaves out.
const ADVERBIAL_OPENERS: &[&str] = &[
    "in",
    "on",
    "at",
    "after",
    "as",
    "according",
    "following",
    "during",
    "while",
    "with",
    "despite",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "last",
    "late",
    "early",
    "this",
    "very",
    "speaking",
    "since",
    "before",
    "when",
];

/// Drops leading adverbial phrases that end in a comma, as long as enough of
/// the sentence is left.
fn strip_leading_adverbials(mut sentence: &str) -> &str {
    for _ in 0..2 {
        let first = sentence.split_whitespace().next().unwrap_or("").trim_end_matches(',').to_lowercase();
        if !ADVERBIAL_OPENERS.contains(&first.as_str()) {
            break;
        }
        let Some(comma) = sentence.find(", ") else { break };
        let before = sentence[..comma].split_whitespace().count();
        let after = &sentence[comma + 2..];
        if before > 12 || after.split_whitespace().count() < MIN_WORDS {
            break;
        }
        sentence = after;
    }
    sentence
}

fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

/// Cuts a sentence at the first dash, semicolon or colon if what is before
/// it is long enough to stand alone.
fn first_clause(sentence: &str) -> &str {
    for sep in [" — ", " – ", " - ", "; ", ": "] {
        if let Some(i) = sentence.find(sep)
            && sentence[..i].split_whitespace().count() >= MIN_WORDS
        {
            return &sentence[..i];
        }
    }
    sentence
}

fn drop_time_phrases(words: Vec<&str>) -> Vec<&str> {
    if words.len() <= MAX_WORDS {
        return words;
    }
    let is_time = |w: &str| TIME_WORDS.contains(&w.trim_matches(',').to_ascii_lowercase().as_str());
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        // A run of time words that contains a day or part of day is dropped.
        let mut j = i;
        while j < words.len() && is_time(words[j]) {
            j += 1;
        }
        let filler =
            |w: &str| matches!(w.to_ascii_lowercase().as_str(), "early" | "late" | "this" | "last" | "on" | "very");
        // "morning on the border": the run ends at its last real time word.
        while j > i && filler(words[j - 1]) {
            j -= 1;
        }
        let meaningful = j > i;
        if meaningful && i > 0 {
            i = j;
            continue;
        }
        out.push(words[i]);
        i += 1;
    }
    out
}

fn shorten<'a>(words: &[&'a str]) -> Vec<&'a str> {
    if words.len() <= MAX_WORDS {
        return words.to_vec();
    }
    // A comma within the limit ends a readable clause.
    if let Some(i) = (MIN_WORDS..=MAX_WORDS).rev().find(|&i| words[i - 1].ends_with(',')) {
        return words[..i].to_vec();
    }
    // Otherwise the last preposition or conjunction within the limit.
    if let Some(i) =
        (MIN_WORDS..=MAX_WORDS).rev().find(|&i| CUT_BEFORE.contains(&words[i].to_ascii_lowercase().as_str()))
    {
        return words[..i].to_vec();
    }
    let mut cut = words[..MAX_WORDS].to_vec();
    cut.push("…");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_sentence_without_spaces_gives_a_headline_of_bounded_length() {
        let unspaced = "東京都は新しい計画を発表した".repeat(20) + "。";
        let headline = derive_headline(&unspaced);
        assert_eq!(headline.chars().count(), MAX_HEADLINE_CHARS + 1, "{headline}");
        assert!(headline.ends_with('…'));
        let run_together = "Volodymyr ZelenskyTitle:<b>".repeat(12) + " met officials.";
        let headline = derive_headline(&run_together);
        assert!(headline.chars().count() <= MAX_HEADLINE_CHARS + 1 && headline.ends_with('…'), "{headline}");
        assert_eq!(
            derive_headline("Officials met in Kyiv on Monday."),
            "Officials met in Kyiv on Monday",
            "short ones stay whole"
        );
    }

    #[test]
    fn seed_article_headline_is_short_and_readable() {
        let text = "Peace negotiations between Russian and Ukrainian officials commenced early Monday morning on the Ukraine-Belarus border as the Russian military continues its offensive.\n\nMore.";
        let h = derive_headline(text);
        assert_eq!(
            h,
            "Peace negotiations between Russian and Ukrainian officials commenced on the Ukraine-Belarus border"
        );
    }

    #[test]
    fn short_sentences_stay_whole() {
        assert_eq!(derive_headline("Markets fell sharply in Tokyo. Then more."), "Markets fell sharply in Tokyo");
    }

    #[test]
    fn long_sentences_are_cut_at_a_clause() {
        let h = derive_headline(
            "The city council, meeting for the first time since the floods destroyed the old bridge, voted to rebuild it in stone and steel.",
        );
        assert!(h.split_whitespace().count() <= MAX_WORDS + 1, "{h}");
        assert!(!h.ends_with(','), "{h}");
    }

    #[test]
    fn leading_time_and_setting_phrases_are_dropped() {
        assert_eq!(
            derive_headline("On Sunday, the SpaceX Crew Dragon capsule successfully docked with the station."),
            "The SpaceX Crew Dragon capsule successfully docked with the station"
        );
        assert_eq!(
            derive_headline("Yesterday, Eliud Kipchoge from Kenya ran a marathon in under two hours."),
            "Eliud Kipchoge from Kenya ran a marathon in under two hours"
        );
        assert_eq!(
            derive_headline(
                "In findings published in Science Advances, researchers said damaged corals recover quickly."
            ),
            "Researchers said damaged corals recover quickly"
        );
    }

    #[test]
    fn unbroken_text_gets_an_ellipsis() {
        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi";
        assert!(derive_headline(text).ends_with('…'));
    }
}
