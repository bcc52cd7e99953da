//! The build: runs the pipeline stages in order. This is the only module
//! that knows them all:
//!
//! discover → parse → extract → resolve → render → write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Article};
use crate::diagnostics::{self, Diagnostic};
use crate::entities::overrides::EntityOverrides;
use crate::entities::{self, Tagger};
use crate::error::{Error, Result};
use crate::output;
use crate::progress::{Progress, Silent};
use crate::render::{self, pages::RenderInput};
use crate::resolve::{ResolveOptions, resolve};

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
        Ok(ResolveOptions { min_articles: self.config.entities.min_articles, overrides })
    }

    /// The content folder.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join(&self.config.content_dir)
    }
}

/// Reads and parses every article of the site, in parallel.
pub fn read_articles(site: &Site, progress: &dyn Progress) -> Result<(Vec<Article>, Vec<Diagnostic>)> {
    let (sources, mut diagnostics) = content::discover(&site.root, &site.content_dir())?;
    let allow_html = site.config.markdown.allow_raw_html;
    progress.start("parse", sources.len() as u64);
    let parsed: Vec<(Option<Article>, Vec<Diagnostic>)> = sources
        .par_iter()
        .map(|s| {
            let parsed = content::parse(s, allow_html);
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

    let (articles, mut diagnostics) = read_articles(&site, progress)?;
    lap("discover+parse", &mut timings);
    let extractor = Tagger::builtin().map_err(|e| Error::Model(e.to_string()))?;
    progress.start("extract", articles.len() as u64);
    let mentions: Vec<_> = articles
        .par_iter()
        .map(|a| {
            let m = entities::extract_article(a, &extractor);
            progress.advance(1);
            m
        })
        .collect();
    progress.finish();
    lap("extract", &mut timings);
    let resolve_options = site.resolve_options()?;
    let (archive, resolve_diagnostics) = resolve(articles, mentions, extractor.gazetteer(), &resolve_options);
    diagnostics.extend(resolve_diagnostics);
    diagnostics::sort(&mut diagnostics);
    lap("resolve", &mut timings);

    if options.strict && !diagnostics.is_empty() {
        return Err(Error::Strict { diagnostics });
    }
    let templates_dir = site.root.join("templates");
    let input =
        RenderInput { archive: &archive, config: &site.config, tera: &site.tera, templates_dir: &templates_dir };
    let jobs = render::pages::list_jobs(&archive, &site.config);
    let staging = output::Staging::create(&output_dir)?;
    staging.create_folders(
        jobs.iter()
            .map(|j| render::pages::job_output_path(&archive, *j))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    )?;
    progress.start("render", jobs.len() as u64);
    render::pages::render_each(&input, &jobs, |page| {
        progress.advance(1);
        staging.write(&page.path, &page.content)
    })?;
    progress.finish();
    let statics = staging.copy_static(&site.root.join("static"))?;
    staging.commit()?;
    let files = jobs.len() + statics;
    lap("render+write", &mut timings);
    let report = BuildReport {
        output: output_dir,
        articles: archive.articles.len(),
        entity_pages: archive.entities.iter().filter(|e| e.has_page).count(),
        files,
        diagnostics,
        timings,
    };
    // Freeing hundreds of thousands of small allocations takes a while and
    // nobody waits for it: a command-line build exits without the wait.
    std::thread::spawn(move || drop((archive, site)));
    Ok(report)
}
