//! One input through the whole pipeline, in memory: parse, extract,
//! resolve alongside a fixed companion article, and render every page
//! (with the built-in native writers and again with Tera), checking what
//! must hold for any input. Shared by the fuzz harness and its regression
//! test.

use std::path::Path;

use gazette::content::collection::read_collection_from;
use gazette::content::parse::{FileFacts, ReadOptions, parse_alone};
use gazette::content::rows::RowFormat;
use gazette::entities::extract_article;
use gazette::entities::tagger::Tagger;
use gazette::pipeline::Site;
use gazette::render::jobs::list_jobs;
use gazette::render::native::NativePages;
use gazette::render::pages::{RenderInput, render_each};
use gazette::resolve::{ResolveOptions, resolve};
use gazette::search::SearchIndex;

/// A tag that must never reach a page unescaped: inputs carry it as text.
pub const MARKER_TAG: &str = "<gzfuzz";

/// What the pipeline needs loaded once: the site's settings and theme,
/// the tagger, and a companion article that shares names with the input.
pub struct Harness {
    site: Site,
    tagger: Tagger,
    options: ResolveOptions,
    companion: Vec<u8>,
}

/// What one run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Whether the input became an article.
    pub parsed: bool,
    /// Names found in it.
    pub mentions: usize,
    /// Pages rendered (both renderers together).
    pub pages: usize,
}

impl Harness {
    /// Loads the site at `root` (its site.toml and templates).
    pub fn new(root: &Path) -> Result<Harness, String> {
        let site = Site::load(root, None).map_err(|e| e.to_string())?;
        let tagger = Tagger::builtin().map_err(|e| e.to_string())?;
        let options = site.resolve_options().map_err(|e| e.to_string())?;
        let companion = b"Title: Companion\nDate: 2020-01-01\n\nVolodymyr Zelensky met officials of the United Nations in Kyiv, Ukraine. Zelensky spoke.\n".to_vec();
        Ok(Harness { site, tagger, options, companion })
    }

    /// Runs `bytes`, read as a file called `name`, through every stage.
    /// Returns a description of the first broken promise, if any.
    pub fn run(&self, name: &str, bytes: &[u8]) -> Result<Outcome, String> {
        let mut outcome = Outcome::default();
        // The same bytes as a collection: every row an article or a message naming the file.
        for format in [RowFormat::Csv, RowFormat::Tsv, RowFormat::JsonLines] {
            let display = Path::new("rows");
            let (rows, problems) = read_collection_from(
                bytes,
                format,
                display,
                &FileFacts::none(),
                &ReadOptions::default(),
                &Default::default(),
            );
            if let Some(bad) = rows.iter().find(|a| !is_safe_slug(&a.slug)) {
                return Err(format!("unsafe slug {:?} from a {format:?} row", bad.slug));
            }
            // The file itself, or one of its rows (`rows:row 3`).
            if let Some(d) = problems.iter().find(|d| !d.path.to_string_lossy().starts_with("rows")) {
                return Err(format!("a {format:?} problem names {} instead of the file", d.path.display()));
            }
        }
        let (article, diagnostics) = parse_alone(Path::new(name), bytes);
        let Some(article) = article else {
            if diagnostics.is_empty() {
                return Err("a file was skipped without a message".into());
            }
            return Ok(outcome);
        };
        outcome.parsed = true;
        if !is_safe_slug(&article.slug) {
            return Err(format!("unsafe slug {:?}", article.slug));
        }
        let (companion, _) = parse_alone(Path::new("companion.txt"), &self.companion);
        let articles: Vec<_> = std::iter::once(article).chain(companion).collect();
        let mentions: Vec<_> = articles.iter().map(|a| extract_article(a, &self.tagger)).collect();
        for (a, m) in articles.iter().zip(&mentions) {
            let text = a.entity_text();
            for mention in m {
                let (s, e) = (mention.start, mention.end);
                if s >= e || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
                    return Err(format!("mention {s}..{e} outside the text or off a character boundary"));
                }
            }
        }
        outcome.mentions = mentions[0].len();
        let (archive, _) = resolve(articles, mentions, self.tagger.gazetteer(), &self.options);
        let config = &self.site.config;
        let search = config.search.enabled.then(|| SearchIndex::build(&archive, gazette::search::stems(config)));
        let jobs = list_jobs(&archive, config);
        let broken = std::sync::Mutex::new(None::<String>);
        let pages = std::sync::atomic::AtomicUsize::new(0);
        for native in [self.site.theme.native, NativePages::NONE] {
            let input = RenderInput { native, ..RenderInput::new(&archive, config, &self.site.theme, search.as_ref()) };
            render_each(&input, &jobs, |page| {
                pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                // JSON files carry text for the search script, which inserts it as text.
                let markup = page.path.ends_with(".html") || page.path.ends_with(".xml");
                if markup && memchr::memmem::find(&page.content, MARKER_TAG.as_bytes()).is_some() {
                    *broken.lock().unwrap() = Some(format!("{} carries unescaped input markup", page.path));
                }
                if page.path.split('/').any(|part| part == ".." || part.is_empty()) || page.path.starts_with('/') {
                    *broken.lock().unwrap() = Some(format!("page path {:?} leaves the output folder", page.path));
                }
                Ok(())
            })
            .map_err(|e| format!("render failed: {e}"))?;
        }
        if let Some(broken) = broken.into_inner().unwrap() {
            return Err(broken);
        }
        outcome.pages = pages.into_inner();
        Ok(outcome)
    }
}

/// Whether a slug is one URL segment of lowercase letters, digits and dashes.
fn is_safe_slug(slug: &str) -> bool {
    !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
