// Accessibility of a built gazette site in a real browser.
//
//   node a11y.mjs SITE_FOLDER
//
// Serves the folder as a static host would (harness.mjs) and opens one page
// of each type (pages.mjs: home and its page 2, article, day, month, year,
// archive, the people, places and organisations lists and a by-count list,
// an entity, search, and the 404 page at a missing URL) in Chromium
// (harness.mjs: Debian's, or $CHROMIUM), in four views: light and dark colour
// scheme, 1280px and 375px wide. In each view it runs axe-core with the WCAG
// 2.0/2.1 A and AA and best-practice rules, and checks that the page is no
// wider than the window, that every resource it loads is there, and that no
// script throws. Exits 1 on any violation, naming the page, view, rule and
// elements; the last line says how many pages passed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { checks, launchChromium, staticServer } from './harness.mjs';
import { pagesFor } from './pages.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !fs.existsSync(path.join(root, 'index.html'))) {
  console.error('usage: node a11y.mjs SITE_FOLDER (a built site)');
  process.exit(2);
}
const TIMEOUT = 15000;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const SCHEMES = ['light', 'dark'];
const WIDTHS = [1280, 375];
const VIEWS = SCHEMES.length * WIDTHS.length;
const AXE = fs.readFileSync(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
// Pages whose script changes the page after load: axe looks once it is done.
const READY = {
  search: () => document.querySelector('form.search-form')?.dataset.ready === 'true',
};

const { check, failures } = checks();
const pages = pagesFor(root);
const { base, server } = await staticServer(root);
const browser = await launchChromium();

/** What is wrong with the open page in this view, one line each (none: it passes). */
async function problems(page, width, { status, expected, loadErrors, scriptErrors }) {
  const found = [];
  if (status !== expected) found.push(`HTTP ${status} for the page (expected ${expected})`);
  for (const e of loadErrors) found.push(e);
  for (const e of scriptErrors) found.push(`script error: ${e}`);

  const axe = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), AXE_TAGS);
  for (const v of axe.violations) {
    found.push(`axe ${v.id} [${v.impact}]: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}) ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 5)) {
      const why = (n.failureSummary ?? '').split('\n').slice(1, 3).map((s) => s.trim()).join(' / ');
      found.push(`    ${n.target.join(' ')}${why ? `: ${why}` : ''}`);
      found.push(`      ${n.html.slice(0, 160)}`);
    }
    if (v.nodes.length > 5) found.push(`    … and ${v.nodes.length - 5} more`);
  }

  // No sideways scrolling: the page is no wider than the window, and if it is,
  // the elements sticking out past its right edge, outermost first.
  const overflow = await page.evaluate(() => {
    const html = document.documentElement;
    if (html.scrollWidth <= html.clientWidth) return null;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > html.clientWidth + 0.5 && wide.length < 5) {
        const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().replace(/\s+/g, '.')}` : '';
        wide.push(`${el.tagName.toLowerCase()}${cls} (right edge ${Math.round(r.right)}px)`);
      }
    }
    return { scrollWidth: html.scrollWidth, clientWidth: html.clientWidth, wide };
  });
  if (overflow) {
    found.push(`overflow: the page is ${overflow.scrollWidth}px wide in a ${overflow.clientWidth}px window at ${width}px: ${overflow.wide.join('; ')}`);
  }

  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  return { found, background };
}

try {
  const page = await browser.context.newPage();
  let loadErrors = [];
  let scriptErrors = [];
  page.on('pageerror', (e) => scriptErrors.push(e.message));
  page.on('requestfailed', (r) => loadErrors.push(`${r.url()} failed: ${r.failure()?.errorText}`));
  // A missing resource is a broken link in the theme (the page itself aside,
  // whose status is checked, and the browser's own /favicon.ico probe: the
  // theme declares no icon).
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.request().isNavigationRequest() && new URL(r.url()).pathname !== '/favicon.ico') {
      loadErrors.push(`HTTP ${r.status()} for ${r.url()}`);
    }
  });

  for (const p of pages) {
    const backgrounds = {};
    // One load per width; the colour scheme then changes in place, as when a
    // reader's system turns dark (the CSS follows prefers-color-scheme).
    for (const width of WIDTHS) {
      let status;
      let loaded = null;
      loadErrors = [];
      scriptErrors = [];
      try {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: SCHEMES[0] });
        status = (await page.goto(base + p.visit, { waitUntil: 'load' }))?.status();
        if (READY[p.name]) await page.waitForFunction(READY[p.name], null, { timeout: TIMEOUT, polling: 50 });
        await page.addScriptTag({ content: AXE });
      } catch (error) {
        loaded = error;
      }
      for (const colorScheme of SCHEMES) {
        const label = `${p.name} (/${p.visit}) ${colorScheme} ${width}px`;
        let result;
        try {
          if (loaded) throw loaded;
          await page.emulateMedia({ colorScheme });
          result = await problems(page, width, { status, expected: p.status, loadErrors, scriptErrors });
        } catch (error) {
          result = { found: [`could not check: ${error.message.split('\n')[0]}`] };
        }
        loadErrors = [];
        scriptErrors = [];
        // The dark view must really be dark: a colour scheme that does not
        // change the page would leave half of these checks checking nothing.
        backgrounds[`${colorScheme} ${width}`] = result.background;
        if (colorScheme !== SCHEMES[0] && result.background && result.background === backgrounds[`${SCHEMES[0]} ${width}`]) {
          result.found.push(`the ${colorScheme} colour scheme does not change the page background (${result.background})`);
        }
        check(result.found.length === 0, label);
        for (const line of result.found) console.log(`       ${line}`);
      }
    }
  }
} catch (error) {
  check(false, `a11y checks crashed: ${error.stack}`);
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.log(`\n${failures.length} of ${pages.length * VIEWS} views failed the a11y checks:`);
  for (const f of failures) console.log(`  ${f}`);
  process.exit(1);
}
console.log(`a11y checks passed: ${pages.length} pages × ${VIEWS} views`);
