//! Reading dates as newsrooms write them.

use chrono::NaiveDate;

/// Parses a date written as `2022-02-28`, `2022/02/28`, `2022-02-28T10:00:00Z`,
/// `February 28, 2022`, `Monday, February 28, 2022` or `28 February 2022`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim().trim_end_matches(['.', ',']);
    if text.is_empty() {
        return None;
    }
    // ISO-like, possibly with a time part.
    let head: String = text.chars().take(10).collect();
    for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&head, fmt) {
            let rest = &text[head.len()..];
            if rest.is_empty() || rest.starts_with(['T', ' ', 't']) {
                return Some(d);
            }
        }
    }
    // Long forms, with an optional leading weekday.
    let without_weekday = match text.split_once(", ") {
        Some((first, rest)) if is_weekday(first) => rest,
        _ => text,
    };
    for fmt in ["%B %d, %Y", "%B %d %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y", "%b. %d, %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(without_weekday, fmt) {
            return Some(d);
        }
    }
    None
}

/// A date at the start of a file name (`2019-01-04_title.txt`), if any.
pub fn date_from_file_name(name: &str) -> Option<NaiveDate> {
    let head: String = name.chars().take(10).collect();
    NaiveDate::parse_from_str(&head, "%Y-%m-%d").ok()
}

fn is_weekday(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn iso_and_long_forms() {
        assert_eq!(parse_date("2022-02-28"), d(2022, 2, 28));
        assert_eq!(parse_date("2022/02/28"), d(2022, 2, 28));
        assert_eq!(parse_date("2022-02-28T10:00:00Z"), d(2022, 2, 28));
        assert_eq!(parse_date("Friday, January 4, 2019"), d(2019, 1, 4));
        assert_eq!(parse_date("4 January 2019"), d(2019, 1, 4));
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(parse_date("2022-02-30"), None);
        assert_eq!(parse_date("2022-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2022-02-28x"), None);
    }

    #[test]
    fn file_names() {
        assert_eq!(date_from_file_name("2019-01-04_Magnitogorsk.txt"), d(2019, 1, 4));
        assert_eq!(date_from_file_name("000_e2d8.txt"), None);
    }
}
