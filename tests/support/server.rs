//! A `gazette serve` process on a free port, and a minimal HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running preview server; killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    /// Lines printed on stdout so far.
    pub output: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `gazette serve --port 0` in `root` and waits for its URL line.
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &["--port", "0"])
    }

    /// Starts `gazette serve` with extra arguments.
    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("serve")
            .args(args)
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gazette serve");
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in
            [Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stderr.take().unwrap())]
        {
            let sink = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    sink.lock().unwrap().push(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(line) = output.lock().unwrap().iter().find(|l| l.starts_with("Serving http://")) {
                let addr = line.trim_start_matches("Serving http://").split('/').next().unwrap().to_string();
                return Server { child, addr, output: output.clone() };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("serve exited with {status}: {:?}", output.lock().unwrap());
            }
            assert!(Instant::now() < deadline, "serve did not start: {:?}", output.lock().unwrap());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends a request and returns the response.
    pub fn request(&self, method: &str, path: &str) -> Response {
        request(&self.addr, method, path)
    }

    /// GET a path.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// Waits until GET `path` satisfies `check`, or panics after `secs` seconds.
    pub fn wait_for(&self, path: &str, secs: u64, check: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let response = self.get(path);
            if check(&response) {
                return response;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting on {path}; last: {} {}; server said {:?}",
                response.status,
                &response.body[..response.body.len().min(300)],
                self.output.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits up to `secs` seconds for a printed line that contains `needle`.
    pub fn wait_for_output(&self, needle: &str, secs: u64) -> bool {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if self.count_output(needle) > 0 {
                return true;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        false
    }

    /// Lines the server printed that contain `needle`.
    pub fn count_output(&self, needle: &str) -> usize {
        self.output.lock().unwrap().iter().filter(|l| l.contains(needle)).count()
    }

    /// Sends SIGINT (Ctrl-C) and waits for the process to exit; returns its code.
    pub fn interrupt(mut self) -> Option<i32> {
        let _ = Command::new("kill").arg("-INT").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request with `Connection: close`; the path is sent as is.
pub fn request(addr: &str, method: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers = lines.filter_map(|l| l.split_once(": ").map(|(a, b)| (a.to_string(), b.to_string()))).collect();
    Response { status, headers, body: body.to_string() }
}

/// Opens the live reload stream and returns the first event's data line.
/// The message the event stream opens with (the server's error state).
pub fn opening_event(addr: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(stream, "GET /__gazette/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while reader.read_line(&mut line).ok()? > 0 {
        if let Some(data) = line.trim_end().strip_prefix("data: ") {
            return Some(data.to_string());
        }
        line.clear();
    }
    None
}

pub fn first_event(addr: &str, within: Duration, trigger: impl FnOnce()) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(within)).ok()?;
    write!(stream, "GET /__gazette/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").ok()?;
    // Wait for the response head before changing anything.
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while reader.read_line(&mut line).ok()? > 0 {
        if line == "\r\n" {
            break;
        }
        line.clear();
    }
    trigger();
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        // The stream opens with the error state ({"errors":N}); wait for a reload message.
        if let Some(data) = line.trim_end().strip_prefix("data: ")
            && !data.starts_with("{\"errors\"")
        {
            return Some(data.to_string());
        }
    }
    None
}
