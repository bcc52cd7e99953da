//! The pipeline every command shares: load the site (settings and theme),
//! read its articles, find their names and resolve them into an
//! [`Archive`]. `build` renders the archive to disk, `check` renders it in
//! memory, `serve` keeps it in memory file by file ([`read_file`]) and
//! `entities review` reads it; none of them runs a stage any other way.
//!
//! ```text
//! Site::load → read_articles → extract_mentions → resolve_articles → Archive
//! ```

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::archive::Archive;
use crate::cache::Cache;
use crate::config::{Config, DateFallback};
use crate::content::collection::read_collection;
use crate::content::sidecar::{SidecarEntry, Sidecars};
use crate::content::{self, Article, Origin, ReadOptions, Source, SourceKind};
use crate::diagnostics::{self, Diagnostic, DiagnosticKind};
use crate::entities::overrides::EntityOverrides;
use crate::entities::{self, Mention, Tagger};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::render::jobs::list_jobs;
use crate::render::pages::{Page, RenderInput, render_jobs};
use crate::render::templates::{BUILTIN_STATIC, Theme};
use crate::resolve::{LocalEntities, ResolveOptions, local_entities, resolve_alongside};
use crate::search::{self, SearchIndex};
use crate::text::{plural, web_path};

/// A site's settings and theme, loaded and checked.
pub struct Site {
    /// The folder holding site.toml.
    pub root: PathBuf,
    /// site.toml with command-line overrides applied.
    pub config: Config,
    /// The theme: templates, and which pages are written natively.
    pub theme: Theme,
}

impl Site {
    /// Loads site.toml and the templates; both are site-wide and fail the build.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Site> {
        let mut config = Config::load(root)?;
        if let Some(url) = base_url {
            config.set_base_url(url).map_err(|message| Error::Config { path: PathBuf::from("--base-url"), message })?;
        }
        let theme = Theme::load(&root.join("templates"))?;
        Ok(Site { root: root.to_path_buf(), config, theme })
    }

    /// Loads the templates again (after an edit), keeping the settings.
    pub fn reload_theme(&mut self) -> Result<()> {
        self.theme = Theme::load(&self.templates_dir())?;
        Ok(())
    }

    /// Resolution settings: site.toml's `[entities]` and the entities file it names.
    pub fn resolve_options(&self) -> Result<ResolveOptions> {
        let overrides = match &self.config.entities.file {
            Some(file) => EntityOverrides::load(&self.root.join(file))?,
            None => EntityOverrides::default(),
        };
        let entities = &self.config.entities;
        Ok(ResolveOptions { min_articles: entities.min_articles, min_confidence: entities.min_confidence, overrides })
    }

    /// The content folder.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join(&self.config.content_dir)
    }

    /// The site's templates folder.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// The site's static folder.
    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }
}

/// The built-in tagger, its loading error made a build error.
pub fn load_tagger() -> Result<Tagger> {
    Tagger::builtin().map_err(|e| Error::Model(e.to_string()))
}

/// Finds every article file and collection of the site and reads them, in
/// parallel, each file with its sidecar row; undated articles are
/// reported together, in one warning.
pub fn read_articles(site: &Site, progress: &dyn Progress) -> Result<(Vec<Article>, Vec<Diagnostic>)> {
    progress.start("discover", 0);
    let (sources, mut diagnostics) = content::discover(&site.root, &site.content_dir())?;
    progress.finish();
    let options = ReadOptions::new(&site.config);
    let (sidecars, problems) = Sidecars::load(&sources, &site.config.collections);
    diagnostics.extend(problems);
    let (files, collections): (Vec<&Source>, Vec<&Source>) =
        sources.iter().filter(|s| s.kind != SourceKind::Sidecar).partition(|s| s.kind == SourceKind::Article);
    diagnostics.extend(sidecars.unmatched(&sources));
    progress.start("parse", files.len() as u64);
    let parsed: Vec<(Option<Article>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|s| {
            progress.working_on(&s.display);
            let parsed = content::parse(s, &options, sidecars.get(&s.within));
            progress.advance(1);
            parsed
        })
        .collect();
    progress.finish();
    let mut articles = Vec::with_capacity(parsed.len());
    for (article, diags) in parsed {
        diagnostics.extend(diags);
        articles.extend(article);
    }
    for source in collections {
        progress.start("collection", 0);
        progress.working_on(&source.display);
        let (rows, problems) = read_collection(source, &options, &site.config.collections);
        articles.extend(rows);
        diagnostics.extend(problems);
        progress.finish();
    }
    diagnostics.extend(undated_warning(&site.config, &articles));
    Ok((articles, diagnostics))
}

/// The one warning that says how many articles have no date (and, with
/// `date_fallback = "mtime"`, how many were given their file's date),
/// naming the first few.
pub fn undated_warning<'a>(config: &Config, articles: impl IntoIterator<Item = &'a Article>) -> Option<Diagnostic> {
    let mut undated: Vec<&Path> = articles
        .into_iter()
        .filter(|a| a.date.is_none() || a.origins.date == Some(Origin::Modified))
        .map(|a| a.source.as_path())
        .collect();
    if undated.is_empty() {
        return None;
    }
    undated.sort();
    let n = undated.len();
    let shown: Vec<String> = undated.iter().take(3).map(|p| p.display().to_string()).collect();
    let more = if n > 3 { ", …" } else { "" };
    let (what, then) = match config.date_fallback {
        DateFallback::Mtime => ("dated by their file's modification time", "date_fallback = \"mtime\""),
        _ => ("listed under undated/", "set date_fallback in site.toml to change this"),
    };
    let message = format!(
        "{n} article{} with no date in a header, sidecar, path or first line ({}{more}): {what} ({then})",
        plural(n),
        shown.join(", ")
    );
    Some(Diagnostic::warning(&config.content_dir, None, message).with_kind(DiagnosticKind::Undated))
}

/// The names of every article, in parallel: from the cache when it has
/// them for the article's bytes, else from the tagger; with how many came
/// from the cache.
pub fn extract_mentions(
    articles: &[Article],
    cache: &Cache,
    tagger: &Tagger,
    progress: &dyn Progress,
) -> (Vec<Vec<Mention>>, usize) {
    progress.start("extract", articles.len() as u64);
    let cached = AtomicUsize::new(0);
    let mentions: Vec<_> = articles
        .par_iter()
        .map(|a| {
            progress.working_on(&a.source);
            let m = match cache.mentions(a) {
                Some(m) => {
                    cached.fetch_add(1, Ordering::Relaxed);
                    m.to_vec()
                }
                None => entities::extract_article(a, tagger),
            };
            progress.advance(1);
            m
        })
        .collect();
    progress.finish();
    (mentions, cached.into_inner())
}

/// Resolves the articles' names into entities and builds the archive;
/// with `save_to`, the names are written to that cache while they are
/// grouped (failing to write it only costs time later, so it is no error).
pub fn resolve_articles(
    articles: Vec<Article>,
    mentions: Vec<Vec<Mention>>,
    tagger: &Tagger,
    options: &ResolveOptions,
    progress: &dyn Progress,
    save_to: Option<&Cache>,
) -> (Archive, Vec<Diagnostic>) {
    resolve_alongside(articles, mentions, tagger.gazetteer(), options, progress, |mentions| {
        if let Some(cache) = save_to {
            let _ = cache.save(mentions);
        }
    })
}

/// The archive a build of the site would render, in memory: its articles
/// read, their names found (from the cache where it can) and resolved;
/// with the problems found in content files, sorted. Writes nothing.
pub fn read_archive(site: &Site, progress: &dyn Progress) -> Result<(Archive, Vec<Diagnostic>)> {
    let (read, tagger) = rayon::join(|| read_articles(site, progress), load_tagger);
    let (articles, mut diagnostics) = read?;
    let tagger = tagger?;
    let mut cache = Cache::open(&site.root, entities::tagger::model_fingerprint());
    let (mentions, _) = extract_mentions(&articles, &cache, &tagger, progress);
    cache.release_mentions();
    let (archive, more) = resolve_articles(articles, mentions, &tagger, &site.resolve_options()?, progress, None);
    diagnostics.extend(more);
    diagnostics::sort(&mut diagnostics);
    Ok((archive, diagnostics))
}

/// Every file of the site, rendered in memory: its pages (search index
/// included) and its static files, by output path.
pub fn render_site(site: &Site, archive: &Archive) -> Result<Vec<Page>> {
    let config = &site.config;
    let index = config.search.enabled.then(|| SearchIndex::build(archive, search::stems(config)));
    let input = RenderInput::new(archive, config, &site.theme, index.as_ref());
    let mut pages = render_jobs(&input, &list_jobs(archive, config))?;
    let statics = static_files(site);
    // A static file replaces a generated one of the same path (robots.txt).
    pages.retain(|p| !statics.iter().any(|s| s.path == p.path));
    pages.extend(statics);
    Ok(pages)
}

/// The site's static files: the built-in ones (`style.css`, `search.js`),
/// replaced or joined by those in the site's `static/` folder.
pub fn static_files(site: &Site) -> Vec<Page> {
    let mut files: std::collections::BTreeMap<String, Vec<u8>> =
        BUILTIN_STATIC.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
    let dir = site.static_dir();
    for entry in walkdir::WalkDir::new(&dir).follow_links(false).into_iter().filter_map(|e| e.ok()) {
        if entry.file_type().is_file()
            && let (Ok(rel), Ok(bytes)) = (entry.path().strip_prefix(&dir), std::fs::read(entry.path()))
        {
            files.insert(web_path(rel), bytes);
        }
    }
    files.into_iter().map(|(path, content)| Page { path, content }).collect()
}

/// One content file, read on its own: what `serve` keeps per file so that
/// an edit re-reads only that file.
pub struct FileRead {
    /// The file.
    pub source: Source,
    /// What identifies its content (see [`file_fingerprint`]); `None` when it cannot be read.
    pub fingerprint: Option<u64>,
    /// The article, unless the file could not be used.
    pub article: Option<Article>,
    /// The names found in it.
    pub mentions: Vec<Mention>,
    /// Its names grouped within the article, ready to resolve.
    pub local: LocalEntities,
    /// Problems found in it.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads, parses and tags one file (with its sidecar row, if any), and groups its names.
pub fn read_file(
    source: Source,
    site: &Site,
    sidecar: Option<&SidecarEntry>,
    tagger: &Tagger,
    options: &ResolveOptions,
) -> FileRead {
    let (article, diagnostics) = content::parse(&source, &ReadOptions::new(&site.config), sidecar);
    // A parsed article carries its file's fingerprint; a skipped file is read for it (or not, when too large).
    let fingerprint = match &article {
        Some(a) => Some(a.fingerprint),
        None => file_fingerprint(&source.path, site),
    };
    let (mentions, local) = tag_article(article.as_ref(), tagger, options);
    FileRead { source, fingerprint, article, mentions, local, diagnostics }
}

/// The names found in an article, and grouped within it.
fn tag_article(article: Option<&Article>, tagger: &Tagger, options: &ResolveOptions) -> (Vec<Mention>, LocalEntities) {
    let mentions = article.map(|a| entities::extract_article(a, tagger)).unwrap_or_default();
    let local =
        article.map(|a| local_entities(a, &mentions, tagger.gazetteer(), &options.overrides)).unwrap_or_default();
    (mentions, local)
}

/// Reads a collection: one [`FileRead`] for the file itself (its
/// fingerprint and the problems that concern no one row) and one per row,
/// whose source is named `file.csv:row N`. Rows whose content `unchanged`
/// holds (by fingerprint) are not tagged again: their reads come back
/// without mentions, for the caller to keep its own.
pub fn read_collection_file(
    source: Source,
    site: &Site,
    tagger: &Tagger,
    options: &ResolveOptions,
    unchanged: &(dyn Fn(&Article) -> bool + Sync),
) -> Vec<FileRead> {
    let (articles, mut diagnostics) =
        read_collection(&source, &ReadOptions::new(&site.config), &site.config.collections);
    let fingerprint = file_fingerprint(&source.path, site);
    // Problems of a row go with the row; the others with the file.
    let mut by_row: std::collections::HashMap<PathBuf, Vec<Diagnostic>> = std::collections::HashMap::new();
    let (rows, file_level): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(|d| d.path != source.display);
    diagnostics = file_level;
    for d in rows {
        by_row.entry(d.path.clone()).or_default().push(d);
    }
    let mut reads: Vec<FileRead> = articles
        .into_iter()
        .map(|article| {
            let problems = by_row.remove(&article.source).unwrap_or_default();
            (article, problems)
        })
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(article, problems)| {
            let row = Source { display: article.source.clone(), ..source.clone() };
            let (mentions, local) =
                if unchanged(&article) { Default::default() } else { tag_article(Some(&article), tagger, options) };
            let fingerprint = Some(article.fingerprint);
            FileRead { source: row, fingerprint, article: Some(article), mentions, local, diagnostics: problems }
        })
        .collect();
    // Rows that were skipped have no article: their problems stay with the file.
    diagnostics.extend(by_row.into_values().flatten());
    let file =
        FileRead { source, fingerprint, article: None, mentions: Vec::new(), local: Default::default(), diagnostics };
    reads.insert(0, file);
    reads
}

/// What identifies a file's content: its bytes' fingerprint, or for a file
/// too large to read, its size and modification time (never read whole);
/// `None` when it cannot be read (the parse reports why).
pub fn file_fingerprint(path: &Path, site: &Site) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > site.config.max_article_bytes {
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        return Some(meta.len() ^ modified.rotate_left(17));
    }
    // A collection is compared row by row once read; its bytes say whether to read it.
    std::fs::read(path).ok().map(|b| content::parse::fingerprint(&b, site.config.markdown.allow_raw_html))
}
