//! Tagging speed: tokens per second on one core, over the sample articles.
//! Run with `cargo bench --bench tagger`; prints figures, asserts nothing.

use std::path::Path;
use std::time::{Duration, Instant};

use gazette::content::{self, discover};
use gazette::entities::tokenize::tokenize;
use gazette::entities::{Extractor, Tagger};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (sources, _) = discover(root, &root.join("content")).expect("sample content");
    let texts: Vec<String> = sources
        .iter()
        .filter_map(|s| content::parse(s, &content::ReadOptions::default(), None).0)
        .map(|a| a.entity_text().into_owned())
        .collect();
    let (mut tokens, mut sentences) = (Vec::new(), Vec::new());
    let tokens_per_pass: usize = texts
        .iter()
        .map(|t| {
            tokenize(t, &mut tokens, &mut sentences);
            tokens.len()
        })
        .sum();
    let load = Instant::now();
    let tagger = Tagger::builtin().expect("built-in model");
    println!("model and resources loaded in {:.0} ms", load.elapsed().as_secs_f64() * 1000.0);

    // Tokenising alone.
    let (passes, elapsed) = repeat(Duration::from_secs(2), || {
        for t in &texts {
            tokenize(t, &mut tokens, &mut sentences);
        }
    });
    report("tokenize", tokens_per_pass * passes, elapsed);

    // Tokenising, features, scoring and decoding: what a build does per article.
    let mut mentions = 0;
    let (passes, elapsed) = repeat(Duration::from_secs(5), || {
        for t in &texts {
            mentions += tagger.extract(t).len();
        }
    });
    report("tag (one core)", tokens_per_pass * passes, elapsed);
    println!(
        "{} articles, {tokens_per_pass} tokens per pass, {} mentions per pass",
        texts.len(),
        mentions / passes.max(1)
    );
}

fn repeat(budget: Duration, mut work: impl FnMut()) -> (usize, Duration) {
    let start = Instant::now();
    let mut passes = 0;
    while passes < 3 || start.elapsed() < budget {
        work();
        passes += 1;
    }
    (passes, start.elapsed())
}

fn report(what: &str, tokens: usize, elapsed: Duration) {
    let rate = tokens as f64 / elapsed.as_secs_f64();
    println!("{what:<16} {:>12.0} tokens/s  ({tokens} tokens in {:.2} s)", rate, elapsed.as_secs_f64());
}
