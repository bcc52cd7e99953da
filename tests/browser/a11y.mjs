// Accessibility check of a built gazette site in a real browser.
//
//   node a11y.mjs [site-folder]      (default: ../../public)
//
// Serves the folder on 127.0.0.1, opens one page of each type in Debian's
// Chromium (never a downloaded browser) in light and dark colour schemes at
// 1280px and 375px wide, runs axe-core with the WCAG 2.0/2.1 A and AA rules
// (plus best-practice rules, reported but never fatal), and at 375px reports
// any page wider than the viewport. Exits 1 on any serious or critical axe
// violation or any horizontal overflow.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { pagesFor } from './pages.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'public'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function serve(dir) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (fs.statSync(file).isDirectory()) {
        if (!rel.endsWith('/')) {
          res.writeHead(301, { Location: rel + '/' }).end();
          return;
        }
        file = path.join(file, 'index.html');
      }
      const body = fs.readFileSync(file);
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      const notFound = path.join(dir, '404.html');
      res.writeHead(404, { 'Content-Type': MIME['.html'] });
      res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];
const FATAL = new Set(['critical', 'serious']);

const pages = pagesFor(root);
const server = await serve(root);
const base = `http://127.0.0.1:${server.address().port}/`;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-a11y-'));

let context;
let failed = false;
const summary = [];
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
  // Any failed request for a page resource (the browser's own /favicon.ico
  // probe aside: the theme declares no icon) means a broken link in the theme.
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') {
      console.log(`  HTTP ${r.status()} for ${r.url()}`);
      failed = true;
    }
  });

  for (const { name, path: p } of pages) {
    for (const colorScheme of ['light', 'dark']) {
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme });
        const resp = await page.goto(base + p, { waitUntil: 'load' });
        const label = `${name} (${p || '/'}) ${colorScheme} ${width}px`;
        const status = resp?.status();
        if (status !== 200) {
          console.log(`${label}: HTTP ${status}`);
          failed = true;
        }
        await page.addScriptTag({ path: require.resolve('axe-core') });
        const result = await page.evaluate(async () =>
          // eslint-disable-next-line no-undef
          axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
            resultTypes: ['violations'],
          }),
        );
        const counts = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
        for (const v of result.violations) counts[v.impact ?? 'minor'] += v.nodes.length;

        const overflow =
          width === 375
            ? await page.evaluate(() => {
                const sw = document.documentElement.scrollWidth;
                const vw = window.innerWidth;
                if (sw <= vw) return null;
                // The elements sticking out past the right edge, outermost first.
                const wide = [];
                for (const el of document.querySelectorAll('body *')) {
                  const r = el.getBoundingClientRect();
                  if (r.right > vw + 0.5 && wide.length < 5) {
                    wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : ''} right=${Math.round(r.right)}`);
                  }
                }
                return { sw, vw, wide };
              })
            : null;

        summary.push({ page: name, scheme: colorScheme, width, ...counts, overflow: overflow ? `${overflow.sw}>${overflow.vw}` : '' });
        const flagged = result.violations.length || overflow;
        console.log(`${flagged ? '✗' : '✓'} ${label}: ${IMPACTS.map((i) => `${i} ${counts[i]}`).join(', ')}`);
        for (const impact of IMPACTS) {
          for (const v of result.violations.filter((x) => (x.impact ?? 'minor') === impact)) {
            if (FATAL.has(impact)) failed = true;
            console.log(`    [${impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'}) ${v.helpUrl}`);
            for (const n of v.nodes.slice(0, 5)) {
              console.log(`      ${n.target.join(' ')}`);
              const why = (n.failureSummary ?? '').split('\n').slice(1, 3).map((s) => s.trim()).join(' / ');
              if (why) console.log(`        ${why}`);
            }
            if (v.nodes.length > 5) console.log(`      … and ${v.nodes.length - 5} more`);
          }
        }
        if (overflow) {
          failed = true;
          console.log(`    [overflow] scrollWidth ${overflow.sw}px > viewport ${overflow.vw}px: ${overflow.wide.join('; ')}`);
        }
      }
    }
  }
} finally {
  await context?.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

console.log('');
console.table(summary);
console.log(failed ? 'FAIL: serious/critical violations or overflow found' : 'OK: no serious or critical violations, no overflow at 375px');
process.exit(failed ? 1 : 0);
