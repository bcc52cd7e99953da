//! The `gazette entities` commands: train, eval and extract. They print to
//! stdout (results) and stderr (progress); errors are returned as messages.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::content::{self, EntityKind, Source};
use crate::entities::conll::{parse_types, read_conll};
use crate::entities::model::Model;
use crate::entities::tagger::{Resources, Tagger};
use crate::entities::train::{TrainOptions, evaluate, train as train_model};
use crate::entities::{self};
use crate::resolve::{ResolveOptions, resolve};

/// `gazette entities train`: trains, reports each epoch, writes the best model.
pub fn train(train_path: &Path, dev_path: &Path, output: &Path, options: TrainOptions) -> Result<(), String> {
    let train_docs = read_conll(train_path)?;
    let dev_docs = read_conll(dev_path)?;
    let tokens: usize = train_docs.iter().flatten().map(|s| s.words.len()).sum();
    eprintln!(
        "training on {} documents, {tokens} tokens; {} epochs, 2^{} feature buckets",
        train_docs.len(),
        options.epochs,
        options.bits
    );
    let resources = Resources::builtin();
    let started = Instant::now();
    let (model, reports) = train_model(&train_docs, &dev_docs, &resources, &options, |r| {
        let (p, rc, f) = r.dev.overall().scores();
        eprintln!(
            "epoch {:>2}: {:>6} training errors; dev precision={p:.2} recall={rc:.2} f1={f:.2} ({:.1} s)",
            r.epoch,
            r.train_errors,
            started.elapsed().as_secs_f64()
        );
    });
    let best = reports.iter().max_by(|a, b| a.dev.overall().scores().2.total_cmp(&b.dev.overall().scores().2));
    let bytes = model.to_bytes();
    std::fs::write(output, &bytes).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    if let Some(best) = best {
        println!("{}", best.dev.report(&[0, 1, 2, 3]).lines().last().unwrap_or(""));
        eprintln!("kept epoch {}; wrote {} ({:.1} MB)", best.epoch, output.display(), bytes.len() as f64 / 1e6);
    }
    Ok(())
}

/// `gazette entities eval`: scores a model on an annotated file.
pub fn eval(file: &Path, model_path: Option<&Path>, types: &str) -> Result<(), String> {
    let types = parse_types(types)?;
    let docs = read_conll(file)?;
    let model = match model_path {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Model::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => crate::entities::tagger::builtin_model().map_err(|e| e.to_string())?,
    };
    let resources = Resources::builtin();
    let evaluation = evaluate(&model, &resources, &docs, &types);
    println!("{}", evaluation.report(&types));
    Ok(())
}

/// One entity in `extract` output.
#[derive(Debug, Serialize)]
struct ExtractedEntity {
    name: String,
    #[serde(rename = "type")]
    kind: EntityKind,
    aliases: Vec<String>,
    mentions: Vec<ExtractedMention>,
}

#[derive(Debug, Serialize)]
struct ExtractedMention {
    text: String,
    start: usize,
    end: usize,
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
        let source = Source { path: file.clone(), display: file.clone() };
        let (article, diagnostics) = content::parse(&source, false);
        for d in diagnostics {
            eprintln!("{d}");
        }
        articles.extend(article);
    }
    let mentions = entities::extract_all(&articles, &tagger);
    let (archive, _) = resolve(
        articles,
        mentions,
        tagger.gazetteer(),
        &ResolveOptions { min_articles: 1, ..ResolveOptions::default() },
    );
    let out: Vec<ExtractedArticle> = archive
        .articles
        .iter()
        .zip(&archive.article_entities)
        .map(|(a, list)| ExtractedArticle {
            file: a.source.clone(),
            title: a.title.clone(),
            entities: list
                .iter()
                .map(|ae| {
                    let e = &archive.entities[ae.entity];
                    ExtractedEntity {
                        name: e.name.clone(),
                        kind: e.kind,
                        aliases: e.aliases.clone(),
                        mentions: ae
                            .spans
                            .iter()
                            .map(|&(start, end)| ExtractedMention {
                                text: a.entity_text()[start..end].to_string(),
                                start,
                                end,
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let json = serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{json}")
        .or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e.to_string()) })
}
