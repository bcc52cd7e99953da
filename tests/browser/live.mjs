// Live reload, the error overlay and accessibility, in Debian's Chromium
// driven by playwright-core, against a running `gazette serve`.
//
//   node live.mjs BASE_URL SITE_DIR ARTICLE_FILE ARTICLE_PATH
//
// BASE_URL is the server's URL, SITE_DIR the site folder it watches,
// ARTICLE_FILE an article file (relative to SITE_DIR) and ARTICLE_PATH the
// URL path of its page. The script edits files in SITE_DIR. Exits 1 on any
// failure.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { checks, launchChromium } from './harness.mjs';

const require = createRequire(import.meta.url);
const [base, siteDir, articleFile, articlePath] = process.argv.slice(2);
if (!articlePath) {
  console.error('usage: node live.mjs BASE_URL SITE_DIR ARTICLE_FILE ARTICLE_PATH');
  process.exit(2);
}
const TIMEOUT = 15000;
const { check, failures } = checks();
const browser = await launchChromium();
const context = browser.context;

async function waitFor(page, predicate, arg) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: TIMEOUT, polling: 50 });
    return true;
  } catch {
    return false;
  }
}

try {
  const page = await context.newPage();

  // 1. Editing an article reloads the open page with the new text, by itself.
  await page.goto(base + articlePath.replace(/^\//, ''));
  await page.evaluate(() => { window.__notReloaded = true; });
  const file = path.join(siteDir, articleFile);
  const original = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, original.trimEnd() + '\n\nA paragraph added by the browser test.\n');
  const reloaded = await waitFor(page, () => !window.__notReloaded && document.body.innerText.includes('A paragraph added by the browser test.'));
  check(reloaded, 'the article page reloads with the edited text');

  // 2. A broken template shows the overlay without a manual refresh...
  await page.goto(base);
  const template = path.join(siteDir, 'templates', 'home.html');
  fs.mkdirSync(path.dirname(template), { recursive: true });
  fs.writeFileSync(template, '{% extends "base.html" %}{% block content %}{{ articles | length }{% endblock content %}');
  const overlay = await waitFor(page, () => document.getElementById('gazette-error-overlay') !== null);
  check(overlay, 'a broken template shows the error overlay');
  const overlayText = overlay ? await page.locator('#gazette-error-overlay').innerText() : '';
  check(overlayText.includes('home.html'), 'the overlay names the template');

  // 3. ...and fixing it clears the overlay, again by itself.
  fs.writeFileSync(template, '{% extends "base.html" %}{% block content %}<p id="fixed-home">{{ articles | length }} articles</p>{% endblock content %}');
  const recovered = await waitFor(page, () => document.getElementById('gazette-error-overlay') === null && document.getElementById('fixed-home') !== null);
  check(recovered, 'fixing the template clears the overlay');
  fs.rmSync(template);
  await waitFor(page, () => document.getElementById('fixed-home') === null);

  // 4. axe-core on the main page types: no serious or critical violations.
  const day = articlePath.split('/').slice(0, 4).join('/') + '/';
  const entityHref = await (async () => {
    await page.goto(base + articlePath.replace(/^\//, ''));
    return page.locator('.in-this-article a').first().getAttribute('href');
  })();
  const targets = [
    ['home', base],
    ['article', base + articlePath.replace(/^\//, '')],
    ['day', base + day.replace(/^\//, '')],
    ['entity', new URL(entityHref, base + articlePath.replace(/^\//, '')).href],
  ];
  for (const [name, url] of targets) {
    await page.goto(url);
    await page.addScriptTag({ path: require.resolve('axe-core') });
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of bad) console.log(`     ${name}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes)`);
    check(bad.length === 0, `axe on the ${name} page (${url}): ${result.violations.length} violations, ${bad.length} serious or critical`);
  }
  fs.writeFileSync(file, original);
} finally {
  await browser.close();
}

console.log(failures.length === 0 ? 'browser checks passed' : `${failures.length} browser check(s) failed`);
process.exit(failures.length === 0 ? 0 : 1);
