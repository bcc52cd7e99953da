// The search page of a built site, in Debian's Chromium driven by
// playwright-core, served as any static host would serve it.
//
//   node search.mjs SITE_FOLDER
//
// Types queries, checks the expected articles appear, that the date range,
// the year and month counts and the entity filters (one or several, with
// exact counts) narrow them, that results are escaped text, and counts the
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

/** Every page of an entity's list (later pages, year pages), as one text. */
function entityPages(entityPath) {
  const dir = path.join(root, entityPath);
  return fs.readdirSync(dir, { recursive: true })
    .filter((f) => f === 'index.html' || f.endsWith(`${path.sep}index.html`))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
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

  // 3. The date range narrows: "president" over all years, then 2022 only, then one month.
  status = await statusAfter(page, () => page.fill('#search-query', 'president'));
  const all = count(status);
  const allResults = await results(page);
  // The results by year, with exact counts that add up.
  const byYear = await page.$$eval('#search-date-list button', (bs) => bs.map((b) => [b.dataset.date, b.textContent]));
  const yearSum = byYear.reduce((sum, [, text]) => sum + Number(text.match(/\((\d+)\)$/)[1]), 0);
  check(byYear.length >= 2 && yearSum <= all && yearSum >= all - 5, `"president" by year: ${byYear.map((y) => y[1])} (of ${all})`);
  await page.selectOption('#search-from', '2022');
  status = await statusAfter(page, () => page.selectOption('#search-to', '2022'));
  const in2022 = count(status);
  found = await results(page);
  check(all > in2022 && in2022 >= 1, `the date range narrows "president" from ${all} to ${in2022}`);
  check(found.every((r) => r.date.startsWith('2022-')), 'every result is from 2022');
  const url = new URL(page.url()).searchParams;
  check(url.get('from') === '2022' && url.get('to') === '2022', 'the range is kept in the URL');
  await statusAfter(page, () => page.selectOption('#search-from', ''));
  await statusAfter(page, () => page.selectOption('#search-to', ''));
  // A year's button narrows to it, and its months are offered.
  const year2019 = byYear.find(([date]) => date === '2019');
  status = await statusAfter(page, () => page.click('#search-date-list button[data-date="2019"]'));
  check(count(status) === Number(year2019[1].match(/\((\d+)\)$/)[1]), `the 2019 button keeps its ${year2019[1]} (${status})`);
  const months = await page.$$eval('#search-date-list button', (bs) => bs.map((b) => b.dataset.date));
  check(months.length >= 2 && months.every((m) => /^2019-\d\d$/.test(m)), `within a year, its months: ${months}`);
  status = await statusAfter(page, () => page.click(`#search-date-list button[data-date="${months[0]}"]`));
  found = await results(page);
  check(found.length >= 1 && found.every((r) => r.date.startsWith(months[0])), `the month ${months[0]}: ${status}`);
  await page.selectOption('#search-from', '');
  await statusAfter(page, () => page.selectOption('#search-to', ''));

  // 4. An entity filter narrows to the articles that mention the entity; its count is exact.
  const facet = page.locator('#search-filter-list button[aria-pressed="false"]').first();
  const facetText = await facet.textContent();
  const facetCount = Number(facetText.match(/\((\d+)\)$/)[1]);
  const entityPath = await facet.getAttribute('data-entity');
  status = await statusAfter(page, () => facet.click());
  const withEntity = count(status);
  check(withEntity === facetCount && withEntity < all, `the entity filter ${facetText} narrows "president" from ${all} to ${withEntity}`);
  found = await results(page);
  const entityHtml = entityPages(entityPath);
  check(found.every((r) => entityHtml.includes(r.href.replace(/^\.\.\//, ''))), `every result is listed on ${entityPath}`);
  check(allResults.length > 0, 'results before filtering');
  // A second entity: the articles that mention both.
  const second = page.locator('#search-filter-list button[aria-pressed="false"]').first();
  const secondText = await second.textContent();
  const secondPath = await second.getAttribute('data-entity');
  status = await statusAfter(page, () => second.click());
  const both = count(status);
  check(both === Number(secondText.match(/\((\d+)\)$/)[1]) && both <= withEntity, `and ${secondText}: ${status}`);
  check(new URL(page.url()).searchParams.getAll('entity').length === 2, 'both filters are kept in the URL');
  check(await page.locator('#search-filter-list button[aria-pressed="true"]').count() === 2, 'both filters show as pressed');
  const secondHtml = entityPages(secondPath);
  found = await results(page);
  check(found.every((r) => secondHtml.includes(r.href.replace(/^\.\.\//, ''))), `every result is also on ${secondPath}`);
  // Removing the filters brings the results back.
  await statusAfter(page, () => page.locator('#search-filter-list button[aria-pressed="true"]').last().click());
  status = await statusAfter(page, () => page.locator('#search-filter-list button[aria-pressed="true"]').click());
  check(count(status) === all, 'removing the entity filters restores the results');

  // 4a. "Often mentioned with" on an entity page links to the search for both, which finds as many.
  const zelenskyPage = fs.readFileSync(path.join(root, 'people/volodymyr-zelensky/index.html'), 'utf8');
  const pair = zelenskyPage.match(/href="\.\.\/\.\.\/(search\/\?entity=[^"]+)">(\d+) articles? together/);
  check(pair !== null, 'an entity page links to the search for a pair');
  if (pair) {
    await page.goto(`${base}${pair[1].replaceAll('&amp;', '&')}`);
    await page.waitForFunction(() => /match/.test(document.getElementById('search-status').textContent), null, { timeout: TIMEOUT });
    status = await page.textContent('#search-status');
    check(count(status) === Number(pair[2]), `${pair[1]}: ${status} (the page says ${pair[2]})`);
    await page.goto(`${base}search/`);
    await page.waitForFunction(() => document.querySelector('form.search-form').dataset.ready === 'true', null, { timeout: TIMEOUT });
  }

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
