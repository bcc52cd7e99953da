//! Sentence boundaries in news text, aware of common abbreviations
//! (`U.S.`, `Dr.`, `Jan.`) so that they do not end a sentence.

/// Abbreviations (without the final period) after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
    "gov", "sen", "rep", "rev", "hon", "pres", "supt", "det", "insp", "vs", "etc", "inc", "ltd", "co", "corp", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig", "al",
    "e.g", "i.e", "u.s", "u.k", "u.n", "u.s.a", "a.m", "p.m",
];

/// Byte ranges of the sentences in `text`, trimmed of surrounding spaces.
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    each_sentence(text, |s, e| {
        spans.push((s, e));
        true
    });
    spans
}

/// Calls `f` with the trimmed byte range of each sentence, in order, until it returns `false`.
fn each_sentence(text: &str, mut f: impl FnMut(usize, usize) -> bool) {
    let mut start = 0;
    let bytes = text.as_bytes();
    // Only `.`, `!`, `?` and blank lines can end a sentence: jump from one to the next.
    let mut marks = Next::default();
    let mut blank_lines = Next::default();
    let mut i = 0;
    loop {
        let mark = marks.at_or_after(i, |from| memchr::memchr3(b'.', b'!', b'?', &bytes[from..]));
        let blank = blank_lines.at_or_after(i, |from| memchr::memmem::find(&bytes[from..], b"\n\n"));
        let Some(at) = mark.into_iter().chain(blank).min() else { break };
        i = at;
        let c = bytes[i];
        let boundary = match c {
            b'\n' => Some(i),
            _ => {
                // Include closing quotes and brackets in the sentence.
                let mut end = i + 1;
                while end < bytes.len() && is_closer(&text[end..]) {
                    end += text[end..].chars().next().map_or(1, char::len_utf8);
                }
                let followed_by_space = end >= bytes.len() || bytes[end].is_ascii_whitespace();
                if followed_by_space && !(c == b'.' && ends_with_abbreviation(&text[start..i])) {
                    Some(end)
                } else {
                    None
                }
            }
        };
        if let Some(end) = boundary {
            if let Some((s, e)) = trimmed(text, start, end)
                && !f(s, e)
            {
                return;
            }
            start = end;
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    if let Some((s, e)) = trimmed(text, start, text.len()) {
        f(s, e);
    }
}

/// The next position of something searched for, kept until the scan passes it.
#[derive(Default)]
struct Next {
    found: Option<usize>,
    searched_from: Option<usize>,
}

impl Next {
    /// The first position at or after `from`, searching (with `search`, which
    /// returns an offset from `from`) only when the kept one is behind.
    fn at_or_after(&mut self, from: usize, search: impl FnOnce(usize) -> Option<usize>) -> Option<usize> {
        let stale = match (self.searched_from, self.found) {
            (None, _) => true,
            (Some(_), Some(found)) => found < from,
            (Some(searched), None) => searched > from,
        };
        if stale {
            self.found = search(from).map(|d| from + d);
            self.searched_from = Some(from);
        }
        self.found
    }
}

/// The sentences of one text, found once, to look up the sentence around
/// any position (the snippets of entity pages).
#[derive(Debug, Clone, Default)]
pub struct SentenceIndex(Vec<(u32, u32)>);

impl SentenceIndex {
    /// Splits `text` into sentences.
    pub fn new(text: &str) -> Self {
        let mut spans = Vec::new();
        each_sentence(text, |s, e| {
            spans.push((s as u32, e as u32));
            true
        });
        SentenceIndex(spans)
    }

    /// The sentence of `text` (the text the index was made from) that
    /// contains byte `at`.
    pub fn at<'t>(&self, text: &'t str, at: usize) -> Option<&'t str> {
        self.span_at(at).map(|(s, e)| &text[s as usize..e as usize])
    }

    /// The byte range of the sentence that contains byte `at`.
    pub fn span_at(&self, at: usize) -> Option<(u32, u32)> {
        let i = self.0.partition_point(|&(_, end)| end as usize <= at);
        let &(s, e) = self.0.get(i)?;
        (s as usize <= at).then_some((s, e))
    }

    /// The sentence around byte `at`, cut at spaces to at most about
    /// [`MAX_SNIPPET_BYTES`] around it: text without full stops is one
    /// "sentence" of any length, and a snippet of each name in it would
    /// copy it whole onto every page.
    pub fn snippet_at(&self, text: &str, at: usize) -> Option<(u32, u32)> {
        let (s, e) = self.span_at(at)?;
        let (s, e) = (s as usize, e as usize);
        if e - s <= MAX_SNIPPET_BYTES {
            return Some((s as u32, e as u32));
        }
        let half = MAX_SNIPPET_BYTES / 2;
        let mut from = at.saturating_sub(half).max(s);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = (at + half).min(e).max(from);
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        // Whole words: from after a space, to before one (when there is one).
        if from > s
            && let Some(space) = text[from..at.max(from)].find(' ')
        {
            from += space + 1;
        }
        if to < e
            && let Some(space) = text[at.min(to)..to].rfind(' ')
        {
            to = at.min(to) + space;
        }
        Some((from as u32, to.max(from) as u32))
    }
}

/// The longest snippet [`SentenceIndex::snippet_at`] gives, in bytes.
pub const MAX_SNIPPET_BYTES: usize = 600;

/// The first sentence of `text`, trimmed.
pub fn first_sentence(text: &str) -> &str {
    sentence_spans(text).first().map_or("", |&(s, e)| &text[s..e])
}

fn is_closer(rest: &str) -> bool {
    matches!(rest.chars().next(), Some('"' | '\'' | ')' | ']' | '”' | '’' | '»'))
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“').next().unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // Single capital initials ("J. R. R. Tolkien") are not sentence ends.
    if word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
        return true;
    }
    word.len() <= 6 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

fn trimmed(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    (lead + trail < slice.len()).then_some((start + lead, end - trail))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        sentence_spans(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn splits_on_terminal_punctuation() {
        assert_eq!(sentences("One two. Three four! Five?"), vec!["One two.", "Three four!", "Five?"]);
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            sentences("U.S. intelligence said so. Dr. Smith met Jan. 5 officials."),
            vec!["U.S. intelligence said so.", "Dr. Smith met Jan. 5 officials."]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(sentences("He said “no.” Then left."), vec!["He said “no.”", "Then left."]);
    }

    #[test]
    fn sentence_around_a_position() {
        let text = "First one. Second one here.\n\nOther paragraph. Last.";
        let index = SentenceIndex::new(text);
        assert_eq!(index.at(text, text.find("Second").unwrap()), Some("Second one here."));
        assert_eq!(index.at(text, text.find("one here").unwrap()), Some("Second one here."));
        assert_eq!(index.at(text, text.find("Last").unwrap()), Some("Last."));
        assert_eq!(index.at(text, text.find(" Second").unwrap()), None, "between sentences");
        assert_eq!(index.at(text, text.len()), None);
    }

    #[test]
    fn snippets_of_endless_sentences_are_bounded_and_whole_words() {
        let text = format!("{} Volodymyr Zelensky {}", "wordy ".repeat(400), "ёлка ".repeat(400));
        let index = SentenceIndex::new(&text);
        let at = text.find("Volodymyr").unwrap();
        let (s, e) = index.snippet_at(&text, at).unwrap();
        let snippet = &text[s as usize..e as usize];
        assert!(snippet.len() <= MAX_SNIPPET_BYTES, "{}", snippet.len());
        assert!(snippet.contains("Volodymyr Zelensky"));
        assert!(snippet.starts_with("wordy") && snippet.ends_with("ёлка"), "{snippet:?}");
        let short = "Short one. Volodymyr Zelensky spoke.";
        let index = SentenceIndex::new(short);
        let (s, e) = index.snippet_at(short, short.find("Volodymyr").unwrap()).unwrap();
        assert_eq!(&short[s as usize..e as usize], "Volodymyr Zelensky spoke.");
    }

    #[test]
    fn paragraphs_end_sentences() {
        assert_eq!(sentences("A headline\n\nBody text."), vec!["A headline", "Body text."]);
    }
}
