// What a search downloads: opens the search page of a built site in
// headless Chromium (Debian's, via playwright-core from tests/browser), one
// fresh browser profile per query, and prints the bytes fetched for the page
// itself, for starting search (search.js, index.json) and for the query
// (term shards, result chunks and the entity shards that count its
// filters), with the number of results and the time
// from typing to results.
//
//   npm ci --prefix tests/browser
//   node bench/search_bytes.mjs SITE_FOLDER [query ...]
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, staticServer } from '../tests/browser/harness.mjs';

const root = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !fs.existsSync(path.join(root, 'search', 'index.json'))) {
  console.error('usage: node bench/search_bytes.mjs SITE_FOLDER [query ...]');
  process.exit(2);
}
const queries = process.argv.length > 3 ? process.argv.slice(3) : ['president', 'police', 'the', 'zelensky', 'peace talks'];
const { base, server } = await staticServer(root);

const rows = [];
for (const query of queries) {
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  const bytes = { page: 0, start: 0, fetched: 0 };
  const files = [];
  page.on('response', async (response) => {
    const p = new URL(response.url()).pathname;
    let length = 0;
    try { length = (await response.body()).length; } catch { return; }
    if (p.startsWith('/search/t/') || p.startsWith('/search/d/') || p.startsWith('/search/e/')) {
      bytes.fetched += length;
      files.push(p.replace('/search/', ''));
    } else if (p === '/search.js' || p === '/search/index.json') {
      bytes.start += length;
    } else {
      bytes.page += length;
    }
  });
  await page.goto(`${base}search/`);
  await page.waitForFunction(() => document.querySelector('form.search-form').dataset.ready === 'true');
  const started = Date.now();
  await page.fill('#search-query', query);
  await page.waitForFunction(() => /match/.test(document.getElementById('search-status').textContent), null, { timeout: 60000 });
  const ms = Date.now() - started - 150; // minus the typing debounce
  await page.waitForLoadState('networkidle');
  const status = await page.textContent('#search-status');
  const top = await page.$$eval('#search-results h2', (hs) => hs.slice(0, 5).map((h) => h.textContent));
  rows.push({ query, results: Number((status.match(/^(\d+)/) ?? [0, 0])[1]), ...bytes, files: files.length, ms, top });
  await browser.close();
}
server.close();

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`site: ${root}`);
console.log('| query | results | page (HTML, CSS) | start (search.js, index.json) | query (shards, chunks, filter counts) | files | ms |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.query} | ${r.results} | ${kb(r.page)} | ${kb(r.start)} | ${kb(r.fetched)} | ${r.files} | ${r.ms} |`);
}
console.log('\nTop five results:');
for (const r of rows) console.log(`- ${r.query}: ${r.top.map((t) => `“${t}”`).join('; ')}`);
