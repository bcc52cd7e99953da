//! `gazette serve`: build in memory, serve on 127.0.0.1, watch the site
//! folder, rebuild what each change touches, and reload the browser tabs
//! that show it. Nothing is written to disk: `gazette build`'s output stays
//! as the user left it.

pub mod connections;
pub mod http;
pub mod watch;
pub mod workspace;

use std::collections::HashMap;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use http::Served;
use watch::{Layout, Next, SiteWatcher};
use workspace::{Reload, Update, Workspace};

/// How many ports after the requested one `serve` tries when it is taken.
const PORT_ATTEMPTS: u16 = 20;

/// How long edits must pause before the search index is brought up to date.
const SEARCH_AFTER_QUIET: Duration = Duration::from_millis(400);

/// What `gazette serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder that holds site.toml.
    pub root: PathBuf,
    /// Interface to listen on.
    pub bind: IpAddr,
    /// Port to listen on (the next free one is used when it is taken).
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM. The handlers are installed when
/// this is called (inside a Tokio runtime), not when it is first awaited.
fn interrupt_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Runs the preview server until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let root = options.root.canonicalize().map_err(|e| Error::io("cannot open site folder", &options.root, e))?;
    let listener = bind(options.bind, options.port)?;
    let addr = listener.local_addr().map_err(|e| Error::io("cannot listen on", root.clone(), e))?;
    let url = format!("http://{}/", display_addr(addr));
    let started = Instant::now();
    // Watch before the first build, so that an edit saved while it runs (or
    // right after the URL is printed) is never missed; an event for bytes the
    // build already read is a no-op.
    let config = crate::config::Config::load(&root)?;
    let layout = Layout {
        content: root.join(&config.content_dir),
        entities_file: config.entities.file.as_ref().map(|f| root.join(f)),
        output: root.join(&config.output_dir),
        root: root.clone(),
    };
    let watcher = SiteWatcher::start(layout)?;
    let (mut workspace, files) = Workspace::load(&root, &url)?;
    for d in workspace.diagnostics() {
        eprintln!("{d}");
    }
    let served = Served::new(files.into_iter().collect::<HashMap<_, _>>());
    set_errors(&served, &workspace);
    println!(
        "Built {} articles in memory in {:.0} ms; watching {} for changes",
        workspace.article_count(),
        started.elapsed().as_secs_f64() * 1000.0,
        root.display()
    );
    // Ctrl-C is caught from here on, before anyone is told where to connect.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the server", root.clone(), e))?;
    let interrupted = {
        let _context = runtime.enter();
        interrupt_signal().map_err(|e| Error::io("cannot listen for Ctrl-C", root.clone(), e))?
    };
    println!("Serving {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }

    let rebuild_state = served.clone();
    std::thread::spawn(move || {
        loop {
            // The search index is brought up to date once edits pause, so that
            // a burst of saves never waits for it.
            let quiet = workspace.search_pending().then_some(SEARCH_AFTER_QUIET);
            let changes = match watcher.next_within(quiet) {
                Next::Changes(changes) => changes,
                Next::Stopped => break,
                Next::Quiet => {
                    let started = Instant::now();
                    match workspace.update_search() {
                        Ok(Some(search)) => {
                            let files = search.rendered;
                            publish(&rebuild_state, search);
                            println!(
                                "Search index: {files} files in {:.0} ms",
                                started.elapsed().as_secs_f64() * 1000.0
                            );
                        }
                        Ok(None) => {}
                        Err(error) => eprintln!("error: {error}"),
                    }
                    let _ = std::io::stdout().flush();
                    continue;
                }
            };
            let started = Instant::now();
            match workspace.apply(&changes) {
                Ok(update) if update.files.is_empty() && update.reload == Reload::Nothing => {
                    // Same bytes as before (a touch, a save without edits): nothing to do.
                }
                Ok(mut update) => {
                    let (rendered, reload) = (update.rendered, update.reload.clone());
                    // Freed once the browser has the new pages, not on their way.
                    let retired = update.retired.take();
                    publish(&rebuild_state, update);
                    let had_errors = set_errors(&rebuild_state, &workspace);
                    for d in workspace.diagnostics() {
                        eprintln!("{d}");
                    }
                    println!("Rebuilt: {rendered} pages in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
                    notify(&rebuild_state, if had_errors { Reload::All } else { reload });
                    drop(retired);
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    *rebuild_state.errors.write().unwrap_or_else(|e| e.into_inner()) = vec![error.to_string()];
                    notify(&rebuild_state, Reload::All);
                }
            }
            let _ = std::io::stdout().flush();
        }
    });

    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| Error::io("cannot listen on", root.clone(), e))?;
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|e| Error::io("cannot listen on", root.clone(), e))?;
        connections::serve(listener, http::router(served), interrupted).await;
        println!("Stopped.");
        Ok(())
    })
}

/// Binds to the requested port, or the next free one (saying so).
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener> {
    let mut last_error = None;
    for offset in 0..PORT_ATTEMPTS {
        let Some(p) = port.checked_add(offset) else { break };
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(listener) => {
                if offset > 0 {
                    println!("Port {port} is in use; using port {p} instead.");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => last_error = Some(e),
            Err(e) => return Err(Error::io("cannot listen on", format!("{ip}:{p}"), e)),
        }
    }
    Err(Error::io(
        "cannot listen on",
        format!("{ip}:{port}"),
        last_error.unwrap_or_else(|| {
            std::io::Error::other(format!("ports {port} to {} are all in use", port.saturating_add(PORT_ATTEMPTS - 1)))
        }),
    ))
}

fn display_addr(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => v4.to_string(),
    }
}

/// Puts the update's files into the served site. An update that reloads
/// tabs starts a new generation, so that a tab that connects after it
/// (and missed the message) reloads too; one that reloads none (the search
/// index's files) leaves every tab current.
fn publish(served: &Served, update: Update) {
    let mut pages = served.pages.write().unwrap_or_else(|e| e.into_inner());
    if update.reload != Reload::Nothing {
        served.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
    for (path, bytes) in update.files {
        match bytes {
            Some(bytes) => {
                pages.insert(path, bytes);
            }
            None => {
                pages.remove(&path);
            }
        }
    }
}

/// Shows the workspace's file errors over every page; returns whether the
/// overlay appeared or went away.
fn set_errors(served: &Served, workspace: &Workspace) -> bool {
    let now: Vec<String> = workspace.errors().iter().map(ToString::to_string).collect();
    let mut errors = served.errors.write().unwrap_or_else(|e| e.into_inner());
    let changed = *errors != now;
    *errors = now;
    changed
}

/// Tells connected browsers which pages to reload.
fn notify(served: &Served, reload: Reload) {
    let message = match reload {
        Reload::Nothing => return,
        Reload::All => serde_json::json!({"all": true}),
        Reload::Pages(paths) => {
            let urls: Vec<String> =
                paths.iter().map(|p| format!("/{}", p.strip_suffix("index.html").unwrap_or(p))).collect();
            serde_json::json!({"paths": urls})
        }
    };
    let _ = served.events.send(message.to_string());
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: could not open a browser ({opener}: {e}); open {url} yourself");
    }
}
