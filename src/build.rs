//! The build: runs the pipeline stages in order. This is the only module
//! that knows them all:
//!
//! discover → parse → extract → resolve → render → write.

use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::archive::Archive;
use crate::cache::{Cache, Manifest};
use crate::config::Config;
use crate::content::{self, Article};
use crate::diagnostics::{self, Diagnostic};
use crate::entities::hash::FastHasher;
use crate::entities::overrides::EntityOverrides;
use crate::entities::{self, Tagger};
use crate::error::{Error, Result};
use crate::output;
use crate::progress::{Progress, Silent};
use crate::render::{self, pages::RenderInput};
use crate::resolve::{ResolveOptions, resolve_alongside};
use crate::search::{self, SearchIndex};
use crate::written::Written;

/// What `gazette build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder that holds site.toml.
    pub root: PathBuf,
    /// Output folder; default: `output_dir` of site.toml, relative to the root.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of site.toml.
    pub base_url: Option<String>,
    /// Fail (and write nothing) when any content file has a problem.
    pub strict: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Where the site was written.
    pub output: PathBuf,
    /// Articles built.
    pub articles: usize,
    /// Entities that got pages.
    pub entity_pages: usize,
    /// Files written (pages and static files).
    pub files: usize,
    /// Problems found in content files (already handled).
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Articles whose entities came from the cache rather than the tagger.
    pub cached: usize,
    /// Nothing had changed since the last build: the output was left as it was.
    pub unchanged: bool,
}

/// A site's settings and theme, loaded and checked.
pub struct Site {
    /// The folder holding site.toml.
    pub root: PathBuf,
    /// site.toml with command-line overrides applied.
    pub config: Config,
    /// The theme.
    pub tera: tera::Tera,
}

impl Site {
    /// Loads site.toml and the templates; both are site-wide and fail the build.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Site> {
        let mut config = Config::load(root)?;
        if let Some(url) = base_url {
            config.set_base_url(url).map_err(|message| Error::Config { path: PathBuf::from("--base-url"), message })?;
        }
        let tera = render::load_templates(&root.join("templates"))?;
        Ok(Site { root: root.to_path_buf(), config, tera })
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
}

/// Reads and parses every article of the site, in parallel.
pub fn read_articles(site: &Site, progress: &dyn Progress) -> Result<(Vec<Article>, Vec<Diagnostic>)> {
    progress.start("discover", 0);
    let (sources, mut diagnostics) = content::discover(&site.root, &site.content_dir())?;
    progress.finish();
    let allow_html = site.config.markdown.allow_raw_html;
    let max_bytes = site.config.max_article_bytes;
    progress.start("parse", sources.len() as u64);
    let parsed: Vec<(Option<Article>, Vec<Diagnostic>)> = sources
        .par_iter()
        .map(|s| {
            progress.working_on(&s.display);
            let parsed = content::parse(s, allow_html, max_bytes);
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
    Ok((articles, diagnostics))
}

/// The mentions of every article, in parallel: from the cache when it has
/// them for the article's bytes, else from the tagger; with how many came
/// from the cache.
fn extract_mentions(
    articles: &[Article],
    cache: &Cache,
    extractor: &Tagger,
    progress: &dyn Progress,
) -> (Vec<Vec<entities::Mention>>, usize) {
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
                None => entities::extract_article(a, extractor),
            };
            progress.advance(1);
            m
        })
        .collect();
    progress.finish();
    (mentions, cached.into_inner())
}

/// The archive a build of the site would render, in memory: its articles
/// read, their names found (from the cache where it can) and resolved;
/// with the problems found in content files. Writes nothing.
pub fn read_archive(site: &Site, progress: &dyn Progress) -> Result<(Archive, Vec<Diagnostic>)> {
    let (read, extractor) = rayon::join(|| read_articles(site, progress), Tagger::builtin);
    let (articles, mut diagnostics) = read?;
    let extractor = extractor.map_err(|e| Error::Model(e.to_string()))?;
    let cache = Cache::open(&site.root, crate::entities::tagger::model_fingerprint());
    let (mentions, _) = extract_mentions(&articles, &cache, &extractor, progress);
    let (archive, more) = crate::resolve::resolve_alongside(
        articles,
        mentions,
        extractor.gazetteer(),
        &site.resolve_options()?,
        progress,
        |_, _| {},
    );
    diagnostics.extend(more);
    diagnostics::sort(&mut diagnostics);
    Ok((archive, diagnostics))
}

/// A hash of everything a build reads: gazette and its model, site.toml and
/// the entities file, templates, static files, every article's bytes and the
/// problems found so far. Equal hashes give equal output.
fn inputs_fingerprint(site: &Site, output: &Path, model: u64, articles: &[Article], diagnostics: &[Diagnostic]) -> u64 {
    let mut h = FastHasher::default();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write_u64(model);
    h.write(output.as_os_str().as_encoded_bytes());
    h.write(site.config.base_url.as_bytes());
    let mut file = |path: &Path, content: bool| {
        h.write(path.as_os_str().as_encoded_bytes());
        if content {
            h.write(&std::fs::read(path).unwrap_or_default());
        } else if let Ok(meta) = std::fs::metadata(path) {
            h.write_u64(meta.len());
            h.write_u64(
                meta.modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as u64),
            );
        }
    };
    file(&site.root.join(crate::config::CONFIG_FILE), true);
    if let Some(entities) = &site.config.entities.file {
        file(&site.root.join(entities), true);
    }
    for (dir, content) in [("templates", true), ("static", false)] {
        for entry in walkdir::WalkDir::new(site.root.join(dir)).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
            if entry.file_type().is_file() {
                file(entry.path(), content);
            }
        }
    }
    for a in articles {
        h.write(a.source.as_os_str().as_encoded_bytes());
        h.write_u64(a.fingerprint);
    }
    for d in diagnostics {
        h.write(d.to_string().as_bytes());
    }
    h.finish()
}

/// Builds the site described by `options`.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    build_with_progress(options, &Silent)
}

/// Builds the site, reporting each stage's progress.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let site = Site::load(&options.root, options.base_url.as_deref())?;
    let output_dir = options.output.clone().unwrap_or_else(|| site.root.join(&site.config.output_dir));
    output::check_output_dir(&site.root, &output_dir)?;
    lap("load", &mut timings);

    // The tagger's tables load while the articles are read.
    let (read, extractor) = rayon::join(|| read_articles(&site, progress), Tagger::builtin);
    let (articles, mut diagnostics) = read?;
    lap("discover+parse", &mut timings);
    let model = crate::entities::tagger::model_fingerprint();
    let cache = Cache::open(&site.root, model);
    progress.start("check", 0);
    let inputs = inputs_fingerprint(&site, &output_dir, model, &articles, &diagnostics).to_string();
    let record_dir = crate::written::record_dir(&site.root);
    let intact = || Written::load(&record_dir, &output_dir).is_some_and(|w| w.is_intact(&output_dir));
    let unchanged = cache.manifest().filter(|m| m.inputs == inputs && m.output == output_dir && intact());
    progress.finish();
    if let Some(manifest) = unchanged {
        if options.strict && !manifest.diagnostics.is_empty() {
            return Err(Error::Strict { diagnostics: manifest.diagnostics });
        }
        lap("check", &mut timings);
        return Ok(BuildReport {
            output: output_dir,
            articles: manifest.articles,
            entity_pages: manifest.entity_pages,
            files: manifest.files,
            diagnostics: manifest.diagnostics,
            timings,
            cached: manifest.articles,
            unchanged: true,
        });
    }
    let extractor = extractor.map_err(|e| Error::Model(e.to_string()))?;
    let (mentions, cached) = extract_mentions(&articles, &cache, &extractor, progress);
    lap("extract", &mut timings);
    let resolve_options = site.resolve_options()?;
    // The cache is written while each article's names are grouped. It
    // only saves time: failing to write it is not a build failure.
    let (archive, resolve_diagnostics) = resolve_alongside(
        articles,
        mentions,
        extractor.gazetteer(),
        &resolve_options,
        progress,
        |articles, mentions| {
            let _ = cache.save(articles, mentions);
        },
    );
    diagnostics.extend(resolve_diagnostics);
    diagnostics::sort(&mut diagnostics);
    lap("resolve", &mut timings);

    if options.strict && !diagnostics.is_empty() {
        return Err(Error::Strict { diagnostics });
    }
    let templates_dir = site.root.join("templates");
    let jobs = render::pages::list_jobs(&archive, &site.config);
    progress.start("index", 0);
    let staging =
        output::Staging::create(&output_dir, Written::load(&record_dir, &output_dir), site.config.output.switch)?;
    // The output's folders are made (mostly kernel work) while the search index is built.
    let (search_index, folders) = rayon::join(
        || site.config.search.enabled.then(|| SearchIndex::build(&archive, search::stems(&site.config))),
        || {
            let paths: Vec<String> = jobs.iter().map(|j| render::pages::job_output_path(&archive, *j)).collect();
            staging.create_folders(paths.iter().map(String::as_str))
        },
    );
    progress.finish();
    folders?;
    lap("search index+folders", &mut timings);
    let input = RenderInput {
        archive: &archive,
        config: &site.config,
        tera: &site.tera,
        templates_dir: &templates_dir,
        search: search_index.as_ref(),
        native: render::native::NativePages::for_templates(&templates_dir),
    };
    progress.start("render", jobs.len() as u64);
    render::pages::render_each(&input, &jobs, |page| {
        progress.advance(1);
        staging.write(&page.path, &page.content)
    })?;
    progress.finish();
    progress.start("switch", 0);
    staging.copy_static(&site.root.join("static"))?;
    Written::forget(&record_dir);
    let written = staging.commit()?;
    progress.finish();
    // Like the cache, the record only saves time: without it the next build writes every file.
    let _ = Written::save(&record_dir, &output_dir, &written);
    let files = written.len();
    lap("render+write", &mut timings);
    let report = BuildReport {
        output: output_dir,
        articles: archive.articles.len(),
        entity_pages: archive.entities.iter().filter(|e| e.has_page).count(),
        files,
        diagnostics,
        timings,
        cached,
        unchanged: false,
    };
    let _ = cache.save_manifest(&Manifest {
        version: env!("CARGO_PKG_VERSION").to_string(),
        inputs,
        output: report.output.clone(),
        articles: report.articles,
        entity_pages: report.entity_pages,
        files: report.files,
        diagnostics: report.diagnostics.clone(),
    });
    // Freeing hundreds of thousands of small allocations takes a while and
    // nobody waits for it: a command-line build exits without the wait.
    std::thread::spawn(move || drop((archive, site, search_index, extractor, jobs, written)));
    Ok(report)
}
