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
use walkdir::WalkDir;

use crate::archive::{Archive, ArticleId};
use crate::build::Site;
use crate::content::parse::fingerprint;
use crate::content::{self, Article, EntityKind, Source};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::entities::{self, Mention, Tagger};
use crate::error::{Error, Result};
use crate::render::feeds::{FeedScope, feed_scopes};
use crate::render::pages::{
    ListOrder, PageJob, RenderInput, SearchFile, job_output_path, job_template, list_jobs, render_jobs,
};
use crate::render::templates::BUILTIN_STATIC;
use crate::resolve::{LocalEntities, ResolveOptions, local_entities, patch_article, resolve_local};

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
}

/// One content file, as last read.
struct Entry {
    source: Source,
    fingerprint: u64,
    article: Option<Arc<Article>>,
    mentions: Vec<Mention>,
    local: Arc<LocalEntities>,
    diagnostics: Vec<Diagnostic>,
}

/// The site in memory.
pub struct Workspace {
    root: PathBuf,
    base_url: String,
    site: Site,
    tagger: Tagger,
    options: ResolveOptions,
    entries: BTreeMap<PathBuf, Entry>,
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
        let tagger = Tagger::builtin().map_err(|e| Error::Model(e.to_string()))?;
        let options = site.resolve_options()?;
        let (sources, discover_diagnostics) = content::discover(root, &site.content_dir())?;
        let entries: Vec<Entry> = sources.into_par_iter().map(|s| read_entry(s, &site, &tagger, &options)).collect();
        let mut ws = Workspace {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            site,
            tagger,
            options,
            entries: entries.into_iter().map(|e| (e.source.path.clone(), e)).collect(),
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
        // Slug clashes are reported on the file that was renamed.
        for entry in self.entries.values_mut() {
            entry
                .diagnostics
                .retain(|d| !d.message.starts_with("same date and slug") && !d.message.starts_with("slug \"page\""));
        }
        for d in diagnostics {
            if let Some(entry) = self.entries.values_mut().find(|e| e.source.display == d.path) {
                entry.diagnostics.push(d);
            }
        }
    }

    fn render(&self, jobs: &[PageJob]) -> Result<Vec<(String, Bytes)>> {
        let templates_dir = self.root.join("templates");
        let input = RenderInput {
            archive: &self.archive,
            config: &self.site.config,
            tera: &self.site.tera,
            templates_dir: &templates_dir,
            search: None,
            native: crate::render::native::NativePages::for_templates(&templates_dir),
        };
        Ok(render_jobs(&input, jobs)?.into_iter().map(|p| (p.path, Bytes::from(p.content))).collect())
    }

    fn read_statics(&self) -> Vec<(String, Bytes)> {
        let mut files: BTreeMap<String, Bytes> =
            BUILTIN_STATIC.iter().map(|(p, b)| (p.to_string(), Bytes::from_static(b))).collect();
        let dir = self.root.join("static");
        for entry in WalkDir::new(&dir).follow_links(false).into_iter().filter_map(|e| e.ok()) {
            if entry.file_type().is_file()
                && let (Ok(rel), Ok(bytes)) = (entry.path().strip_prefix(&dir), std::fs::read(entry.path()))
            {
                files.insert(web_path(rel), Bytes::from(bytes));
            }
        }
        files.into_iter().collect()
    }

    /// Applies changes. A site-wide error (site.toml, a template) leaves the
    /// served site as it was.
    pub fn apply(&mut self, changes: &Changes) -> Result<Update> {
        if changes.config {
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
            return Ok(Update { files, reload: Reload::All, rendered });
        }
        let mut files = Vec::new();
        let mut reload_all = false;
        let mut rendered = 0;
        if !changes.templates.is_empty() {
            let tera = crate::render::load_templates(&self.root.join("templates"))?;
            self.site.tera = tera;
            // A new folder may hold files whose events came before it was
            // watched: then every template counts as changed.
            let names: Vec<String> = changes
                .templates
                .iter()
                .filter_map(|p| p.strip_prefix(self.root.join("templates")).ok().map(web_path))
                .map(|n| if n.ends_with(".html") || n.ends_with(".xml") { n } else { String::from("*") })
                .collect();
            let page_templates: HashSet<&str> = names.iter().map(String::as_str).collect();
            let jobs: Vec<PageJob> = list_jobs(&self.archive, &self.site.config)
                .into_iter()
                .filter(|j| {
                    // A base or partial template is used by every page.
                    page_templates.contains(job_template(*j)) || names.iter().any(|n| !is_page_template(n))
                })
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
        if !changes.content.is_empty() && !changes.entities {
            let update = self.apply_content(&changes.content)?;
            rendered += update.rendered;
            files.extend(update.files);
            if !reload_all {
                reload = update.reload;
            }
        }
        Ok(Update { files, reload, rendered })
    }

    /// Re-reads changed content files and renders what they touch.
    fn apply_content(&mut self, paths: &[PathBuf]) -> Result<Update> {
        let content_dir = self.site.content_dir();
        let needs_rescan = paths.iter().any(|p| p.is_dir() || (!p.exists() && !content::discover::is_article_file(p)));
        let mut candidates: Vec<Source> = Vec::new();
        let mut removed: Vec<PathBuf> = Vec::new();
        if needs_rescan {
            let (sources, diagnostics) = content::discover(&self.root, &content_dir)?;
            self.discover_diagnostics = diagnostics;
            let present: HashSet<&PathBuf> = sources.iter().map(|s| &s.path).collect();
            removed.extend(self.entries.keys().filter(|k| !present.contains(k)).cloned());
            candidates.extend(
                sources.iter().filter(|s| !self.entries.contains_key(&s.path) || paths.contains(&s.path)).cloned(),
            );
        } else {
            for path in paths {
                let ignored = path.file_name().is_some_and(content::discover::is_ignored);
                if path.is_file() && !ignored && content::discover::is_article_file(path) {
                    let display = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
                    candidates.push(Source { path: path.clone(), display });
                } else if !path.exists() && self.entries.contains_key(path) {
                    removed.push(path.clone());
                }
            }
        }
        let mut touched: Vec<PathBuf> = Vec::new();
        for path in removed {
            if let Some(old) = self.entries.remove(&path)
                && old.article.is_some()
            {
                touched.push(old.source.display);
            }
        }
        let allow_html = self.site.config.markdown.allow_raw_html;
        let max_bytes = self.site.config.max_article_bytes;
        let fresh: Vec<Entry> = candidates
            .into_par_iter()
            .filter(|s| {
                let old = self.entries.get(&s.path).map(|e| e.fingerprint);
                file_fingerprint(&s.path, allow_html, max_bytes).is_none_or(|f| Some(f) != old)
            })
            .map(|s| read_entry(s, &self.site, &self.tagger, &self.options))
            .collect();
        let single_edit = fresh.len() == 1 && touched.is_empty();
        let mut previous: Option<(Arc<Article>, Arc<LocalEntities>)> = None;
        for mut entry in fresh {
            let path = entry.source.path.clone();
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
            return Ok(Update { files: Vec::new(), reload: Reload::Nothing, rendered: 0 });
        }
        // Text edits that leave names and dates alone patch the archive in place.
        let patched = single_edit
            && previous.is_some_and(|(old_article, old_local)| {
                let entry = &self.entries[&self.root.join(&touched[0])];
                let id = self.archive.articles.iter().position(|a| Arc::ptr_eq(a, &old_article));
                match (id, &entry.article) {
                    (Some(id), Some(article)) => {
                        entry.diagnostics.is_empty()
                            && patch_article(&mut self.archive, id, &old_local, article.clone(), &entry.local)
                    }
                    _ => false,
                }
            });
        let jobs = if patched {
            affected_jobs(&self.archive, &self.archive, &touched, &self.site.config)
        } else {
            let old = std::mem::take(&mut self.archive);
            self.resolve();
            let jobs = affected_jobs(&old, &self.archive, &touched, &self.site.config);
            // Freeing the old archive takes a while; not on the way to the browser.
            std::thread::spawn(move || drop(old));
            jobs
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
            let all_now: HashSet<String> = list_jobs(&self.archive, &self.site.config)
                .into_iter()
                .map(|j| job_output_path(&self.archive, j))
                .collect();
            let gone = self.pages.difference(&all_now).cloned().collect();
            self.pages = all_now;
            gone
        };
        let mut changed: Vec<String> = pages.iter().map(|(p, _)| p.clone()).collect();
        changed.extend(gone.iter().cloned());
        let mut files: Vec<(String, Option<Bytes>)> = pages.into_iter().map(|(p, b)| (p, Some(b))).collect();
        files.extend(gone.into_iter().map(|p| (p, None)));
        Ok(Update { files, reload: Reload::Pages(changed), rendered })
    }
}

/// What identifies a file's content: its bytes' fingerprint, or for a file
/// too large to read, its size and modification time (never read whole).
fn file_fingerprint(path: &Path, allow_html: bool, max_bytes: u64) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > max_bytes {
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        return Some(meta.len() ^ modified.rotate_left(17));
    }
    std::fs::read(path).ok().map(|b| fingerprint(&b, allow_html))
}

/// Reads, parses and tags one file.
fn read_entry(source: Source, site: &Site, tagger: &Tagger, options: &ResolveOptions) -> Entry {
    let (allow_html, max_bytes) = (site.config.markdown.allow_raw_html, site.config.max_article_bytes);
    let (article, diagnostics) = content::parse(&source, allow_html, max_bytes);
    // A parsed article carries its file's fingerprint; a skipped file is read for it (or not, when too large).
    let fingerprint = article
        .as_ref()
        .map(|a| a.fingerprint)
        .or_else(|| file_fingerprint(&source.path, allow_html, max_bytes))
        .unwrap_or_default();
    let mentions = article.as_ref().map(|a| entities::extract_article(a, tagger)).unwrap_or_default();
    let local = article
        .as_ref()
        .map(|a| local_entities(a, &mentions, tagger.gazetteer(), &options.overrides))
        .unwrap_or_default();
    Entry { source, fingerprint, article: article.map(Arc::new), mentions, local: Arc::new(local), diagnostics }
}

fn is_page_template(name: &str) -> bool {
    matches!(
        name,
        "home.html"
            | "article.html"
            | "day.html"
            | "month.html"
            | "year.html"
            | "archive.html"
            | "entity_list.html"
            | "entity.html"
            | "404.html"
            | "atom.xml"
    )
}

/// `a\b.css` → `a/b.css`.
fn web_path(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Where an article sits in an entity's newest-first list, and the list's length.
type ListPosition = (usize, usize);

/// The pages that show any of the `touched` articles, before or after the change.
fn affected_jobs(old: &Archive, new: &Archive, touched: &[PathBuf], config: &crate::config::Config) -> Vec<PageJob> {
    let new_ids: HashMap<&Path, ArticleId> =
        new.articles.iter().enumerate().map(|(i, a)| (a.source.as_path(), i)).collect();
    let old_ids: HashMap<&Path, ArticleId> =
        old.articles.iter().enumerate().map(|(i, a)| (a.source.as_path(), i)).collect();
    let mut jobs: Vec<PageJob> = vec![PageJob::Archive];
    let mut dates = Vec::new();
    // Entities of the touched articles: (kind, name) -> position of the
    // article in the entity's newest-first list and its length, before and after.
    let mut entity_positions: HashMap<(EntityKind, String), [Option<ListPosition>; 2]> = HashMap::new();
    let position = |archive: &Archive, entity: usize, article: ArticleId| {
        let list = &archive.entities[entity].articles;
        list.binary_search(&article).ok().map(|i| (list.len() - 1 - i, list.len()))
    };
    let mut order_changed = old.articles.len() != new.articles.len();
    for source in touched {
        let old_id = old_ids.get(source.as_path()).copied();
        let new_id = new_ids.get(source.as_path()).copied();
        if old_id != new_id {
            order_changed = true;
        }
        if let Some(id) = old_id {
            dates.push(old.articles[id].date);
            for ae in &old.article_entities[id] {
                let e = &old.entities[ae.entity];
                entity_positions.entry((e.kind, e.name.clone())).or_default()[0] = position(old, ae.entity, id);
            }
            // The old neighbours now point elsewhere.
            for n in [id.checked_sub(1), Some(id + 1)].into_iter().flatten() {
                if let Some(a) = old.articles.get(n)
                    && let Some(&nid) = new_ids.get(a.source.as_path())
                {
                    jobs.push(PageJob::Article(nid));
                }
            }
        }
        if let Some(id) = new_id {
            let a = &new.articles[id];
            dates.push(a.date);
            jobs.push(PageJob::Article(id));
            for n in [id.checked_sub(1), Some(id + 1)].into_iter().flatten().filter(|&n| n < new.articles.len()) {
                jobs.push(PageJob::Article(n));
            }
            for ae in &new.article_entities[id] {
                let e = &new.entities[ae.entity];
                entity_positions.entry((e.kind, e.name.clone())).or_default()[1] = position(new, ae.entity, id);
            }
            let per = config.pagination.home.max(1);
            jobs.push(PageJob::Home((new.articles.len() - 1 - id) / per + 1));
        }
    }
    if order_changed {
        let pages = new.articles.len().div_ceil(config.pagination.home.max(1)).max(1);
        jobs.extend((1..=pages).map(PageJob::Home));
    }
    let months = new.months();
    for date in dates {
        use chrono::Datelike;
        if new.days.contains_key(&date) {
            let pages = new.days[&date].len().div_ceil(config.pagination.period.max(1)).max(1);
            jobs.extend((1..=pages).map(|n| PageJob::Day(date, n)));
        }
        if months.contains_key(&(date.year(), date.month())) {
            let count: usize = months[&(date.year(), date.month())].iter().map(|d| new.day_count(*d)).sum();
            let pages = count.div_ceil(config.pagination.period.max(1)).max(1);
            jobs.extend((1..=pages).map(|n| PageJob::Month(date.year(), date.month(), n)));
            jobs.push(PageJob::Year(date.year()));
        }
        // Neighbouring days, months and years link to this one.
        let neighbours = [new.days.range(..date).next_back(), new.days.range(date.succ_opt().unwrap_or(date)..).next()];
        for (&d, ids) in neighbours.into_iter().flatten() {
            let pages = ids.len().div_ceil(config.pagination.period.max(1)).max(1);
            jobs.extend((1..=pages).map(|n| PageJob::Day(d, n)));
        }
    }
    let by_name: HashMap<(EntityKind, &str), usize> = new
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.has_page)
        .map(|(id, e)| ((e.kind, e.name.as_str()), id))
        .collect();
    let per = config.pagination.entity.max(1);
    let mut kinds = HashSet::new();
    for ((kind, name), [before, after]) in &entity_positions {
        let Some(&id) = by_name.get(&(*kind, name.as_str())) else {
            kinds.insert(*kind);
            continue;
        };
        let pages = new.entities[id].articles.len().div_ceil(per).max(1);
        let first_page = match (before, after) {
            // Same place in the same list: only the page that shows it.
            (Some((b, lb)), Some((a, la))) if b == a && lb == la => {
                jobs.push(PageJob::Entity(id, a / per + 1));
                continue;
            }
            (Some((b, _)), Some((a, _))) => b.min(a) / per + 1,
            (Some((b, _)), None) => b / per + 1,
            (None, Some((a, _))) => a / per + 1,
            (None, None) => 1,
        };
        // The list grew, shrank or moved: every page from there on shifts; the
        // first page also shows the counts.
        kinds.insert(*kind);
        jobs.push(PageJob::Entity(id, 1));
        jobs.extend((first_page..=pages).map(|p| PageJob::Entity(id, p)));
    }
    // Feeds: the site's and each type's may show the article; its entities' do.
    let feeds: HashSet<FeedScope> = feed_scopes(new, config).into_iter().collect();
    let mut wanted = vec![FeedScope::Site];
    wanted.extend(EntityKind::WITH_PAGES.into_iter().map(FeedScope::Kind));
    wanted.extend(
        jobs.iter().filter_map(|j| if let PageJob::Entity(id, _) = j { Some(FeedScope::Entity(*id)) } else { None }),
    );
    jobs.extend(wanted.into_iter().filter(|f| feeds.contains(f)).map(PageJob::Feed));
    // The sitemap changes when pages come or go.
    if order_changed || !kinds.is_empty() {
        jobs.extend(list_jobs(new, config).into_iter().filter(|j| matches!(j, PageJob::Sitemap(_))));
    }
    let entities_changed = !kinds.is_empty();
    for kind in kinds.into_iter().filter(|k| k.section().is_some()) {
        let count = new.entities.iter().filter(|e| e.kind == kind && e.has_page).count();
        let pages = count.div_ceil(config.pagination.entity_list.max(1)).max(1);
        for order in [ListOrder::Name, ListOrder::Count] {
            jobs.extend((1..=pages).map(|p| PageJob::EntityList(kind, order, p)));
        }
    }
    if config.search.enabled {
        jobs.extend(search_jobs(old, new, &old_ids, &new_ids, touched, order_changed || entities_changed, config));
    }
    let mut seen = HashSet::new();
    jobs.retain(|j| seen.insert(*j));
    jobs
}

/// The search index files an edit changes. When articles moved (ids shift)
/// or entities came or went, that is all of them; otherwise the chunks that
/// list the edited articles and the shards of their old and new words.
fn search_jobs(
    old: &Archive,
    new: &Archive,
    old_ids: &HashMap<&Path, ArticleId>,
    new_ids: &HashMap<&Path, ArticleId>,
    touched: &[PathBuf],
    everything: bool,
    config: &crate::config::Config,
) -> Vec<PageJob> {
    use crate::search::index::{article_shards, shard_count};
    let shards = shard_count(new.articles.len());
    let stem = crate::search::stems(config);
    if everything || shards != shard_count(old.articles.len()) {
        return list_jobs(new, config).into_iter().filter(|j| matches!(j, PageJob::SearchData(_))).collect();
    }
    let mut jobs = vec![PageJob::SearchData(SearchFile::Manifest)];
    for source in touched {
        if let Some(&id) = old_ids.get(source.as_path()) {
            jobs.extend(
                article_shards(old, id, shards, stem).into_iter().map(|s| PageJob::SearchData(SearchFile::Terms(s))),
            );
        }
        if let Some(&id) = new_ids.get(source.as_path()) {
            jobs.extend(
                article_shards(new, id, shards, stem).into_iter().map(|s| PageJob::SearchData(SearchFile::Terms(s))),
            );
            jobs.push(PageJob::SearchData(SearchFile::Docs((id / crate::search::DOCS_PER_CHUNK) as u32)));
        }
    }
    jobs
}
