// The pages both checks look at: one of each page type of the default theme.
// Paths are relative to the built site folder and end in "/" for a folder's
// index.html. `visit` is where a browser opens a page when that is not its
// path (a static host shows 404.html for any missing URL, with status 404);
// an `optional` page is left out when the site has none (a home page 2 needs
// more articles than fit on the first).
import fs from 'node:fs';
import path from 'node:path';

// The first sub-folder (sorted) of `dir` that holds an index.html, or null.
function firstChild(root, dir) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return null;
  const names = fs
    .readdirSync(full, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(full, e.name, 'index.html')))
    .map((e) => e.name)
    .sort();
  return names.length ? `${dir}${names[0]}/` : null;
}

// The last home page (`page/N/` with the highest N), which leads on to the
// date pages, or null when the home page has one page.
function lastHomePage(root) {
  const dir = path.join(root, 'page');
  if (!fs.existsSync(dir)) return null;
  const numbers = fs.readdirSync(dir).map(Number).filter((n) => Number.isInteger(n) && n > 1);
  return numbers.length ? `page/${Math.max(...numbers)}/` : null;
}

// The first article of the first story thread, or null: an article page with
// the thread's navigation and related articles.
function storyArticle(root) {
  const thread = firstChild(root, 'threads/');
  if (!thread) return null;
  const html = fs.readFileSync(path.join(root, thread, 'index.html'), 'utf8');
  const list = html.slice(html.indexOf('<ul class="article-list">'));
  const href = /<h2 class="article-item-title"><a href="([^"]+)"/.exec(list);
  return href ? path.posix.normalize(path.posix.join(thread, href[1])).replace(/^\/+/, '') : null;
}

export function pagesFor(root) {
  const pages = [
    { name: 'home', path: '' },
    { name: 'home page 2', path: 'page/2/', optional: true },
    { name: 'last home page', path: lastHomePage(root), optional: true },
    { name: 'article', path: firstChild(root, '2022/02/28/') },
    { name: 'day', path: firstChild(root, '2019/03/') },
    { name: 'month', path: '2019/03/' },
    { name: 'year', path: '2019/' },
    { name: 'archive', path: 'archive/' },
    { name: 'people', path: 'people/' },
    { name: 'places', path: 'places/' },
    { name: 'organisations', path: 'organisations/' },
    { name: 'people by count', path: 'people/by-count/' },
    { name: 'entity', path: 'people/volodymyr-zelensky/' },
    // A long entity page: its articles under month headings, its timeline's bars links to its years.
    { name: 'long entity', path: 'places/united-states/' },
    { name: 'entity year', path: firstChild(root, 'places/united-states/') },
    { name: 'search', path: 'search/' },
    { name: '404', path: '404.html', visit: 'no/such/page/', status: 404 },
    // Sites with undated articles, sections or dates known only to the month.
    { name: 'section', path: firstChild(root, 'sections/'), optional: true },
    { name: 'undated list', path: 'undated/', optional: true },
    { name: 'undated article', path: firstChild(root, 'undated/'), optional: true },
    { name: 'month-dated article', path: '2019/05/a-month-of-storms/', optional: true },
    // Reading the archive: on this day, story threads, an article in a story.
    { name: 'on this day', path: firstChild(root, 'on-this-day/') },
    { name: 'days of the year', path: 'on-this-day/' },
    { name: 'stories', path: 'threads/' },
    { name: 'story', path: firstChild(root, 'threads/') },
    { name: 'article in a story', path: storyArticle(root) },
    { name: 'data', path: 'data/', optional: true },
  ];
  const found = [];
  for (const p of pages) {
    if (p.path === null && p.optional) continue;
    if (p.path === null) throw new Error(`no page found for ${p.name} under ${root}`);
    const file = p.path === '' || p.path.endsWith('/') ? path.join(root, p.path, 'index.html') : path.join(root, p.path);
    if (!fs.existsSync(file)) {
      if (p.optional) continue;
      throw new Error(`${p.name}: ${file} does not exist`);
    }
    found.push({ ...p, file, visit: p.visit ?? p.path, status: p.status ?? 200 });
  }
  return found;
}
