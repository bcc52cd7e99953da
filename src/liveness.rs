//! How a command-line build shows it is alive: a bar per stage on a
//! terminal, redrawn several times a second even while no item finishes,
//! and (with `--verbose`, on a terminal or not) the files that take
//! unusually long, named while they are being worked on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use gazette::progress::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A file is slow once one stage has spent this long on it: a thousand
/// times what a typical article takes.
pub const SLOW_FILE: Duration = Duration::from_secs(1);

/// How often [`Liveness::watch`] should be called.
pub const WATCH_EVERY: Duration = Duration::from_millis(200);

/// After how long on one file a `--verbose` build says it is still on it.
const STILL_ON: [Duration; 4] = [SLOW_FILE, Duration::from_secs(10), Duration::from_secs(60), Duration::from_secs(600)];

/// One file a thread is on.
struct Work {
    file: PathBuf,
    since: Instant,
    /// How many of [`STILL_ON`]'s reports were printed for it.
    reported: usize,
}

/// Where lines about slow files go when there is no bar to print above.
type Lines = Box<dyn Fn(&str) + Send + Sync>;

/// Progress for the command line; see the module comment.
pub struct Liveness {
    bars: bool,
    verbose: bool,
    bar: RwLock<Option<ProgressBar>>,
    stage: Mutex<&'static str>,
    working: Mutex<HashMap<ThreadId, Work>>,
    lines: Lines,
}

impl Liveness {
    /// Bars when `bars`, slow files named on stderr when `verbose`.
    pub fn new(bars: bool, verbose: bool) -> Liveness {
        Liveness::with_lines(bars, verbose, Box::new(|line| eprintln!("{line}")))
    }

    /// [`Liveness::new`], its lines (when no bar shows) going to `lines`.
    fn with_lines(bars: bool, verbose: bool, lines: Lines) -> Liveness {
        Liveness {
            bars,
            verbose,
            bar: RwLock::new(None),
            stage: Mutex::new(""),
            working: Mutex::new(HashMap::new()),
            lines,
        }
    }

    /// Whether this shows anything at all (else a build can run silent).
    pub fn shows_anything(&self) -> bool {
        self.bars || self.verbose
    }

    /// Looks at the files being worked on: names the slow ones (with
    /// `--verbose`) and shows the slowest in the bar. Called every
    /// [`WATCH_EVERY`] from a thread of its own.
    pub fn watch(&self) {
        self.watch_at(Instant::now());
    }

    /// [`Liveness::watch`] as if it were `now`.
    fn watch_at(&self, now: Instant) {
        let stage = *lock(&self.stage);
        let mut working = lock(&self.working);
        let mut slowest: Option<(&Path, Duration)> = None;
        let mut lines = Vec::new();
        for work in working.values_mut() {
            let elapsed = now.saturating_duration_since(work.since);
            if elapsed < SLOW_FILE {
                continue;
            }
            if slowest.is_none_or(|(_, d)| elapsed > d) {
                slowest = Some((&work.file, elapsed));
            }
            if self.verbose && STILL_ON.get(work.reported).is_some_and(|due| elapsed >= *due) {
                work.reported += 1;
                lines.push(format!(
                    "  still on {} ({stage}, {:.0} s so far)",
                    work.file.display(),
                    elapsed.as_secs_f64()
                ));
            }
        }
        let message = slowest.map(|(file, d)| format!("{} for {:.0} s", file.display(), d.as_secs_f64()));
        drop(working);
        if let Some(bar) = &*self.bar.read().unwrap_or_else(|e| e.into_inner()) {
            bar.set_message(message.unwrap_or_default());
        }
        for line in lines {
            self.println(&line);
        }
    }

    fn println(&self, line: &str) {
        match &*self.bar.read().unwrap_or_else(|e| e.into_inner()) {
            Some(bar) => bar.println(line),
            None => (self.lines)(line),
        }
    }
}

impl Liveness {
    /// The calling thread is done with its file, `now`: named if it was slow.
    fn done_at(&self, now: Instant) {
        let thread = std::thread::current().id();
        let work = lock(&self.working).remove(&thread);
        let took = work.as_ref().map(|w| now.saturating_duration_since(w.since));
        if let (Some(work), Some(took)) = (work, took.filter(|t| self.verbose && *t >= SLOW_FILE)) {
            let stage = *lock(&self.stage);
            self.println(&format!("  slow file: {} took {:.1} s in {stage}", work.file.display(), took.as_secs_f64()));
        }
    }
}

/// A lock whose holder panicked is still good here: it only guards progress display.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Progress for Liveness {
    fn start(&self, stage: &'static str, total: u64) {
        *lock(&self.stage) = stage;
        if !self.bars {
            return;
        }
        let template = if total == 0 {
            "{prefix:>8} {spinner} {elapsed} {msg}"
        } else {
            "{prefix:>8} [{bar:32}] {pos}/{len} {rate} {elapsed}/{duration} {msg}"
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", state.per_sec());
            })
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_prefix(stage);
        // Redrawn on a timer, so the bar moves while one long item runs.
        bar.enable_steady_tick(Duration::from_millis(120));
        *self.bar.write().unwrap_or_else(|e| e.into_inner()) = Some(bar);
    }

    fn advance(&self, n: u64) {
        self.done_at(Instant::now());
        if let Some(bar) = &*self.bar.read().unwrap_or_else(|e| e.into_inner()) {
            bar.inc(n);
        }
    }

    fn working_on(&self, file: &Path) {
        let work = Work { file: file.to_path_buf(), since: Instant::now(), reported: 0 };
        lock(&self.working).insert(std::thread::current().id(), work);
    }

    fn finish(&self) {
        lock(&self.working).clear();
        if let Some(bar) = self.bar.write().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn collecting(verbose: bool) -> (Liveness, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let liveness =
            Liveness::with_lines(false, verbose, Box::new(move |l| sink.lock().unwrap().push(l.to_string())));
        (liveness, lines)
    }

    #[test]
    fn verbose_names_a_slow_file_while_it_runs_and_when_it_is_done() {
        let (liveness, lines) = collecting(true);
        liveness.start("extract", 2);
        let started = Instant::now();
        liveness.working_on(Path::new("content/huge.txt"));
        liveness.watch_at(started + Duration::from_millis(500));
        assert!(lines.lock().unwrap().is_empty(), "half a second is not slow");
        liveness.watch_at(started + Duration::from_millis(1800));
        liveness.watch_at(started + Duration::from_millis(1900));
        liveness.watch_at(started + Duration::from_secs(11));
        liveness.done_at(started + Duration::from_secs(12));
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains("still on content/huge.txt (extract, 2 s so far)"), "{}", lines[0]);
        assert!(lines[1].contains("(extract, 11 s so far)"), "reported again later, not on every look: {}", lines[1]);
        assert!(lines[2].contains("content/huge.txt took 12.0 s in extract"), "{}", lines[2]);
    }

    #[test]
    fn quick_files_and_quiet_builds_name_nothing() {
        let (liveness, lines) = collecting(true);
        liveness.start("parse", 1);
        let started = Instant::now();
        liveness.working_on(Path::new("content/small.txt"));
        liveness.done_at(started + Duration::from_millis(20));
        liveness.watch_at(started + Duration::from_secs(5));
        assert!(lines.lock().unwrap().is_empty(), "a finished file is not watched");

        let (quiet, lines) = collecting(false);
        quiet.start("extract", 1);
        quiet.working_on(Path::new("content/huge.txt"));
        quiet.watch_at(Instant::now() + Duration::from_secs(30));
        quiet.done_at(Instant::now() + Duration::from_secs(31));
        assert!(lines.lock().unwrap().is_empty(), "only --verbose names files");
    }
}
