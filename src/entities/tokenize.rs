//! Splitting news text into word tokens with byte offsets and sentence starts.
//!
//! A word is a run of letters and digits, with inner hyphens and apostrophes
//! (`Ukraine-Belarus`, `O'Brien`) and inner periods of abbreviations (`U.S.`).
//! A possessive `'s` is split off. Punctuation is not returned as tokens, but
//! it sets [`Token::after_punct`] and sentence starts.

/// A word of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset past the last character.
    pub end: usize,
    /// First word of a sentence (or of a quotation or paragraph).
    pub sentence_start: bool,
    /// Punctuation (comma, bracket, dash, quote) separates it from the previous word.
    pub after_punct: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Splits `text` into word tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut chars = text.char_indices().peekable();
    let mut sentence_start = true;
    let mut after_punct = false;
    let mut newline_run = 0;
    while let Some(&(i, c)) = chars.peek() {
        if c.is_alphanumeric() {
            let start = i;
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    chars.next();
                } else if matches!(d, '-' | '\'' | '’' | '.' | '&') && next_is_alnum(text, j + d.len_utf8()) {
                    // Inner joiner: keep going unless it starts a possessive 's.
                    if matches!(d, '\'' | '’') && is_possessive(text, j + d.len_utf8()) {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                } else if d == '.' && is_abbreviation_dot(&text[start..end]) {
                    end = j + 1;
                    chars.next();
                    break;
                } else {
                    break;
                }
            }
            tokens.push(Token { start, end, sentence_start, after_punct });
            sentence_start = false;
            after_punct = false;
            newline_run = 0;
            continue;
        }
        match c {
            '.' | '!' | '?' => sentence_start = true,
            '\n' => {
                newline_run += 1;
                if newline_run >= 2 {
                    sentence_start = true;
                }
            }
            '"' | '“' | '«' | ':' => {
                sentence_start = true;
                after_punct = true;
            }
            c if c.is_whitespace() => {}
            _ => after_punct = true,
        }
        if c != '\n' && !c.is_whitespace() {
            newline_run = 0;
        }
        chars.next();
    }
    tokens
}

fn next_is_alnum(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(char::is_alphanumeric)
}

fn is_possessive(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    let mut it = rest.chars();
    matches!(it.next(), Some('s' | 'S')) && !it.next().is_some_and(char::is_alphanumeric)
}

/// `U.S` or `Jr` before a period: the period belongs to the word.
fn is_abbreviation_dot(word: &str) -> bool {
    word.contains('.')
        || matches!(
            word,
            "Mr" | "Mrs"
                | "Ms"
                | "Dr"
                | "Jr"
                | "Sr"
                | "St"
                | "Gen"
                | "Gov"
                | "Sen"
                | "Rep"
                | "Prof"
                | "Lt"
                | "Col"
                | "Capt"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn hyphens_abbreviations_possessives() {
        assert_eq!(words("the Ukraine-Belarus border"), vec!["the", "Ukraine-Belarus", "border"]);
        assert_eq!(words("U.S. intelligence"), vec!["U.S.", "intelligence"]);
        assert_eq!(words("Russia’s advance"), vec!["Russia", "s", "advance"]);
        assert_eq!(words("O'Brien said"), vec!["O'Brien", "said"]);
        assert_eq!(words("Dr. Who"), vec!["Dr.", "Who"]);
    }

    #[test]
    fn sentence_starts() {
        let text = "Talks began. “Warsaw, Baku” he said.\n\nNew para";
        let starts: Vec<&str> = tokenize(text).iter().filter(|t| t.sentence_start).map(|t| t.text(text)).collect();
        assert_eq!(starts, vec!["Talks", "Warsaw", "New"]);
    }
}
