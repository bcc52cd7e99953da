#!/usr/bin/env python3
"""The entity-page audit: a reproducible random sample of a built site's
person, place and organisation pages, judged one by one, and the precision
those judgements give.

Usage (from the repository root):

    # draw the sample (seeded) from a built site into a TSV file to judge
    python3 tools/entity_audit.py sample public/ --seed 14 --size 200 \\
        --out docs/audit/pages-after.tsv [--reuse docs/audit/pages-before.tsv]

    # precision, overall and per type, from a judged file
    python3 tools/entity_audit.py score docs/audit/pages-after.tsv

    # how many pages judged right in one audit still have a page in a site
    python3 tools/entity_audit.py kept docs/audit/pages-before.tsv public/

The TSV has one row per sampled page: url, type, name, articles, aliases,
context (up to three snippets from the page, " || " between them), verdict
and note. A verdict is one of:

    right       a real person, place or organisation, of that type, named
                as a reader would name it (the page is a promise kept)
    wrong-type  a real name, but not of that type (Facebook as a place)
    bad-span    a real entity whose name is cut short or has words glued
                on ("Port Authority", "Kamala Harris Image", "Senator Warren")
    not-entity  no person, place or organisation at all ("Thank", a book,
                an office such as "Senate Majority Leader")

`--reuse` copies the verdict and note of rows with the same type and name
from an earlier judged file, so that only new or changed pages need a
judge. Judging is done by reading the context lines (and the page when in
doubt), as a reader of the archive would.
"""

import argparse
import csv
import html
import random
import re
import sys
from pathlib import Path

KINDS = {"people": "person", "places": "place", "organisations": "organisation"}
VERDICTS = ["right", "wrong-type", "bad-span", "not-entity"]
FIELDS = ["url", "type", "name", "articles", "aliases", "context", "verdict", "note"]


def entity_pages(site):
    """Every entity page of a built site: (url, type, path)."""
    pages = []
    for folder, kind in KINDS.items():
        base = site / folder
        if not base.is_dir():
            continue
        for page in sorted(base.glob("*/index.html")):
            slug = page.parent.name
            if slug in ("page", "by-count"):
                continue
            pages.append((f"/{folder}/{slug}/", kind, page))
    return pages


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def read_page(path):
    """Name, article count, aliases and snippets of one entity page."""
    source = path.read_text(encoding="utf-8")
    name = text_of(re.search(r'<h1 class="page-title">(.*?)</h1>', source, re.S).group(1))
    count = re.search(r"<dt>Articles</dt>\s*<dd>(\d+)</dd>", source)
    aliases = re.search(r"<dt>Also written</dt>\s*<dd>(.*?)</dd>", source, re.S)
    snippets = [text_of(s) for s in re.findall(r'<blockquote class="snippet">(.*?)</blockquote>', source, re.S)]
    return {
        "name": name,
        "articles": count.group(1) if count else "",
        "aliases": text_of(aliases.group(1)) if aliases else "",
        "context": " || ".join(s.replace("\t", " ").replace("\n", " ") for s in snippets[:3]),
    }


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def write_rows(path, rows):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, FIELDS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def sample(args):
    pages = entity_pages(Path(args.site))
    if not pages:
        sys.exit(f"no entity pages under {args.site}")
    chosen = sorted(random.Random(args.seed).sample(pages, min(args.size, len(pages))))
    earlier = {}
    for path in args.reuse or []:
        for row in read_rows(path):
            if row.get("verdict"):
                earlier.setdefault((row["type"], row["name"]), row)
    rows = []
    for url, kind, path in chosen:
        row = {"url": url, "type": kind, **read_page(path), "verdict": "", "note": ""}
        old = earlier.get((kind, row["name"]))
        if old:
            row["verdict"], row["note"] = old["verdict"], old["note"]
        rows.append(row)
    write_rows(args.out, rows)
    todo = sum(1 for r in rows if not r["verdict"])
    print(f"{len(rows)} of {len(pages)} pages sampled into {args.out}; {todo} to judge")


def score(args):
    rows = read_rows(args.file)
    unjudged = [r["url"] for r in rows if r["verdict"] not in VERDICTS]
    if unjudged:
        sys.exit(f"{len(unjudged)} rows without a verdict ({', '.join(VERDICTS)}), e.g. {unjudged[0]}")
    print(f"{'type':<13} {'pages':>5} {'right':>5} {'precision':>9}   " + "  ".join(VERDICTS[1:]))
    for kind in ["person", "place", "organisation", None]:
        part = [r for r in rows if kind is None or r["type"] == kind]
        if not part:
            continue
        counts = {v: sum(1 for r in part if r["verdict"] == v) for v in VERDICTS}
        precision = 100.0 * counts["right"] / len(part)
        others = "  ".join(f"{counts[v]:>{len(v)}}" for v in VERDICTS[1:])
        print(f"{kind or 'all':<13} {len(part):>5} {counts['right']:>5} {precision:>8.1f}%   {others}")


def kept(args):
    rows = [r for r in read_rows(args.file) if r["verdict"] == "right"]
    names = {}
    for url, kind, path in entity_pages(Path(args.site)):
        page = read_page(path)
        forms = [page["name"]] + [a.strip() for a in page["aliases"].split(",") if a.strip()]
        for form in forms:
            names.setdefault((kind, form.casefold()), url)
    lost = [r for r in rows if (r["type"], r["name"].casefold()) not in names]
    share = 100.0 * (len(rows) - len(lost)) / max(len(rows), 1)
    print(f"{len(rows) - len(lost)} of {len(rows)} pages judged right still have a page ({share:.1f}%)")
    for r in lost:
        print(f"  lost: {r['type']} {r['name']} ({r['url']})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    s = commands.add_parser("sample", help="draw a seeded sample of entity pages to judge")
    s.add_argument("site")
    s.add_argument("--seed", type=int, default=14)
    s.add_argument("--size", type=int, default=200)
    s.add_argument("--out", required=True)
    s.add_argument("--reuse", action="append", help="copy verdicts of unchanged pages from a judged file")
    s.set_defaults(run=sample)
    c = commands.add_parser("score", help="precision from a judged file")
    c.add_argument("file")
    c.set_defaults(run=score)
    k = commands.add_parser("kept", help="how many pages judged right still have a page in a site")
    k.add_argument("file")
    k.add_argument("site")
    k.set_defaults(run=kept)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
