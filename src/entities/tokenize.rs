//! Tokens and sentences of news text, with byte offsets.
//!
//! Words keep inner hyphens (`Ukraine-Belarus`), apostrophes (`O'Brien`),
//! periods of abbreviations (`U.S.`, `Dr.`, `Jan.`) and number punctuation
//! (`1,000`, `3.5`); a possessive `'s` is a token of its own, as is every
//! other punctuation mark. Sentences end at `.`, `!` or `?` (with any closing
//! quotes and brackets) before a capitalised word, and at blank lines.

/// A token: byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first character.
    pub start: u32,
    /// Byte offset past the last character.
    pub end: u32,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start as usize..self.end as usize]
    }
}

/// Abbreviations whose final period belongs to the word.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft", "Gen", "Col", "Lt", "Sgt", "Capt", "Cmdr", "Adm",
    "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Supt", "Det", "Insp", "No", "vs", "etc", "Inc", "Ltd", "Co", "Corp",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "approx", "Dept", "Bros",
    "Ave", "Blvd", "Rd", "Univ", "Assn", "Mass", "Calif", "Fla", "Ill", "Wash", "Penn", "Conn",
];

/// Splits `text` into tokens and sentences, reusing the given buffers.
/// `sentences` receives index ranges into `tokens`.
pub fn tokenize(text: &str, tokens: &mut Vec<Token>, sentences: &mut Vec<std::ops::Range<usize>>) {
    tokens.clear();
    sentences.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut sentence_start = 0;
    let mut pending_end = false;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let c = char_at(text, i);
        if c.is_whitespace() {
            if c == '\n' && text[i + 1..].starts_with('\n') {
                pending_end = true;
            }
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let end = if c.is_alphanumeric() { scan_word(text, i) } else { scan_punct(text, i) };
        let word = &text[start..end];
        if pending_end && tokens.len() > sentence_start && !is_closer(word) {
            let first = word.chars().next().unwrap_or(' ');
            if first.is_uppercase()
                || first.is_ascii_digit()
                || is_opener(word)
                || text[..start].ends_with("\n\n")
                || ends_paragraph(text, start)
            {
                sentences.push(sentence_start..tokens.len());
                sentence_start = tokens.len();
            }
            pending_end = false;
        }
        tokens.push(Token { start: start as u32, end: end as u32 });
        if matches!(word, "." | "!" | "?" | "..." | "…") {
            pending_end = true;
        } else if !is_closer(word) {
            pending_end = false;
        }
        i = end;
    }
    if tokens.len() > sentence_start {
        sentences.push(sentence_start..tokens.len());
    }
}

fn ends_paragraph(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t']);
    before.ends_with("\n\n")
}

fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

fn scan_word(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = start;
    let mut has_inner_period = false;
    loop {
        // ASCII letters and digits without decoding characters.
        while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
            end += 1;
        }
        let Some(c) = text[end..].chars().next() else { break };
        if c.is_alphanumeric() {
            end += c.len_utf8();
            continue;
        }
        let next = text[end + c.len_utf8()..].chars().next();
        let next_alnum = next.is_some_and(char::is_alphanumeric);
        match c {
            '-' | '&' if next_alnum => end += 1,
            '.' if next_alnum => {
                has_inner_period = true;
                end += 1;
            }
            ',' if next.is_some_and(|n| n.is_ascii_digit())
                && bytes[end - 1].is_ascii_digit()
                && text[end + 1..].chars().take(3).all(|d| d.is_ascii_digit()) =>
            {
                end += 1
            }
            '\'' | '’' if next_alnum => {
                // A possessive 's (or plural s') is a token of its own.
                let after = &text[end + c.len_utf8()..];
                let possessive =
                    after.starts_with(['s', 'S']) && !after[1..].chars().next().is_some_and(char::is_alphanumeric);
                if possessive {
                    break;
                }
                end += c.len_utf8();
            }
            _ => break,
        }
    }
    // A final period that belongs to an abbreviation or an initial.
    if text[end..].starts_with('.') {
        let word = &text[start..end];
        let single_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        if has_inner_period || single_initial || ABBREVIATIONS.contains(&word) {
            end += 1;
        }
    }
    end
}

fn scan_punct(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    for multi in ["...", "--", "'s", "’s", "'S", "’S"] {
        if rest.starts_with(multi) {
            let end = start + multi.len();
            if multi.ends_with(['s', 'S']) && text[end..].chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            return end;
        }
    }
    start + rest.chars().next().map_or(1, char::len_utf8)
}

fn is_closer(word: &str) -> bool {
    matches!(word, "\"" | "'" | "”" | "’" | ")" | "]" | "»")
}

fn is_opener(word: &str) -> bool {
    matches!(word, "\"" | "“" | "‘" | "(" | "[" | "«" | "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Vec<&str>> {
        let (mut tokens, mut sentences) = (Vec::new(), Vec::new());
        tokenize(text, &mut tokens, &mut sentences);
        sentences.into_iter().map(|r| tokens[r].iter().map(|t| t.text(text)).collect()).collect()
    }

    #[test]
    fn words_punctuation_and_possessives() {
        assert_eq!(
            split("Ukraine’s talks on the Ukraine-Belarus border, U.S. officials said."),
            vec![vec![
                "Ukraine",
                "’s",
                "talks",
                "on",
                "the",
                "Ukraine-Belarus",
                "border",
                ",",
                "U.S.",
                "officials",
                "said",
                "."
            ]]
        );
        assert_eq!(
            split("O'Brien paid $1,000.50 (3.5%)."),
            vec![vec!["O'Brien", "paid", "$", "1,000.50", "(", "3.5", "%", ")", "."]]
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            split("Dr. Smith met Gov. Jones on Jan. 5. Then they left."),
            vec![
                vec!["Dr.", "Smith", "met", "Gov.", "Jones", "on", "Jan.", "5", "."],
                vec!["Then", "they", "left", "."]
            ]
        );
    }

    #[test]
    fn quotes_and_paragraphs() {
        let s = split("He said “no.” Then left\n\nNew paragraph here");
        assert_eq!(
            s,
            vec![vec!["He", "said", "“", "no", ".", "”"], vec!["Then", "left"], vec!["New", "paragraph", "here"]]
        );
    }
}
