// The browser tag's cost to the page's main thread, in headless Chromium. A benchmark,
// not a test: it prints a table (median and p90 over N runs) and checks nothing.
//
//   cargo build -p api --bin loupe && npm ci --prefix tests/browser
//   node bench/tag/page-impact.mjs                 # N=10 runs of each case
//   RUNS=20 LOUPE_BIN=target/release/loupe node bench/tag/page-impact.mjs
//
// It starts its own `loupe serve` (LOUPE_BIN, default target/debug/loupe) on a free port
// with a fresh SQLite database, lets site 1 accept 127.0.0.1 and serves two local pages:
//
// 1. load: a shop page (about 600 elements) loaded in a fresh browser context, measured
//    from navigation to the load event ("during page load": the tag itself; the recorder
//    waits for load and an idle moment), and from navigation until 2.5 s later (the tag, its
//    config and widgets requests, the recorder chunk and rrweb's full snapshot). Cases: no tag;
//    the tag with recording off; the tag with recording on. CDP Performance.getMetrics
//    gives TaskDuration (all main-thread tasks) and ScriptDuration (JS execution); the
//    "tag" columns are the differences to the no-tag page. Long tasks (> 50 ms) come from
//    a PerformanceObserver.
// 2. busy: a page that mutates its DOM every animation frame for 4 s (text, attributes,
//    nodes added and removed), without the tag and with the tag recording: TaskDuration
//    over those 4 s, and its difference (the recorder's observer and its batching).
//
// CHROMIUM (default /usr/bin/chromium) names the browser.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(join(root, 'tests/browser/package.json'));
const { chromium } = require('playwright-core');
const RUNS = Number(process.env.RUNS ?? 10);
const BIN = process.env.LOUPE_BIN ?? join(root, 'target/debug/loupe');
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// ---------------------------------------------------------------- the server
const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
const server = spawn(BIN, ['serve'], {
  env: {
    ...process.env,
    LOUPE_BIND: '127.0.0.1:0',
    LOUPE_DATA_DIR: dir,
    DATABASE_URL: `sqlite://${join(dir, 'loupe.db')}?mode=rwc`,
    LOUPE_JWT_SECRET: 'bench-signing-secret-0123456789abcdef0123456789',
    RUST_LOG: 'warn',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const boot = await new Promise((ok, fail) => {
  const seen = {};
  const timer = setTimeout(() => fail(new Error('loupe did not start')), 60000);
  createInterface({ input: server.stdout }).on('line', (line) => {
    const t = line.trim();
    if (t.startsWith('client id:')) seen.id = t.slice(10).trim();
    if (t.startsWith('client secret:')) seen.secret = t.slice(14).trim();
    if (t.startsWith('Loupe listening on ')) {
      clearTimeout(timer);
      ok({ ...seen, base: t.slice('Loupe listening on '.length).trim() });
    }
  });
});
const loupe = boot.base;
const tokenRes = await fetch(`${loupe}/oauth/token`, {
  method: 'POST',
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: boot.id, client_secret: boot.secret }),
});
const { access_token: token } = await tokenRes.json();
async function gql(query) {
  const r = await (await fetch(`${loupe}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  })).json();
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}
const setRecording = (on) => gql(`mutation { updateSite(id: "1", input: {allowedDomains: ["127.0.0.1"], recordingEnabled: ${on}, recordingSamplePercent: 100}) { id } }`);
await setRecording(false);

// ---------------------------------------------------------------- the pages
const tag = `<script>window.loupe=window.loupe||function(){(loupe.q=loupe.q||[]).push(arguments)}</script>
<script async src="${loupe}/v1/loupe.js" data-site="1"></script>`;
const products = Array.from({ length: 120 }, (_, i) =>
  `<li class="p"><h3>Product ${i}</h3><p>A fine thing, number ${i}, in stock.</p><span class="price">${(i * 3.7).toFixed(2)}</span><button type="button">Add</button></li>`).join('');
const shop = (withTag) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>.p{display:inline-block;width:200px;margin:4px;border:1px solid #ccc}</style>${withTag ? tag : ''}</head>
<body><header><nav><a href="/">Home</a></nav></header><main><h1>Shop</h1>
<form><label>Search <input name="q"></label></form><ul>${products}</ul></main></body></html>`;
const busy = (withTag) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Busy</title>${withTag ? tag : ''}</head>
<body><main><h1>Live dashboard</h1><div id="grid"></div></main><script>
const grid = document.getElementById('grid');
for (let i = 0; i < 200; i++) { const d = document.createElement('div'); d.textContent = 'cell ' + i; grid.appendChild(d); }
window.runBusy = (ms) => new Promise((done) => {
  const end = performance.now() + ms; let n = 0;
  (function frame() {
    const cells = grid.children;
    for (let i = 0; i < 40; i++) {
      const c = cells[(n * 40 + i) % cells.length];
      c.textContent = 'cell ' + i + ' value ' + n; c.setAttribute('data-v', String(n % 7));
    }
    const extra = document.createElement('p'); extra.textContent = 'tick ' + n; grid.appendChild(extra);
    if (grid.children.length > 260) grid.removeChild(grid.lastElementChild.previousElementSibling);
    n++;
    if (performance.now() < end) requestAnimationFrame(frame); else done(n);
  })();
});
</script></body></html>`;
const pageServer = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  const withTag = u.searchParams.has('tag');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  if (u.pathname === '/shop') return res.end(shop(withTag));
  if (u.pathname === '/busy') return res.end(busy(withTag));
  res.statusCode = 404;
  res.end();
});
await new Promise((ok) => pageServer.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${pageServer.address().port}`;

// ---------------------------------------------------------------- measuring
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const longTasks = () => {
  window.__long = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  } catch { /* unsupported */ }
};

async function metrics(cdp) {
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  const get = (n) => (m.find((x) => x.name === n)?.value ?? 0) * 1000;
  return { task: get('TaskDuration'), script: get('ScriptDuration') };
}

async function load(url) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(longTasks);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const before = await metrics(cdp);
  await page.goto(url, { waitUntil: 'load' });
  const atLoad = await metrics(cdp);
  const longAtLoad = await page.evaluate(() => window.__long.reduce((a, b) => a + b, 0));
  await sleep(2500);
  const after = await metrics(cdp);
  const long = await page.evaluate(() => window.__long.reduce((a, b) => a + b, 0));
  const recorded = await page.evaluate(() => !!(window.__loupe && window.__loupe.chunks && window.__loupe.chunks.recorder));
  await ctx.close();
  return {
    loadTask: atLoad.task - before.task,
    loadScript: atLoad.script - before.script,
    longAtLoad,
    task: after.task - before.task,
    script: after.script - before.script,
    long,
    recorded,
  };
}

async function busyRun(url) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(url, { waitUntil: 'load' });
  await sleep(2000); // the tag and the recorder settle (full snapshot done)
  const before = await metrics(cdp);
  const frames = await page.evaluate(() => window.runBusy(4000));
  const after = await metrics(cdp);
  await ctx.close();
  return { task: after.task - before.task, script: after.script - before.script, frames };
}

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};
const fmt = (xs) => `${q(xs, 0.5).toFixed(1).padStart(7)} ${q(xs, 0.9).toFixed(1).padStart(7)}`;

const runs = { none: [], off: [], on: [] };
for (let i = 0; i < RUNS; i++) {
  runs.none.push(await load(`${origin}/shop`));
  await setRecording(false);
  runs.off.push(await load(`${origin}/shop?tag`));
  await setRecording(true);
  runs.on.push(await load(`${origin}/shop?tag`));
}
const busyRuns = { none: [], on: [] };
for (let i = 0; i < RUNS; i++) {
  busyRuns.none.push(await busyRun(`${origin}/busy`));
  busyRuns.on.push(await busyRun(`${origin}/busy?tag`));
}

const col = (rs, k) => rs.map((r) => r[k]);
const delta = (rs, base, k) => rs.map((r, i) => r[k] - base[i][k]);
console.log(`\nloupe.js main-thread cost, headless Chromium, ${RUNS} runs each (ms; median, p90)`);
console.log(`recorder loaded on the "recording on" runs: ${runs.on.filter((r) => r.recorded).length}/${RUNS}`);
console.log('\nduring page load: navigation → load event  TaskDuration  ScriptDuration  long tasks');
console.log('                                   median     p90     median     p90   median     p90');
for (const [name, rs] of [['no tag', runs.none], ['tag, recording off', runs.off], ['tag, recording on', runs.on]]) {
  console.log(`${name.padEnd(34)}${fmt(col(rs, 'loadTask'))}  ${fmt(col(rs, 'loadScript'))}  ${fmt(col(rs, 'longAtLoad'))}`);
}
for (const [name, rs] of [['tag cost, recording off', runs.off], ['tag cost, recording on', runs.on]]) {
  console.log(`${('Δ ' + name).padEnd(34)}${fmt(delta(rs, runs.none, 'loadTask'))}  ${fmt(delta(rs, runs.none, 'loadScript'))}`);
}
console.log('\nload and after: navigation + 2.5 s   TaskDuration       ScriptDuration     long tasks');
console.log('                                   median     p90     median     p90   median     p90');
for (const [name, rs] of [['no tag', runs.none], ['tag, recording off', runs.off], ['tag, recording on', runs.on]]) {
  console.log(`${name.padEnd(34)}${fmt(col(rs, 'task'))}  ${fmt(col(rs, 'script'))}  ${fmt(col(rs, 'long'))}`);
}
for (const [name, rs] of [['tag cost, recording off', runs.off], ['tag cost, recording on', runs.on]]) {
  console.log(`${('Δ ' + name).padEnd(34)}${fmt(delta(rs, runs.none, 'task'))}  ${fmt(delta(rs, runs.none, 'script'))}`);
}
console.log('\nbusy page, 4 s of DOM mutations     TaskDuration       ScriptDuration     frames');
console.log('                                   median     p90     median     p90   median');
for (const [name, rs] of [['no tag', busyRuns.none], ['tag, recording on', busyRuns.on]]) {
  console.log(`${name.padEnd(34)}${fmt(col(rs, 'task'))}  ${fmt(col(rs, 'script'))}  ${q(col(rs, 'frames'), 0.5).toFixed(0).padStart(7)}`);
}
console.log(`${'Δ recorder overhead'.padEnd(34)}${fmt(delta(busyRuns.on, busyRuns.none, 'task'))}  ${fmt(delta(busyRuns.on, busyRuns.none, 'script'))}`);

await browser.close();
pageServer.close();
server.kill();
rmSync(dir, { recursive: true, force: true });
