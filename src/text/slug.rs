//! URL slugs: ASCII, lowercase, hyphen-separated, never empty, never a path.

use deunicode::deunicode;

/// Longest slug we produce, in bytes; longer ones are cut at a hyphen.
pub const MAX_SLUG_LEN: usize = 80;

/// Turns any text into a slug made only of `a-z`, `0-9` and single hyphens.
///
/// Non-Latin scripts are transliterated (`Зеленський` → `zelenskii`). The
/// result may be empty when the text has no letters or digits at all; see
/// [`slugify_or`].
pub fn slugify(text: &str) -> String {
    let ascii = deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' {
            // "Russia's" → "russias", not "russia-s".
        } else {
            pending_hyphen = true;
        }
    }
    truncate_at_hyphen(slug, MAX_SLUG_LEN)
}

/// Like [`slugify`], but falls back to `fallback` (itself slugified, then
/// `"item"`) when the text gives an empty slug.
pub fn slugify_or(text: &str, fallback: &str) -> String {
    let slug = slugify(text);
    if !slug.is_empty() {
        return slug;
    }
    let slug = slugify(fallback);
    if slug.is_empty() { "item".to_string() } else { slug }
}

fn truncate_at_hyphen(mut slug: String, max: usize) -> String {
    if slug.len() <= max {
        return slug;
    }
    let cut = slug[..=max].rfind('-').unwrap_or(max);
    slug.truncate(cut);
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_lowercase_hyphenated() {
        assert_eq!(slugify("Peace talks begin on Belarus border"), "peace-talks-begin-on-belarus-border");
        assert_eq!(slugify("  Russia's  war -- in 2022! "), "russias-war-in-2022");
    }

    #[test]
    fn transliterates_and_never_produces_path_parts() {
        assert_eq!(slugify("Zürich"), "zurich");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("a/b\\c"), "a-b-c");
        assert!(!slugify("Зеленський").is_empty());
    }

    #[test]
    fn empty_falls_back() {
        assert_eq!(slugify_or("!!!", "My file"), "my-file");
        assert_eq!(slugify_or("", "..."), "item");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let long = "word ".repeat(40);
        let slug = slugify(&long);
        assert!(slug.len() <= MAX_SLUG_LEN);
        assert!(slug.ends_with("word"));
    }
}
