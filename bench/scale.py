#!/usr/bin/env python3
"""A site of N generated articles: cold build, unchanged rebuild, one edit.

Usage: python3 bench/scale.py [N] [--work DIR] [--output DIR] [--profile full|compact]
                              [--switch atomic|in-place]

bench/gen_corpus.py writes N articles (default 1,000,000) into WORK/N/site
(kept between runs; /dev/shm by default, about 4 GB for a million). gazette
then builds it three times into OUTPUT (on disk, /var/tmp/gazette-scale by
default, because that is where users write; about 40 GB for a million):

  cold       output and build cache deleted first;
  unchanged  nothing touched since the cold build;
  edit       one article's text changed (a sentence added).

`--profile` and `--switch` set `[output] profile` and `switch` in the
corpus's site.toml (the defaults: full, atomic). An atomic switch hard-links
every unchanged file into the new output, which on a slow disk costs more
than the edit; `in-place` moves only the changed files.

For each it prints wall seconds and peak memory (the process's maximum
resident set) as soon as the build ends, then the files and bytes of the
output (counted once, at the end) and the build's own stage timings of the
cold build. Targets for a million articles, from
issue 19: cold at most 300 s and 8 GB, unchanged at most 20 s, edit at most
30 s. Build gazette first: cargo build --release
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAZETTE = os.path.join(REPO, "target", "release", "gazette")


def run_build(site, output):
    """One `gazette build`; returns (seconds, peak resident bytes, its output)."""
    start = time.monotonic()
    proc = subprocess.Popen([GAZETTE, "build", "--verbose", "--output", output], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    # wait4 gives this child's own peak (ru_maxrss, in KiB on Linux).
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"gazette build failed ({code}):\n{out[-4000:]}")
    return seconds, usage.ru_maxrss * 1024, out


def tally(folder):
    files = size = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(root, name)).st_size
    return files, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--work", default="/dev/shm/gazette-scale")
    parser.add_argument("--output", default="/var/tmp/gazette-scale")
    parser.add_argument("--profile", default="full", choices=["full", "compact"])
    parser.add_argument("--switch", default="atomic", choices=["atomic", "in-place"])
    args = parser.parse_args()
    if not os.path.exists(GAZETTE):
        sys.exit("build gazette first: cargo build --release")

    corpus = os.path.join(args.work, str(args.n))
    site = os.path.join(corpus, "site")
    if not os.path.exists(os.path.join(site, "site.toml")):
        subprocess.run([sys.executable, os.path.join(REPO, "bench", "gen_corpus.py"), str(args.n), corpus], check=True)
    toml = os.path.join(site, "site.toml")
    with open(toml) as f:
        text = f.read().split("\n[output]\n")[0].rstrip("\n")
    with open(toml, "w") as f:
        f.write(f'{text}\n\n[output]\nprofile = "{args.profile}"\nswitch = "{args.switch}"\n')
    output = os.path.join(args.output, str(args.n), "public")
    shutil.rmtree(os.path.dirname(output), ignore_errors=True)
    shutil.rmtree(os.path.join(site, ".gazette-cache"), ignore_errors=True)
    os.makedirs(os.path.dirname(output), exist_ok=True)

    print(f"{args.n:,} articles ({args.profile} profile, {args.switch} switch), corpus in {site}, output in {output}")
    print(f"{'build':<10} {'seconds':>8} {'peak memory':>12}", flush=True)
    for label in ("cold", "unchanged", "edit"):
        if label == "edit":
            edit_one_article(os.path.join(site, "content"))
        seconds, peak, out = run_build(site, output)
        # Each row as soon as it is measured: a million-article run takes a while.
        print(f"{label:<10} {seconds:8.1f} {peak / 2**30:8.2f} GiB", flush=True)
        if label == "cold":
            cold_out = out
    # Counted once, at the end (on a slow disk, walking a million files takes minutes).
    files, size = tally(output)
    print(f"output after the edit: {files:,} files, {size / 1e9:.2f} GB")
    print("\ncold build, as gazette reports it:")
    print("\n".join(cold_out.strip().splitlines()[-25:]))


def edit_one_article(content):
    """Adds a sentence to the middle paragraph of the first article of the middle year."""
    years = sorted(d for d in os.listdir(content) if os.path.isdir(os.path.join(content, d)))
    year = os.path.join(content, years[len(years) // 2])
    first = sorted(os.listdir(year))[0]
    path = os.path.join(year, first)
    with open(path) as f:
        lines = f.read().split("\n")
    lines[3] += " The council said it would publish the figures next week."
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
