#!/usr/bin/env python3
"""A deterministic news corpus for benchmarks, made of real sentences.

Usage: python3 bench/gen_corpus.py N OUTDIR [--seed S] [--hugo]

Sentences come from the sample articles in content/ (English Wikinews,
CC BY 2.5), so names, places and organisations are real and the tagger does
real work. Each article: a date between 2005-01-01 and 2024-12-31, a headline,
4-7 paragraphs of 2-4 sentences (about 450 words). Writes:

  OUTDIR/site/site.toml and OUTDIR/site/content/YYYY/NNNNNN.txt   (gazette, plain text)
  OUTDIR/hugo/content/articles/NNNNNN.md  (with --hugo: Markdown with the
      entities found by `gazette entities extract` as taxonomies; needs the
      gazette binary in target/release)
"""
import datetime
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def sentences():
    out = []
    for folder, _, files in sorted(os.walk(os.path.join(REPO, "content"))):
        for name in sorted(files):
            text = open(os.path.join(folder, name), encoding="utf-8", errors="replace").read()
            if text.startswith("+++"):
                text = text.split("+++", 2)[-1]
            for para in text.split("\n\n")[1:]:
                para = " ".join(para.split())
                if len(para) < 60 or para.startswith(("date ", "title ", "url ")):
                    continue
                for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", para):
                    if 40 <= len(s) <= 300 and s[-1] in ".!?\"”":
                        out.append(s)
    return out


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    n, outdir = int(args[0]), args[1]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 2019
    rng = random.Random(seed)
    pool = sentences()
    start = datetime.date(2005, 1, 1)
    span = (datetime.date(2024, 12, 31) - start).days
    site = os.path.join(outdir, "site")
    os.makedirs(os.path.join(site, "content"), exist_ok=True)
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write('title = "Benchmark Archive"\nbase_url = "https://example.org/"\n\n[entities]\nmin_articles = 2\n')
    words = 0
    for i in range(n):
        date = start + datetime.timedelta(days=rng.randrange(span + 1))
        paragraphs = []
        while sum(len(p.split()) for p in paragraphs) < 420:
            paragraphs.append(" ".join(rng.choice(pool) for _ in range(rng.randint(2, 4))))
        headline = " ".join(paragraphs[0].split()[:rng.randint(6, 11)]).rstrip(",;:") + f" ({i})"
        words += sum(len(p.split()) for p in paragraphs)
        folder = os.path.join(site, "content", str(date.year))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
            f.write(f"{headline}\nDate: {date.isoformat()}\n\n" + "\n\n".join(paragraphs) + "\n")
    print(f"{n} articles, {words / max(n, 1):.0f} words on average, in {site}")


if __name__ == "__main__":
    main()
