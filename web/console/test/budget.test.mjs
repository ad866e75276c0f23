// The first-load budget: index.html's entry script and everything it imports statically must
// stay within 250 KB of gzip JavaScript. Lazy page chunks are reported, not limited.
// Runs against dist/ as committed (npm run build first when sources changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const BUDGET = 250 * 1024;

const gz = (file) => gzipSync(readFileSync(dist + file), { level: 9 }).length;
/** Static imports of an emitted chunk (`import … from "./x.js"`), not dynamic `import()`. */
function staticImports(file) {
  const src = readFileSync(dist + file, 'utf8');
  const out = new Set();
  for (const m of src.matchAll(/(?:^|[;}\n])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) out.add('assets/' + m[1]);
  return [...out];
}

test('dist/ exists (run npm run build)', () => {
  assert.ok(existsSync(dist + 'index.html'), 'dist/index.html is missing');
});

test('first load is at most 250 KB of gzip JavaScript', () => {
  const html = readFileSync(dist + 'index.html', 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'index.html has an inline script (CSP forbids it)');
  assert.doesNotMatch(html, /<style|\sstyle=/, 'index.html has inline styles');
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/g)].map((m) => m[1]);
  assert.equal(entries.length, 1, 'one module entry in index.html');
  const seen = new Set();
  const queue = [...entries, ...preloads];
  while (queue.length) {
    const f = queue.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    queue.push(...staticImports(f));
  }
  const sizes = [...seen].map((f) => [f, gz(f)]);
  const total = sizes.reduce((a, [, n]) => a + n, 0);
  const lazy = readdirSync(dist + 'assets')
    .filter((f) => f.endsWith('.js') && !seen.has('assets/' + f))
    .map((f) => [f, gz('assets/' + f)]);
  const kb = (n) => (n / 1024).toFixed(1) + ' KB';
  console.log(`first load: ${kb(total)} gzip (${sizes.map(([f, n]) => `${f} ${kb(n)}`).join(', ')})`);
  for (const [f, n] of lazy.sort((a, b) => b[1] - a[1])) console.log(`  lazy ${f}: ${kb(n)}`);
  assert.ok(total <= BUDGET, `first load ${kb(total)} > ${kb(BUDGET)}`);
});
