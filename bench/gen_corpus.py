#!/usr/bin/env python3
"""A deterministic news corpus for benchmarks, made of real sentences.

Usage: python3 bench/gen_corpus.py N OUTDIR [--seed S] [--hugo]

Sentences come from the sample articles in content/ (English Wikinews,
CC BY 2.5), so names, places and organisations are real and the tagger does
real work. Each article: a date between 2005-01-01 and 2024-12-31, a headline,
4-7 paragraphs of 2-4 sentences (about 450 words). Writes:

  OUTDIR/site/site.toml and OUTDIR/site/content/YYYY/NNNNNN.txt   (gazette, plain text)
  OUTDIR/hugo/content/articles/NNNNNN.md  (with --hugo: Markdown with the
      entities found by `gazette entities extract` as taxonomies, and the
      year, month and day as taxonomies for the date archives; needs the
      gazette binary in target/release)
"""
import datetime
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def source_files():
    out = []
    for folder, _, files in sorted(os.walk(os.path.join(REPO, "content"))):
        out.extend(os.path.join(folder, name) for name in sorted(files))
    return out


def entity_names():
    """(written form, canonical name, taxonomy) for every entity gazette finds in the sample articles."""
    binary = os.path.join(REPO, "target", "release", "gazette")
    out = subprocess.run([binary, "entities", "extract", *source_files()], check=True, capture_output=True, text=True).stdout
    taxonomy = {"person": "people", "place": "places", "organisation": "organisations"}
    names = set()
    for article in json.loads(out):
        for e in article["entities"]:
            if e["type"] in taxonomy:
                for m in e["mentions"]:
                    if len(m["text"]) >= 3:
                        names.add((m["text"], e["name"], taxonomy[e["type"]]))
    return sorted(names)


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


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
    hugo = "--hugo" in args
    tags = []
    if hugo:
        by_first_word = {}
        for written, canonical, taxonomy in entity_names():
            by_first_word.setdefault(written.split()[0], []).append((written, canonical, taxonomy))
        for sentence in pool:
            found = {}
            for word in set(re.findall(r"[\w'’.&-]+", sentence)):
                for written, canonical, taxonomy in by_first_word.get(word, ()):
                    if re.search(r"(?<![\w])" + re.escape(written) + r"(?![\w])", sentence):
                        found.setdefault(taxonomy, set()).add(canonical)
            tags.append(found)
        hugo_dir = os.path.join(outdir, "hugo", "content", "articles")
        os.makedirs(hugo_dir, exist_ok=True)
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
        chosen = []
        while sum(len(p.split()) for p in paragraphs) < 420:
            picks = [rng.randrange(len(pool)) for _ in range(rng.randint(2, 4))]
            chosen.extend(picks)
            paragraphs.append(" ".join(pool[k] for k in picks))
        headline = " ".join(paragraphs[0].split()[:rng.randint(6, 11)]).rstrip(",;:") + f" ({i})"
        words += sum(len(p.split()) for p in paragraphs)
        folder = os.path.join(site, "content", str(date.year))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
            f.write(f"{headline}\nDate: {date.isoformat()}\n\n" + "\n\n".join(paragraphs) + "\n")
        if hugo:
            found = {}
            for k in chosen:
                for taxonomy, values in tags[k].items():
                    found.setdefault(taxonomy, set()).update(values)
            lists = {t: "[" + ", ".join(toml_str(v) for v in sorted(found.get(t, ()))) + "]" for t in ("people", "places", "organisations")}
            ds = date.isoformat()
            with open(os.path.join(hugo_dir, f"{i:06d}.md"), "w", encoding="utf-8") as f:
                f.write(f"+++\ntitle = {toml_str(headline)}\ndate = {ds}\npeople = {lists['people']}\nplaces = {lists['places']}\n"
                        f"organisations = {lists['organisations']}\nyears = [\"{ds[:4]}\"]\nmonths = [\"{ds[:7]}\"]\ndays = [\"{ds}\"]\n+++\n\n"
                        + "\n\n".join(paragraphs) + "\n")
    print(f"{n} articles, {words / max(n, 1):.0f} words on average, in {site}")


if __name__ == "__main__":
    main()
