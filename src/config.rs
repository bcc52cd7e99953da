//! `site.toml`: the site's identity and settings. Unknown keys are an error,
//! so a typo never silently does nothing.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// File name of the configuration, in the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Settings from site.toml, with defaults for everything but the title.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the masthead.
    pub title: String,
    /// One-line description.
    #[serde(default)]
    pub description: String,
    /// Absolute URL where the site will be served, e.g. `https://example.org/archive/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Language code of the articles.
    #[serde(default = "default_language")]
    pub language: String,
    /// Footer text, Markdown (credits, licence).
    #[serde(default)]
    pub footer: String,
    /// Folder of articles, relative to the site root.
    #[serde(default = "default_content_dir")]
    pub content_dir: PathBuf,
    /// Folder written by `gazette build`, relative to the site root.
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// Markdown settings.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// How many items list pages show.
    #[serde(default)]
    pub pagination: PaginationConfig,
    /// Entity pages.
    #[serde(default)]
    pub entities: EntitiesConfig,
    /// Atom feeds.
    #[serde(default)]
    pub feeds: FeedsConfig,
    /// The search page and its index.
    #[serde(default)]
    pub search: SearchConfig,
    /// The archive as data files (`data/`).
    #[serde(default)]
    pub data: DataConfig,
    /// Largest article file read, in bytes; a larger one is reported with
    /// its size and skipped without being read.
    #[serde(default = "default_max_article_bytes")]
    pub max_article_bytes: u64,
    /// `[output]`: how a rebuild reaches the output folder.
    #[serde(default)]
    pub output: OutputConfig,
    /// What an article with no date anywhere is given.
    #[serde(default)]
    pub date_fallback: DateFallback,
    /// `[sections]`: sections from folders.
    #[serde(default)]
    pub sections: SectionsConfig,
    /// `[collections]`: which columns of CSV, TSV and JSON Lines files are which field.
    #[serde(default)]
    pub collections: CollectionsConfig,
}

/// What an article with no date in its header, sidecar, path or dateline is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateFallback {
    /// No date: it is listed under `undated/`, not on date pages.
    #[default]
    Undated,
    /// The file's modification date.
    Mtime,
    /// The article is reported as an error and skipped.
    Error,
}

/// `[sections]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionsConfig {
    /// The first folder under content/ that is not a date (`business/`)
    /// is the section of the articles in it, unless they name one.
    #[serde(default = "default_true")]
    pub folders: bool,
    /// Display names of sections, by folder or field value (`business = "Business & Economy"`).
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, String>,
}

impl Default for SectionsConfig {
    fn default() -> Self {
        Self { folders: true, names: Default::default() }
    }
}

/// `[collections]`: the column holding each field of an article, in CSV,
/// TSV and JSON Lines files. A field left out is looked for under its
/// usual names (`title`, `headline`; `date`, `published`; …).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionsConfig {
    /// Column of the headline.
    pub title: Option<String>,
    /// Column of the date.
    pub date: Option<String>,
    /// Column of the body text (`text` or `body`).
    #[serde(alias = "body")]
    pub text: Option<String>,
    /// Column of the original URL.
    pub url: Option<String>,
    /// Column of the authors.
    pub author: Option<String>,
    /// Column of the section.
    pub section: Option<String>,
    /// Column of a stable identifier, used for the slug when there is no headline.
    pub id: Option<String>,
    /// Column of the summary.
    pub summary: Option<String>,
}

/// `[output]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// How a rebuild replaces the site.
    #[serde(default)]
    pub switch: Switch,
    /// A set of defaults for how much the site writes: any setting site.toml
    /// gives itself wins over the profile's.
    #[serde(default)]
    pub profile: Profile,
    /// Compressed copies written beside each text file (`["br", "gz"]`),
    /// for servers that send them as they are; none by default.
    #[serde(default)]
    pub precompress: Vec<crate::precompress::Encoding>,
}

/// `[output] profile`: defaults for how much a site writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// The defaults documented with each setting.
    #[default]
    Full,
    /// Fewer, larger files for hosts that count them (see
    /// [`COMPACT_DEFAULTS`]); every page and article is still there.
    Compact,
}

/// What `profile = "compact"` changes, as (table, key, value): entity year
/// pages of 300 articles instead of 100, search result data in files of 64
/// articles instead of 16, and three home pages instead of ten.
pub const COMPACT_DEFAULTS: &[(&str, &str, i64)] =
    &[("pagination", "entity_year", 300), ("pagination", "home_pages", 3), ("search", "articles_per_file", 64)];

/// How a rebuild puts the new site in place of the old one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Switch {
    /// In one step: a build killed at any point leaves the old site or the
    /// new one, whole. A rebuild costs a hard link per unchanged file.
    #[default]
    Atomic,
    /// Changed files are moved in one by one: a rebuild costs only what
    /// changed, but a build killed while moving them leaves pages of both.
    InPlace,
}

/// `[search]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Write the search index and the search page (`search/`).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Articles per file of result data (`search/d/N.json`, headline,
    /// date, snippet): a page of results fetches the files of the articles
    /// it shows, so larger files mean fewer files and more bytes a search.
    #[serde(default = "default_articles_per_file")]
    pub articles_per_file: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self { enabled: true, articles_per_file: default_articles_per_file() }
    }
}

/// The default of `[search] articles_per_file`.
pub const DEFAULT_ARTICLES_PER_FILE: usize = 16;

fn default_articles_per_file() -> usize {
    DEFAULT_ARTICLES_PER_FILE
}

/// `[data]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// Write the archive as data: `data/articles.jsonl` (split by year past
    /// `max_file_mb`), `data/entities.jsonl` and a `data/` page listing them.
    #[serde(default)]
    pub export: bool,
    /// The largest articles file, in megabytes (10⁶ bytes), before the
    /// articles are split by year (and a year by month): 50 by default;
    /// 25 fits hosts that take no larger file.
    #[serde(default = "default_max_file_mb")]
    pub max_file_mb: f64,
}

impl Default for DataConfig {
    fn default() -> Self {
        Self { export: false, max_file_mb: default_max_file_mb() }
    }
}

impl DataConfig {
    /// [`DataConfig::max_file_mb`] in bytes.
    pub fn max_file_bytes(&self) -> usize {
        (self.max_file_mb.max(0.0) * 1e6) as usize
    }
}

fn default_max_file_mb() -> f64 {
    50.0
}

/// `[feeds]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// Newest articles in each feed.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
    /// A feed per entity page (`people/name/atom.xml`), besides the site's
    /// and each entity type's.
    #[serde(default = "default_true")]
    pub entities: bool,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        Self { limit: default_feed_limit(), entities: true }
    }
}

/// `[markdown]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown articles through to pages. Off by default:
    /// raw HTML is shown as text.
    #[serde(default)]
    pub allow_raw_html: bool,
}

/// `[pagination]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationConfig {
    /// Articles per page on the home page.
    #[serde(default = "default_home")]
    pub home: usize,
    /// At most this many pages of latest articles (0: as many as the
    /// articles take); the last leads on to the month of the next older
    /// article, where the date pages go on. Every article is on its date
    /// pages, so later home pages would list them all once more.
    #[serde(default = "default_home_pages")]
    pub home_pages: usize,
    /// Articles per page on an entity page.
    #[serde(default = "default_entity")]
    pub entity: usize,
    /// Entities per page on an entity list page.
    #[serde(default = "default_entity_list")]
    pub entity_list: usize,
    /// Articles per page on a day, month, section or undated page.
    #[serde(default = "default_period")]
    pub period: usize,
    /// Articles per page on an entity's year pages (`people/x/2022/`,
    /// `people/x/2005-2009/`): years of fewer articles share one.
    #[serde(default = "default_period")]
    pub entity_year: usize,
}

impl Default for PaginationConfig {
    fn default() -> Self {
        Self {
            home: default_home(),
            home_pages: default_home_pages(),
            entity: default_entity(),
            entity_list: default_entity_list(),
            period: default_period(),
            entity_year: default_period(),
        }
    }
}

/// `[entities]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitiesConfig {
    /// An entity gets a page once this many articles mention it.
    #[serde(default = "default_min_articles")]
    pub min_articles: usize,
    /// An entity gets a page when the estimated probability that the page
    /// is right reaches this (0 to 1; see README, "A page is a promise").
    #[serde(default = "default_min_confidence")]
    pub min_confidence: f32,
    /// The site owner's entities file (canonical names, aliases, ignores), relative to the site root.
    #[serde(default)]
    pub file: Option<PathBuf>,
}

impl Default for EntitiesConfig {
    fn default() -> Self {
        Self { min_articles: default_min_articles(), min_confidence: default_min_confidence(), file: None }
    }
}

fn default_base_url() -> String {
    "http://localhost/".to_string()
}
/// The default of site.toml's `max_article_bytes`: 8 MiB, far more than
/// any article (a long one is 50 KB) and little enough that one scraped
/// dump cannot hold a build for minutes.
pub const DEFAULT_MAX_ARTICLE_BYTES: u64 = 8 << 20;

/// The default of `[entities] min_confidence`.
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

fn default_language() -> String {
    "en".to_string()
}
fn default_content_dir() -> PathBuf {
    PathBuf::from("content")
}
fn default_max_article_bytes() -> u64 {
    DEFAULT_MAX_ARTICLE_BYTES
}
fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}
fn default_home() -> usize {
    20
}
fn default_home_pages() -> usize {
    10
}
fn default_entity() -> usize {
    30
}
fn default_entity_list() -> usize {
    300
}
fn default_period() -> usize {
    100
}
fn default_min_articles() -> usize {
    1
}
fn default_min_confidence() -> f32 {
    DEFAULT_MIN_CONFIDENCE
}
fn default_feed_limit() -> usize {
    20
}
fn default_true() -> bool {
    true
}

impl Config {
    /// Reads and checks `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Config {
                path: path.clone(),
                message:
                    "not found: is this a gazette site? (`gazette init DIR` makes one, `--root DIR` points at one)"
                        .into(),
            },
            _ => Error::io("cannot read", &path, e),
        })?;
        Self::parse(&text, &path)
    }

    /// Parses the text of a site.toml; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text)
            .map_err(|e| Error::Config { path: path.to_path_buf(), message: toml_message(text, &e) })?;
        if config.output.profile == Profile::Compact {
            config = with_defaults(text, COMPACT_DEFAULTS)
                .map_err(|message| Error::Config { path: path.to_path_buf(), message })?;
        }
        config.base_url = normalize_base_url(&config.base_url)
            .map_err(|message| Error::Config { path: path.to_path_buf(), message })?;
        let p = &config.pagination;
        if p.home == 0 || p.entity == 0 || p.entity_list == 0 || p.period == 0 || p.entity_year == 0 {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: "[pagination] values must be at least 1".into(),
            });
        }
        if config.search.articles_per_file == 0 {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: "[search] articles_per_file must be at least 1".into(),
            });
        }
        let confidence = config.entities.min_confidence;
        if !(0.0..=1.0).contains(&confidence) {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: format!("[entities] min_confidence must be between 0 and 1, got {confidence}"),
            });
        }
        if config.max_article_bytes == 0 {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: "max_article_bytes must be at least 1".into(),
            });
        }
        Ok(config)
    }

    /// Replaces the base URL (from `--base-url`), checking it like site.toml's.
    pub fn set_base_url(&mut self, url: &str) -> std::result::Result<(), String> {
        self.base_url = normalize_base_url(url)?;
        Ok(())
    }

    /// The path part of the base URL, always starting and ending with `/`.
    pub fn base_path(&self) -> &str {
        base_path(&self.base_url)
    }
}

/// The config of `text` with `defaults` (table, key, value) filled in
/// where it sets none.
fn with_defaults(text: &str, defaults: &[(&str, &str, i64)]) -> std::result::Result<Config, String> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    for (section, key, value) in defaults {
        let section = table.entry(*section).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(section) = section {
            section.entry(*key).or_insert(toml::Value::Integer(*value));
        }
    }
    Config::deserialize(toml::Value::Table(table)).map_err(|e| e.to_string())
}

/// Renders a TOML error as "line N: message".
pub fn toml_message(text: &str, error: &toml::de::Error) -> String {
    match error.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {}", error.message())
        }
        None => error.message().to_string(),
    }
}

/// Checks that a base URL is absolute http(s) and makes it end with `/`.
pub fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url must start with http:// or https://, got {url:?}"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(format!("base_url has no host: {url:?}"));
    }
    if rest.contains(['?', '#']) {
        return Err(format!("base_url must not have a query or fragment: {url:?}"));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// The path part of an absolute URL ending in `/` (`https://a.org/x/` → `/x/`).
pub fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after_scheme..].find('/') {
        Some(i) => &base_url[after_scheme + i..],
        None => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let c = Config::parse("title = \"T\"", Path::new("site.toml")).unwrap();
        assert_eq!(c.base_url, "http://localhost/");
        assert_eq!(c.pagination.home, 20);
        assert_eq!(c.entities.min_articles, 1);
        assert_eq!(c.entities.min_confidence, DEFAULT_MIN_CONFIDENCE);
        assert!(!c.markdown.allow_raw_html);
    }

    #[test]
    fn the_compact_profile_changes_defaults_and_site_toml_still_wins() {
        let parse = |text: &str| Config::parse(&format!("title = \"T\"\n{text}"), Path::new("site.toml")).unwrap();
        let full = parse("");
        assert_eq!(
            (full.pagination.entity_year, full.pagination.home_pages, full.search.articles_per_file),
            (100, 10, 16)
        );
        let compact = parse("[output]\nprofile = \"compact\"\n");
        assert_eq!(
            (compact.pagination.entity_year, compact.pagination.home_pages, compact.search.articles_per_file),
            (300, 3, 64)
        );
        assert_eq!(compact.pagination.home, 20, "what the profile leaves alone keeps its default");
        let own = parse("[output]\nprofile = \"compact\"\n[pagination]\nentity_year = 50\nhome = 5\n");
        assert_eq!((own.pagination.entity_year, own.pagination.home, own.pagination.home_pages), (50, 5, 3));
        let err = Config::parse("title = \"T\"\n[output]\nprofile = \"tiny\"\n", Path::new("site.toml")).unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
    }

    #[test]
    fn min_confidence_is_a_probability() {
        let parse = |v: &str| {
            Config::parse(&format!("title = \"T\"\n[entities]\nmin_confidence = {v}\n"), Path::new("site.toml"))
        };
        assert_eq!(parse("0.8").unwrap().entities.min_confidence, 0.8);
        assert!(parse("1.5").unwrap_err().to_string().contains("between 0 and 1"));
        assert!(parse("-0.1").is_err());
    }

    #[test]
    fn unknown_keys_name_the_line() {
        let err = Config::parse("title = \"T\"\ntitel = \"x\"\n", Path::new("site.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("site.toml"), "{msg}");
        assert!(msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn base_url_is_checked_and_gets_a_slash() {
        assert_eq!(normalize_base_url("https://example.org/archive").unwrap(), "https://example.org/archive/");
        assert!(normalize_base_url("example.org").is_err());
        assert!(normalize_base_url("https://").is_err());
        assert_eq!(base_path("https://example.org/archive/"), "/archive/");
        assert_eq!(base_path("https://example.org/"), "/");
    }
}
