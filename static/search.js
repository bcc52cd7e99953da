// gazette search: reads the index gazette writes under search/ (see
// src/search/mod.rs for its layout). A query fetches index.json once, one
// term shard per word and the result chunks it shows; nothing else.
// Terms are made exactly as src/search/tokens.rs makes them.
"use strict";

(() => {
  const FORMAT = 1;
  const PAGE = 10;
  const form = document.querySelector("form.search-form");
  if (!form) return;
  const indexUrl = form.dataset.index;
  const root = form.dataset.root;
  const input = document.getElementById("search-query");
  const yearSelect = document.getElementById("search-year");
  const sectionSelect = document.getElementById("search-section");
  const entityInput = document.getElementById("search-entity");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const filters = document.getElementById("search-filters");
  const filterList = document.getElementById("search-filter-list");

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const shards = new Map(); // shard number -> Promise<Map<key, {count, dense, bytes}>>
  const chunks = new Map(); // chunk number -> Promise<Array>
  const entityNames = new Map(); // entity path -> name, from loaded results
  let manifest = null;
  let current = null; // {terms, results, shown}
  let generation = 0;

  /** Harman's S-stemmer, as in tokens.rs: plurals to their singular. */
  function sStem(word) {
    if (word.length < 4 || !word.endsWith("s")) return word;
    const before = (n) => word[word.length - n];
    if (word.endsWith("ies") && before(4) !== "a" && before(4) !== "e") return `${word.slice(0, -3)}y`;
    if (before(2) !== "u" && before(2) !== "s") return word.slice(0, -1);
    return word;
  }

  /** A word as the index has it: lowercased, plurals folded on English sites. */
  function term(word) {
    const lower = word.toLowerCase();
    return manifest.stem === "s" ? sStem(lower) : lower;
  }

  /** The terms of a text, as the index has them. */
  function terms(text) {
    const out = [];
    for (const word of text.split(/[^\p{Alphabetic}\p{N}]+/u)) {
      if ([...word].length < 2 || encoder.encode(word).length > 40) continue;
      out.push(term(word));
    }
    return out;
  }

  /** FNV-1a (32 bit) of the UTF-8 bytes, modulo the shard count. */
  function shardOf(key) {
    let hash = 0x811c9dc5;
    for (const b of encoder.encode(key)) {
      hash ^= b;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % manifest.shards;
  }

  function varint(bytes, at) {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at.i++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
      shift += 7;
    }
  }

  async function fetchOk(url, as) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return as === "json" ? response.json() : new Uint8Array(await response.arrayBuffer());
  }

  function loadShard(n) {
    if (!shards.has(n)) {
      shards.set(n, fetchOk(`${indexUrl}t/${n}.bin`, "bytes").then((bytes) => {
        const table = new Map();
        const at = { i: 0 };
        while (at.i < bytes.length) {
          const len = varint(bytes, at);
          const key = decoder.decode(bytes.subarray(at.i, at.i + len));
          at.i += len;
          const count = varint(bytes, at);
          const dense = bytes[at.i++] === 1;
          const length = varint(bytes, at);
          table.set(key, { count, dense, bytes: bytes.subarray(at.i, at.i + length) });
          at.i += length;
        }
        return table;
      }));
    }
    return shards.get(n);
  }

  /** Articles (ascending ids) and impacts of a term, or null when it is in none. */
  async function postings(key) {
    const entry = (await loadShard(shardOf(key))).get(key);
    if (!entry) return null;
    const docs = new Uint32Array(entry.count);
    const impacts = new Uint8Array(entry.count);
    const bytes = entry.bytes;
    if (entry.dense) {
      // A bitmap of every article, then 4-bit impacts.
      const bitmapLength = Math.ceil(manifest.docs / 8);
      let k = 0;
      for (let doc = 0; doc < manifest.docs && k < entry.count; doc++) {
        if (bytes[doc >> 3] & (1 << (doc & 7))) {
          docs[k] = doc;
          impacts[k] = ((bytes[bitmapLength + (k >> 1)] >> (4 * (k & 1))) & 15) * 17;
          k++;
        }
      }
      return { docs, impacts };
    }
    const at = { i: 0 };
    let doc = 0;
    for (let k = 0; k < entry.count; k++) {
      doc = k === 0 ? varint(bytes, at) : doc + varint(bytes, at);
      docs[k] = doc;
      impacts[k] = bytes[at.i++];
    }
    return { docs, impacts };
  }

  function loadChunk(n) {
    if (!chunks.has(n)) chunks.set(n, fetchOk(`${indexUrl}d/${n}.json`, "json"));
    return chunks.get(n);
  }

  async function docEntry(doc) {
    const chunk = await loadChunk(Math.floor(doc / manifest.chunk));
    const [path, title, date, snippet, entities] = chunk[doc % manifest.chunk];
    return { doc, path, title, date, snippet, entities };
  }

  /** Every article that has all the terms (and the entity, in the section and year), best first. */
  async function search(queryTerms, year, entity, section) {
    const keys = [...new Set(queryTerms)];
    if (entity) keys.push(`=${entity}`);
    if (section) keys.push(`=${section}`);
    if (keys.length === 0) return [];
    const lists = await Promise.all(keys.map(postings));
    if (lists.some((l) => l === null)) return [];
    const n = manifest.docs;
    const weights = keys.map((key, i) =>
      key.startsWith("=") ? 0 : Math.log(1 + (n - lists[i].docs.length + 0.5) / (lists[i].docs.length + 0.5)));
    const order = lists.map((_, i) => i).sort((a, b) => lists[a].docs.length - lists[b].docs.length);
    // Start from the shortest list and keep what every other list also has.
    let docs = Array.from(lists[order[0]].docs);
    let scores = Array.from(lists[order[0]].impacts, (x) => x * weights[order[0]]);
    for (const i of order.slice(1)) {
      const other = lists[i];
      const keptDocs = [];
      const keptScores = [];
      let j = 0;
      for (let k = 0; k < docs.length; k++) {
        while (j < other.docs.length && other.docs[j] < docs[k]) j++;
        if (j < other.docs.length && other.docs[j] === docs[k]) {
          keptDocs.push(docs[k]);
          keptScores.push(scores[k] + other.impacts[j] * weights[i]);
        }
      }
      docs = keptDocs;
      scores = keptScores;
    }
    let results = docs.map((doc, k) => ({ doc, score: scores[k] }));
    if (year) {
      const range = manifest.years.find((y) => String(y[0]) === year);
      results = range ? results.filter((r) => r.doc >= range[1] && r.doc < range[1] + range[2]) : [];
    }
    // Best first; equal scores (an entity alone) newest first.
    return results.sort((a, b) => b.score - a.score || b.doc - a.doc);
  }

  /** `text` as text nodes, with the query's words in <mark> elements. */
  function highlighted(p, text, wanted) {
    let last = 0;
    for (const m of text.matchAll(/[\p{Alphabetic}\p{N}]+/gu)) {
      if (!wanted.has(term(m[0]))) continue;
      p.append(text.slice(last, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      p.append(mark);
      last = m.index + m[0].length;
    }
    p.append(text.slice(last));
    return p;
  }

  /** A date as the page's language writes it: `2019-03-05`, `2019-03` (a month) or `2019` (a year). */
  function dateLabel(iso) {
    const parts = iso.split("-").length;
    const date = new Date(`${[iso, "01", "01"].slice(0, 4 - parts).join("-")}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return iso;
    const precise = parts === 3 ? { weekday: "long", day: "numeric", month: "long" } : parts === 2 ? { month: "long" } : {};
    return date.toLocaleDateString(document.documentElement.lang || undefined,
      { timeZone: "UTC", year: "numeric", ...precise });
  }

  function resultItem(entry, wanted) {
    const li = document.createElement("li");
    li.className = "article-item";
    const article = document.createElement("article");
    const h2 = document.createElement("h2");
    h2.className = "article-item-title";
    const a = document.createElement("a");
    a.href = root + entry.path;
    highlighted(a, entry.title, wanted);
    h2.append(a);
    const dateLine = document.createElement("p");
    dateLine.className = "article-item-date";
    if (entry.date) {
      const time = document.createElement("time");
      time.dateTime = entry.date;
      time.textContent = dateLabel(entry.date);
      dateLine.append(time);
    } else {
      dateLine.textContent = "Undated";
    }
    const snippet = document.createElement("p");
    snippet.className = "article-item-summary";
    article.append(h2, dateLine, highlighted(snippet, entry.snippet, wanted));
    li.append(article);
    return li;
  }

  async function showMore() {
    const run = current;
    const next = run.results.slice(run.shown, run.shown + PAGE);
    const entries = await Promise.all(next.map((r) => docEntry(r.doc)));
    if (run !== current) return;
    for (const entry of entries) {
      list.append(resultItem(entry, run.wanted));
      for (const [kind, name, path] of entry.entities) {
        entityNames.set(path, name);
        const facet = run.facets.get(path) || { kind, name, count: 0 };
        facet.count += 1;
        run.facets.set(path, facet);
      }
    }
    run.shown += next.length;
    more.hidden = run.shown >= run.results.length;
    showFilters(run);
  }

  function showFilters(run) {
    filterList.replaceChildren();
    const active = entityInput.value;
    const facets = [...run.facets.entries()]
      .filter(([path]) => path !== active)
      .sort((a, b) => b[1].count - a[1].count || a[1].name.localeCompare(b[1].name))
      .slice(0, 8);
    if (active) facets.unshift([active, { name: entityNames.get(active) || active, count: null }]);
    for (const [path, facet] of facets) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "search-filter";
      button.dataset.entity = path;
      button.setAttribute("aria-pressed", String(path === active));
      button.textContent = path === active ? `${facet.name} ✕` : `${facet.name} (${facet.count})`;
      if (path === active) button.setAttribute("aria-label", `Remove filter: ${facet.name}`);
      li.append(button);
      filterList.append(li);
    }
    filters.hidden = facets.length === 0;
  }

  async function update() {
    if (!manifest) return;
    const mine = ++generation;
    const query = input.value.trim();
    const year = yearSelect.value;
    const entity = entityInput.value;
    const section = sectionSelect ? sectionSelect.value : "";
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (year) params.set("year", year);
    if (section) params.set("section", section);
    if (entity) params.set("entity", entity);
    history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
    const queryTerms = terms(query);
    if (queryTerms.length === 0 && !entity && !section) {
      current = null;
      list.replaceChildren();
      filters.hidden = true;
      more.hidden = true;
      status.textContent = query ? "Type a longer word." : "";
      return;
    }
    status.textContent = "Searching…";
    let results;
    try {
      results = await search(queryTerms, year, entity, section);
    } catch (error) {
      if (mine === generation) status.textContent = `The search index could not be loaded (${error.message}).`;
      return;
    }
    if (mine !== generation) return;
    current = { results, shown: 0, wanted: new Set(queryTerms), facets: new Map() };
    list.replaceChildren();
    await showMore();
    if (mine !== generation) return;
    const sectionName = section ? (manifest.sections || []).find((s) => s[0] === section) : null;
    const what = [query ? `“${query}”` : null, entity ? `mentioning ${entityNames.get(entity) || entity}` : null,
      sectionName ? `in ${sectionName[1]}` : null, year ? `in ${year}` : null].filter(Boolean).join(" ");
    const count = results.length;
    status.textContent = count === 0 ? `No articles match ${what}.`
      : `${count} article${count === 1 ? "" : "s"} match${count === 1 ? "es" : ""} ${what}.`;
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  yearSelect.addEventListener("change", update);
  if (sectionSelect) sectionSelect.addEventListener("change", update);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  more.addEventListener("click", showMore);
  filterList.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-entity]");
    if (!button) return;
    entityInput.value = button.getAttribute("aria-pressed") === "true" ? "" : button.dataset.entity;
    update();
  });

  fetchOk(`${indexUrl}index.json`, "json").then((loaded) => {
    if (loaded.format !== FORMAT) throw new Error(`index format ${loaded.format}, expected ${FORMAT}`);
    manifest = loaded;
    for (const [year, , count] of [...manifest.years].reverse()) {
      const option = document.createElement("option");
      option.value = String(year);
      option.textContent = `${year} (${count})`;
      yearSelect.append(option);
    }
    if (sectionSelect && (manifest.sections || []).length > 0) {
      for (const [path, name, count] of manifest.sections) {
        const option = document.createElement("option");
        option.value = path;
        option.textContent = `${name} (${count})`;
        sectionSelect.append(option);
      }
      sectionSelect.hidden = false;
    }
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    yearSelect.value = params.get("year") || "";
    if (sectionSelect) sectionSelect.value = params.get("section") || "";
    entityInput.value = params.get("entity") || "";
    form.dataset.ready = "true";
    update();
  }).catch((error) => {
    status.textContent = `The search index could not be loaded (${error.message}).`;
  });
})();
