// What a search downloads: opens the search page of a built site in
// headless Chromium (Debian's, via playwright-core from tests/browser), one
// fresh browser profile per query, and prints the bytes fetched for the page
// itself, for starting search (search.js, index.json) and for the query
// (term shards and result chunks), with the number of results and the time
// from typing to results.
//
//   npm ci --prefix tests/browser
//   node bench/search_bytes.mjs SITE_FOLDER [query ...]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const root = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !fs.existsSync(path.join(root, 'search', 'index.json'))) {
  console.error('usage: node bench/search_bytes.mjs SITE_FOLDER [query ...]');
  process.exit(2);
}
const queries = process.argv.length > 3 ? process.argv.slice(3) : ['president', 'police', 'the', 'zelensky', 'peace talks'];

let served = 0;
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let file = path.join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
  const body = fs.readFileSync(file);
  served += body.length;
  res.writeHead(200).end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const rows = [];
for (const query of queries) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  const page = await context.newPage();
  const bytes = { page: 0, start: 0, fetched: 0 };
  const files = [];
  page.on('response', async (response) => {
    const p = new URL(response.url()).pathname;
    let length = 0;
    try { length = (await response.body()).length; } catch { return; }
    if (p.startsWith('/search/t/') || p.startsWith('/search/d/')) {
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
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
server.close();

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`site: ${root}`);
console.log('| query | results | page (HTML, CSS) | start (search.js, index.json) | query (shards, chunks) | files | ms |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.query} | ${r.results} | ${kb(r.page)} | ${kb(r.start)} | ${kb(r.fetched)} | ${r.files} | ${r.ms} |`);
}
console.log('\nTop five results:');
for (const r of rows) console.log(`- ${r.query}: ${r.top.map((t) => `“${t}”`).join('; ')}`);
