//! Reading dates as newsrooms and archives write them: in headers, in
//! paths, in datelines; to the day, the month or only the year.

use std::path::{Component, Path};

use chrono::{Datelike, NaiveDate};

/// How precisely an article's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year ("2019").
    Year,
    /// The month ("March 2019").
    Month,
    /// The day.
    Day,
}

/// When an article was published, as precisely as it is known: the first
/// day of the period and its precision. Orders by that day, so an article
/// of "March 2019" sorts with the first of March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PubDate {
    /// The first day of the period (the day itself at day precision).
    pub first_day: NaiveDate,
    /// Day, month or year.
    pub precision: Precision,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PubDate {
    /// A date known to the day.
    pub fn day(date: NaiveDate) -> PubDate {
        PubDate { first_day: date, precision: Precision::Day }
    }

    /// A date known to the month, if the month exists.
    pub fn month(year: i32, month: u32) -> Option<PubDate> {
        Some(PubDate { first_day: NaiveDate::from_ymd_opt(year, month, 1)?, precision: Precision::Month })
    }

    /// A date known only to the year, if it is a plausible one (1000–2999).
    pub fn year(year: i32) -> Option<PubDate> {
        let first_day = NaiveDate::from_ymd_opt(year, 1, 1).filter(|_| (1000..3000).contains(&year))?;
        Some(PubDate { first_day, precision: Precision::Year })
    }

    /// The day, when known to the day.
    pub fn exact_day(self) -> Option<NaiveDate> {
        (self.precision == Precision::Day).then_some(self.first_day)
    }

    /// The year and month, when known to the month or the day.
    pub fn year_month(self) -> Option<(i32, u32)> {
        (self.precision >= Precision::Month).then(|| (self.first_day.year(), self.first_day.month()))
    }

    /// The year.
    pub fn year_number(self) -> i32 {
        self.first_day.year()
    }

    /// The date as HTML's `<time datetime>` and feeds write it, as precise
    /// as known: `2019-03-05`, `2019-03` or `2019`.
    pub fn iso(self) -> String {
        let d = self.first_day;
        match self.precision {
            Precision::Day => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Precision::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Precision::Year => format!("{:04}", d.year()),
        }
    }

    /// The date for people: `Tuesday 5 March 2019`, `March 2019` or `2019`.
    pub fn display(self) -> String {
        let d = self.first_day;
        match self.precision {
            Precision::Day => {
                const WEEKDAYS: [&str; 7] =
                    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
                let weekday = WEEKDAYS[d.weekday().num_days_from_monday() as usize];
                format!("{weekday} {} {} {:04}", d.day(), MONTHS[d.month0() as usize], d.year())
            }
            Precision::Month => format!("{} {:04}", MONTHS[d.month0() as usize], d.year()),
            Precision::Year => format!("{:04}", d.year()),
        }
    }
}

/// Parses a date to the day as [`parse_date`] does, or else one known
/// only to the month (`2019-03`, `2019/03`, `March 2019`, `Mar 2019`) or
/// the year (`2019`).
pub fn parse_pub_date(text: &str) -> Option<PubDate> {
    if let Some(day) = parse_date(text) {
        return Some(PubDate::day(day));
    }
    let text = text.trim().trim_end_matches(['.', ',']);
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        return PubDate::year(text.parse().ok()?);
    }
    if let Some((y, m)) = text.split_once(['-', '/'])
        && y.len() == 4
        && (1..=2).contains(&m.len())
        && y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
    {
        return PubDate::month(y.parse().ok()?, m.parse().ok()?);
    }
    let (month, year) = text.split_once(' ')?;
    let year = year.trim();
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    PubDate::month(year.parse().ok()?, month_number(month.trim_end_matches('.'))?)
}

/// The English name of a month (1 to 12): `March`; empty for others.
pub fn month_name(month: u32) -> &'static str {
    month.checked_sub(1).and_then(|i| MONTHS.get(i as usize)).copied().unwrap_or("")
}

/// `March`, `Mar`, `Sept` (any case) → 3, 3, 9.
fn month_number(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    let word = if word == "sept" { "sep" } else { word.as_str() };
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            m == word || (word.len() == 3 && m.starts_with(word))
        })
        .map(|i| i as u32 + 1)
}

/// The date a path gives, relative to the content folder: a file name
/// starting with `2019-03-05`, `2019_03_05` or `20190305`, else folders
/// `2019/03/05/`, `2019/03/` (month precision) or `2019/` (year precision).
pub fn date_from_path(path: &Path) -> Option<PubDate> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some(day) = date_from_file_name(name) {
        return Some(PubDate::day(day));
    }
    let folders: Vec<&str> = path
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|c| if let Component::Normal(s) = c { s.to_str() } else { None })
        .collect();
    // The deepest run of year, month, day folders.
    for (i, folder) in folders.iter().enumerate().rev() {
        if folder.len() != 4 || !folder.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Some(year) = folder.parse().ok().and_then(PubDate::year) else { continue };
        let number = |at: usize| {
            folders
                .get(at)
                .filter(|f| f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|f| f.parse::<u32>().ok())
        };
        let Some(month) = number(i + 1).and_then(|m| PubDate::month(year.year_number(), m)) else { return Some(year) };
        return match number(i + 2).and_then(|d| month.first_day.with_day(d)) {
            Some(day) => Some(PubDate::day(day)),
            None => Some(month),
        };
    }
    None
}

/// A dateline opening the body: a whole first line that is a date
/// ("Friday, January 4, 2019"), or a wire dateline, `PLACE, Month D[, YYYY]
/// (Agency) -`, whose year, when it gives none, comes from `year` (the
/// year the path gives). Returns the date and whether the line is only the
/// date (and so is dropped from the body).
pub fn date_from_dateline(first_paragraph: &str, year: Option<i32>) -> Option<(PubDate, bool)> {
    if let Some(date) = parse_date(first_paragraph) {
        return Some((PubDate::day(date), true));
    }
    // `LONDON, March 3 (Reuters) -`: a place in capitals, then the date.
    let head = first_paragraph.get(..first_paragraph.len().min(80)).unwrap_or(first_paragraph);
    let (place, rest) = head.split_once(',')?;
    let place_ok = !place.is_empty()
        && place.chars().any(|c| c.is_alphabetic())
        && place.chars().all(|c| c.is_uppercase() || c == ' ' || c == '.' || c == '-' || c == '\'');
    if !place_ok {
        return None;
    }
    let end = rest.find(['(', '-', '\u{2013}', '\u{2014}'])?;
    let date_text = rest[..end].trim().trim_end_matches(',');
    if let Some(date) = parse_date(date_text) {
        return Some((PubDate::day(date), false));
    }
    let (month, day) = date_text.split_once(' ')?;
    let (month, day) = (month_number(month.trim_end_matches('.'))?, day.trim().parse::<u32>().ok()?);
    let date = NaiveDate::from_ymd_opt(year?, month, day)?;
    Some((PubDate::day(date), false))
}

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
        // The year as written, in four digits: "March 2019" is no "March 20, 19".
        if let Ok(d) = NaiveDate::parse_from_str(without_weekday, fmt)
            && without_weekday.ends_with(&format!("{:04}", d.year()))
        {
            return Some(d);
        }
    }
    None
}

/// A date at the start of a file name (`2019-01-04_title.txt`,
/// `2019_01_04-title.txt`, `20190104_title.txt`), if any.
pub fn date_from_file_name(name: &str) -> Option<NaiveDate> {
    let bytes = name.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range.clone())
            .filter(|b| b.iter().all(u8::is_ascii_digit))
            .and_then(|_| name[range].parse::<u32>().ok())
    };
    let separated = bytes.get(4).is_some_and(|b| matches!(b, b'-' | b'_')) && bytes.get(7) == bytes.get(4);
    let (year, month, day, end) = if separated {
        (digits(0..4)?, digits(5..7)?, digits(8..10)?, 10)
    } else {
        (digits(0..4)?, digits(4..6)?, digits(6..8)?, 8)
    };
    // The date ends at the end of the name or before a separator, not inside a longer number.
    if bytes.get(end).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    // Eight digits alone are a date only when they look like one of these centuries.
    let plausible = separated || (1000..3000).contains(&year);
    NaiveDate::from_ymd_opt(year as i32, month, day).filter(|_| plausible)
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
        assert_eq!(parse_date("March 2019"), None, "a month, not March 20 of the year 19");
    }

    #[test]
    fn file_names() {
        assert_eq!(date_from_file_name("2019-01-04_Magnitogorsk.txt"), d(2019, 1, 4));
        assert_eq!(date_from_file_name("2019-03-05-x.txt"), d(2019, 3, 5));
        assert_eq!(date_from_file_name("2019_03_05.txt"), d(2019, 3, 5));
        assert_eq!(date_from_file_name("20190305_x.txt"), d(2019, 3, 5));
        assert_eq!(date_from_file_name("000_e2d8.txt"), None);
        assert_eq!(date_from_file_name("201903051.txt"), None);
        assert_eq!(date_from_file_name("2019-13-05.txt"), None);
        assert_eq!(date_from_file_name("12345678.txt"), None);
    }

    #[test]
    fn paths_give_day_month_or_year() {
        let at = |p: &str| date_from_path(Path::new(p));
        assert_eq!(at("2019/03/05/x.txt"), Some(PubDate::day(d(2019, 3, 5).unwrap())));
        assert_eq!(at("news/2019/03/x.txt"), PubDate::month(2019, 3));
        assert_eq!(at("2019/x.txt"), PubDate::year(2019));
        assert_eq!(at("2019/13/x.txt"), PubDate::year(2019));
        assert_eq!(at("2018/05/2019-03-05-x.txt"), Some(PubDate::day(d(2019, 3, 5).unwrap())));
        assert_eq!(at("business/x.txt"), None);
        assert_eq!(at("0042/x.txt"), None);
    }

    #[test]
    fn month_and_year_precision() {
        assert_eq!(parse_pub_date("2019-03"), PubDate::month(2019, 3));
        assert_eq!(parse_pub_date("March 2019"), PubDate::month(2019, 3));
        assert_eq!(parse_pub_date("Mar. 2019"), PubDate::month(2019, 3));
        assert_eq!(parse_pub_date("2019"), PubDate::year(2019));
        assert_eq!(parse_pub_date("2019-03-05"), Some(PubDate::day(d(2019, 3, 5).unwrap())));
        assert_eq!(parse_pub_date("2019-13"), None);
        assert_eq!(parse_pub_date("Marchy 2019"), None);
        assert_eq!(parse_pub_date("20190"), None);
        let march = PubDate::month(2019, 3).unwrap();
        assert_eq!((march.iso(), march.display()), ("2019-03".to_string(), "March 2019".to_string()));
        assert_eq!(PubDate::year(2019).unwrap().iso(), "2019");
        assert_eq!(PubDate::day(d(2019, 3, 5).unwrap()).display(), "Tuesday 5 March 2019");
        assert!(march < PubDate::day(d(2019, 3, 2).unwrap()));
    }

    #[test]
    fn datelines() {
        let line = |t: &str, y| date_from_dateline(t, y);
        assert_eq!(line("Friday, January 4, 2019", None), Some((PubDate::day(d(2019, 1, 4).unwrap()), true)));
        assert_eq!(
            line("LONDON, March 3 (Reuters) - Shares fell.", Some(2019)),
            Some((PubDate::day(d(2019, 3, 3).unwrap()), false))
        );
        assert_eq!(
            line("NEW YORK, March 3, 2018 (AP) \u{2014} Shares fell.", None),
            Some((PubDate::day(d(2018, 3, 3).unwrap()), false))
        );
        // No year anywhere: no date.
        assert_eq!(line("LONDON, March 3 (Reuters) - Shares fell.", None), None);
        assert_eq!(line("London, March 3 (Reuters) - Shares fell.", Some(2019)), None);
        assert_eq!(line("The market, March 3 - fell", Some(2019)), None);
    }
}
