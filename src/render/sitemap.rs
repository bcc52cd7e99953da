//! `sitemap.xml` and `robots.txt`. A sitemap lists at most
//! [`SITEMAP_LIMIT`] URLs (the protocol's limit); beyond that, `sitemap.xml`
//! becomes an index of `sitemap-1.xml`, `sitemap-2.xml`, ...

use std::fmt::Write;

use chrono::NaiveDate;

use super::body::escape;

/// Most URLs one sitemap file may list.
pub const SITEMAP_LIMIT: usize = 50_000;

/// One page in a sitemap: its site-relative path and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    /// Site-relative path (`2022/02/28/slug/`, `""` for the home page).
    pub path: String,
    /// Date of the newest article the page shows.
    pub lastmod: Option<NaiveDate>,
}

/// How many files the sitemap of `urls` URLs takes besides `sitemap.xml`
/// (0 when it fits in one).
pub fn sitemap_parts(urls: usize, limit: usize) -> usize {
    if urls <= limit { 0 } else { urls.div_ceil(limit) }
}

/// Path of sitemap file `n`: 0 is `sitemap.xml`, the parts are `sitemap-N.xml`.
pub fn sitemap_path(n: usize) -> String {
    if n == 0 { "sitemap.xml".into() } else { format!("sitemap-{n}.xml") }
}

/// The text of sitemap file `n` (see [`sitemap_path`]) for `entries`.
pub fn sitemap_file(base_url: &str, entries: &[SitemapEntry], n: usize, limit: usize) -> String {
    let parts = sitemap_parts(entries.len(), limit);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if n == 0 && parts > 0 {
        out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (part, chunk) in entries.chunks(limit).enumerate() {
            let newest = chunk.iter().filter_map(|e| e.lastmod).max();
            let _ = write!(out, "<sitemap><loc>{}{}</loc>", escape(base_url), sitemap_path(part + 1));
            if let Some(date) = newest {
                let _ = write!(out, "<lastmod>{date}</lastmod>");
            }
            out.push_str("</sitemap>\n");
        }
        out.push_str("</sitemapindex>\n");
        return out;
    }
    let chunk = if n == 0 { entries } else { entries.chunks(limit).nth(n - 1).unwrap_or_default() };
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in chunk {
        let _ = write!(out, "<url><loc>{}{}</loc>", escape(base_url), escape(&e.path));
        if let Some(date) = e.lastmod {
            let _ = write!(out, "<lastmod>{date}</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots_txt(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<SitemapEntry> {
        (0..n)
            .map(|i| SitemapEntry { path: format!("p{i}/"), lastmod: NaiveDate::from_ymd_opt(2020, 1, 1 + i as u32) })
            .collect()
    }

    #[test]
    fn one_file_up_to_the_limit() {
        assert_eq!(sitemap_parts(3, 3), 0);
        let xml = sitemap_file("https://ex.org/a/", &entries(3), 0, 3);
        assert!(xml.contains("<urlset"));
        assert_eq!(xml.matches("<url>").count(), 3);
        assert!(xml.contains("<loc>https://ex.org/a/p2/</loc><lastmod>2020-01-03</lastmod>"));
    }

    #[test]
    fn an_index_beyond_the_limit() {
        let all = entries(7);
        assert_eq!(sitemap_parts(7, 3), 3);
        let index = sitemap_file("https://ex.org/", &all, 0, 3);
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://ex.org/sitemap-3.xml</loc><lastmod>2020-01-07</lastmod>"));
        let parts: Vec<String> = (1..=3).map(|n| sitemap_file("https://ex.org/", &all, n, 3)).collect();
        let counts: Vec<usize> = parts.iter().map(|p| p.matches("<url>").count()).collect();
        assert_eq!(counts, vec![3, 3, 1]);
        assert!(parts[2].contains("p6/"));
    }

    #[test]
    fn robots_names_the_sitemap() {
        assert!(robots_txt("https://ex.org/a/").contains("Sitemap: https://ex.org/a/sitemap.xml"));
    }
}
