//! Paths, links and labels pages share: the way back to the site root,
//! paginated paths and pagers, dates as readers see them.

use chrono::{Datelike, NaiveDate};

use super::context::{Link, PageNumber, Pagination};
use crate::archive::{UNDATED_PATH, date_path, day_path, month_path, year_path};
use crate::content::date::month_name;
use crate::content::{Precision, PubDate};

/// How many pages either side of the current one a pager lists.
const PAGER_REACH: usize = 3;

/// Relative way back to the site root from a page at `path` (`a/b/` → `../../`).
/// `./` on the home page, so that a link home is never an empty `href`.
pub fn root_prefix(path: &str) -> String {
    match path.split('/').filter(|s| !s.is_empty()).count() {
        0 => "./".to_string(),
        depth => "../".repeat(depth),
    }
}

/// Path of page `n` of a paginated list whose first page is at `base`.
pub fn paginated_path(base: &str, n: usize) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") }
}

/// The pager of page `current` of `total` of a list whose first page is at `base`.
pub fn pagination(base: &str, current: usize, total: usize) -> Pagination {
    Pagination {
        current,
        total,
        prev: (current > 1).then(|| paginated_path(base, current - 1)),
        next: (current < total).then(|| paginated_path(base, current + 1)),
        // A pager shows the first and last page and a few around the current one;
        // listing every page would make the whole list quadratic in its length.
        pages: (1..=total)
            .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= PAGER_REACH)
            .map(|n| PageNumber { number: n, path: paginated_path(base, n), current: n == current })
            .collect(),
    }
}

/// The items of page `page` (1-based) of a list, `per_page` to a page.
pub fn slice_page<T: Clone>(items: &[T], page: usize, per_page: usize) -> Vec<T> {
    items.iter().skip((page - 1) * per_page).take(per_page).cloned().collect()
}

/// `Monday 28 February 2022`
pub fn date_display(date: NaiveDate) -> String {
    PubDate::day(date).display()
}

/// `February 2022`.
pub fn month_label(year: i32, month: u32) -> String {
    match month_name(month) {
        "" => format!("{year}-{month:02}"),
        name => format!("{name} {year:04}"),
    }
}

/// `28 February 2022`.
pub fn day_label(date: NaiveDate) -> String {
    format!("{} {} {:04}", date.day(), month_name(date.month()), date.year())
}

/// A link to a day's page, labelled `28 February 2022`.
pub fn day_link(date: NaiveDate) -> Link {
    Link { label: day_label(date), path: day_path(date) }
}

/// A link to a month's page.
pub fn month_link(year: i32, month: u32) -> Link {
    Link { label: month_label(year, month), path: month_path(year, month) }
}

/// A link to a year's page.
pub fn year_link(year: i32) -> Link {
    Link { label: year.to_string(), path: year_path(year) }
}

/// What an undated article shows for its date.
pub const UNDATED_LABEL: &str = "Undated";

/// A link to the list of undated articles.
pub fn undated_link() -> Link {
    Link { label: "Undated".into(), path: UNDATED_PATH.into() }
}

/// A link to the page of a date, as precise as it is known (day, month,
/// year), labelled `28 February 2022`, `February 2022` or `2022`; the
/// undated list for no date.
pub fn date_link(date: Option<PubDate>) -> Link {
    match date {
        Some(d) if d.precision == Precision::Day => day_link(d.first_day),
        Some(d) => Link { label: d.display(), path: date_path(d) },
        None => undated_link(),
    }
}

/// The pages of a date, widest first: its year, month and day as far as
/// known; the undated list for no date.
pub fn period_links(date: Option<PubDate>) -> Vec<Link> {
    let Some(d) = date else { return vec![undated_link()] };
    let day = d.first_day;
    let mut links = vec![year_link(day.year())];
    if d.precision >= Precision::Month {
        links.push(month_link(day.year(), day.month()));
    }
    if d.precision == Precision::Day {
        links.push(day_link(day));
    }
    links
}

/// The ISO date and the human one of an article's date, as lists and pages show them.
pub fn date_strings(date: Option<PubDate>) -> (String, String) {
    match date {
        Some(d) if d.precision == Precision::Day => (d.iso(), date_display(d.first_day)),
        Some(d) => (d.iso(), d.display()),
        None => (String::new(), UNDATED_LABEL.to_string()),
    }
}

/// The link home, as breadcrumbs show it.
pub fn home_link() -> Link {
    Link { label: "Home".into(), path: String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_chrono_formats_them() {
        let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(date_display(date), date.format("%A %-d %B %Y").to_string());
            assert_eq!(day_label(date), date.format("%-d %B %Y").to_string());
            assert_eq!(month_label(date.year(), date.month()), date.format("%B %Y").to_string());
            assert_eq!(PubDate::day(date).iso(), date.format("%Y-%m-%d").to_string());
            date = date + chrono::Days::new(3);
        }
        assert_eq!(date_display(NaiveDate::from_ymd_opt(2022, 2, 28).unwrap()), "Monday 28 February 2022");
    }

    #[test]
    fn roots_and_pagination_paths() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("2022/02/28/slug/"), "../../../../");
        assert_eq!(paginated_path("people/", 1), "people/");
        assert_eq!(paginated_path("people/", 3), "people/page/3/");
        let p = pagination("", 2, 3);
        assert_eq!(p.prev.as_deref(), Some(""));
        assert_eq!(p.next.as_deref(), Some("page/3/"));
    }

    #[test]
    fn pagers_list_a_window_not_every_page() {
        let numbers: Vec<usize> = pagination("", 10, 20).pages.iter().map(|p| p.number).collect();
        assert_eq!(numbers, vec![1, 7, 8, 9, 10, 11, 12, 13, 20]);
        let numbers: Vec<usize> = pagination("", 1, 3).pages.iter().map(|p| p.number).collect();
        assert_eq!(numbers, vec![1, 2, 3]);
    }
}
