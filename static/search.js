// gazette search: reads the index gazette writes under search/ (see
// src/search/mod.rs for its layout). A query fetches index.json once, one
// term shard per word and the result chunks it shows; nothing else.
// Terms are made exactly as src/search/tokens.rs makes them.
"use strict";

(() => {
  const FORMAT = 3;
  const PAGE = 10;
  /**
   * Entity filters offered, each with its exact count: one entity shard
   * each (at most a bitmap of every article), so that a one-word query
   * stays under 300 KB at 100,000 articles.
   */
  const FACETS = 6;
  const form = document.querySelector("form.search-form");
  if (!form) return;
  const indexUrl = form.dataset.index;
  const root = form.dataset.root;
  const input = document.getElementById("search-query");
  const fromSelect = document.getElementById("search-from");
  const toSelect = document.getElementById("search-to");
  const sectionSelect = document.getElementById("search-section");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const filters = document.getElementById("search-filters");
  const filterList = document.getElementById("search-filter-list");
  const dates = document.getElementById("search-dates");
  const dateLead = document.getElementById("search-dates-lead");
  const dateList = document.getElementById("search-date-list");

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const shards = new Map(); // shard file -> Promise<Map<key, {count, dense, bytes}>>
  const chunks = new Map(); // chunk number -> Promise<Array>
  const entityNames = new Map(); // entity path -> name, from loaded results
  let manifest = null;
  let current = null; // {results, shown, wanted, seen: Map<path, {name, count}>}
  let active = []; // entity paths filtered on, in the order chosen
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

  /** FNV-1a (32 bit) of the UTF-8 bytes. */
  function fnv(key) {
    let hash = 0x811c9dc5;
    for (const b of encoder.encode(key)) {
      hash ^= b;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
  }

  /** The file a key is in: entity and section keys (`=`…) in entity shards, words in term shards. */
  function shardFile(key) {
    return key.startsWith("=") ? `e/${fnv(key) % manifest.entity_shards}` : `t/${fnv(key) % manifest.shards}`;
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

  function loadShard(file) {
    if (!shards.has(file)) {
      shards.set(file, fetchOk(`${indexUrl}${file}.bin`, "bytes").then((bytes) => {
        const table = new Map();
        const at = { i: 0 };
        while (at.i < bytes.length) {
          const len = varint(bytes, at);
          const key = decoder.decode(bytes.subarray(at.i, at.i + len));
          at.i += len;
          const count = varint(bytes, at);
          const encoding = bytes[at.i++];
          const length = varint(bytes, at);
          table.set(key, { count, encoding, bytes: bytes.subarray(at.i, at.i + length) });
          at.i += length;
        }
        return table;
      }));
    }
    return shards.get(file);
  }

  /** Articles (ascending ids) and impacts of a key, or null when it is in none. */
  async function postings(key) {
    const entry = (await loadShard(shardFile(key))).get(key);
    if (!entry) return null;
    const docs = new Uint32Array(entry.count);
    // Filters (encodings 2 and 3) have no impacts: they do not score.
    const impacts = new Uint8Array(entry.count);
    const bytes = entry.bytes;
    if (entry.encoding === 1 || entry.encoding === 3) {
      // A bitmap of every article (then, for words, 4-bit impacts).
      const bitmapLength = Math.ceil(manifest.docs / 8);
      let k = 0;
      for (let doc = 0; doc < manifest.docs && k < entry.count; doc++) {
        if (bytes[doc >> 3] & (1 << (doc & 7))) {
          docs[k] = doc;
          if (entry.encoding === 1) impacts[k] = ((bytes[bitmapLength + (k >> 1)] >> (4 * (k & 1))) & 15) * 17;
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
      if (entry.encoding === 0) impacts[k] = bytes[at.i++];
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

  /**
   * The article ids from `from` to `to` (each a year, `2019`, or a month,
   * `2019-03`, or empty for no bound) as [first, end), or null for no
   * range. Ids follow dates, undated first; articles dated only to a year
   * come before its months.
   */
  function dateRange(from, to) {
    if (!from && !to) return null;
    const years = manifest.years;
    const months = manifest.months || [];
    if (years.length === 0) return [0, 0];
    let first = years[0][1];
    let end = years[years.length - 1][1] + years[years.length - 1][2];
    if (from) {
      const after = from.length > 4 ? months.find((m) => m[0] >= from) : years.find((y) => String(y[0]) >= from);
      first = after ? after[1] : end;
    }
    if (to) {
      const upTo = (to.length > 4 ? months.filter((m) => m[0] <= to) : years.filter((y) => String(y[0]) <= to)).pop();
      end = upTo ? upTo[1] + upTo[2] : first;
    }
    return [first, Math.max(first, end)];
  }

  /** Every article that has all the terms, mentions every entity, is in the section and the range; best first. */
  async function search(queryTerms, range, entities, section) {
    const keys = [...new Set(queryTerms)];
    for (const entity of entities) keys.push(`=${entity}`);
    if (section) keys.push(`=${section}`);
    let results;
    if (keys.length === 0) {
      // A date range alone: its articles.
      results = [];
      if (range) for (let doc = range[0]; doc < range[1]; doc++) results.push({ doc, score: 0 });
    } else {
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
      results = docs.map((doc, k) => ({ doc, score: scores[k] }));
      if (range) results = results.filter((r) => r.doc >= range[0] && r.doc < range[1]);
    }
    // Best first; equal scores (filters alone) newest first.
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
  function dateLabel(iso, full = true) {
    const parts = iso.split("-").length;
    const date = new Date(`${[iso, "01", "01"].slice(0, 4 - parts).join("-")}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return iso;
    const precise = parts === 3 && full ? { weekday: "long", day: "numeric", month: "long" }
      : parts >= 2 ? { month: "long" } : {};
    return date.toLocaleDateString(document.documentElement.lang || undefined,
      { timeZone: "UTC", year: "numeric", ...precise });
  }

  /** The name of an entity: as the results gave it, else from its page's path. */
  function entityName(path) {
    if (entityNames.has(path)) return entityNames.get(path);
    const slug = path.split("/").filter(Boolean).pop() || path;
    return slug.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
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
        const seen = run.seen.get(path) || { kind, name, count: 0 };
        seen.count += 1;
        run.seen.set(path, seen);
      }
    }
    run.shown += next.length;
    more.hidden = run.shown >= run.results.length;
  }

  function filterButton(label, attributes) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "search-filter";
    for (const [name, value] of Object.entries(attributes)) button.setAttribute(name, value);
    button.textContent = label;
    li.append(button);
    return li;
  }

  /**
   * The entity filters: those in use (to remove), then the entities most
   * often among the results shown, each with the exact number of results
   * that mention it (one entity shard each).
   */
  async function showFilters(run) {
    const candidates = [...run.seen.entries()]
      .filter(([path]) => !active.includes(path))
      .sort((a, b) => b[1].count - a[1].count || a[1].name.localeCompare(b[1].name))
      .slice(0, FACETS);
    const inResults = new Uint8Array(manifest.docs);
    for (const r of run.results) inResults[r.doc] = 1;
    const counted = await Promise.all(candidates.map(async ([path, facet]) => {
      const found = await postings(`=${path}`);
      let count = 0;
      if (found) for (const doc of found.docs) count += inResults[doc];
      return { path, name: facet.name, count };
    }));
    if (run !== current) return;
    filterList.replaceChildren();
    for (const path of active) {
      const name = entityName(path);
      filterList.append(filterButton(`${name} ✕`,
        { "data-entity": path, "aria-pressed": "true", "aria-label": `Remove filter: ${name}` }));
    }
    counted.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    for (const facet of counted.filter((f) => f.count > 0)) {
      filterList.append(filterButton(`${facet.name} (${facet.count})`, { "data-entity": facet.path, "aria-pressed": "false" }));
    }
    filters.hidden = filterList.children.length === 0;
  }

  /**
   * The results by year (by month within a single year), with exact counts:
   * ids follow dates, so each is a count of ids in a range.
   */
  function showDates(run, from, to) {
    dateList.replaceChildren();
    const oneYear = from && to && from.slice(0, 4) === to.slice(0, 4);
    const periods = oneYear ? (manifest.months || []).filter((m) => m[0].startsWith(from.slice(0, 4))) : manifest.years;
    const counts = periods.map(() => 0);
    for (const r of run.results) {
      // The last period starting at or before the article.
      let lo = 0;
      let hi = periods.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (periods[mid][1] <= r.doc) lo = mid + 1; else hi = mid;
      }
      const i = lo - 1;
      if (i >= 0 && r.doc < periods[i][1] + periods[i][2]) counts[i] += 1;
    }
    const shown = periods.map((p, i) => [String(p[0]), counts[i]]).filter(([, count]) => count > 0).reverse();
    dateLead.textContent = oneYear ? "By month" : "By year";
    for (const [value, count] of shown) {
      const selected = from === value && to === value;
      const label = oneYear ? dateLabel(value) : value;
      dateList.append(filterButton(`${label} (${count})`, { "data-date": value, "aria-pressed": String(selected) }));
    }
    dates.hidden = shown.length < 2 && !(from || to);
  }

  function describe(query, from, to, sectionName) {
    const names = active.map(entityName);
    const mentioning = names.length === 0 ? null
      : `mentioning ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`}`;
    const label = (d) => dateLabel(d, false);
    const when = from && to ? (from === to ? `in ${label(from)}` : `from ${label(from)} to ${label(to)}`)
      : from ? `from ${label(from)}` : to ? `up to ${label(to)}` : null;
    return [query ? `“${query}”` : null, mentioning, sectionName ? `in ${sectionName}` : null, when]
      .filter(Boolean).join(" ");
  }

  async function update() {
    if (!manifest) return;
    const mine = ++generation;
    const query = input.value.trim();
    let from = fromSelect.value;
    let to = toSelect.value;
    if (from && to && to < from.slice(0, to.length)) [from, to] = [to, from];
    const section = sectionSelect ? sectionSelect.value : "";
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (from) params.set("from", from);
    if (to) params.set("to", to);
    if (section) params.set("section", section);
    for (const entity of active) params.append("entity", entity);
    history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
    const queryTerms = terms(query);
    if (queryTerms.length === 0 && active.length === 0 && !section && !from && !to) {
      current = null;
      list.replaceChildren();
      filters.hidden = true;
      dates.hidden = true;
      more.hidden = true;
      status.textContent = query ? "Type a longer word." : "";
      return;
    }
    status.textContent = "Searching…";
    let results;
    try {
      results = await search(queryTerms, dateRange(from, to), active, section);
    } catch (error) {
      if (mine === generation) status.textContent = `The search index could not be loaded (${error.message}).`;
      return;
    }
    if (mine !== generation) return;
    current = { results, shown: 0, wanted: new Set(queryTerms), seen: new Map() };
    list.replaceChildren();
    await showMore();
    if (mine !== generation) return;
    showDates(current, from, to);
    try {
      await showFilters(current);
    } catch (error) {
      filters.hidden = true;
    }
    if (mine !== generation) return;
    const sectionName = section ? ((manifest.sections || []).find((s) => s[0] === section) || [])[1] : null;
    const what = describe(query, from, to, sectionName);
    const count = results.length;
    status.textContent = count === 0 ? `No articles match ${what}.`
      : `${count} article${count === 1 ? "" : "s"} match${count === 1 ? "es" : ""} ${what}.`;
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  fromSelect.addEventListener("change", update);
  toSelect.addEventListener("change", update);
  if (sectionSelect) sectionSelect.addEventListener("change", update);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  more.addEventListener("click", async () => {
    await showMore();
    if (current) showFilters(current).catch(() => {});
  });
  filterList.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-entity]");
    if (!button) return;
    const path = button.dataset.entity;
    active = active.includes(path) ? active.filter((p) => p !== path) : [...active, path];
    update();
  });
  dateList.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-date]");
    if (!button) return;
    const value = button.getAttribute("aria-pressed") === "true" ? "" : button.dataset.date;
    // Unpressing a month goes back to its year.
    const widened = value === "" && button.dataset.date.length > 4 ? button.dataset.date.slice(0, 4) : value;
    fromSelect.value = widened;
    toSelect.value = widened;
    update();
  });

  /** Fills a date select: each year (newest first), then its months. */
  function dateOptions(select) {
    for (const [year, , count] of [...manifest.years].reverse()) {
      const group = document.createElement("optgroup");
      group.label = String(year);
      const whole = document.createElement("option");
      whole.value = String(year);
      whole.textContent = `${year} (${count})`;
      group.append(whole);
      for (const [month, , n] of (manifest.months || []).filter((m) => m[0].startsWith(`${year}-`)).reverse()) {
        const option = document.createElement("option");
        option.value = month;
        option.textContent = `${dateLabel(month)} (${n})`;
        group.append(option);
      }
      select.append(group);
    }
  }

  fetchOk(`${indexUrl}index.json`, "json").then((loaded) => {
    if (loaded.format !== FORMAT) throw new Error(`index format ${loaded.format}, expected ${FORMAT}`);
    manifest = loaded;
    dateOptions(fromSelect);
    dateOptions(toSelect);
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
    // `year` is how earlier links gave a year.
    const known = (select, value) => ([...select.options].some((o) => o.value === value) ? value : "");
    fromSelect.value = known(fromSelect, params.get("from") || params.get("year") || "");
    toSelect.value = known(toSelect, params.get("to") || params.get("year") || "");
    if (sectionSelect) sectionSelect.value = params.get("section") || "";
    active = [...new Set(params.getAll("entity").filter(Boolean))];
    form.dataset.ready = "true";
    update();
  }).catch((error) => {
    status.textContent = `The search index could not be loaded (${error.message}).`;
  });
})();
