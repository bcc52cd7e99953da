//! The `gazette entities` commands: train, eval and extract. They print to
//! stdout (results) and stderr (progress); errors are returned as messages.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::archive::NoPage;
use crate::content::{self, Source};
use crate::entities::conll::{disagreements, parse_types, read_conll};
use crate::entities::model::Model;
use crate::entities::tagger::{Resources, Tagger};
use crate::entities::train::{TrainOptions, evaluate_with, span_outcomes, train as train_model};
use crate::entities::{self};
use crate::entity_kind::EntityKind;
use crate::resolve::{ResolveOptions, resolve};

/// `gazette entities train`: trains, reports each epoch, writes the best model.
pub fn train(
    train_paths: &[PathBuf],
    dev_paths: &[PathBuf],
    output: &Path,
    options: TrainOptions,
) -> Result<(), String> {
    let read = |paths: &[PathBuf]| paths.iter().map(|p| read_conll(p)).collect::<Result<Vec<_>, _>>();
    let (train_corpora, dev) = (read(train_paths)?, read(dev_paths)?);
    for (path, corpus) in train_paths.iter().zip(&train_corpora) {
        let tokens: usize = corpus.documents.iter().flatten().map(|s| s.words.len()).sum();
        let labels = if corpus.labels_misc { "all four types" } else { "PER, LOC, ORG (MISC learnt as latent)" };
        eprintln!("training on {}: {} documents, {tokens} tokens, {labels}", path.display(), corpus.documents.len());
    }
    eprintln!("{} epochs, 2^{} feature buckets", options.epochs, options.bits);
    let resources = Resources::builtin();
    let started = Instant::now();
    let (model, reports) = train_model(&train_corpora, &dev, &resources, &options, |r| {
        let scores: Vec<String> = r
            .dev
            .iter()
            .map(|e| {
                let (p, rc, f) = e.overall().scores();
                format!("precision={p:.2} recall={rc:.2} f1={f:.2}")
            })
            .collect();
        eprintln!(
            "epoch {:>2}: {:>6} training errors; dev {} ({:.1} s)",
            r.epoch,
            r.train_errors,
            scores.join(" | "),
            started.elapsed().as_secs_f64()
        );
    });
    let best = reports.iter().max_by(|a, b| a.score.total_cmp(&b.score));
    let bytes = model.to_bytes();
    std::fs::write(output, &bytes).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    if let Some(best) = best {
        for ((path, corpus), evaluation) in dev_paths.iter().zip(&dev).zip(&best.dev) {
            let types = corpus.labelled_types();
            eprintln!("{}:\n{}", path.display(), evaluation.report(&types));
        }
        eprintln!("confidence (temperature {}) against how often the spans are right:", model.temperature);
        eprint!("{}", calibration_table(&span_outcomes(&model, &resources, &dev)));
        let first = best.dev.first().map(|e| e.overall()).unwrap_or_default();
        let (p, r, f) = first.scores();
        println!("overall precision={p:.2} recall={r:.2} f1={f:.2}");
        eprintln!("kept epoch {}; wrote {} ({:.1} MB)", best.epoch, output.display(), bytes.len() as f64 / 1e6);
    }
    Ok(())
}

/// Spans by confidence (tenths), with how many of each were right.
fn calibration_table(outcomes: &[(f32, bool)]) -> String {
    let mut bins = [(0usize, 0usize, 0f64); 10];
    for &(p, right) in outcomes {
        let bin = &mut bins[((p * 10.0) as usize).min(9)];
        bin.0 += 1;
        bin.1 += usize::from(right);
        bin.2 += f64::from(p);
    }
    let mut out = String::from("  confidence  spans  mean  right\n");
    for (i, &(n, right, sum)) in bins.iter().enumerate().filter(|(_, b)| b.0 > 0) {
        out.push_str(&format!(
            "  {:.1}-{:.1}  {n:>7}  {:.2}  {:.2}\n",
            i as f64 / 10.0,
            (i + 1) as f64 / 10.0,
            sum / n as f64,
            right as f64 / n as f64
        ));
    }
    out
}

/// `gazette entities eval`: scores a model on an annotated file, over
/// `types` or, without them, the types the file annotates.
/// With `errors`, each sentence where they disagree is printed first.
pub fn eval(file: &Path, model_path: Option<&Path>, types: Option<&str>, errors: bool) -> Result<(), String> {
    let corpus = read_conll(file)?;
    let types = match types {
        Some(list) => parse_types(list)?,
        None => corpus.labelled_types(),
    };
    let docs = corpus.documents;
    let model = match model_path {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Model::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => crate::entities::tagger::builtin_model().map_err(|e| e.to_string())?,
    };
    let resources = Resources::builtin();
    let evaluation = evaluate_with(&model, &resources, &docs, &types, |sentence, predicted| {
        if errors {
            print!("{}", disagreements(sentence, predicted, &types));
        }
    });
    println!("{}", evaluation.report(&types));
    Ok(())
}

/// `gazette entities review`: the site's entity pages most likely wrong.
pub fn review(root: &Path, json: bool, limit: usize) -> Result<(), String> {
    let site = crate::pipeline::Site::load(root, None).map_err(|e| e.to_string())?;
    let (archive, _) = crate::pipeline::read_archive(&site, &crate::progress::Silent).map_err(|e| e.to_string())?;
    let review = crate::review::review(&archive, site.config.entities.min_confidence, limit);
    let text = if json {
        serde_json::to_string_pretty(&review).map_err(|e| e.to_string())?
    } else {
        crate::review::to_text(&review)
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", text.trim_end())
        .or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e.to_string()) })
}

/// One entity in `extract` output.
#[derive(Debug, Serialize)]
struct ExtractedEntity {
    name: String,
    #[serde(rename = "type")]
    kind: EntityKind,
    aliases: Vec<String>,
    /// The estimated probability that a page for it is right.
    confidence: f32,
    /// Its page, relative to the site's root, when it has one.
    page: Option<String>,
    /// Why it has no page, when it has none.
    no_page: Option<NoPageReason>,
    mentions: Vec<ExtractedMention>,
}

#[derive(Debug, Serialize)]
struct NoPageReason {
    reason: NoPage,
    explanation: &'static str,
}

/// A mention: its text and its byte range in the file as it is on disk
/// (`null` when the words cannot be found there as written).
#[derive(Debug, Serialize)]
struct ExtractedMention {
    text: String,
    start: Option<usize>,
    end: Option<usize>,
}

#[derive(Debug, Serialize)]
struct ExtractedArticle {
    file: PathBuf,
    title: String,
    entities: Vec<ExtractedEntity>,
}

/// `gazette entities extract`: the resolved entities of some article files, as JSON.
pub fn extract(files: &[PathBuf]) -> Result<(), String> {
    let tagger = Tagger::builtin().map_err(|e| e.to_string())?;
    let mut articles = Vec::new();
    for file in files {
        let source = Source::lone(file);
        let (article, diagnostics) = content::parse(&source, &content::ReadOptions::default(), None);
        for d in diagnostics {
            eprintln!("{d}");
        }
        articles.extend(article);
    }
    let mentions = entities::extract_all(&articles, &tagger);
    let (archive, _) = resolve(articles, mentions, tagger.gazetteer(), &ResolveOptions::default());
    let mut out = Vec::with_capacity(archive.articles.len());
    for (a, list) in archive.articles.iter().zip(&archive.article_entities) {
        let bytes = std::fs::read(&a.source).map_err(|e| format!("cannot read {}: {e}", a.source.display()))?;
        let text = a.entity_text();
        let mut spans: Vec<(usize, usize)> = list.iter().flat_map(|ae| ae.spans.iter()).collect();
        spans.sort_unstable();
        let located = content::offsets::file_offsets(&bytes, a, &spans);
        let in_file = |span: (usize, usize)| spans.binary_search(&span).ok().and_then(|i| located[i]);
        let entities = list
            .iter()
            .map(|ae| {
                let e = &archive.entities[ae.entity];
                ExtractedEntity {
                    name: e.name.clone(),
                    kind: e.kind,
                    aliases: e.aliases.clone(),
                    confidence: (e.confidence * 1000.0).round() / 1000.0,
                    page: archive.entity_path(ae.entity),
                    no_page: e.no_page.map(|reason| NoPageReason { reason, explanation: reason.explain() }),
                    mentions: ae
                        .spans
                        .iter()
                        .map(|(start, end)| {
                            let at = in_file((start, end));
                            ExtractedMention {
                                text: text[start..end].to_string(),
                                start: at.map(|a| a.0),
                                end: at.map(|a| a.1),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        out.push(ExtractedArticle { file: a.source.clone(), title: a.title.clone(), entities });
    }
    let json = serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{json}")
        .or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e.to_string()) })
}
