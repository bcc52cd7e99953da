#!/usr/bin/env python3
"""Full builds of the same corpus with gazette and with Hugo, side by side.

Usage: python3 bench/peer.py [--sizes 1000,10000,100000] [--runs 3]
                             [--hugo matched,minimal] [--gazette-only 1000000]
                             [--layout files|jsonl] [--work DIR]

For each size, bench/gen_corpus.py writes N articles of real Wikinews
sentences: plain text for gazette (which must find the entities itself) and
Markdown for Hugo with the same articles' entities given as taxonomies
(people, places, organisations, years, months, days; bench/hugo-skeleton has
the layouts, including date archives). Hugo builds the site in one or both
of two configurations (`--hugo`):

  matched  (bench/hugo-skeleton/config.toml) the pages and feeds gazette
           writes by default: articles, year/month/day archives, entity
           pages, a feed per entity and for the site (20 items), a sitemap,
           lists paginated by 30;
  minimal  (config.minimal.toml) no feeds, no sitemap, no day archives,
           lists paginated by 100.

The tools then build in alternation, cold (output and caches deleted first),
`--runs` times each, under /usr/bin/time -v, writing to the same filesystem.
Then each tool builds once more with its output in `--disk` (a folder on
disk, /var/tmp by default), because creating files costs on a disk what it
does not in memory. Prints a table: N, corpus layout, where the output
went, tool, median wall seconds, peak memory, HTML pages, all files and
their megabytes, and gazette's time as a fraction of
Hugo's (how many times faster gazette is), then how each tool's cost grows
from 10,000 to 100,000.

`--layout jsonl` has gazette build the same articles (same seed) written by
`gen_corpus.py --layout jsonl` as one content/articles.jsonl, in WORK/N-jsonl
(beside the files corpus in WORK/N, so neither cache clobbers the other).
Hugo is skipped then (it reads no JSONL; `--hugo` is ignored): compare the
rows with those of a `--layout files` run (the default), which has the Hugo
reference.

Installs Debian's hugo and time packages with apt-get when absent.
Build gazette first: cargo build --release
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAZETTE = os.path.join(REPO, "target", "release", "gazette")


def ensure_tools(need_hugo=True):
    wanted = (("hugo", "hugo"), ("/usr/bin/time", "time")) if need_hugo else (("/usr/bin/time", "time"),)
    missing = [pkg for tool, pkg in wanted if not shutil.which(tool)]
    if missing:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not os.path.exists(GAZETTE):
        sys.exit("build gazette first: cargo build --release")


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak MiB)."""
    r = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", r.stderr).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1)) / 1024
    return seconds, rss


def count_files(folder):
    """(HTML pages, all files, bytes) under folder."""
    paths = [os.path.join(d, f) for d, _, files in os.walk(folder) for f in files]
    size = sum(os.path.getsize(p) for p in paths)
    return sum(1 for p in paths if p.endswith(".html")), len(paths), size


def prepare(n, work, layout="files"):
    folder = os.path.join(work, str(n) if layout == "files" else f"{n}-{layout}")
    if not os.path.exists(os.path.join(folder, "site", "site.toml")):
        shutil.rmtree(folder, ignore_errors=True)
        gen = [sys.executable, os.path.join(REPO, "bench", "gen_corpus.py"), str(n), folder]
        if layout != "files":
            gen += ["--layout", layout]
        elif n <= 1_000_000:
            gen.append("--hugo")
        subprocess.run(gen, check=True)
    if layout == "files":
        # The layouts and configurations, fresh on every run.
        skeleton = os.path.join(REPO, "bench", "hugo-skeleton")
        shutil.copytree(skeleton, os.path.join(folder, "hugo"), dirs_exist_ok=True)
    return folder


def run_gazette(folder, out_root=None):
    out = os.path.join(out_root or folder, "out-gazette")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(folder, "site", ".gazette-cache"), ignore_errors=True)
    wall, rss = timed([GAZETTE, "build", "--quiet", "--root", os.path.join(folder, "site"), "--output", out])
    files = count_files(out)
    # On tmpfs the output is memory: free it before the other tool runs.
    shutil.rmtree(out, ignore_errors=True)
    return wall, rss, files


HUGO_CONFIGS = {"matched": "config.toml", "minimal": "config.minimal.toml"}
LAYOUTS = ("files", "jsonl")


def run_hugo(folder, config, out_root=None):
    out = os.path.join(out_root or folder, "out-hugo")
    shutil.rmtree(out, ignore_errors=True)
    site = os.path.join(folder, "hugo")
    cmd = ["hugo", "--quiet", "--source", site, "--config", os.path.join(site, HUGO_CONFIGS[config]), "--destination", out]
    wall, rss = timed(cmd)
    files = count_files(out)
    shutil.rmtree(out, ignore_errors=True)
    return wall, rss, files


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="article counts built by both tools")
    parser.add_argument("--gazette-only", default="", help="article counts built by gazette alone")
    parser.add_argument("--runs", type=int, default=3, help="cold builds per tool and size")
    parser.add_argument("--hugo", default="matched,minimal", help="Hugo configurations: matched, minimal or both")
    parser.add_argument("--layout", default="files", choices=LAYOUTS,
                        help="corpus gazette builds: files (one .txt per article, with Hugo alongside) or jsonl "
                             "(one articles.jsonl, gazette only)")
    default_work = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    parser.add_argument("--work", default=os.path.join(default_work, "gazette-peer-bench"), help="scratch folder")
    parser.add_argument("--disk", default="/var/tmp/gazette-peer-disk",
                        help="a folder on disk: after the runs in --work, each tool builds once more with its output "
                             "there, since creating files on a disk costs what it does not in memory ('' skips it)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    only = [int(x) for x in args.gazette_only.split(",") if x]
    runs, work, layout = args.runs, args.work, args.layout
    configs = [c for c in args.hugo.split(",") if c]
    if any(c not in HUGO_CONFIGS for c in configs):
        sys.exit(f"--hugo takes {' or '.join(HUGO_CONFIGS)}")
    if layout != "files":
        # Hugo reads no JSONL: its reference is the files layout's run.
        configs = []
        print(f"layout {layout}: gazette only, Hugo skipped (--hugo ignored)", file=sys.stderr)
    ensure_tools(need_hugo=bool(configs))
    os.makedirs(work, exist_ok=True)
    tools = ["gazette"] + [f"hugo {c}" for c in configs]
    rows = {}
    for n in sizes + only:
        folder = prepare(n, work, layout)
        results = {tool: [] for tool in tools}
        for _ in range(runs):
            results["gazette"].append(run_gazette(folder))
            for c in configs if n not in only else []:
                results[f"hugo {c}"].append(run_hugo(folder, c))
        if args.disk:
            # One run each with the output on disk, alternating like the others.
            os.makedirs(args.disk, exist_ok=True)
            rows[(n, "gazette", "disk")] = run_gazette(folder, args.disk)
            for c in configs if n not in only else []:
                rows[(n, f"hugo {c}", "disk")] = run_hugo(folder, c, args.disk)
        pages = results["gazette"][-1][2][0]
        if pages < n:
            print(f"warning: gazette wrote {pages} HTML pages for {n} articles of the {layout} corpus in {folder}; "
                  f"did it read them all?", file=sys.stderr)
        for tool, rs in results.items():
            if rs:
                rows[(n, tool, "memory")] = (statistics.median(r[0] for r in rs), max(r[1] for r in rs), rs[-1][2])
        shutil.rmtree(os.path.join(folder, "out-gazette"), ignore_errors=True)
        shutil.rmtree(os.path.join(folder, "out-hugo"), ignore_errors=True)
        print(f"done: {n} articles", file=sys.stderr)
    if layout != "files":
        print(f"layout {layout}: gazette builds {os.path.join(work, f'N-{layout}')}/site (content/articles.jsonl); "
              f"Hugo skipped (no JSONL input) - compare with a --layout files run for the Hugo reference")
    print(f"output in memory: {work}; on disk: {args.disk or '(skipped)'}; a disk row is one run")
    print(f"{'articles':>9}  {'layout':<6} {'output':<6} {'tool':<13} {'median s':>9} {'peak MiB':>9} {'pages':>8} "
          f"{'files':>8} {'MB':>8}  gazette/Hugo")
    for n in sizes + only:
        for where in ("memory", "disk"):
            for tool in tools:
                if (n, tool, where) not in rows:
                    continue
                wall, rss, (pages, files, size) = rows[(n, tool, where)]
                faster = ""
                if tool != "gazette" and (n, "gazette", where) in rows:
                    ours = rows[(n, "gazette", where)][0]
                    faster = f"{ours / wall:.3f} (gazette {wall / ours:.1f}x faster)"
                print(f"{n:>9}  {layout:<6} {where:<6} {tool:<13} {wall:>9.2f} {rss:>9.0f} {pages:>8} {files:>8} "
                      f"{size / 1e6:>8.1f}  {faster}")
    for tool in tools:
        if (10_000, tool, "memory") in rows and (100_000, tool, "memory") in rows:
            grow = rows[(100_000, tool, "memory")][0] / rows[(10_000, tool, "memory")][0]
            print(f"{tool} ({layout}): 100,000 articles cost {grow:.1f}x the time of 10,000")
    print(f"layout: {layout}; runs per tool: {runs}; machine: {os.cpu_count()} cores; work folder: {work}")


if __name__ == "__main__":
    main()
