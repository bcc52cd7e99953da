//! Command-line arguments: clap definitions, one subcommand one function.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gazette::{BuildOptions, Error};

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
        #[arg(long, short)]
        verbose: bool,
    },
    /// Create a new site in DIR.
    Init {
        /// Folder of the new site (created if needed).
        dir: PathBuf,
    },
}

impl Cli {
    /// Runs the chosen subcommand and maps its outcome to an exit code.
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Build { root, output, base_url, strict, verbose } => {
                build(BuildOptions { root, output, base_url, strict }, verbose)
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
        }
    }
}

fn build(options: BuildOptions, verbose: bool) -> ExitCode {
    match gazette::build(&options) {
        Ok(report) => {
            for d in &report.diagnostics {
                eprintln!("{d}");
            }
            if verbose {
                for (stage, time) in &report.timings {
                    eprintln!("  {stage:<16} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            let total: f64 = report.timings.iter().map(|(_, t)| t.as_secs_f64()).sum();
            let problems = match report.diagnostics.len() {
                0 => String::new(),
                n => format!(" ({n} content problem{} reported above)", if n == 1 { "" } else { "s" }),
            };
            println!(
                "Built {} articles and {} entity pages: {} files in {} ({:.2} s){problems}",
                report.articles,
                report.entity_pages,
                report.files,
                report.output.display(),
                total
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
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
