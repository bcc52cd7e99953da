//! Month calendars for month pages.

use chrono::{Datelike, NaiveDate};

use super::context::{Calendar, CalendarDay};
use crate::archive::{Archive, day_path};

/// Short weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The calendar of a month, with links to the days that have articles.
pub fn month_calendar(archive: &Archive, year: i32, month: u32) -> Calendar {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return Calendar { weekdays: WEEKDAYS.to_vec(), weeks: Vec::new() };
    };
    let days_in_month = days_in_month(year, month);
    let lead = first.weekday().num_days_from_monday() as usize;
    let mut cells: Vec<CalendarDay> = (0..lead).map(|_| empty()).collect();
    for day in 1..=days_in_month {
        let date = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(first);
        let count = archive.day_count(date);
        let path = if count > 0 { day_path(date) } else { String::new() };
        cells.push(CalendarDay { day, count, path });
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(empty());
    }
    let weeks = cells.chunks(7).map(<[CalendarDay]>::to_vec).collect();
    Calendar { weekdays: WEEKDAYS.to_vec(), weeks }
}

fn empty() -> CalendarDay {
    CalendarDay { day: 0, count: 0, path: String::new() }
}

/// Number of days in a month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    match (NaiveDate::from_ymd_opt(ny, nm, 1), NaiveDate::from_ymd_opt(year, month, 1)) {
        (Some(next), Some(this)) => (next - this).num_days() as u32,
        _ => 30,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn february_2022_starts_on_tuesday() {
        let cal = month_calendar(&Archive::default(), 2022, 2);
        assert_eq!(cal.weeks[0][0].day, 0);
        assert_eq!(cal.weeks[0][1].day, 1);
        assert_eq!(cal.weeks.iter().flatten().filter(|c| c.day > 0).count(), 28);
        assert!(cal.weeks.iter().all(|w| w.len() == 7));
    }

    #[test]
    fn leap_years() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2023, 12), 31);
    }
}
