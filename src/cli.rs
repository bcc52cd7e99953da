//! Command-line arguments: clap definitions, one subcommand one function.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use std::io::IsTerminal;

use gazette::entities::train::TrainOptions;
use gazette::{BuildOptions, Error, entities_cli};

use crate::liveness::{Liveness, WATCH_EVERY};

/// gazette: a static site generator for news archives.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site: read content/, write public/.
    Build {
        /// The folder that holds site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: output_dir of site.toml, "public").
        #[arg(long)]
        output: Option<PathBuf>,
        /// Base URL to use instead of site.toml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Fail, writing nothing, if any content file has a problem.
        #[arg(long)]
        strict: bool,
        /// Print the time of each pipeline stage.
        #[arg(long, short, conflicts_with = "quiet")]
        verbose: bool,
        /// Print only problems, no summary.
        #[arg(long, short)]
        quiet: bool,
        /// Threads to use (default: one per core).
        #[arg(long, short)]
        jobs: Option<usize>,
    },
    /// Preview the site: build in memory, serve it, rebuild and reload on every save.
    Serve {
        /// The folder that holds site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Interface to listen on (another than 127.0.0.1 exposes the preview to the network).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on; the next free one is used when it is taken.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Check a built site: broken links and anchors, missing assets, duplicate ids, pages without a title.
    Check {
        /// The folder that holds site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site (default: output_dir of site.toml); without one, a build in memory is checked.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Also request every external link (http and https), once each.
        #[arg(long)]
        external: bool,
        /// Say whether the site fits a static host's limits, and what would bring it in.
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(gazette::budget::Host::ALL.map(|h| h.key())))]
        host: Option<String>,
    },
    /// Show how a content file is read: format, headline, date, section and where each came from.
    Inspect {
        /// The article file or collection (CSV, TSV, JSON Lines).
        file: PathBuf,
        /// The folder that holds site.toml (its settings and content folder apply).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print JSON, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Create a new site in DIR.
    Init {
        /// Folder of the new site (created if needed).
        dir: PathBuf,
    },
    /// Train, score and try the entity tagger.
    #[command(subcommand)]
    Entities(EntitiesCommand),
}

#[derive(Debug, Subcommand)]
enum EntitiesCommand {
    /// Train a tagger model on annotated data (CoNLL-2003, two-column or UNER layout).
    Train {
        /// Training data, one or more files (IOB1 or IOB2; a file that never tags MISC trains with partial labels).
        #[arg(long, required = true)]
        train: Vec<PathBuf>,
        /// Development data, one or more files: the epoch with the best mean F1 over them is kept.
        #[arg(long, required = true)]
        dev: Vec<PathBuf>,
        /// Where to write the model.
        #[arg(long)]
        output: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        /// log2 of the number of feature buckets (model size).
        #[arg(long, default_value_t = 20)]
        bits: u32,
        /// Share of training tokens whose spelling is hidden from the model (0 to 1).
        #[arg(long, default_value_t = 0.0)]
        word_dropout: f64,
    },
    /// Score a model on a CoNLL-format file (exact span match, like conlleval).
    Eval {
        /// The annotated file.
        file: PathBuf,
        /// Model to score (default: the built-in one).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Score only these types (comma-separated); other predicted types count as O.
        /// Default: the types the file annotates (PER,LOC,ORG,MISC, or PER,LOC,ORG when it never tags MISC).
        #[arg(long)]
        types: Option<String>,
        /// Print each sentence where the model and the file disagree, with the names missed (-) and found wrongly (+).
        #[arg(long)]
        errors: bool,
    },
    /// List the entity pages most likely wrong, with the entities.toml lines that fix them.
    Review {
        /// The folder that holds site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print the review as JSON.
        #[arg(long)]
        json: bool,
        /// Show at most this many items (0: all).
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Print, as JSON, the entities found in article files after resolution.
    Extract {
        /// Article files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

impl Cli {
    /// Runs the chosen subcommand and maps its outcome to an exit code.
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Build { root, output, base_url, strict, verbose, quiet, jobs } => {
                if let Some(jobs) = jobs {
                    // The pool is set once, here, before any parallel work.
                    let _ = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global();
                }
                build(
                    BuildOptions { root, output, base_url, strict },
                    if quiet {
                        Verbosity::Quiet
                    } else if verbose {
                        Verbosity::Verbose
                    } else {
                        Verbosity::Normal
                    },
                )
            }
            Command::Init { dir } => match gazette::init::init(&dir) {
                Ok(()) => {
                    println!(
                        "Created a new site in {}. Build it with: gazette build --root {}",
                        dir.display(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            },
            Command::Entities(command) => entities(command),
            Command::Inspect { file, root, json } => match gazette::inspect::inspect(&root, &file) {
                Ok(report) if json => match serde_json::to_string_pretty(&report) {
                    Ok(text) => {
                        println!("{text}");
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        ExitCode::FAILURE
                    }
                },
                Ok(report) => {
                    print!("{}", gazette::inspect::to_text(&report));
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            },
            Command::Check { root, output, external, host } => {
                match gazette::check::check(&gazette::check::CheckOptions { root, output, external }) {
                    Ok(report) => {
                        for problem in &report.problems {
                            println!("{problem}");
                        }
                        use gazette::budget::{Host, bytes_label, host_report, thousands};
                        let size = &report.size;
                        let largest = size.largest.as_ref().map_or(String::new(), |(path, bytes)| {
                            format!("; largest {path}, {}", bytes_label(*bytes))
                        });
                        println!(
                            "Size: {} files, {}{largest}",
                            thousands(size.total.files as u64),
                            bytes_label(size.total.bytes)
                        );
                        let fits = match host.as_deref().and_then(Host::from_key) {
                            Some(host) => {
                                let (fits, lines) = host_report(size, host);
                                for line in lines {
                                    println!("{line}");
                                }
                                fits
                            }
                            None => true,
                        };
                        let external =
                            if external { format!(", {} external URLs", report.external) } else { String::new() };
                        let summary = format!(
                            "Checked {}: {} pages, {} internal links{external}: {} problem{}",
                            report.checked,
                            report.pages,
                            report.links,
                            report.problems.len(),
                            if report.problems.len() == 1 { "" } else { "s" }
                        );
                        if report.problems.is_empty() && fits {
                            eprintln!("{summary}");
                            ExitCode::SUCCESS
                        } else {
                            eprintln!("{summary}");
                            ExitCode::FAILURE
                        }
                    }
                    Err(e) => fail(&e),
                }
            }
            Command::Serve { root, bind, port, open } => {
                match gazette::serve::serve(&gazette::serve::ServeOptions { root, bind, port, open }) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(&e),
                }
            }
        }
    }
}

fn entities(command: EntitiesCommand) -> ExitCode {
    let result = match command {
        EntitiesCommand::Train { train, dev, output, epochs, bits, word_dropout } => {
            let options = TrainOptions { epochs, bits, word_dropout, ..TrainOptions::default() };
            entities_cli::train(&train, &dev, &output, options)
        }
        EntitiesCommand::Eval { file, model, types, errors } => {
            entities_cli::eval(&file, model.as_deref(), types.as_deref(), errors)
        }
        EntitiesCommand::Extract { files } => entities_cli::extract(&files),
        EntitiesCommand::Review { root, json, limit } => entities_cli::review(&root, json, limit),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// How much `build` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

fn build(options: BuildOptions, verbosity: Verbosity) -> ExitCode {
    // Bars only for a person at a terminal: plain lines in CI and pipes.
    let interactive =
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() && verbosity != Verbosity::Quiet;
    let liveness = Liveness::new(interactive, verbosity == Verbosity::Verbose);
    let result = if liveness.shows_anything() {
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            let watcher = scope.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::park_timeout(WATCH_EVERY);
                    liveness.watch();
                }
            });
            let result = gazette::build_keeping(&options, &liveness);
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            watcher.thread().unpark();
            result
        })
    } else {
        gazette::build_keeping(&options, &gazette::progress::Silent)
    };
    // Freeing hundreds of thousands of small allocations takes a while and
    // nobody waits for it: the process exits without the wait.
    let result = result.map(|(report, leftovers)| {
        std::thread::spawn(move || drop(leftovers));
        report
    });
    match result {
        Ok(report) => {
            print_problems(&report.diagnostics, &options.root, verbosity);
            if verbosity == Verbosity::Verbose {
                for (stage, time) in &report.timings {
                    eprintln!("  {stage:<20} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            let total: f64 = report.timings.iter().map(|(_, t)| t.as_secs_f64()).sum();
            let from_cache = match report.cached {
                0 => String::new(),
                n => format!(", {n} articles' names from the cache"),
            };
            let problems = match report.diagnostics.len() {
                0 => String::new(),
                n => format!(" ({n} content problem{} reported above)", if n == 1 { "" } else { "s" }),
            };
            if verbosity == Verbosity::Quiet {
                return ExitCode::SUCCESS;
            }
            if report.unchanged {
                println!(
                    "Nothing changed since the last build: {} is up to date ({} articles, {:.2} s)",
                    report.output.display(),
                    report.articles,
                    report.timings.iter().map(|(_, t)| t.as_secs_f64()).sum::<f64>()
                );
                return ExitCode::SUCCESS;
            }
            println!(
                "Built {} articles and {} entity pages: {} files, {} in {} ({:.2} s{from_cache}){problems}",
                report.articles,
                report.entity_pages,
                report.files,
                gazette::budget::bytes_label(report.bytes),
                report.output.display(),
                total
            );
            if verbosity == Verbosity::Normal && report.changed > 0 {
                println!(
                    "  {} file{} added, changed or removed: listed in .gazette-cache/changed.txt",
                    report.changed,
                    if report.changed == 1 { "" } else { "s" }
                );
            }
            if verbosity == Verbosity::Normal {
                let stages: Vec<String> =
                    report.timings.iter().map(|(stage, t)| format!("{stage} {:.2} s", t.as_secs_f64())).collect();
                println!("  {}", stages.join(" · "));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Prints the content problems grouped by kind (all of them with
/// `--verbose`) and lists them all in `.gazette-cache/problems.txt`
/// (removed when there are none).
fn print_problems(diagnostics: &[gazette::diagnostics::Diagnostic], root: &std::path::Path, verbosity: Verbosity) {
    let file = root.join(gazette::cache::CACHE_DIR).join("problems.txt");
    if diagnostics.is_empty() {
        let _ = std::fs::remove_file(&file);
        return;
    }
    let named = if verbosity == Verbosity::Verbose { usize::MAX } else { gazette::diagnostics::NAMED_PER_PROBLEM };
    let summary = gazette::diagnostics::summarise(diagnostics, named);
    for line in &summary.lines {
        eprintln!("{line}");
    }
    let all: String = diagnostics.iter().map(|d| format!("{d}\n")).collect();
    let written =
        file.parent().is_some_and(|dir| std::fs::create_dir_all(dir).is_ok()) && std::fs::write(&file, all).is_ok();
    if summary.hidden > 0 {
        if written {
            eprintln!("all {} problems are listed in {}", diagnostics.len(), file.display());
        } else {
            eprintln!("(run with --verbose to list all {} problems)", diagnostics.len());
        }
    }
}

fn fail(error: &Error) -> ExitCode {
    if let Error::Strict { diagnostics } = error {
        for d in diagnostics {
            eprintln!("{d}");
        }
    }
    eprintln!("error: {error}");
    ExitCode::FAILURE
}
