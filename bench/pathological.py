#!/usr/bin/env python3
"""What one hostile article costs: the sample site built with and without a
single generated file of pathological text, at several sizes.

Usage: python3 bench/pathological.py [--sizes 1,4] [--kinds all|a,b] [--runs 3]

Each kind writes one article whose body is SIZE MB of:

  caps          capitalised words, no punctuation, one line
  upper         ALL CAPITALS WORDS, one line
  names         "Firstname Surname" pairs, one line (every word a name)
  commas        a million commas and short words, no full stop
  longword      one word of SIZE MB
  nested        Markdown block quotes nested 1,000 deep, repeated
  list          a list indented a thousand levels, repeated
  lines         a million one-word lines
  brackets      "(((( [[[[" with no closing ones
  mixed         random bytes of printable ASCII and Unicode letters

The site is the repository's sample (content/, templates/, site.toml),
copied to a temporary folder in /dev/shm when it exists. The build runs
`--runs` times for each case (cold: output and cache deleted); the median
is reported, with the extra seconds per MB against the site without the
file. The issue's limit is 1 s per MB. Build first: cargo build --release
"""
import argparse
import os
import random
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(REPO, "target", "release", "gazette")
MB = 1 << 20


def words(rng, n_bytes, make):
    out, size = [], 0
    while size < n_bytes:
        w = make(rng)
        out.append(w)
        size += len(w) + 1
    return out


def cap_word(rng):
    return rng.choice(string.ascii_uppercase) + "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 9)))


def body(kind, n_bytes, rng):
    """The body of the article for one kind, about n_bytes long."""
    if kind == "caps":
        return " ".join(words(rng, n_bytes, cap_word))
    if kind == "upper":
        return " ".join(words(rng, n_bytes, lambda r: cap_word(r).upper()))
    if kind == "names":
        first = ["John", "Maria", "Ahmed", "Olena", "Wei", "Fatima", "Pierre", "Anna"]
        return " ".join(words(rng, n_bytes, lambda r: r.choice(first) + " " + cap_word(r)))
    if kind == "commas":
        return ", ".join(words(rng, n_bytes, lambda r: r.choice(["a", "Bo", "cat", "Dee"])))
    if kind == "longword":
        return "".join(rng.choice(string.ascii_letters) for _ in range(n_bytes))
    if kind == "nested":
        block = "\n".join(">" * depth + " Quote" for depth in range(1, 1001)) + "\n\n"
        return block * max(1, n_bytes // len(block))
    if kind == "list":
        block = "\n".join("  " * depth + "- Item" for depth in range(1000)) + "\n\n"
        return block * max(1, n_bytes // len(block))
    if kind == "lines":
        return "\n".join(words(rng, n_bytes, cap_word))
    if kind == "brackets":
        return "".join(rng.choice("([{<*_`") for _ in range(n_bytes))
    if kind == "mixed":
        alphabet = string.printable + "ÄÖÜßéèçñøåłżŁŻЖЯжяΩπ漢字日本ʻ’\u00ad\u200b"
        return "".join(rng.choice(alphabet) for _ in range(n_bytes // 2))
    raise SystemExit(f"unknown kind {kind}")


KINDS = ["caps", "upper", "names", "commas", "longword", "nested", "list", "lines", "brackets", "mixed"]


def build(site, out):
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(site, ".gazette-cache"), ignore_errors=True)
    start = time.monotonic()
    run = subprocess.run([BIN, "build", "--root", site, "--output", out], capture_output=True, text=True)
    took = time.monotonic() - start
    if run.returncode != 0:
        print(run.stderr[-2000:], file=sys.stderr)
    return took, run.returncode


def median_build(site, out, runs):
    times, codes = [], set()
    for _ in range(runs):
        t, code = build(site, out)
        times.append(t)
        codes.add(code)
    return statistics.median(times), codes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,4", help="article sizes in MB")
    ap.add_argument("--kinds", default="all")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit("build first: cargo build --release")
    kinds = KINDS if args.kinds == "all" else args.kinds.split(",")
    sizes = [float(s) for s in args.sizes.split(",")]
    work = tempfile.mkdtemp(prefix="gazette-patho-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    site = os.path.join(work, "site")
    os.makedirs(site)
    for part in ["content", "templates", "static"]:
        if os.path.isdir(os.path.join(REPO, part)):
            shutil.copytree(os.path.join(REPO, part), os.path.join(site, part))
    for part in ["site.toml", "entities.toml"]:
        if os.path.exists(os.path.join(REPO, part)):
            shutil.copy(os.path.join(REPO, part), site)
    out = os.path.join(work, "public")
    base, _ = median_build(site, out, args.runs)
    print(f"sample site without the file: {base:.2f} s (median of {args.runs})")
    print(f"{'kind':10} {'MB':>5} {'build s':>8} {'extra s/MB':>10}  exit")
    worst = 0.0
    rng = random.Random(15)
    for kind in kinds:
        for size in sizes:
            path = os.path.join(site, "content", "hostile.md" if kind in ("nested", "list") else "hostile.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"Title: Hostile {kind}\nDate: 2020-01-01\n\n{body(kind, int(size * MB), rng)}\n")
            mb = os.path.getsize(path) / MB
            took, codes = median_build(site, out, args.runs)
            per_mb = (took - base) / mb
            worst = max(worst, per_mb)
            print(f"{kind:10} {mb:5.1f} {took:8.2f} {per_mb:10.2f}  {','.join(map(str, sorted(codes)))}", flush=True)
            os.remove(path)
    print(f"worst extra cost: {worst:.2f} s per MB (limit 1 s per MB)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
