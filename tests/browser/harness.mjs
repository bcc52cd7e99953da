// What the browser scripts share: Debian's Chromium launched headless with a
// fresh profile, a list of named checks, and a plain static file server
// (what GitHub Pages or nginx would do).
//
// This file is also the one place that says where Chromium is:
//
//   node harness.mjs chromium-path
//
// prints it (tests/browser.rs and .ci/run ask this way rather than repeat it).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The Chromium the browser scripts drive: $CHROMIUM if set, else Debian's package. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Headless Chromium ({@link CHROMIUM}) with a fresh profile; `close()` removes the profile. */
export async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
  }
  // Loaded here, not at the top, so `node harness.mjs chromium-path` works before `npm ci`.
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Named checks: `check(ok, what)` prints each; `failures` lists the failed ones. */
export function checks() {
  const failures = [];
  const check = (ok, what) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  return { check, failures };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.bin': 'application/octet-stream',
  '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Serves the files under `root` on a free port of 127.0.0.1, as a static
 * host does: a folder answers with its index.html (a folder without its
 * trailing slash redirects to it), and a missing file with the site's
 * 404.html, status 404. Resolves to { base, server, served } where
 * `served()` is the number of body bytes sent so far.
 */
export async function staticServer(root) {
  root = path.resolve(root);
  let served = 0;
  const send = (res, status, file, headers = {}) => {
    const body = fs.readFileSync(file);
    served += body.length;
    res.writeHead(status, { 'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', ...headers })
      .end(body);
  };
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    let rel;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = path.join(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!rel.endsWith('/')) { res.writeHead(301, { location: `${pathname}/` }).end(); return; }
      file = path.join(file, 'index.html');
    }
    if (fs.existsSync(file) && fs.statSync(file).isFile()) { send(res, 200, file); return; }
    const notFound = path.join(root, '404.html');
    if (fs.existsSync(notFound)) send(res, 404, notFound);
    else res.writeHead(404).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}/`, server, served: () => served };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'chromium-path') {
    console.log(CHROMIUM);
  } else {
    console.error('usage: node harness.mjs chromium-path');
    process.exit(2);
  }
}
