#!/usr/bin/env python3
"""The preview server under abuse, all on loopback.

Usage: python3 bench/serve_abuse.py [--seconds 10] [--rate 1000] [--sse 200]
                                    [--slow 100] [--big 20]

Copies the sample site (content/, templates/, static/, site.toml) to a
temporary folder in /dev/shm when it exists, starts
`target/release/gazette serve` on it and, all at once:

  * holds --sse event-stream clients open, reading every event;
  * sends --rate requests per second for --seconds over keep-alive
    connections, to article, entity, date and missing pages;
  * keeps --slow clients that send a request header one byte per second;
  * sends --big requests whose headers are 1 MB;
  * deletes a tenth of the articles while their pages are being asked for
    (the server rebuilds; the pages go from 200 to 404).

Prints what each kind of client got, the latency of the ordinary requests,
the server's memory (resident and peak, from /proc) before, during and
after, and whether it printed a panic. Build first: cargo build --release
"""
import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(REPO, "target", "release", "gazette")


def memory(pid):
    """Resident and peak resident memory of a process, in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


async def read_response(reader):
    """Reads one HTTP/1.1 response; returns the status (0 if the connection closed)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)content-length:\s*(\d+)", head)
    if length:
        await reader.readexactly(int(length.group(1)))
    return status


async def sse_client(port, stop, stats):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /__gazette/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        await writer.drain()
        stats["sse_connected"] += 1
        while not stop.is_set():
            try:
                line = await asyncio.wait_for(reader.readline(), 0.5)
            except asyncio.TimeoutError:
                continue
            if not line:
                stats["sse_dropped"] += 1
                return
            if line.startswith(b"data:"):
                stats["sse_events"] += 1
        writer.close()
    except Exception:
        stats["sse_failed"] += 1


async def slow_client(port, stop, stats):
    """Sends a request header one byte per second."""
    request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        stats["slow_connected"] += 1
        for byte in request:
            if stop.is_set():
                break
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(1.0)
        writer.close()
        stats["slow_open_to_the_end"] += 1
    except (ConnectionError, OSError):
        stats["slow_closed_by_server"] += 1


async def big_header_client(port, stats):
    """One request with a 1 MB header."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
        sent = 0
        try:
            for _ in range(64):
                writer.write(b"b" * 16384)
                await writer.drain()
                sent += 16384
            writer.write(b"\r\n\r\n")
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        try:
            status = await asyncio.wait_for(read_response(reader), 10)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            status = 0
        stats[f"big_{status or 'closed'}"] += 1
        writer.close()
    except (ConnectionError, OSError):
        stats["big_refused"] += 1


async def load_client(port, paths, per_second, seconds, stats, latencies):
    """Keep-alive requests at a steady rate."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    start = time.perf_counter()
    n = 0
    while True:
        due = start + n / per_second
        now = time.perf_counter()
        if now - start >= seconds:
            break
        if due > now:
            await asyncio.sleep(due - now)
        path = random.choice(paths)
        t = time.perf_counter()
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            await writer.drain()
            status = await read_response(reader)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            stats["load_connection_errors"] += 1
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            n += 1
            continue
        latencies.append(time.perf_counter() - t)
        stats[f"load_{status}"] += 1
        n += 1
    writer.close()


async def main_async(args, port, site, pid):
    from collections import Counter

    stats = Counter()
    latencies = []
    stop = asyncio.Event()
    articles = []
    for root, _, files in os.walk(os.path.join(site, "content")):
        for name in files:
            articles.append(os.path.join(root, name))
    articles.sort()
    # Page paths: fetched once from the home page and entity lists.
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    pages = set()
    for listing in ["/", "/people/", "/places/", "/organisations/"]:
        writer.write(f"GET {listing} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
        body = (await reader.readexactly(length)).decode("utf-8", "replace")
        for href in re.findall(r'href="([^"#?]*)"', body):
            url = urllib.parse.urljoin("http://x" + listing, href)
            if url.startswith("http://x/"):
                pages.add(url[len("http://x"):])
    writer.close()
    paths = sorted(pages) + ["/no/such/page/", "/%2e%2e/site.toml"]
    print(f"{len(paths)} page paths to ask for, {len(articles)} articles")

    before = memory(pid)
    sse = [asyncio.create_task(sse_client(port, stop, stats)) for _ in range(args.sse)]
    slow = [asyncio.create_task(slow_client(port, stop, stats)) for _ in range(args.slow)]
    await asyncio.sleep(1.0)
    connections = 20
    load = [
        asyncio.create_task(load_client(port, paths, args.rate / connections, args.seconds, stats, latencies))
        for _ in range(connections)
    ]
    big = [asyncio.create_task(big_header_client(port, stats)) for _ in range(args.big)]
    peak_during = (0.0, 0.0)
    deleted = False
    start = time.perf_counter()
    while not all(t.done() for t in load):
        await asyncio.sleep(0.25)
        rss, hwm = memory(pid)
        peak_during = (max(peak_during[0], rss), max(peak_during[1], hwm))
        if not deleted and time.perf_counter() - start > args.seconds / 2:
            for path in articles[:: 10]:
                os.remove(path)
            deleted = True
            print(f"deleted {len(articles[::10])} articles at {time.perf_counter() - start:.1f} s")
    await asyncio.gather(*big)
    # The deletion's reload event reaches the event-stream clients.
    await asyncio.sleep(2.0)
    stop.set()
    await asyncio.gather(*sse, *slow)
    after = memory(pid)

    # Still serving?
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    await writer.drain()
    final = await read_response(reader)
    writer.close()

    total = sum(v for k, v in stats.items() if k.startswith("load_") and k[5:].isdigit())
    print(f"ordinary requests: {total} in {args.seconds} s ({total / args.seconds:.0f}/s asked {args.rate}/s)")
    print("  statuses: " + ", ".join(f"{k[5:]}: {v}" for k, v in sorted(stats.items()) if k.startswith("load_")))
    if latencies:
        q = statistics.quantiles(latencies, n=100)
        print(f"  latency ms: median {statistics.median(latencies) * 1000:.2f}, p99 {q[98] * 1000:.2f}, max {max(latencies) * 1000:.1f}")
    print(f"event streams: {stats['sse_connected']} of {args.sse} connected, {stats['sse_events']} events read, "
          f"{stats['sse_dropped']} dropped by the server, {stats['sse_failed']} failed")
    print(f"slow clients: {stats['slow_connected']} connected, {stats['slow_closed_by_server']} closed by the server "
          f"(header timeout), {stats['slow_open_to_the_end']} still open when stopped")
    print("1 MB headers: " + ", ".join(f"{k[4:]}: {v}" for k, v in sorted(stats.items()) if k.startswith("big_")))
    print(f"server memory MB (resident / peak): before {before[0]:.0f} / {before[1]:.0f}, "
          f"during at most {peak_during[0]:.0f} / {peak_during[1]:.0f}, after {after[0]:.0f} / {after[1]:.0f}")
    print(f"after the abuse, / answers {final}")
    return final == 200 and stats["load_connection_errors"] == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--sse", type=int, default=200)
    ap.add_argument("--slow", type=int, default=100)
    ap.add_argument("--big", type=int, default=20)
    args = ap.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit("build first: cargo build --release")
    work = tempfile.mkdtemp(prefix="gazette-abuse-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    site = os.path.join(work, "site")
    os.makedirs(site)
    for part in ["content", "templates", "static"]:
        if os.path.isdir(os.path.join(REPO, part)):
            shutil.copytree(os.path.join(REPO, part), os.path.join(site, part))
    shutil.copy(os.path.join(REPO, "site.toml"), site)
    log = open(os.path.join(work, "serve.log"), "w+")
    server = subprocess.Popen([BIN, "serve", "--port", "0"], cwd=site, stdout=log, stderr=subprocess.STDOUT)
    try:
        port = None
        deadline = time.time() + 120
        while port is None and time.time() < deadline:
            time.sleep(0.2)
            log.seek(0)
            m = re.search(r"Serving http://127\.0\.0\.1:(\d+)/", log.read())
            if m:
                port = int(m.group(1))
            if server.poll() is not None:
                raise SystemExit("serve exited early:\n" + open(log.name).read())
        ok = asyncio.run(main_async(args, port, site, server.pid))
        log.seek(0)
        output = log.read()
        panicked = "panicked" in output
        print(f"server printed a panic: {'YES' if panicked else 'no'}; still running: {server.poll() is None}")
        sys.exit(0 if ok and not panicked and server.poll() is None else 1)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
