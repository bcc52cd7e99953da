//! Text helpers every stage shares: URL slugs, the merge key of a name,
//! `/`-separated web paths and English plurals.

pub mod slug;

use std::path::Path;

/// The merge key of a name: accents folded, lowercase, single spaces, no leading "the".
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalize_into(name, &mut out);
    out
}

/// Appends the merge key of a name ([`normalize`]) to `out`.
pub fn normalize_into(name: &str, out: &mut String) {
    let folded;
    let ascii = if name.is_ascii() {
        name
    } else {
        folded = deunicode::deunicode(name);
        folded.as_str()
    };
    let start = out.len();
    let mut gap = false;
    for c in ascii.chars() {
        if c.is_whitespace() || c == '.' || c == '\'' {
            gap = out.len() > start;
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        out.push(c.to_ascii_lowercase());
    }
    if out[start..].starts_with("the ") {
        out.drain(start..start + 4);
    }
}

/// A relative path with `/` between its parts, whatever the system's
/// separator (`a\\b.css` → `a/b.css`): how paths are written in URLs and in
/// the output's records.
pub fn web_path(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// `s` unless `n` is one (Tera's `pluralize`): "1 article", "2 articles".
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_accents_and_the() {
        assert_eq!(normalize("The  Hague"), "hague");
        assert_eq!(normalize("Zürich"), "zurich");
        assert_eq!(normalize("U.S."), "u s");
    }

    #[test]
    fn web_paths_use_slashes_and_plurals_follow_the_count() {
        assert_eq!(web_path(&Path::new("partials").join("list.html")), "partials/list.html");
        assert_eq!(web_path(Path::new("style.css")), "style.css");
        assert_eq!((plural(0), plural(1), plural(2)), ("s", "", "s"));
    }
}
