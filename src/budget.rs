//! What a built site asks of a static host: its files and bytes, by kind
//! of file, against the limits of the hosts users publish to, and the
//! settings that write less when a site does not fit.

use std::collections::BTreeMap;
use std::fmt;

/// The kinds of files a site is made of, as the budget counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `2022/02/28/slug/index.html`.
    Articles,
    /// Day, month and year pages, and their `page/N/`.
    DatePages,
    /// Pages of people, places and organisations, their years and lists.
    EntityPages,
    /// `people/slug/atom.xml` and the like.
    EntityFeeds,
    /// The search index (`search/`).
    Search,
    /// Story threads (`threads/`).
    Threads,
    /// `on-this-day/`.
    OnThisDay,
    /// The archive as data (`data/`).
    Data,
    /// Compressed copies (`index.html.gz`, `index.html.br`), see `[output] precompress`.
    Compressed,
    /// Everything else: home pages, sections, other feeds, sitemaps, theme files.
    Other,
}

impl FileKind {
    /// The kind of a file, from its site-relative path.
    pub fn of(path: &str) -> FileKind {
        let parts: Vec<&str> = path.split('/').collect();
        let is_number = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if crate::precompress::original_of(path).is_some() {
            return FileKind::Compressed;
        }
        match parts.as_slice() {
            ["people" | "places" | "organisations", .., "atom.xml"] => FileKind::EntityFeeds,
            ["people" | "places" | "organisations", ..] => FileKind::EntityPages,
            ["search", rest @ ..] if !rest.is_empty() && rest != ["index.html"] => FileKind::Search,
            ["threads", ..] => FileKind::Threads,
            ["on-this-day", ..] => FileKind::OnThisDay,
            ["data", ..] => FileKind::Data,
            [y, m, d, slug, "index.html"]
                if is_number(y, 4) && is_number(m, 2) && is_number(d, 2) && *slug != "page" =>
            {
                FileKind::Articles
            }
            [y, ..] if is_number(y, 4) && parts.len() > 1 => FileKind::DatePages,
            _ => FileKind::Other,
        }
    }

    /// How the budget names the kind.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Articles => "article pages",
            FileKind::DatePages => "date pages",
            FileKind::EntityPages => "entity pages",
            FileKind::EntityFeeds => "entity feeds",
            FileKind::Search => "search index",
            FileKind::Threads => "story threads",
            FileKind::OnThisDay => "on this day",
            FileKind::Data => "data files",
            FileKind::Compressed => "compressed copies",
            FileKind::Other => "other files",
        }
    }

    /// The site.toml settings that write fewer files of this kind, if any.
    pub fn settings(self) -> &'static str {
        match self {
            FileKind::EntityPages => {
                "raise [entities] min_articles (fewer entities get pages); larger [pagination] entity_year"
            }
            FileKind::EntityFeeds => "[feeds] entities = false",
            FileKind::Search => "[search] enabled = false",
            FileKind::Data => "[data] export = false",
            FileKind::Compressed => "[output] precompress = [] (this host compresses as it serves)",
            FileKind::DatePages => "larger [pagination] period",
            _ => "",
        }
    }
}

/// Files and bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Number of files.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
}

impl Tally {
    fn add(&mut self, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
    }
}

/// What a built site holds: its files and bytes, by kind, and its largest file.
#[derive(Debug, Clone, Default)]
pub struct SiteSize {
    /// Every file.
    pub total: Tally,
    /// By kind.
    pub kinds: BTreeMap<FileKind, Tally>,
    /// The largest file and its bytes.
    pub largest: Option<(String, u64)>,
}

impl SiteSize {
    /// The size of a site given as (site-relative path, bytes) pairs.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a str, u64)>) -> SiteSize {
        let mut size = SiteSize::default();
        for (path, bytes) in files {
            size.total.add(bytes);
            size.kinds.entry(FileKind::of(path)).or_default().add(bytes);
            if size.largest.as_ref().is_none_or(|(p, b)| bytes > *b || (bytes == *b && path < p.as_str())) {
                size.largest = Some((path.to_string(), bytes));
            }
        }
        size
    }

    /// The kinds, most files first.
    pub fn kinds_by_files(&self) -> Vec<(FileKind, Tally)> {
        let mut kinds: Vec<(FileKind, Tally)> = self.kinds.iter().map(|(&k, &t)| (k, t)).collect();
        kinds.sort_by(|a, b| b.1.files.cmp(&a.1.files).then(a.0.cmp(&b.0)));
        kinds
    }
}

/// `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1.2 GB`, `340.5 MB`, `12.0 KB` (powers of 1,000, as hosts state limits).
pub fn bytes_label(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.1} KB", b / 1e3)
    }
}

/// Static hosts and their published limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// GitHub Pages: a published site of at most 1 GB; no file over 100 MB.
    GithubPages,
    /// Cloudflare Pages, free plan: 20,000 files, 25 MiB a file.
    CloudflareFree,
    /// Cloudflare Pages, paid plans: 100,000 files, 25 MiB a file.
    Cloudflare,
    /// GitLab Pages (GitLab.com): 1 GB of artifacts, 200,000 files.
    Gitlab,
    /// Netlify: no published limit on files or bytes.
    Netlify,
    /// Amazon S3: no limit on files; an object of at most 5 GB in one upload.
    S3,
}

/// A host's limits; `None` where it publishes none.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files in one site.
    pub files: Option<usize>,
    /// Bytes of the whole site.
    pub bytes: Option<u64>,
    /// Bytes of one file.
    pub file_bytes: Option<u64>,
}

impl Host {
    /// Every host, in the order `--host` lists them.
    pub const ALL: [Host; 6] =
        [Host::GithubPages, Host::CloudflareFree, Host::Cloudflare, Host::Gitlab, Host::Netlify, Host::S3];

    /// The name `--host` takes.
    pub fn key(self) -> &'static str {
        match self {
            Host::GithubPages => "github-pages",
            Host::CloudflareFree => "cloudflare-free",
            Host::Cloudflare => "cloudflare",
            Host::Gitlab => "gitlab",
            Host::Netlify => "netlify",
            Host::S3 => "s3",
        }
    }

    /// The host by its `--host` name.
    pub fn from_key(key: &str) -> Option<Host> {
        Host::ALL.into_iter().find(|h| h.key() == key)
    }

    /// Its name for people.
    pub fn name(self) -> &'static str {
        match self {
            Host::GithubPages => "GitHub Pages",
            Host::CloudflareFree => "Cloudflare Pages (free plan)",
            Host::Cloudflare => "Cloudflare Pages (paid plans)",
            Host::Gitlab => "GitLab Pages",
            Host::Netlify => "Netlify",
            Host::S3 => "Amazon S3",
        }
    }

    /// Its published limits.
    pub fn limits(self) -> Limits {
        const MIB: u64 = 1024 * 1024;
        match self {
            Host::GithubPages => Limits { files: None, bytes: Some(1_000_000_000), file_bytes: Some(100 * MIB) },
            Host::CloudflareFree => Limits { files: Some(20_000), bytes: None, file_bytes: Some(25 * MIB) },
            Host::Cloudflare => Limits { files: Some(100_000), bytes: None, file_bytes: Some(25 * MIB) },
            Host::Gitlab => Limits { files: Some(200_000), bytes: Some(1_000_000_000), file_bytes: None },
            Host::Netlify => Limits { files: None, bytes: None, file_bytes: None },
            Host::S3 => Limits { files: None, bytes: None, file_bytes: Some(5_000_000_000) },
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A limit a site passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overflow {
    /// What overflows, for people: `49,093 files, 20,000 allowed (29,093 over)`.
    pub message: String,
    /// Whether it is the number of files (else bytes).
    pub files: bool,
}

/// The limits of `host` that a site of `size` passes; empty when it fits.
pub fn overflows(size: &SiteSize, host: Host) -> Vec<Overflow> {
    let limits = host.limits();
    let mut out = Vec::new();
    if let Some(max) = limits.files.filter(|&max| size.total.files > max) {
        out.push(Overflow {
            message: format!(
                "{} files, {} allowed ({} over)",
                thousands(size.total.files as u64),
                thousands(max as u64),
                thousands((size.total.files - max) as u64)
            ),
            files: true,
        });
    }
    if let Some(max) = limits.bytes.filter(|&max| size.total.bytes > max) {
        out.push(Overflow {
            message: format!(
                "{} in all, {} allowed ({} over)",
                bytes_label(size.total.bytes),
                bytes_label(max),
                bytes_label(size.total.bytes - max)
            ),
            files: false,
        });
    }
    if let (Some(max), Some((path, bytes))) = (limits.file_bytes, &size.largest)
        && *bytes > max
    {
        out.push(Overflow {
            message: format!("{path} is {}, {} allowed for one file", bytes_label(*bytes), bytes_label(max)),
            files: false,
        });
    }
    out
}

/// The lines `gazette check --host` prints: whether the site fits, what
/// overflows and, for the kinds that hold most of it, the settings that
/// write less.
pub fn host_report(size: &SiteSize, host: Host) -> (bool, Vec<String>) {
    let over = overflows(size, host);
    if over.is_empty() {
        return (true, vec![format!("Fits {host}.")]);
    }
    let mut lines = vec![format!("Does not fit {host}:")];
    lines.extend(over.iter().map(|o| format!("  {}", o.message)));
    let by_files = over.iter().any(|o| o.files);
    let mut kinds = size.kinds_by_files();
    if !by_files {
        kinds.sort_by(|a, b| b.1.bytes.cmp(&a.1.bytes).then(a.0.cmp(&b.0)));
    }
    lines.push("Where it goes, and what writes less:".into());
    for (kind, tally) in kinds.into_iter().take(5) {
        let settings = kind.settings();
        let hint = if settings.is_empty() { String::new() } else { format!(": {settings}") };
        lines.push(format!(
            "  {} {} files, {}{hint}",
            kind.label(),
            thousands(tally.files as u64),
            bytes_label(tally.bytes)
        ));
    }
    (false, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_counted_by_kind() {
        for (path, kind) in [
            ("2022/02/28/peace-talks/index.html", FileKind::Articles),
            ("2022/02/28/page/2/index.html", FileKind::DatePages),
            ("2022/02/28/index.html", FileKind::DatePages),
            ("2022/index.html", FileKind::DatePages),
            ("people/anna/index.html", FileKind::EntityPages),
            ("people/anna/2022/index.html", FileKind::EntityPages),
            ("people/anna/atom.xml", FileKind::EntityFeeds),
            ("people/index.html", FileKind::EntityPages),
            ("search/t/3.bin", FileKind::Search),
            ("search/index.html", FileKind::Other),
            ("threads/peace-talks/index.html", FileKind::Threads),
            ("on-this-day/03-05/index.html", FileKind::OnThisDay),
            ("data/articles.jsonl", FileKind::Data),
            ("index.html", FileKind::Other),
            ("atom.xml", FileKind::Other),
            ("2022/02/28/peace-talks/index.html.br", FileKind::Compressed),
            ("people/anna/atom.xml.gz", FileKind::Compressed),
        ] {
            assert_eq!(FileKind::of(path), kind, "{path}");
        }
    }

    #[test]
    fn a_site_past_a_hosts_limits_says_which_and_what_to_change() {
        let mut files: Vec<(String, u64)> = (0..15_000).map(|i| (format!("people/p{i}/index.html"), 30_000)).collect();
        files.extend((0..10_000).map(|i| (format!("2020/01/01/a{i}/index.html"), 20_000)));
        files.push(("data/articles.jsonl".into(), 30 * 1024 * 1024));
        let size = SiteSize::of(files.iter().map(|(p, b)| (p.as_str(), *b)));
        assert_eq!(size.total.files, 25_001);
        assert_eq!(size.kinds[&FileKind::EntityPages], Tally { files: 15_000, bytes: 450_000_000 });
        assert_eq!(size.largest.as_ref().map(|l| l.0.as_str()), Some("data/articles.jsonl"));

        let (fits, lines) = host_report(&size, Host::CloudflareFree);
        assert!(!fits);
        assert!(lines[1].contains("25,001 files, 20,000 allowed (5,001 over)"), "{lines:?}");
        assert!(lines[2].contains("data/articles.jsonl is 31.5 MB"), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("entity pages 15,000 files") && l.contains("min_articles")),
            "{lines:?}"
        );
        assert!(!host_report(&size, Host::Cloudflare).0, "the data file is past 25 MiB");
        assert!(host_report(&size, Host::Netlify).0);
        let (fits, lines) = host_report(&size, Host::GithubPages);
        assert!(fits, "{lines:?}");
        assert_eq!(Host::from_key("gitlab"), Some(Host::Gitlab));
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
