//! `gazette build`: the [pipeline](crate::pipeline) up to the archive,
//! then rendering and writing every page to the output folder, skipping
//! all of it when nothing the build reads has changed.

use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cache::{Cache, Manifest};
use crate::content::Article;
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::hash::FastHasher;
use crate::output;
use crate::pipeline::{self, Site};
use crate::progress::{Progress, Silent};
use crate::render::jobs::{PageJob, SearchFile, list_jobs};
use crate::render::pages::{Page, RenderInput, render_each};
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
    /// Files in the output (pages and static files).
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Files added, modified or deleted since the last build, as listed in
    /// `.gazette-cache/changed.txt` (every file when the last build's record was missing).
    pub changed: usize,
    /// Problems found in content files (already handled).
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Articles whose entities came from the cache rather than the tagger.
    pub cached: usize,
    /// Nothing had changed since the last build: the output was left as it was.
    pub unchanged: bool,
}

/// A hash of everything a build reads: gazette and its model, site.toml and
/// the entities file, templates, static files, every article's bytes and
/// what sidecars and paths gave it, and the problems found so far. Equal hashes give equal output.
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
        // What a sidecar or the path may give besides the bytes.
        h.write(format!("{:?}{:?}", a.date, a.section).as_bytes());
        for field in [&a.title, &a.summary].into_iter().chain(&a.authors).chain(&a.source_url) {
            h.write(field.as_bytes());
        }
    }
    for d in diagnostics {
        h.write(d.to_string().as_bytes());
    }
    h.finish()
}

/// What a build leaves in memory: the site, its archive and the record of
/// what was written. Freeing hundreds of thousands of small allocations
/// takes a while; the caller decides when (the command line lets the
/// process's exit do it).
pub struct Leftovers(#[allow(dead_code)] Box<dyn Send>);

/// Builds the site described by `options`.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    build_with_progress(options, &Silent)
}

/// Builds the site, reporting each stage's progress.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport> {
    build_keeping(options, progress).map(|(report, _)| report)
}

/// Builds the site, reporting each stage's progress, and hands back what
/// the build held in memory instead of freeing it.
pub fn build_keeping(options: &BuildOptions, progress: &dyn Progress) -> Result<(BuildReport, Leftovers)> {
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
    let (read, tagger) = rayon::join(|| pipeline::read_articles(&site, progress), pipeline::load_tagger);
    let (articles, mut diagnostics) = read?;
    lap("discover+parse", &mut timings);
    let model = crate::entities::tagger::model_fingerprint();
    let mut cache = Cache::open(&site.root, model);
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
        // Nothing to deploy.
        let _ = crate::written::save_changes(&record_dir, &[]);
        lap("check", &mut timings);
        let report = BuildReport {
            output: output_dir,
            articles: manifest.articles,
            entity_pages: manifest.entity_pages,
            files: manifest.files,
            bytes: manifest.bytes,
            changed: 0,
            diagnostics: manifest.diagnostics,
            timings,
            cached: manifest.articles,
            unchanged: true,
        };
        return Ok((report, Leftovers(Box::new((site, articles)))));
    }
    let tagger = tagger?;
    let (mentions, cached) = pipeline::extract_mentions(&articles, &cache, &tagger, progress);
    cache.release_mentions();
    lap("extract", &mut timings);
    let resolve_options = site.resolve_options()?;
    let (archive, resolve_diagnostics) =
        pipeline::resolve_articles(articles, mentions, &tagger, &resolve_options, progress, Some(&cache));
    diagnostics.extend(resolve_diagnostics);
    diagnostics::sort(&mut diagnostics);
    lap("resolve", &mut timings);

    if options.strict && !diagnostics.is_empty() {
        return Err(Error::Strict { diagnostics });
    }
    let jobs = list_jobs(&archive, &site.config);
    progress.start("index", 0);
    let staging =
        output::Staging::create(&output_dir, Written::load(&record_dir, &output_dir), site.config.output.switch)?
            .precompress(&site.config.output.precompress);
    // The output's folders are made (mostly kernel work) while the search index is built.
    let (search_index, folders) = rayon::join(
        || site.config.search.enabled.then(|| SearchIndex::build(&archive, search::stems(&site.config))),
        || {
            let paths: Vec<String> = jobs.iter().map(|j| j.output_path(&archive)).collect();
            staging.create_folders(paths.iter().map(String::as_str))
        },
    );
    progress.finish();
    folders?;
    lap("search index+folders", &mut timings);
    progress.start("render", jobs.len() as u64);
    let write = |page: Page| {
        progress.advance(1);
        staging.write(&page.path, &page.content)
    };
    // The index's shards first, so that the index is freed before the pages are rendered.
    let (shards, pages): (Vec<PageJob>, Vec<PageJob>) =
        jobs.iter().partition(|job| matches!(job, PageJob::SearchData(SearchFile::Shard(_))));
    render_each(&RenderInput::new(&archive, &site.config, &site.theme, search_index.as_ref()), &shards, write)?;
    drop(search_index);
    render_each(&RenderInput::new(&archive, &site.config, &site.theme, None), &pages, write)?;
    progress.finish();
    progress.start("switch", 0);
    staging.copy_static(&site.static_dir())?;
    Written::forget(&record_dir);
    let (written, previous) = staging.commit()?;
    progress.finish();
    // Like the cache, the record only saves time: without it the next build writes every file.
    let _ = Written::save(&record_dir, &output_dir, &written);
    let changes = crate::written::changes(previous.as_ref(), &written);
    drop(previous);
    if let Err(e) = crate::written::save_changes(&record_dir, &changes) {
        // A list left from the build before would be wrong: none is better.
        let list = record_dir.join(crate::written::CHANGED_FILE);
        let _ = std::fs::remove_file(&list);
        diagnostics.push(Diagnostic::warning(&list, None, format!("cannot write the list of changed files: {e}")));
    }
    let files = written.len();
    let bytes = written.iter().map(|(_, _, size)| size).sum();
    lap("render+write", &mut timings);
    let report = BuildReport {
        output: output_dir,
        articles: archive.articles.len(),
        entity_pages: archive.entities.iter().filter(|e| e.has_page).count(),
        files,
        bytes,
        changed: changes.len(),
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
        bytes: report.bytes,
        diagnostics: report.diagnostics.clone(),
    });
    Ok((report, Leftovers(Box::new((archive, site, tagger, jobs, written)))))
}
