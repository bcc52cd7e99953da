//! The incremental build behind `serve`: the site kept in memory, and the
//! smallest rebuild for each kind of change.
//!
//! An edited article is parsed and tagged again on its own; resolution runs
//! over the cached entities of every other article; then only the pages that
//! show the article are rendered: its page, its neighbours, its day, month
//! and year, the home page it is on, its entities' pages and lists, and the
//! archive overview. A template change renders the pages that use it; a
//! static file is read again; only site.toml means a full rebuild.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use rayon::prelude::*;

use crate::archive::Archive;
use crate::content::sidecar::Sidecars;
use crate::content::{self, Article, Source, SourceKind};
use crate::diagnostics::{self, Diagnostic, DiagnosticKind, Severity};
use crate::entities::{Mention, Tagger};
use crate::error::Result;
use crate::pipeline::{self, FileRead, Site};
use crate::render::jobs::{PageJob, SearchBefore, jobs_showing, list_jobs, page_templates, patched_search_jobs};
use crate::render::pages::{RenderInput, render_jobs};
use crate::resolve::{LocalEntities, ResolveOptions, local_entities, patch_article, resolve_local};
use crate::text::web_path;

/// What changed on disk, sorted by the kind of rebuild it needs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// site.toml changed: rebuild everything.
    pub config: bool,
    /// The entities file changed: resolve again.
    pub entities: bool,
    /// Templates that changed (files under templates/).
    pub templates: Vec<PathBuf>,
    /// Static files that changed, were added or removed.
    pub statics: Vec<PathBuf>,
    /// Content files (or folders) that changed, were added or removed.
    pub content: Vec<PathBuf>,
}

impl Changes {
    /// Whether nothing relevant changed.
    pub fn is_empty(&self) -> bool {
        !self.config
            && !self.entities
            && self.templates.is_empty()
            && self.statics.is_empty()
            && self.content.is_empty()
    }
}

/// Which browser tabs should reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    /// None: nothing that is shown changed.
    Nothing,
    /// Tabs showing these output paths (`2022/02/28/slug/index.html`).
    Pages(Vec<String>),
    /// Every tab.
    All,
}

/// The result of applying changes: files to put in (or take out of) the
/// served site, and which tabs to reload.
#[derive(Debug)]
pub struct Update {
    /// Output path and new bytes, or `None` when the file is gone.
    pub files: Vec<(String, Option<Bytes>)>,
    /// Tabs to reload.
    pub reload: Reload,
    /// Pages rendered for this update.
    pub rendered: usize,
    /// The archive this update replaced, for the caller to free once the
    /// files are served (freeing a large one takes a while).
    pub retired: Option<Archive>,
}

/// One content file, as last read.
struct Entry {
    source: Source,
    fingerprint: Option<u64>,
    article: Option<Arc<Article>>,
    mentions: Vec<Mention>,
    local: Arc<LocalEntities>,
    diagnostics: Vec<Diagnostic>,
}

impl From<FileRead> for Entry {
    fn from(read: FileRead) -> Entry {
        Entry {
            source: read.source,
            fingerprint: read.fingerprint,
            article: read.article.map(Arc::new),
            mentions: read.mentions,
            local: Arc::new(read.local),
            diagnostics: read.diagnostics,
        }
    }
}

/// The site in memory.
pub struct Workspace {
    root: PathBuf,
    base_url: String,
    site: Site,
    tagger: Tagger,
    options: ResolveOptions,
    /// Every content file's entry, and one per row of each collection,
    /// by [`entry_key`].
    entries: BTreeMap<PathBuf, Entry>,
    /// The sidecars' rows, by article file.
    sidecars: Sidecars,
    discover_diagnostics: Vec<Diagnostic>,
    archive: Archive,
    pages: HashSet<String>,
    statics: HashSet<String>,
    /// Search index files an edit changed, rendered after its pages (see
    /// [`Workspace::update_search`]).
    search_pending: Vec<PageJob>,
}

impl Workspace {
    /// Builds the whole site in memory. `base_url` replaces site.toml's, so
    /// that links work on the preview server.
    pub fn load(root: &Path, base_url: &str) -> Result<(Workspace, Vec<(String, Bytes)>)> {
        let site = Site::load(root, Some(base_url))?;
        let tagger = pipeline::load_tagger()?;
        let options = site.resolve_options()?;
        let (sources, mut discover_diagnostics) = content::discover(root, &site.content_dir())?;
        let (sidecars, problems) = Sidecars::load(&sources, &site.config.collections);
        discover_diagnostics.extend(problems);
        discover_diagnostics.extend(sidecars.unmatched(&sources));
        let (files, collections): (Vec<Source>, Vec<Source>) =
            sources.into_iter().filter(|s| s.kind != SourceKind::Sidecar).partition(|s| s.kind == SourceKind::Article);
        let mut entries: Vec<Entry> = files
            .into_par_iter()
            .map(|s| {
                let sidecar = sidecars.get(&s.within);
                pipeline::read_file(s, &site, sidecar, &tagger, &options).into()
            })
            .collect();
        for source in collections {
            let reads = pipeline::read_collection_file(source, &site, &tagger, &options, &|_| false);
            entries.extend(reads.into_iter().map(Entry::from));
        }
        let mut ws = Workspace {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            site,
            tagger,
            options,
            entries: entries.into_iter().map(|e| (entry_key(root, &e.source), e)).collect(),
            sidecars,
            discover_diagnostics,
            archive: Archive::default(),
            pages: HashSet::new(),
            statics: HashSet::new(),
            search_pending: Vec::new(),
        };
        ws.resolve();
        let jobs = list_jobs(&ws.archive, &ws.site.config);
        let mut files = ws.render(&jobs)?;
        ws.pages = files.iter().map(|(p, _)| p.clone()).collect();
        let statics = ws.read_statics();
        ws.statics = statics.iter().map(|(p, _)| p.clone()).collect();
        files.extend(statics);
        Ok((ws, files))
    }

    /// Whether edits changed search index files that are not rendered yet.
    pub fn search_pending(&self) -> bool {
        !self.search_pending.is_empty()
    }

    /// Renders the search index files that edits changed since the last
    /// call, if any: rebuilding the index takes longer than the pages, so
    /// the server does it after the browser has the new page.
    pub fn update_search(&mut self) -> Result<Option<Update>> {
        if self.search_pending.is_empty() {
            return Ok(None);
        }
        let mut jobs = std::mem::take(&mut self.search_pending);
        let mut seen = HashSet::new();
        jobs.retain(|j| seen.insert(*j));
        // Files a later resolve removed (fewer shards or chunks) are not rendered.
        let current: HashSet<PageJob> = list_jobs(&self.archive, &self.site.config).into_iter().collect();
        jobs.retain(|j| current.contains(j));
        let files = self.render(&jobs)?;
        let rendered = files.len();
        Ok(Some(Update {
            files: files.into_iter().map(|(p, b)| (p, Some(b))).collect(),
            reload: Reload::Nothing,
            rendered,
            retired: None,
        }))
    }

    /// Content problems of the current state, sorted.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .discover_diagnostics
            .iter()
            .chain(self.entries.values().flat_map(|e| &e.diagnostics))
            .cloned()
            .collect();
        let articles = self.entries.values().filter_map(|e| e.article.as_deref());
        all.extend(pipeline::undated_warning(&self.site.config, articles));
        diagnostics::sort(&mut all);
        all
    }

    /// Problems bad enough to show over the page: files that could not be used.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.diagnostics().into_iter().filter(|d| d.severity == Severity::Error).collect()
    }

    /// Number of articles.
    pub fn article_count(&self) -> usize {
        self.archive.articles.len()
    }

    fn resolve(&mut self) {
        let pairs: Vec<(Arc<Article>, Arc<LocalEntities>)> =
            self.entries.values().filter_map(|e| e.article.clone().map(|a| (a, e.local.clone()))).collect();
        let (archive, diagnostics) = resolve_local(pairs, self.tagger.gazetteer(), &self.options);
        self.archive = archive;
        // Slug clashes are found anew by each resolve, and reported on the file that was renamed.
        for entry in self.entries.values_mut() {
            entry.diagnostics.retain(|d| d.kind != DiagnosticKind::SlugClash);
        }
        for d in diagnostics {
            if let Some(entry) = self.entries.values_mut().find(|e| e.source.display == d.path) {
                entry.diagnostics.push(d);
            }
        }
    }

    fn render(&self, jobs: &[PageJob]) -> Result<Vec<(String, Bytes)>> {
        let input = RenderInput::new(&self.archive, &self.site.config, &self.site.theme, None);
        Ok(render_jobs(&input, jobs)?.into_iter().map(|p| (p.path, Bytes::from(p.content))).collect())
    }

    fn read_statics(&self) -> Vec<(String, Bytes)> {
        pipeline::static_files(&self.site).into_iter().map(|p| (p.path, Bytes::from(p.content))).collect()
    }

    /// Applies changes. A site-wide error (site.toml, a template) leaves the
    /// served site as it was.
    pub fn apply(&mut self, changes: &Changes) -> Result<Update> {
        // A sidecar speaks for every file of its folder: read them all again.
        let sidecar_changed =
            changes.content.iter().any(|p| content::discover::source_kind(p) == Some(SourceKind::Sidecar));
        if changes.config || sidecar_changed {
            let (fresh, files) = Workspace::load(&self.root, &self.base_url)?;
            let gone: Vec<String> = self
                .pages
                .iter()
                .chain(&self.statics)
                .filter(|p| !fresh.pages.contains(*p) && !fresh.statics.contains(*p))
                .cloned()
                .collect();
            *self = fresh;
            let rendered = files.len();
            let mut files: Vec<(String, Option<Bytes>)> = files.into_iter().map(|(p, b)| (p, Some(b))).collect();
            files.extend(gone.into_iter().map(|p| (p, None)));
            return Ok(Update { files, reload: Reload::All, rendered, retired: None });
        }
        let mut files = Vec::new();
        let mut reload_all = false;
        let mut rendered = 0;
        if !changes.templates.is_empty() {
            self.site.reload_theme()?;
            // A new folder may hold files whose events came before it was
            // watched: then every template counts as changed.
            let templates_dir = self.site.templates_dir();
            let names: Vec<String> = changes
                .templates
                .iter()
                .filter_map(|p| p.strip_prefix(&templates_dir).ok().map(web_path))
                .map(|n| if n.ends_with(".html") || n.ends_with(".xml") { n } else { String::from("*") })
                .collect();
            let changed: HashSet<&str> = names.iter().map(String::as_str).collect();
            // A base or partial template may be used by every page.
            let shared = changed.iter().any(|n| !page_templates().any(|p| p == *n));
            let jobs: Vec<PageJob> = list_jobs(&self.archive, &self.site.config)
                .into_iter()
                .filter(|j| shared || changed.contains(j.template()))
                .collect();
            let pages = self.render(&jobs)?;
            rendered += pages.len();
            files.extend(pages.into_iter().map(|(p, b)| (p, Some(b))));
            reload_all = true;
        }
        if !changes.statics.is_empty() {
            let current = self.read_statics();
            let now: HashSet<String> = current.iter().map(|(p, _)| p.clone()).collect();
            files.extend(self.statics.difference(&now).map(|p| (p.clone(), None)));
            files.extend(current.into_iter().map(|(p, b)| (p, Some(b))));
            self.statics = now;
            reload_all = true;
        }
        if changes.entities {
            self.options = self.site.resolve_options()?;
            let (tagger, options) = (&self.tagger, &self.options);
            self.entries.par_iter_mut().for_each(|(_, e)| {
                if let Some(a) = &e.article {
                    e.local = Arc::new(local_entities(a, &e.mentions, tagger.gazetteer(), &options.overrides));
                }
            });
            self.resolve();
            let jobs = list_jobs(&self.archive, &self.site.config);
            let pages = self.render(&jobs)?;
            rendered += pages.len();
            let now: HashSet<String> = pages.iter().map(|(p, _)| p.clone()).collect();
            files.extend(self.pages.difference(&now).map(|p| (p.clone(), None)));
            files.extend(pages.into_iter().map(|(p, b)| (p, Some(b))));
            self.pages = now;
            reload_all = true;
        }
        let mut reload = if reload_all { Reload::All } else { Reload::Nothing };
        let mut retired = None;
        if !changes.content.is_empty() && !changes.entities {
            let update = self.apply_content(&changes.content)?;
            rendered += update.rendered;
            files.extend(update.files);
            retired = update.retired;
            if !reload_all {
                reload = update.reload;
            }
        }
        Ok(Update { files, reload, rendered, retired })
    }

    /// Re-reads changed content files and renders what they touch.
    fn apply_content(&mut self, paths: &[PathBuf]) -> Result<Update> {
        let content_dir = self.site.content_dir();
        // Folders, and links (which discovery follows or reports), are read the way a build reads them.
        let is_link = |p: &PathBuf| p.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
        let needs_rescan =
            paths.iter().any(|p| p.is_dir() || is_link(p) || (!p.exists() && !content::discover::is_article_file(p)));
        let mut candidates: Vec<Source> = Vec::new();
        let mut removed: Vec<PathBuf> = Vec::new();
        let present_files: HashSet<PathBuf> = self.entries.values().map(|e| e.source.path.clone()).collect();
        if needs_rescan {
            let (sources, diagnostics) = content::discover(&self.root, &content_dir)?;
            self.discover_diagnostics = diagnostics;
            let present: HashSet<&PathBuf> = sources.iter().map(|s| &s.path).collect();
            removed.extend(present_files.iter().filter(|k| !present.contains(k)).cloned());
            candidates.extend(
                sources
                    .iter()
                    .filter(|s| s.kind != SourceKind::Sidecar)
                    .filter(|s| !present_files.contains(&s.path) || paths.contains(&s.path))
                    .cloned(),
            );
        } else {
            for path in paths {
                let ignored = path.file_name().is_some_and(content::discover::is_ignored);
                let kind = content::discover::source_kind(path);
                if path.is_file() && !ignored && matches!(kind, Some(SourceKind::Article | SourceKind::Collection)) {
                    candidates.push(Source::new(&self.root, &content_dir, path));
                } else if !path.exists() && present_files.contains(path) {
                    removed.push(path.clone());
                }
            }
        }
        let mut touched: Vec<PathBuf> = Vec::new();
        for path in removed {
            // A file's entry, or a collection's and all its rows'.
            let keys: Vec<PathBuf> =
                self.entries.iter().filter(|(_, e)| e.source.path == path).map(|(k, _)| k.clone()).collect();
            for key in keys {
                if let Some(old) = self.entries.remove(&key)
                    && old.article.is_some()
                {
                    touched.push(old.source.display);
                }
            }
        }
        let candidates: Vec<Source> = candidates
            .into_iter()
            .filter(|s| {
                // A file that cannot be read is read again, so that the parse reports why.
                let old = self.entries.get(&s.path).and_then(|e| e.fingerprint);
                pipeline::file_fingerprint(&s.path, &self.site).is_none_or(|f| Some(f) != old)
            })
            .collect();
        let (collections, files): (Vec<Source>, Vec<Source>) =
            candidates.into_iter().partition(|s| s.kind == SourceKind::Collection);
        let sidecars = &self.sidecars;
        let mut fresh: Vec<Entry> = files
            .into_par_iter()
            .map(|s| {
                let sidecar = sidecars.get(&s.within);
                pipeline::read_file(s, &self.site, sidecar, &self.tagger, &self.options).into()
            })
            .collect();
        for source in collections {
            touched.extend(self.read_collection_again(source, &mut fresh));
        }
        let single_edit = fresh.len() == 1 && touched.is_empty();
        let mut previous: Option<(Arc<Article>, Arc<LocalEntities>)> = None;
        for mut entry in fresh {
            let path = entry_key(&self.root, &entry.source);
            if let Some(old) = self.entries.get(&path)
                && let Some(article) = &old.article
            {
                previous = Some((article.clone(), old.local.clone()));
            }
            if entry.article.is_none()
                && let Some(old) = self.entries.get(&path)
                && old.article.is_some()
            {
                // Keep serving the last good version while the file is broken.
                entry.article = old.article.clone();
                entry.mentions = old.mentions.clone();
                entry.local = old.local.clone();
            }
            touched.push(entry.source.display.clone());
            self.entries.insert(path, entry);
        }
        if touched.is_empty() {
            return Ok(Update { files: Vec::new(), reload: Reload::Nothing, rendered: 0, retired: None });
        }
        // Text edits that leave names and dates alone patch the archive in place.
        let mut search_before = None;
        let patched = single_edit
            && previous.is_some_and(|(old_article, old_local)| {
                let entry = &self.entries[&self.root.join(&touched[0])];
                // (A row's key is its display path under the root, as a file's is.)
                let id = self.archive.articles.iter().position(|a| Arc::ptr_eq(a, &old_article));
                match (id, &entry.article) {
                    (Some(id), Some(article)) if entry.diagnostics.is_empty() => {
                        let before = SearchBefore::of(&self.archive, id, &self.site.config);
                        let patched = patch_article(&mut self.archive, id, &old_local, article.clone(), &entry.local);
                        search_before = patched.then_some(before);
                        patched
                    }
                    _ => false,
                }
            });
        let (jobs, retired) = if patched {
            let mut jobs = jobs_showing(&self.archive, &self.archive, &touched, &self.site.config);
            if let Some(before) = search_before {
                jobs.extend(patched_search_jobs(&self.archive, before, &self.site.config));
            }
            (jobs, None)
        } else {
            let old = std::mem::take(&mut self.archive);
            self.resolve();
            (jobs_showing(&old, &self.archive, &touched, &self.site.config), Some(old))
        };
        // The search index waits until the pages are on their way to the browser.
        let (search, jobs): (Vec<PageJob>, Vec<PageJob>) =
            jobs.into_iter().partition(|j| matches!(j, PageJob::SearchData(_)));
        self.search_pending.extend(search);
        let pages = self.render(&jobs)?;
        let rendered = pages.len();
        // A text edit changes no page's existence; anything else may add or remove pages.
        let gone: Vec<String> = if patched {
            Vec::new()
        } else {
            let all_now: HashSet<String> =
                list_jobs(&self.archive, &self.site.config).into_iter().map(|j| j.output_path(&self.archive)).collect();
            let gone = self.pages.difference(&all_now).cloned().collect();
            self.pages = all_now;
            gone
        };
        let mut changed: Vec<String> = pages.iter().map(|(p, _)| p.clone()).collect();
        changed.extend(gone.iter().cloned());
        let mut files: Vec<(String, Option<Bytes>)> = pages.into_iter().map(|(p, b)| (p, Some(b))).collect();
        files.extend(gone.into_iter().map(|p| (p, None)));
        Ok(Update { files, reload: Reload::Pages(changed), rendered, retired })
    }

    /// Reads a changed collection again, once it has stopped changing.
    /// Rows whose content is unchanged keep their entry (and names) and
    /// are not touched; rows whose content is known under another row
    /// number (rows moved) keep their names but are touched; changed and
    /// new rows go to `fresh`, tagged; rows that are gone are removed.
    /// Returns the rows touched by removal.
    fn read_collection_again(&mut self, source: Source, fresh: &mut Vec<Entry>) -> Vec<PathBuf> {
        wait_until_settled(&source.path);
        let root = self.root.clone();
        // The names of every row of the collection, by content.
        let known: HashMap<u64, (Vec<Mention>, Arc<LocalEntities>)> = self
            .entries
            .values()
            .filter(|e| e.source.path == source.path && e.article.is_some())
            .filter_map(|e| Some((e.fingerprint?, (e.mentions.clone(), e.local.clone()))))
            .collect();
        let unchanged = |a: &Article| known.contains_key(&a.fingerprint);
        let reads = pipeline::read_collection_file(source.clone(), &self.site, &self.tagger, &self.options, &unchanged);
        let now: HashSet<PathBuf> = reads.iter().map(|r| entry_key(&root, &r.source)).collect();
        let mut touched = Vec::new();
        let gone: Vec<PathBuf> = self
            .entries
            .iter()
            .filter(|(k, e)| e.source.path == source.path && !now.contains(*k))
            .map(|(k, _)| k.clone())
            .collect();
        for key in gone {
            if let Some(old) = self.entries.remove(&key)
                && old.article.is_some()
            {
                touched.push(old.source.display);
            }
        }
        for read in reads {
            let key = entry_key(&root, &read.source);
            let Some(article) = &read.article else {
                // The file's own entry: its fingerprint and the problems of no one row.
                self.entries.insert(key, read.into());
                continue;
            };
            let fingerprint = article.fingerprint;
            match (self.entries.get_mut(&key), known.get(&fingerprint)) {
                // The same row, the same content: only its problems may have changed.
                (Some(old), _) if old.fingerprint == Some(fingerprint) && old.article.is_some() => {
                    old.diagnostics = read.diagnostics;
                }
                // Content the collection had under another row: its names are known.
                (_, Some((mentions, local))) => {
                    let mut entry = Entry::from(read);
                    entry.mentions = mentions.clone();
                    entry.local = local.clone();
                    fresh.push(entry);
                }
                _ => fresh.push(read.into()),
            }
        }
        touched
    }
}

/// Waits, a little, for a collection that is being written to stop
/// changing (its size and modification time the same for 100 ms), so that
/// one saved in place is read whole, not half-written. An empty one is
/// given up to two seconds to fill: a program that truncates the file,
/// then makes its rows, leaves it empty a while.
fn wait_until_settled(path: &Path) {
    const STEP: std::time::Duration = std::time::Duration::from_millis(50);
    let state = || std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().ok()));
    let mut last = state();
    let mut same = 0;
    for _ in 0..40 {
        std::thread::sleep(STEP);
        let now = state();
        same = if now == last { same + 1 } else { 0 };
        let empty = now.is_some_and(|(len, _)| len == 0);
        if same >= 2 && !empty {
            return;
        }
        last = now;
    }
}

/// The key of an entry: the path of its file, or for a row of a
/// collection, the file's path followed by `:row N` (its display name under the root).
fn entry_key(root: &Path, source: &Source) -> PathBuf {
    root.join(&source.display)
}
