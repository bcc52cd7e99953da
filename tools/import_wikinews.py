#!/usr/bin/env python3
"""Build gazette's sample content/ tree from the shared inputs.

Usage (from the repository root):

    python3 tools/import_wikinews.py /work/shared

Inputs (read-only, below the given shared directory):
  seed/000_e2d8e0751e1d8625.txt                      the client's seed article
  data/news/wikinews-2019/articles_txt/*.txt         171 English Wikinews articles
                                                     (CC BY 2.5, see SOURCE.txt)

Each Wikinews input file is: line 1 headline, line 2 "Date: YYYY-MM-DD",
line 3 "URL: ...", a blank line, then body paragraphs separated by blank lines.

Outputs (content/ next to this script's parent directory, i.e. the repo root):
  content/2022/000_e2d8e0751e1d8625.txt   seed, copied byte for byte
  content/2019/MM/<stem>.txt|.md          one file per Wikinews article

The articles, sorted by file name, are spread over three formats by
index modulo 3:
  0 -> format 1: plain text with " keyword value" header lines (.txt);
       every other format-1 article (1st, 3rd, ...) gets a " title" line,
       the rest have none (the site generator derives the headline).
  1 -> format 2: the Wikinews layout itself (.txt).
  2 -> format 3: Markdown with TOML front matter between "+++" lines (.md).

Normalisation applied to every article body: trailing whitespace stripped
from each line, leading/trailing blank lines removed, runs of blank lines
collapsed to one; "https://en.wikinews.org//wiki/" becomes
"https://en.wikinews.org/wiki/". Datelines at the start of bodies
("Friday, January 4, 2019") are kept. In the Markdown files, characters
that would start a Markdown block at the beginning of a line are
backslash-escaped; the text is otherwise unchanged.

The script is deterministic (sorted inputs, fixed UTF-8/LF output) and uses
only the Python standard library. Before writing, it removes earlier outputs
for the same articles (any of the three extensions) so that re-running it
always yields the same tree.
"""

import json
import re
import shutil
import sys
from pathlib import Path

SEED_NAME = "000_e2d8e0751e1d8625.txt"
SEED_YEAR = "2022"
ARTICLES_REL = Path("data/news/wikinews-2019/articles_txt")
AUTHORS = ["Wikinews contributors"]
SUMMARY_MAX = 200

DATE_RE = re.compile(r"^Date: (\d{4})-(\d{2})-(\d{2})$")
DATELINE_RE = re.compile(
    r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), "
    r"[A-Z][a-z]+ \d{1,2}, \d{4}$"
)
# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep",
    "gov", "lt", "col", "capt", "sgt", "cpl", "adm", "maj", "rev", "hon",
    "pres", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "approx", "est", "fig", "mt", "ft", "al",
}


def fix_url(url):
    return url.replace("https://en.wikinews.org//wiki/", "https://en.wikinews.org/wiki/")


def normalise_body(lines):
    """Strip trailing whitespace, drop outer blank lines, collapse blank runs."""
    out = []
    for line in lines:
        line = line.rstrip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out


def paragraphs(body_lines):
    paras, cur = [], []
    for line in body_lines:
        if line:
            cur.append(line)
        elif cur:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def parse_article(path):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if len(lines) < 5:
        raise SystemExit(f"{path}: too short")
    title = lines[0].strip()
    m = DATE_RE.match(lines[1].rstrip())
    if not title or not m:
        raise SystemExit(f"{path}: bad headline/date header")
    if not lines[2].startswith("URL: "):
        raise SystemExit(f"{path}: bad URL line")
    if lines[3].strip():
        raise SystemExit(f"{path}: line 4 should be blank")
    year, month, day = m.groups()
    body = normalise_body(lines[4:])
    if not body:
        raise SystemExit(f"{path}: empty body")
    return {
        "stem": path.stem,
        "title": title,
        "date": f"{year}-{month}-{day}",
        "year": year,
        "month": month,
        "url": fix_url(lines[2][len("URL: "):].strip()),
        "body": body,
    }


def first_sentence(body_lines):
    """First sentence of the body, skipping a leading dateline."""
    for para in paragraphs(body_lines):
        lines = list(para)
        while lines and DATELINE_RE.match(lines[0].strip()):
            lines.pop(0)
        if lines:
            break
    else:
        return ""
    text = " ".join(l.strip() for l in lines)
    for m in re.finditer(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])", text):
        head = text[: m.start() + 1]
        if head.endswith("."):
            word = re.search(r"(\S+)\.$", head)
            w = word.group(1) if word else ""
            w_plain = w.lstrip("\"'“‘([").lower()
            # abbreviations, initials ("J."), dotted acronyms ("U.S.")
            if w_plain in ABBREVIATIONS or re.fullmatch(r"[a-z]", w_plain) \
                    or re.fullmatch(r"([a-z]\.)+[a-z]", w_plain):
                continue
        return text[: m.end()]
    return text


def clip(text, limit=SUMMARY_MAX):
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


ORDERED_RE = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")


def md_escape_line(line):
    """Escape a Markdown block marker at the start of a line."""
    m = ORDERED_RE.match(line)
    if m:
        return m.group(1) + "\\" + line[m.end(1):]
    stripped = line.lstrip(" ")
    indent = line[: len(line) - len(stripped)]
    if stripped and stripped[0] in "#>-*+=_`~<|":
        return indent + "\\" + stripped
    return line


def render_format1(a, with_title):
    head = [f" date {a['date']}"]
    if with_title:
        head.append(f" title {a['title']}")
    head.append(f" url {a['url']}")
    return "\n".join(head) + "\n\n" + "\n".join(a["body"]) + "\n"


def render_format2(a):
    head = [a["title"], f"Date: {a['date']}", f"URL: {a['url']}"]
    return "\n".join(head) + "\n\n" + "\n".join(a["body"]) + "\n"


def toml_str(s):
    # json.dumps(ensure_ascii=False) yields a valid TOML basic string here
    # (only ", \\ and control characters are escaped; no surrogate pairs).
    return json.dumps(s, ensure_ascii=False)


def render_format3(a):
    summary = clip(first_sentence(a["body"]))
    front = [
        "+++",
        f"title = {toml_str(a['title'])}",
        f"date = {a['date']}",
        "authors = [" + ", ".join(toml_str(x) for x in AUTHORS) + "]",
        f"summary = {toml_str(summary)}",
        f"source_url = {toml_str(a['url'])}",
        "+++",
    ]
    body = [md_escape_line(l) if l else l for l in a["body"]]
    return "\n".join(front) + "\n\n" + "\n".join(body) + "\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    shared = Path(argv[1])
    repo = Path(__file__).resolve().parent.parent
    content = repo / "content"

    seed = shared / "seed" / SEED_NAME
    sources = sorted((shared / ARTICLES_REL).glob("*.txt"))
    if not seed.is_file() or not sources:
        raise SystemExit(f"inputs not found under {shared}")

    articles = [parse_article(p) for p in sources]

    # Remove earlier outputs for these articles, whatever their format.
    for a in articles:
        for ext in (".txt", ".md"):
            old = content / a["year"] / a["month"] / (a["stem"] + ext)
            if old.exists():
                old.unlink()

    (content / SEED_YEAR).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed, content / SEED_YEAR / SEED_NAME)

    counts = {1: 0, 2: 0, 3: 0}
    titled = 0
    for i, a in enumerate(articles):
        fmt = i % 3 + 1
        out_dir = content / a["year"] / a["month"]
        if fmt == 1:
            with_title = counts[1] % 2 == 0
            titled += with_title
            write(out_dir / (a["stem"] + ".txt"), render_format1(a, with_title))
        elif fmt == 2:
            write(out_dir / (a["stem"] + ".txt"), render_format2(a))
        else:
            write(out_dir / (a["stem"] + ".md"), render_format3(a))
        counts[fmt] += 1

    print(f"seed: content/{SEED_YEAR}/{SEED_NAME}")
    print(f"format 1 (.txt, header lines): {counts[1]} ({titled} with title)")
    print(f"format 2 (.txt, Wikinews layout): {counts[2]}")
    print(f"format 3 (.md, TOML front matter): {counts[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
