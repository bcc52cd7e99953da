// HTML validity check of a built gazette site with the Nu Html Checker.
//
//   node vnu.mjs [site-folder]       (default: ../../public)
//
// Runs `java -jar vnu.jar --errors-only` over the same pages a11y.mjs opens
// and exits 1 on any error.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { pagesFor } from './pages.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'public'));
const jar = require('vnu-jar');

const files = pagesFor(root).map((p) => p.file);
const run = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'gnu', ...files], { encoding: 'utf8' });
if (run.error) {
  console.error(`could not run java: ${run.error.message}`);
  process.exit(2);
}
const out = (run.stdout + run.stderr).trim();
const lines = out ? out.split('\n') : [];
for (const line of lines) console.log(line.startsWith(root) ? line.slice(root.length + 1) : line);
console.log(`${files.length} files checked, ${lines.length} error${lines.length === 1 ? '' : 's'}`);
process.exit(run.status === 0 && lines.length === 0 ? 0 : 1);
