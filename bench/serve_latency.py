#!/usr/bin/env python3
"""Preview-server latency: from a file write to the new page being served.

Usage: python3 bench/serve_latency.py [N_ARTICLES] [EDITS] [--layout jsonl]   (defaults 10000, 25)

Generates a corpus of N articles (bench/gen_corpus.py) in /dev/shm when it
exists (else the system temp folder), starts `target/release/gazette serve`
on it, then:
  * edits EDITS different articles one after another, timing each from the
    write to the first response of its page that has the new text;
  * overrides article.html (a template every article page uses) and times
    the write to the moment the last article page shows the change.
Prints the median, the spread and the server's own rebuild times.
With `--layout jsonl` the articles are rows of one content/articles.jsonl
instead: EDITS rows are edited in turn, the whole file rewritten in place
each time (truncated, then written, as export scripts do), and each edit is
timed from the write to the row's page showing it.
Build first: cargo build --release
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""


def wait_for(url, needle, timeout=30.0):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        status, body = fetch(url)
        if status == 200 and needle in body:
            return time.perf_counter()
        time.sleep(0.002)
    raise SystemExit(f"timed out waiting for {needle!r} at {url}")


def start_server(site):
    binary = os.path.join(REPO, "target", "release", "gazette")
    server = subprocess.Popen([binary, "serve", "--root", site, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    log = []
    started = time.perf_counter()
    for line in server.stdout:
        log.append(line.rstrip())
        m = re.match(r"Serving (http://\S+/)", line)
        if m:
            print(f"server ready after {time.perf_counter() - started:.2f} s: {log[0]}")
            threading.Thread(target=lambda: [log.append(l.rstrip()) for l in server.stdout], daemon=True).start()
            return server, m.group(1), log
    raise SystemExit("the server did not start")


def row_edits(site, edits):
    """Edits rows of content/articles.jsonl one after another, rewriting the file in place."""
    import json
    path = os.path.join(site, "content", "articles.jsonl")
    lines = open(path, encoding="utf-8").read().splitlines()
    server, url, log = start_server(site)
    latencies, rebuilt = [], []
    try:
        for k in range(edits):
            row = (k * 7919) % len(lines)
            obj = json.loads(lines[row])
            date = obj["date"]
            status, day = fetch(f"{url}{date[:4]}/{date[5:7]}/{date[8:10]}/")
            slug = re.sub(r"[^a-z0-9]+", "-", obj["title"].lower().replace("'", "")).strip("-")[:20]
            pages = [url + h for h in re.findall(r'href="\.\./\.\./\.\./(\d{4}/\d\d/\d\d/[^"/]+/)"', day) if h.split("/")[3].startswith(slug)]
            if not pages:
                continue
            marker = f"benchmark-row-edit-{k}-{time.time_ns()}"
            obj["text"] += f"\n\nThe editor added {marker}."
            lines[row] = json.dumps(obj, ensure_ascii=False)
            before = len(log)
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            t1 = wait_for(pages[0], marker)
            latencies.append((t1 - t0) * 1000)
            time.sleep(0.3)
            rebuilt.extend(l for l in log[before:] if l.startswith("Rebuilt:"))
    finally:
        server.terminate()
        server.wait()
    values = sorted(latencies)
    print(f"{len(lines)} rows in one JSON Lines file; time from rewriting the file to the edited row's page being served:")
    print(f"  row edits  n={len(values):>3}  median {statistics.median(values):7.1f} ms  min {values[0]:7.1f}  max {values[-1]:7.1f}")
    print(f"  server rebuilds: {len(rebuilt)} for {len(values)} edits, e.g. {rebuilt[:3]}")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--layout")]
    layout = "jsonl" if "--layout" in sys.argv and sys.argv[sys.argv.index("--layout") + 1] == "jsonl" else "files"
    args = [a for a in args if a not in ("jsonl", "files")]
    n = int(args[0]) if len(args) > 0 else 10000
    edits = int(args[1]) if len(args) > 1 else 25
    base = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    work = tempfile.mkdtemp(prefix="gazette-serve-bench-", dir=base)
    generate = [sys.executable, os.path.join(REPO, "bench", "gen_corpus.py"), str(n), work, "--layout", layout]
    subprocess.run(generate, check=True)
    site = os.path.join(work, "site")
    if layout == "jsonl":
        row_edits(site, edits)
        return
    # The templates folder exists before the server starts, as in a real site.
    os.makedirs(os.path.join(site, "templates"), exist_ok=True)
    binary = os.path.join(REPO, "target", "release", "gazette")
    server = subprocess.Popen([binary, "serve", "--root", site, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    log = []
    url = None
    started = time.perf_counter()
    for line in server.stdout:
        log.append(line.rstrip())
        m = re.match(r"Serving (http://\S+/)", line)
        if m:
            url = m.group(1)
            break
    print(f"server ready after {time.perf_counter() - started:.2f} s: {log[0]}")
    threading.Thread(target=lambda: [log.append(l.rstrip()) for l in server.stdout], daemon=True).start()

    # Which page belongs to which file: read the article pages' own links once.
    files = []
    for year in sorted(os.listdir(os.path.join(site, "content"))):
        for name in sorted(os.listdir(os.path.join(site, "content", year))):
            files.append(os.path.join(site, "content", year, name))
    step = max(1, len(files) // (2 * edits))
    latencies = []
    name_latencies = []
    try:
        for k in range(2 * edits):
            path = files[(k * step) % len(files)]
            text = open(path, encoding="utf-8").read()
            headline, rest = text.split("\n", 1)
            date = re.search(r"Date: (\d{4})-(\d\d)-(\d\d)", rest).groups()
            slug = re.sub(r"[^a-z0-9]+", "-", headline.lower().replace("'", "")).strip("-")[:80].rsplit("-", 0)[0]
            page = None
            marker = f"benchmark-edit-{k}-{time.time_ns()}"
            # Find the page URL from the day page (the slug rules live in Rust).
            status, day = fetch(f"{url}{date[0]}/{date[1]}/{date[2]}/")
            for href in re.findall(r'href="\.\./\.\./\.\./(\d{4}/\d\d/\d\d/[^"/]+/)"', day):
                if href.split("/")[3].startswith(slug[:20]):
                    page = url + href
            if page is None:
                continue
            t0 = time.perf_counter()
            # Even edits change only text; odd ones add a person and a place.
            added = f"The editor added {marker}." if k % 2 == 0 else f"The editor met Maria Petrova{k} in Odesa about {marker}."
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.rstrip("\n") + f"\n\n{added}\n")
            t1 = wait_for(page, marker)
            (latencies if k % 2 == 0 else name_latencies).append((t1 - t0) * 1000)
            time.sleep(0.05)
        # A template that every article page uses.
        templates = os.path.join(site, "templates")
        os.makedirs(templates, exist_ok=True)
        original = open(os.path.join(REPO, "templates", "article.html"), encoding="utf-8").read()
        marker = f"template-edit-{time.time_ns()}"
        last_page = None
        status, home = fetch(url)
        links = re.findall(r'href="(?:\./)?(\d{4}/\d\d/\d\d/[^"]+/)"', home)
        last_page = url + links[-1]
        first_page = url + links[0]
        rebuilt_before = sum(1 for l in log if l.startswith("Rebuilt:"))
        t0 = time.perf_counter()
        with open(os.path.join(templates, "article.html"), "w", encoding="utf-8") as f:
            f.write(original.replace("{% block content %}", "{% block content %}<!-- " + marker + " -->", 1))
        wait_for(first_page, marker, timeout=120)
        wait_for(last_page, marker, timeout=120)
        template_ms = (time.perf_counter() - t0) * 1000
        time.sleep(0.2)
        rebuilds = [l for l in log if l.startswith("Rebuilt:")]
        template_line = rebuilds[rebuilt_before] if len(rebuilds) > rebuilt_before else "?"
    finally:
        server.terminate()
        server.wait()
    print(f"{n} articles; time from the file write to the new page being served:")
    for label, values in [("text edits (names unchanged)", latencies), ("edits that add names", name_latencies), ("all edits", latencies + name_latencies)]:
        values = sorted(values)
        print(f"  {label:<30} n={len(values):>3}  median {statistics.median(values):7.1f} ms  min {values[0]:7.1f}  "
              f"p90 {values[max(0, int(len(values) * 0.9) - 1)]:7.1f}  max {values[-1]:7.1f}")
    print(f"template edit (article.html, every article page): {template_ms:.0f} ms until the last page changed; server said: {template_line}")


if __name__ == "__main__":
    main()
