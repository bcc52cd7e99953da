// The search page of a built site, in Debian's Chromium driven by
// playwright-core, served as any static host would serve it.
//
//   node search.mjs SITE_FOLDER
//
// Types queries, checks the expected articles appear, that the year and
// entity filters narrow them, that results are escaped text, and counts the
// bytes each query downloads. Exits 1 on any failure.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { checks, launchChromium, staticServer } from './harness.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !fs.existsSync(path.join(root, 'search', 'index.json'))) {
  console.error('usage: node search.mjs SITE_FOLDER (a built site with search/)');
  process.exit(2);
}
const TIMEOUT = 15000;
const { check, failures } = checks();
const { base, server } = await staticServer(root);
const browser = await launchChromium();
const context = browser.context;

/** Bytes of search index files fetched while `action` runs and results settle. */
async function searchBytes(page, action) {
  let bytes = 0;
  const files = [];
  const onResponse = async (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/search/') || url.pathname.endsWith('/')) return;
    try {
      const body = await response.body();
      bytes += body.length;
      files.push(url.pathname);
    } catch { /* navigation */ }
  };
  page.on('response', onResponse);
  await action();
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return { bytes, files };
}

async function results(page) {
  return page.$$eval('#search-results .article-item', (items) => items.map((li) => ({
    title: li.querySelector('h2').textContent,
    href: li.querySelector('a').getAttribute('href'),
    date: li.querySelector('time')?.getAttribute('datetime') ?? '',
    dateText: li.querySelector('.article-item-date').textContent,
    marks: li.querySelectorAll('mark').length,
  })));
}

async function statusAfter(page, action) {
  const before = await page.textContent('#search-status');
  await action();
  await page.waitForFunction((b) => {
    const s = document.getElementById('search-status').textContent;
    return s !== b && s !== 'Searching…' && s !== '';
  }, before, { timeout: TIMEOUT, polling: 50 });
  return page.textContent('#search-status');
}

const count = (status) => Number((status.match(/^(\d+) article/) ?? [0, 0])[1]);

try {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}search/`);
  await page.waitForFunction(() => document.querySelector('form.search-form').dataset.ready === 'true', null, { timeout: TIMEOUT });

  // 1. A one-word query finds the articles that have the word, and says how many.
  let status;
  const zelensky = await searchBytes(page, async () => {
    status = await statusAfter(page, () => page.fill('#search-query', 'Zelensky'));
  });
  let found = await results(page);
  check(count(status) >= 1 && found.length >= 1, `"Zelensky": ${status}`);
  check(found.some((r) => r.title.startsWith('Peace negotiations between Russian and Ukrainian officials')),
    `"Zelensky" finds the seed article (${found.map((r) => r.title).join(' | ')})`);
  console.log(`     "Zelensky" downloaded ${zelensky.bytes} bytes: ${zelensky.files.join(', ')}`);

  // 2. A two-word query only keeps articles that have both words, best first.
  status = await statusAfter(page, () => page.fill('#search-query', 'mosque christchurch'));
  found = await results(page);
  check(found.length > 0 && found[0].title.toLowerCase().includes('mosque'), `"mosque christchurch": first is ${found[0]?.title}`);
  check(found.every((r) => r.marks > 0), 'the query words are highlighted in every result');
  const mosqueCount = count(status);

  // Plurals fold: "elections" and "election" find the same articles.
  const plural = count(await statusAfter(page, () => page.fill('#search-query', 'elections')));
  const singular = count(await statusAfter(page, () => page.fill('#search-query', 'election')));
  check(plural > 0 && plural === singular, `"elections" (${plural}) finds what "election" (${singular}) finds`);

  // 3. The year filter narrows: "president" over all years, then 2022 only.
  status = await statusAfter(page, () => page.fill('#search-query', 'president'));
  const all = count(status);
  const allResults = await results(page);
  status = await statusAfter(page, () => page.selectOption('#search-year', '2022'));
  const in2022 = count(status);
  found = await results(page);
  check(all > in2022 && in2022 >= 1, `the year filter narrows "president" from ${all} to ${in2022}`);
  check(found.every((r) => r.date.startsWith('2022-')), 'every result is from 2022');
  check(new URL(page.url()).searchParams.get('year') === '2022', 'the filter is kept in the URL');

  // 4. An entity filter narrows to the articles that mention the entity.
  await statusAfter(page, () => page.selectOption('#search-year', ''));
  const facet = page.locator('#search-filter-list button[aria-pressed="false"]').first();
  const facetText = await facet.textContent();
  const facetCount = Number(facetText.match(/\((\d+)\)$/)[1]);
  const entityPath = await facet.getAttribute('data-entity');
  status = await statusAfter(page, () => facet.click());
  const withEntity = count(status);
  check(withEntity >= facetCount && withEntity < all, `the entity filter ${facetText} narrows "president" from ${all} to ${withEntity}`);
  found = await results(page);
  const entityHtml = fs.readFileSync(path.join(root, entityPath, 'index.html'), 'utf8');
  check(found.every((r) => entityHtml.includes(`href="../../${r.href.replace(/^\.\.\//, '')}"`)),
    `every result is listed on ${entityPath}`);
  check(allResults.length > 0, 'results before filtering');
  // Removing the filter brings them back.
  status = await statusAfter(page, () => page.locator('#search-filter-list button[aria-pressed="true"]').click());
  check(count(status) === all, 'removing the entity filter restores the results');

  // 4b. The section filter narrows to a section's articles; an undated one says so.
  const sections = await page.$$eval('#search-section option', (options) => options.map((o) => o.value).filter(Boolean));
  check(sections.length >= 1 && await page.isVisible('#search-section'), `the section filter is offered (${sections})`);
  status = await statusAfter(page, () => page.fill('#search-query', 'zelensky'));
  const unfiltered = count(status);
  status = await statusAfter(page, () => page.selectOption('#search-section', sections[0]));
  found = await results(page);
  check(count(status) >= 1 && count(status) < unfiltered, `the section filter narrows "zelensky" from ${unfiltered} to ${count(status)}`);
  check(found.every((r) => r.date === '' && r.dateText === 'Undated'), 'an undated result says "Undated", with no time element');
  check(new URL(page.url()).searchParams.get('section') === sections[0], 'the section filter is kept in the URL');
  await statusAfter(page, () => page.selectOption('#search-section', ''));

  // 5. A query with no match says so; hostile text stays text.
  status = await statusAfter(page, () => page.fill('#search-query', '<img src=x onerror=alert(1)> zzqxj'));
  check(status.startsWith('No articles match'), `no match: ${status}`);
  check(await page.$('#search-results img') === null && await page.$('#search-status img') === null, 'query text is never HTML');

  // 6. A search can be linked: the URL reproduces it.
  await page.goto(`${base}search/?q=mosque+christchurch`);
  await page.waitForFunction(() => document.querySelectorAll('#search-results .article-item').length > 0, null, { timeout: TIMEOUT });
  check(count(await page.textContent('#search-status')) === mosqueCount, 'a search URL shows the same results');

  // 7. Accessible with results on screen.
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const axe = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) console.log(`     ${v.id}: ${v.help}`);
  check(bad.length === 0, `axe on the search page with results: ${bad.length} serious or critical violations`);
  check(errors.length === 0, `no script errors (${errors.join('; ')})`);
} catch (error) {
  check(false, `search checks crashed: ${error.stack}`);
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.log(`${failures.length} search check(s) failed`);
  process.exit(1);
}
console.log('search checks passed');
