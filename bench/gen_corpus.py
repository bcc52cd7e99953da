#!/usr/bin/env python3
"""A deterministic news corpus for benchmarks, made of real sentences.

Usage: python3 bench/gen_corpus.py N OUTDIR [--seed S] [--hugo]
                                   [--layout files|jsonl|undated-sections]

Sentences come from the sample articles in content/ (English Wikinews,
CC BY 2.5), so names, places and organisations are real and the tagger does
real work. Each article: a date between 2005-01-01 and 2024-12-31, a headline,
4-7 paragraphs of 2-4 sentences (about 450 words). The same seed gives the
same articles in every layout. Always writes OUTDIR/site/site.toml; the
articles go to OUTDIR/site/content/ as `--layout` says:

  files             (the default) YYYY/NNNNNN.txt, plain text: the headline,
                    a `Date: YYYY-MM-DD` line, a blank line, the paragraphs
  jsonl             articles.jsonl, one JSON object a line with the keys
                    "id" (NNNNNN), "title", "date" (YYYY-MM-DD) and "text"
                    (the paragraphs joined by blank lines)
  undated-sections  <topic>/NNNNNN.txt, topic cycling through business,
                    entertainment, politics, sport, tech: the headline, a
                    blank line, the paragraphs, and no date anywhere (a
                    dateline opening a sentence, "Friday, March 29, 2019",
                    is cut off, so no paragraph starts with a date)

  OUTDIR/hugo/content/articles/NNNNNN.md  (with --hugo, files layout only:
      Markdown with the entities found by `gazette entities extract` as
      taxonomies, and the year, month and day as taxonomies for the date
      archives; needs the gazette binary in target/release; nothing else
      does)
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


LAYOUTS = ("files", "jsonl", "undated-sections")
TOPICS = ("business", "entertainment", "politics", "sport", "tech")

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# Something at the start of a line that a reader (or a parser) could take for
# a date or a date header: a key ("Date:", "date 2019-…", "Published:"), an
# ISO or numeric date, or a long form ("March 29", "29 March 2019"), with or
# without a weekday in front.
DATE_START = re.compile(
    r"\s*(?:(?:date|dated|published|updated)\b"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    rf"|(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}))",
    re.IGNORECASE)
# A whole dateline opening a sentence: "Friday, March 29, 2019 Toronto …".
DATELINE = re.compile(
    rf"\s*(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
    r"|\d{4}[-/]\d{1,2}[-/]\d{1,2})[\s,.:;—–-]*")


def undated(sentence):
    """The sentence without a dateline in front, or None when what is left still starts like a date."""
    m = DATELINE.match(sentence)
    rest = sentence[m.end():] if m else sentence
    if m and rest:
        rest = rest[0].upper() + rest[1:]
    return None if not rest or DATE_START.match(rest) else rest


def undated_pool(pool):
    """The pool for the undated layout, index for index, so the same seed draws the same articles."""
    out = []
    for k, s in enumerate(pool):
        fixed, j = undated(s), k
        # A sentence that still opens like a date gives way to the next one that does not.
        while fixed is None:
            j = (j + 1) % len(pool)
            fixed = undated(pool[j])
        out.append(fixed)
    return out


def option(args, name, default):
    return args[args.index(name) + 1] if name in args else default


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    n, outdir = int(args[0]), args[1]
    seed = int(option(args, "--seed", 2019))
    layout = option(args, "--layout", "files")
    if layout not in LAYOUTS:
        sys.exit(f"--layout takes {', '.join(LAYOUTS)}, not {layout!r}")
    hugo = "--hugo" in args
    if hugo and layout != "files":
        sys.exit(f"--hugo works only with --layout files (the Hugo corpus mirrors the dated files), not with --layout {layout}")
    rng = random.Random(seed)
    pool = sentences()
    # Drawn from the same pool in every layout, so the random draws (and the
    # articles) stay the same; the undated layout then writes datelines cut.
    undated_text = undated_pool(pool) if layout == "undated-sections" else None
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
    jsonl = open(os.path.join(site, "content", "articles.jsonl"), "w", encoding="utf-8") if layout == "jsonl" else None
    for i in range(n):
        date = start + datetime.timedelta(days=rng.randrange(span + 1))
        paragraphs = []
        chosen = []
        groups = []
        while sum(len(p.split()) for p in paragraphs) < 420:
            picks = [rng.randrange(len(pool)) for _ in range(rng.randint(2, 4))]
            chosen.extend(picks)
            groups.append(picks)
            paragraphs.append(" ".join(pool[k] for k in picks))
        headline_words = rng.randint(6, 11)
        if undated_text:
            paragraphs = [" ".join(undated_text[k] for k in picks) for picks in groups]
        headline = " ".join(paragraphs[0].split()[:headline_words]).rstrip(",;:") + f" ({i})"
        words += sum(len(p.split()) for p in paragraphs)
        if layout == "jsonl":
            record = {"id": f"{i:06d}", "title": headline, "date": date.isoformat(), "text": "\n\n".join(paragraphs)}
            jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif layout == "undated-sections":
            if DATE_START.match(headline) or any(DATE_START.match(p) for p in paragraphs):
                sys.exit(f"article {i}: a headline or paragraph starts like a date")
            folder = os.path.join(site, "content", TOPICS[i % len(TOPICS)])
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
                f.write(f"{headline}\n\n" + "\n\n".join(paragraphs) + "\n")
        else:
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
    if jsonl:
        jsonl.close()
    layout_note = "" if layout == "files" else f" ({layout} layout)"
    print(f"{n} articles{layout_note}, {words / max(n, 1):.0f} words on average, in {site}")


if __name__ == "__main__":
    main()
