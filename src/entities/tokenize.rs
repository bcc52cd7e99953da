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
    /// Whether it has a letter that is not lowercase ([`has_name_letter`]):
    /// whether it could be part of a name.
    pub may_be_name: bool,
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
        let (end, may_be_name) = if c.is_alphanumeric() {
            scan_word(text, i)
        } else {
            let end = scan_punct(text, i);
            (end, has_name_letter(&text[start..end]))
        };
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
        tokens.push(Token { start: start as u32, end: end as u32, may_be_name });
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

/// Whether a word has a letter that is not lowercase: a capital (`Kyiv`,
/// `al-Assad`, `eBay`) or a letter of a script without case.
pub fn has_name_letter(word: &str) -> bool {
    // One pass over the bytes: a capital decides; only a word with other
    // characters than ASCII needs them decoded.
    let mut ascii = true;
    for b in word.bytes() {
        if b.is_ascii_uppercase() {
            return true;
        }
        ascii &= b.is_ascii();
    }
    !ascii && word.chars().any(is_name_letter)
}

fn is_name_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_lowercase()
}

/// The end of the word at `start`, and whether it has a name letter
/// ([`has_name_letter`], found while scanning).
fn scan_word(text: &str, start: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut end = start;
    let mut has_inner_period = false;
    let mut name = false;
    loop {
        // ASCII letters and digits without decoding characters.
        while let Some(&b) = bytes.get(end)
            && b.is_ascii_alphanumeric()
        {
            name |= b.is_ascii_uppercase();
            end += 1;
        }
        let Some(c) = text[end..].chars().next() else { break };
        if c.is_alphanumeric() {
            name |= is_name_letter(c);
            end += c.len_utf8();
            continue;
        }
        let next = text[end + c.len_utf8()..].chars().next();
        let next_alnum = next.is_some_and(char::is_alphanumeric);
        match c {
            '-' | '&' if next_alnum => end += 1,
            // Hyphens other than the ASCII one, and invisible characters
            // that scraped text leaves inside words (a soft hyphen, zero-width
            // spaces and joiners): "Chad\u{ad}wick" is one word.
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{2010}' | '\u{2011}' if next_alnum => {
                end += c.len_utf8()
            }
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
    (end, name)
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
    fn tokens_know_whether_they_have_a_name_letter() {
        let text = "Kyiv's al-Assad met eBay and \u{4e60}\u{8fd1}\u{5e73} in \u{c9}vora; \u{e9}t\u{e9} 3.5 O'BRIEN'S U.S. -- \u{2019}S x\u{301}";
        let (mut tokens, mut sentences) = (Vec::new(), Vec::new());
        tokenize(text, &mut tokens, &mut sentences);
        assert!(tokens.len() > 15);
        for t in &tokens {
            assert_eq!(t.may_be_name, has_name_letter(t.text(text)), "{:?}", t.text(text));
        }
        let names: Vec<&str> = tokens.iter().filter(|t| t.may_be_name).map(|t| t.text(text)).collect();
        assert_eq!(
            names,
            [
                "Kyiv",
                "al-Assad",
                "eBay",
                "\u{4e60}\u{8fd1}\u{5e73}",
                "\u{c9}vora",
                "O'BRIEN",
                "'S",
                "U.S.",
                "\u{2019}S"
            ]
        );
    }

    #[test]
    fn invisible_characters_and_other_hyphens_stay_inside_words() {
        assert_eq!(
            split("Chad\u{ad}wick Boseman, COVID\u{2011}19 and Zapo\u{200b}rizhzhia."),
            vec![vec!["Chad\u{ad}wick", "Boseman", ",", "COVID\u{2011}19", "and", "Zapo\u{200b}rizhzhia", "."]]
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
