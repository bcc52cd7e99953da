//! The timeline on entity pages: mentions over time as an inline SVG bar
//! chart. No script; colours come from the stylesheet, so dark mode works.

use chrono::{Datelike, NaiveDate};

use super::body::escape;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 120.0;
const AXIS: f64 = 18.0;

/// A bar of [`timeline_svg`]: a year, or a month of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineBin {
    /// A whole year.
    Year(i32),
    /// A month (1–12) of a year.
    Month(i32, u32),
}

/// Draws mentions per month (or per year when they span more than three
/// years) as bars. `points` are (date, number of mentions), in any order.
/// `link` gives the address a bar leads to, if any: bars with one are
/// links, named by their label and count, and the chart is then a group
/// of links rather than one image.
pub fn timeline_svg(name: &str, points: &[(NaiveDate, usize)], link: &dyn Fn(TimelineBin) -> Option<String>) -> String {
    let Some(first) = points.iter().map(|p| p.0).min() else { return String::new() };
    let last = points.iter().map(|p| p.0).max().unwrap_or(first);
    let months = (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32 + 1;
    let yearly = months > 36;
    let bins = if yearly { (last.year() - first.year() + 1) as usize } else { months as usize };
    let mut counts = vec![0usize; bins];
    for &(date, n) in points {
        let i = if yearly {
            (date.year() - first.year()) as usize
        } else {
            ((date.year() - first.year()) * 12 + date.month() as i32 - first.month() as i32) as usize
        };
        counts[i] += n;
    }
    let bin = |i: usize| -> TimelineBin {
        if yearly {
            TimelineBin::Year(first.year() + i as i32)
        } else {
            let m0 = first.month0() as usize + i;
            TimelineBin::Month(first.year() + (m0 / 12) as i32, (m0 % 12) as u32 + 1)
        }
    };
    let label = |i: usize| -> String {
        match bin(i) {
            TimelineBin::Year(y) => y.to_string(),
            TimelineBin::Month(y, m) => {
                NaiveDate::from_ymd_opt(y, m, 1).map_or_else(|| y.to_string(), |d| d.format("%b %Y").to_string())
            }
        }
    };
    let targets: Vec<Option<String>> =
        counts.iter().enumerate().map(|(i, &c)| if c == 0 { None } else { link(bin(i)) }).collect();
    let linked = targets.iter().any(Option::is_some);
    let max = counts.iter().copied().max().unwrap_or(1).max(1);
    let total: usize = counts.iter().sum();
    let unit = if yearly { "year" } else { "month" };
    let title = format!(
        "Mentions of {} per {unit}, {} to {}: {total} in all, at most {max} in one {unit}",
        name,
        label(0),
        label(bins - 1)
    );
    let role = if linked { "group" } else { "img" };
    let mut svg = format!(
        "<svg class=\"timeline\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"{role}\" aria-labelledby=\"timeline-title\" preserveAspectRatio=\"none\"><title id=\"timeline-title\">{}</title>",
        escape(&title)
    );
    let slot = WIDTH / bins as f64;
    let gap = if slot > 4.0 { slot * 0.15 } else { 0.0 };
    let plot = HEIGHT - AXIS;
    for (i, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let h = (c as f64 / max as f64 * (plot - 4.0)).max(2.0);
        let bar_label = format!("{}: {c}", label(i));
        if let Some(href) = &targets[i] {
            svg.push_str(&format!(
                "<a href=\"{}\" aria-label=\"{}\">",
                escape(href),
                escape(&format!("{}: {c} mention{}", label(i), crate::text::plural(c)))
            ));
        }
        svg.push_str(&format!(
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}</title></rect>",
            i as f64 * slot + gap / 2.0,
            plot - h,
            (slot - gap).max(1.0),
            h,
            escape(&bar_label)
        ));
        if targets[i].is_some() {
            svg.push_str("</a>");
        }
    }
    svg.push_str(&format!("<line class=\"axis\" x1=\"0\" y1=\"{plot}\" x2=\"{WIDTH}\" y2=\"{plot}\"/>"));
    svg.push_str(&format!("<text class=\"axis-label\" x=\"0\" y=\"{}\">{}</text>", HEIGHT - 4.0, escape(&label(0))));
    if bins > 1 {
        svg.push_str(&format!(
            "<text class=\"axis-label\" x=\"{WIDTH}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            HEIGHT - 4.0,
            escape(&label(bins - 1))
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Draws a story thread's articles as dots on a line of days, from its
/// first article's day to its last's; articles of the same day stack up.
/// `points` are (date, headline), in date order.
pub fn thread_timeline_svg(title: &str, points: &[(NaiveDate, String)]) -> String {
    const THREAD_HEIGHT: f64 = 60.0;
    let (Some(first), Some(last)) = (points.first().map(|p| p.0), points.last().map(|p| p.0)) else {
        return String::new();
    };
    let span = (last - first).num_days().max(1) as f64;
    let day_label = |d: NaiveDate| d.format("%-d %b %Y").to_string();
    let mut svg = format!(
        "<svg class=\"timeline thread-timeline\" viewBox=\"0 0 {WIDTH} {THREAD_HEIGHT}\" role=\"img\" aria-labelledby=\"thread-timeline-title\"><title id=\"thread-timeline-title\">{}</title>",
        escape(&format!("{} articles of the story {title}, {} to {}", points.len(), day_label(first), day_label(last)))
    );
    let axis = THREAD_HEIGHT - AXIS;
    svg.push_str(&format!("<line class=\"axis\" x1=\"0\" y1=\"{axis}\" x2=\"{WIDTH}\" y2=\"{axis}\"/>"));
    let mut stacked: Option<(NaiveDate, usize)> = None;
    for (date, headline) in points {
        let level = match stacked {
            Some((d, n)) if d == *date => n + 1,
            _ => 0,
        };
        stacked = Some((*date, level));
        let x = 6.0 + (*date - first).num_days() as f64 / span * (WIDTH - 12.0);
        let y = axis - 6.0 - level as f64 * 9.0;
        svg.push_str(&format!(
            "<circle class=\"bar\" cx=\"{x:.1}\" cy=\"{:.1}\" r=\"4\"><title>{}: {}</title></circle>",
            y.max(4.0),
            escape(&day_label(*date)),
            escape(headline)
        ));
    }
    svg.push_str(&format!(
        "<text class=\"axis-label\" x=\"0\" y=\"{}\">{}</text>",
        THREAD_HEIGHT - 4.0,
        escape(&day_label(first))
    ));
    if last != first {
        svg.push_str(&format!(
            "<text class=\"axis-label\" x=\"{WIDTH}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            THREAD_HEIGHT - 4.0,
            escape(&day_label(last))
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 10).unwrap()
    }

    #[test]
    fn monthly_bars_with_an_accessible_title() {
        let svg = timeline_svg("A <b>", &[(d(2019, 1), 2), (d(2019, 3), 1), (d(2019, 3), 3)], &|_| None);
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(svg.contains("role=\"img\"") && !svg.contains("<a "), "no links: one image");
        assert!(
            svg.contains("Mentions of A &lt;b&gt; per month, Jan 2019 to Mar 2019: 6 in all, at most 4 in one month"),
            "{svg}"
        );
        assert!(svg.contains("<title>Mar 2019: 4</title>"));
    }

    #[test]
    fn thread_dots_stack_on_the_same_day() {
        let day = |d| NaiveDate::from_ymd_opt(2022, 3, d).unwrap();
        let points = [(day(1), "A & B".to_string()), (day(1), "C".into()), (day(20), "D".into())];
        let svg = thread_timeline_svg("Talks", &points);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("3 articles of the story Talks, 1 Mar 2022 to 20 Mar 2022"), "{svg}");
        assert!(svg.contains("<title>1 Mar 2022: A &amp; B</title>"));
        let ys: Vec<&str> = svg.split("cy=\"").skip(1).map(|s| &s[..4]).collect();
        assert_ne!(ys[0], ys[1], "same-day dots stack");
        assert_eq!(thread_timeline_svg("X", &[]), "");
    }

    #[test]
    fn long_spans_are_yearly() {
        let svg = timeline_svg("X", &[(d(2005, 1), 1), (d(2024, 12), 1)], &|_| None);
        assert!(svg.contains("per year, 2005 to 2024"), "{svg}");
        assert_eq!(timeline_svg("X", &[], &|_| None), "");
    }

    #[test]
    fn bars_with_a_target_are_links() {
        let link = |bin| match bin {
            TimelineBin::Year(2005) => Some("../x/2005/?a&b".to_string()),
            TimelineBin::Year(_) => None,
            TimelineBin::Month(..) => panic!("yearly bars"),
        };
        let svg = timeline_svg("X", &[(d(2005, 1), 2), (d(2024, 12), 1)], &link);
        assert!(svg.contains("role=\"group\""), "{svg}");
        assert!(svg.contains("<a href=\"../x/2005/?a&amp;b\" aria-label=\"2005: 2 mentions\"><rect"), "{svg}");
        assert_eq!(svg.matches("<a ").count(), 1, "only bars with a target");
        let months = timeline_svg("X", &[(d(2019, 11), 1), (d(2020, 2), 1)], &|bin| Some(format!("{bin:?}")));
        assert!(months.contains("href=\"Month(2019, 11)\"") && months.contains("href=\"Month(2020, 2)\""), "{months}");
        assert_eq!(months.matches("<a ").count(), 2, "empty months have no bar");
    }
}
