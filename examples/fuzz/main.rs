//! A fuzz harness on stable Rust: mutates the sample articles and random
//! bytes, runs each input through parse, extract, resolve and render
//! (see `pipeline.rs`), and stops on a panic, a broken promise (unescaped
//! markup, a mention off the text, an unsafe slug), a hang or time that
//! grows faster than the input. The input that did it is written to the
//! crash folder; each one found becomes a file in
//! `tests/fixtures/fuzz/`, replayed by `cargo test`.
//!
//! ```text
//! cargo run --release --example fuzz -- --seconds 3600 [--seed N] [--out fuzz-crashes]
//! cargo run --release --example fuzz -- --replay FILE...
//! ```

mod pipeline;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pipeline::Harness;

/// Longest a single input (at most a few hundred KB) may take.
const HANG_LIMIT: Duration = Duration::from_secs(20);
/// The slowest input so far is written to the crash folder once it takes this long.
const SLOWEST_KEPT: Duration = Duration::from_millis(500);
/// How much a 16× longer input may cost beyond 16×.
const SCALING_SLACK: f64 = 3.0;
/// Below this, a scaled run is too short to judge.
const SCALING_MIN: Duration = Duration::from_millis(300);

/// Pieces the mutator inserts: the shapes that broke generators before.
const DICTIONARY: &[&str] = &[
    "Title: ",
    "Date: 2022-02-30\n",
    "Date: 31/12/1999\n",
    "date: 2019-03-05T10:00:00+01:00\n",
    "+++\ntitle = \"x\"\ndate = 2021-01-01\n+++\n",
    "---\ntitle: y\n---\n",
    "\n\n",
    "Volodymyr Zelensky ",
    "President Joe Biden of the United States ",
    "U.S. ",
    "Mr. ",
    "Nukuʻalofa ",
    "O'Brien's ",
    "\u{ad}\u{200b}\u{feff}\u{202e}",
    "<gzfuzz>",
    "\"><gzfuzz a=\"",
    "<script>alert(1)</script>",
    "&amp;&#0;&#x110000;",
    "> > > > ",
    "- - - - ",
    "1. 2. 3. ",
    "[a](javascript:alert(1)) ",
    "![x](../../etc/passwd) ",
    "```\n",
    "| a | b |\n|---|---|\n",
    "((((((((((",
    "[[[[[[[[[[",
    "...!!!???",
    ",,,,,,,,,,",
    "THE UNITED NATIONS ",
    "Ä ß Ω Ж 東京 ",
    "\r\n",
    "\t",
    "https://example.org/a?b=c ",
    "#",
    "*",
    "_",
    "\\",
];

/// A small, fast generator (xorshift64*): the harness needs no
/// randomness crate and a seed replays a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One mutation of `input`, in place; `corpus` supplies splices.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let at = |rng: &mut Rng, v: &Vec<u8>| rng.below(v.len() + 1);
    match rng.below(11) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                if !input.is_empty() {
                    let i = rng.below(input.len());
                    input[i] ^= 1 << rng.below(8);
                }
            }
        }
        1 | 2 => {
            for _ in 0..1 + rng.below(12) {
                let piece = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                let i = at(rng, input);
                input.splice(i..i, piece.iter().copied());
            }
        }
        3 => {
            let i = at(rng, input);
            let j = (i + rng.below(400)).min(input.len());
            input.drain(i..j);
        }
        4 => {
            // Repeat a slice many times: long runs of one shape.
            let i = at(rng, input);
            let j = (i + 1 + rng.below(60)).min(input.len());
            let slice = input[i..j].to_vec();
            for _ in 0..rng.below(200) {
                input.splice(j..j, slice.iter().copied());
            }
        }
        5 => {
            let other = &corpus[rng.below(corpus.len())];
            let (i, j) = (at(rng, input), rng.below(other.len() + 1));
            input.truncate(i);
            input.extend_from_slice(&other[j..]);
        }
        6 => {
            // Random bytes; half the time without NUL, which marks a file as binary.
            let n = rng.below(2048);
            let floor = rng.below(2) as u8;
            *input = (0..n).map(|_| (rng.next() as u8).max(floor)).collect();
        }
        7 => {
            // Shout a stretch.
            let i = at(rng, input);
            let j = (i + rng.below(2000)).min(input.len());
            input[i..j].make_ascii_uppercase();
        }
        8 => {
            // Take the punctuation and line ends out of a stretch.
            let i = at(rng, input);
            let j = (i + rng.below(4000)).min(input.len());
            for b in &mut input[i..j] {
                if b.is_ascii_punctuation() || *b == b'\n' {
                    *b = b' ';
                }
            }
        }
        9 => {
            // Random characters of any script.
            let i = at(rng, input);
            let text: String =
                (0..1 + rng.below(40)).filter_map(|_| char::from_u32(rng.below(0x3_0000) as u32)).collect();
            input.splice(i..i, text.into_bytes());
        }
        _ => {
            let i = at(rng, input);
            let prefix = ["Title: T\n\n", "\u{feff}", "---\n", "+++\n", "\n\n\n", "Date: 2020-02-29\n"];
            let piece = prefix[rng.below(prefix.len())].as_bytes();
            input.splice(..i.min(8).min(input.len()), piece.iter().copied());
        }
    }
}

/// Why a run stopped early.
enum Failure {
    Panic(String),
    Broken(String),
    Hang(Duration),
    SuperLinear { small: Duration, large: Duration, bytes: usize },
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panic(m) => write!(f, "panic: {m}"),
            Failure::Broken(m) => write!(f, "broken promise: {m}"),
            Failure::Hang(d) => write!(f, "hang: no answer after {:.0} s", d.as_secs_f64()),
            Failure::SuperLinear { small, large, bytes } => write!(
                f,
                "super-linear: {:.3} s for the input, {:.3} s for 16 copies ({bytes} bytes)",
                small.as_secs_f64(),
                large.as_secs_f64()
            ),
        }
    }
}

/// Runs inputs on a worker thread so that a hang can be noticed.
struct Runner {
    send: mpsc::Sender<(String, Vec<u8>)>,
    answers: mpsc::Receiver<Result<Result<pipeline::Outcome, String>, String>>,
    /// Totals over the inputs run so far: articles, names, pages.
    totals: std::cell::Cell<(u64, u64, u64)>,
}

impl Runner {
    fn start(root: PathBuf) -> Runner {
        let (send, inputs) = mpsc::channel::<(String, Vec<u8>)>();
        let (reply, answers) = mpsc::channel();
        std::thread::spawn(move || {
            let harness =
                Harness::new(&root).unwrap_or_else(|e| panic!("cannot load the site at {}: {e}", root.display()));
            for (name, bytes) in inputs {
                let result = std::panic::catch_unwind(AssertUnwindSafe(|| harness.run(&name, &bytes)))
                    .map_err(|p| panic_message(p.as_ref()));
                if reply.send(result).is_err() {
                    break;
                }
            }
        });
        Runner { send, answers, totals: std::cell::Cell::new((0, 0, 0)) }
    }

    /// Runs one input; how long it took.
    fn run(&self, name: &str, bytes: &[u8]) -> Result<Duration, Failure> {
        let started = Instant::now();
        self.send.send((name.to_string(), bytes.to_vec())).expect("worker gone");
        match self.answers.recv_timeout(HANG_LIMIT) {
            Ok(Ok(Ok(outcome))) => {
                let (articles, names, pages) = self.totals.get();
                self.totals.set((
                    articles + outcome.parsed as u64,
                    names + outcome.mentions as u64,
                    pages + outcome.pages as u64,
                ));
                Ok(started.elapsed())
            }
            Ok(Ok(Err(broken))) => Err(Failure::Broken(broken)),
            Ok(Err(panic)) => Err(Failure::Panic(panic)),
            Err(_) => Err(Failure::Hang(started.elapsed())),
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// The seed inputs: every article under `dirs`.
fn load_corpus(dirs: &[PathBuf]) -> Vec<Vec<u8>> {
    let mut corpus = Vec::new();
    for dir in dirs {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
            if entry.file_type().is_file()
                && let Ok(bytes) = std::fs::read(entry.path())
                && bytes.len() < 200_000
            {
                corpus.push(bytes);
            }
        }
    }
    if corpus.is_empty() {
        corpus.push(b"Title: Empty corpus\n\nSome text.\n".to_vec());
    }
    corpus
}

/// Writes a failing input where a person will find it.
fn save(out: &Path, name: &str, bytes: &[u8], failure: &Failure) -> PathBuf {
    let _ = std::fs::create_dir_all(out);
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ *b as u64).wrapping_mul(0x100_0000_01b3));
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("txt");
    let path = out.join(format!("crash-{hash:016x}.{ext}"));
    let _ = std::fs::write(&path, bytes);
    let _ = std::fs::write(path.with_extension("why"), failure.to_string());
    path
}

struct Args {
    seconds: u64,
    seed: u64,
    out: PathBuf,
    site: PathBuf,
    replay: Vec<PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args {
        seconds: 60,
        seed: 0x9E37_79B9_7F4A_7C15,
        out: PathBuf::from("fuzz-crashes"),
        site: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        replay: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--seconds" => args.seconds = value().parse().expect("--seconds N"),
            "--seed" => args.seed = value().parse().expect("--seed N"),
            "--out" => args.out = PathBuf::from(value()),
            "--site" => args.site = PathBuf::from(value()),
            "--replay" => args.replay.extend(it.by_ref().map(PathBuf::from)),
            other => panic!("unknown argument {other}; see the comment at the top of examples/fuzz/main.rs"),
        }
    }
    args
}

fn main() {
    let args = parse_args();
    // Panics are caught and reported with the input; the default hook would print each twice.
    std::panic::set_hook(Box::new(|_| {}));
    let runner = Runner::start(args.site.clone());
    if !args.replay.is_empty() {
        let mut failed = 0;
        for path in &args.replay {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("input.txt");
            match runner.run(name, &bytes) {
                Ok(took) => println!("ok    {:.3} s  {}", took.as_secs_f64(), path.display()),
                Err(f) => {
                    failed += 1;
                    println!("FAIL  {}: {f}", path.display());
                }
            }
        }
        std::process::exit(if failed == 0 { 0 } else { 1 });
    }

    let corpus = load_corpus(&[args.site.join("content"), args.site.join("tests/fixtures/fuzz")]);
    let mut rng = Rng(args.seed.max(1));
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let (mut tried, mut parsed_bytes, mut scaled) = (0u64, 0u64, 0u64);
    let mut slowest = (0.0f64, 0usize);
    let mut report_at = Instant::now() + Duration::from_secs(30);
    println!("fuzzing for {} s, seed {}, {} seed inputs", args.seconds, args.seed, corpus.len());
    while Instant::now() < deadline {
        let mut input = corpus[rng.below(corpus.len())].clone();
        for _ in 0..1 + rng.below(6) {
            mutate(&mut rng, &mut input, &corpus);
        }
        input.truncate(400_000);
        let name = ["input.txt", "input.md", "2021-06-01-input.md", "input.markdown"][rng.below(4)];
        let done = tried;
        let fail = |failure: Failure, bytes: &[u8]| -> ! {
            let path = save(&args.out, name, bytes, &failure);
            println!("{failure}\n  input written to {} (after {done} inputs)", path.display());
            std::process::exit(1);
        };
        match runner.run(name, &input) {
            Ok(took) => {
                tried += 1;
                parsed_bytes += input.len() as u64;
                if took.as_secs_f64() > slowest.0 {
                    slowest = (took.as_secs_f64(), input.len());
                    // Kept for a look: slow is not yet wrong (the machine may be busy).
                    if took > SLOWEST_KEPT {
                        let _ = std::fs::create_dir_all(&args.out);
                        let _ = std::fs::write(args.out.join(format!("slowest-{name}")), &input);
                    }
                }
                // Now and then, check that 16 copies cost about 16 times as much.
                if tried % 50 == 0 && input.len() >= 256 {
                    scaled += 1;
                    let one: Vec<u8> = input.repeat((16_384 / input.len()).max(1));
                    let many = one.repeat(16);
                    let small = runner.run(name, &one).unwrap_or_else(|f| fail(f, &one));
                    let large = runner.run(name, &many).unwrap_or_else(|f| fail(f, &many));
                    if large > SCALING_MIN && large.as_secs_f64() > small.as_secs_f64() * 16.0 * SCALING_SLACK {
                        // A busy machine slows single runs: a few more of each, a
                        // moment apart, the fastest large against the typical small.
                        let mut smalls = vec![small];
                        let mut larges = vec![large];
                        for _ in 0..3 {
                            std::thread::sleep(Duration::from_secs(2));
                            smalls.push(runner.run(name, &one).unwrap_or_else(|f| fail(f, &one)));
                            larges.push(runner.run(name, &many).unwrap_or_else(|f| fail(f, &many)));
                        }
                        smalls.sort();
                        let (small, large) = (smalls[smalls.len() / 2], larges.into_iter().min().unwrap_or(large));
                        if large > SCALING_MIN && large.as_secs_f64() > small.as_secs_f64() * 16.0 * SCALING_SLACK {
                            fail(Failure::SuperLinear { small, large, bytes: many.len() }, &many);
                        }
                    }
                }
            }
            Err(failure) => fail(failure, &input),
        }
        if Instant::now() >= report_at {
            report_at += Duration::from_secs(60);
            let (articles, names, pages) = runner.totals.get();
            println!(
                "{:>6.0} s  {tried} inputs ({:.0}/s), {articles} articles, {names} names, {pages} pages, {scaled} scaling checks, {:.1} MB, slowest {:.3} s ({} bytes)",
                started.elapsed().as_secs_f64(),
                tried as f64 / started.elapsed().as_secs_f64(),
                parsed_bytes as f64 / 1e6,
                slowest.0,
                slowest.1
            );
        }
    }
    let (articles, names, pages) = runner.totals.get();
    println!(
        "done: {tried} inputs in {:.0} s ({articles} articles, {names} names, {pages} pages), {scaled} scaling checks, no failures",
        started.elapsed().as_secs_f64()
    );
}
