// Console render benchmark (issue 16's budgets): the time from a page of 50 responses arriving
// to its 50 rows painted on the Results page, in headless Chromium at 1280×720 (budget: under
// 300 ms); and the console's first-load gzip JavaScript (budget: 250 KB).
//
//   node bench/console-render.mjs
//     starts its own Loupe on a free port with an empty database (LOUPE_BIN, default
//     target/release/loupe, else target/debug/loupe), serving web/console/dist from disk, and
//     creates the owner account through the printed setup link;
//   LOUPE_URL=http://127.0.0.1:8080 CONSOLE_EMAIL=you@x.example CONSOLE_PASSWORD='…' node bench/console-render.mjs
//     uses a running Loupe and an ADMIN account of it (it adds a site and a survey there).
//
// Needs `npm ci --prefix tests/browser` (playwright-core) and Chromium (CHROMIUM, default
// /usr/bin/chromium). RESPONSES (default and minimum 100: two pages of 50) responses are seeded
// through the public collection endpoint (sentiment on where the plan allows, and scored
// before measuring). Then, 1 + RUNS times (default 10; the first is a warm-up):
//  - the Results page is loaded: a hook on window.fetch notes when the last of its two answers
//    (the summary and the page of responses) has been read ("data arrived"), a
//    MutationObserver waits for the 50 rows, then requestAnimationFrame ("rows in a frame")
//    and a task queued from that frame ("painted");
//  - "Next" in the table: the same, from the next page's answer to its 50 rows.
// Prints markdown tables (median, p90, min, max over the runs); exit status 1 when a p90 is
// 300 ms or more (the issue's budget).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const { chromium } = createRequire(join(root, 'tests/browser/package.json'))('playwright-core');
const dist = join(root, 'web/console/dist/');
const RESPONSES = Math.max(100, Number(process.env.RESPONSES ?? 100));
const RUNS = Number(process.env.RUNS ?? 10);
const ROWS = 50; // the Results page's page size

// ------------------------------------------------------------------ first-load gzip bytes

/** index.html's entry, its modulepreloads and their static imports, gzip level 9 (as web/console/test/budget.test.mjs). */
function firstLoad() {
  const gz = (f) => gzipSync(readFileSync(dist + f), { level: 9 }).length;
  const html = readFileSync(dist + 'index.html', 'utf8');
  const queue = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/g)].map((m) => m[1]),
  ];
  const seen = new Set();
  while (queue.length) {
    const f = queue.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    const src = readFileSync(dist + f, 'utf8');
    for (const m of src.matchAll(/(?:^|[;}\n])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push('assets/' + m[1]);
  }
  const files = [...seen].map((f) => [f, gz(f)]);
  return { total: files.reduce((a, [, n]) => a + n, 0), files };
}

// ------------------------------------------------------------------ the server

async function startLoupe() {
  const candidates = [process.env.LOUPE_BIN, join(root, 'target/release/loupe'), join(root, 'target/debug/loupe')].filter(Boolean);
  const bin = candidates.find((p) => existsSync(p));
  if (!bin) throw new Error('no Loupe binary: build it (cargo build --release -p api) or set LOUPE_BIN');
  const data = mkdtempSync(join(tmpdir(), 'loupe-bench-console-'));
  // Its own empty SQLite database: no DATABASE_URL, LOUPE_PUBLIC_URL or LOUPE_BIND from outside.
  const env = { ...process.env };
  for (const k of ['DATABASE_URL', 'LOUPE_PUBLIC_URL', 'LOUPE_BIND', 'LOUPE_JWT_SECRET']) delete env[k];
  const child = spawn(bin, ['serve', '--bind', '127.0.0.1:0'], {
    env: { ...env, LOUPE_DATA_DIR: data, LOUPE_CONSOLE_DIR: dist },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise((ok, fail) => {
    const onData = (d) => {
      out += d;
      const url = out.match(/Loupe listening on (http:\/\/\S+)/)?.[1];
      const setup = out.match(/(http:\/\/\S+\/setup\?token=[0-9a-f]+)/)?.[1];
      if (url && setup) ok({ url, setup });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => fail(new Error(`loupe exited (${code}):\n${out}`)));
    setTimeout(() => fail(new Error('loupe did not start in 30 s:\n' + out)), 30000).unref();
  });
  const { url, setup } = await ready;
  return {
    url,
    setupToken: new URL(setup).searchParams.get('token'),
    bin,
    stop() {
      child.kill('SIGTERM');
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ console calls (session cookie)

/** GraphQL from the console's origin with the session cookie and the CSRF header. */
async function gql(page, query, variables = {}) {
  const r = await page.evaluate(
    async ([query, variables]) => {
      const csrf = document.cookie.match(/(?:^|; )loupe_csrf=([^;]*)/)?.[1] ?? '1';
      const res = await fetch('/graphql', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf) },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    },
    [query, variables],
  );
  if (r.errors) throw new Error(`${JSON.stringify(r.errors)} for ${query.slice(0, 80)}`);
  return r.data;
}

async function seed(page, base) {
  const run = Date.now() % 100000;
  const site = (await gql(page, 'mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }', { i: { name: `Render bench ${run}` } })).createSite.id;
  const created = await gql(page, 'mutation($i: CreateSurveyInput!) { createSurvey(input: $i) { id questions { id key } } }', {
    i: {
      siteId: site,
      name: `Render bench ${run}`,
      questions: [
        { key: 'nps', type: 'NPS', prompt: 'How likely are you to recommend us?', required: true, logic: [{ operator: 'LESS_THAN', number: 7, goTo: 'why' }] },
        { key: 'pick', type: 'SINGLE_CHOICE', prompt: 'What do you like most?', options: ['Price', 'Speed', 'Support'], allowOther: true },
        { key: 'why', type: 'LONG_TEXT', prompt: 'Tell us why' },
      ],
    },
  });
  const survey = created.createSurvey.id;
  const q = Object.fromEntries(created.createSurvey.questions.map((x) => [x.key, Number(x.id)]));
  let sentiment = true;
  try {
    await gql(page, 'mutation($id: ID!) { setSurveySentiment(id: $id, enabled: true) { id } }', { id: survey });
  } catch {
    sentiment = false; // not on the Scale plan: the rows have no labels
  }
  await gql(page, 'mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { id } }', { id: survey });
  const texts = ['I love it, great service', 'This is terrible and slow', 'It is fine, nothing special', 'Checkout keeps failing on my phone'];
  const agents = [
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  ];
  for (let i = 0; i < RESPONSES; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, RESPONSES - i) }, async (_, k) => {
        const n = i + k;
        const score = n % 11;
        const answers = [{ question_id: q.nps, value: score }];
        if (score >= 7) answers.push({ question_id: q.pick, value: ['Price', 'Speed', 'Support'][n % 3] });
        answers.push({ question_id: q.why, value: `${texts[n % texts.length]} (${n})` });
        const r = await fetch(`${base}/v1/sites/${site}/surveys/${survey}/responses`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'User-Agent': agents[n % 2] },
          body: JSON.stringify({ visitor_id: `bench-${run}-${n}`, is_complete: true, page_url: 'https://shop.example/checkout', answers }),
        });
        if (r.status !== 201) throw new Error(`response ${n}: HTTP ${r.status} ${await r.text()}`);
      }),
    );
  }
  if (sentiment) {
    // Scored by a worker: wait so that every load renders the same rows.
    const until = Date.now() + 120000;
    for (;;) {
      const d = await gql(page, 'query($id: ID!) { survey(id: $id) { summary { sentiment { unscored } } } }', { id: survey });
      if (d.survey.summary.sentiment.unscored === 0) break;
      if (Date.now() > until) throw new Error('sentiment scoring did not finish in 120 s');
      await new Promise((ok) => setTimeout(ok, 500));
    }
  }
  return { site, survey, sentiment };
}

// ------------------------------------------------------------------ the measurement

/**
 * Runs in the page before the console. `__benchArm(ops)` starts a measurement: "data arrived"
 * is when the last of those GraphQL operations' answers has been read (the page shows its
 * table once both the summary and the page of responses are there); then the observer waits
 * for `rows` rows whose first row is not the one shown when armed.
 */
const hook = (rows) => {
  const firstRow = () => document.querySelector('.resp-table tbody tr button')?.getAttribute('aria-label') ?? null;
  let watch = null;
  window.__benchArm = (ops) => {
    watch?.disconnect();
    const bench = (window.__bench = { waiting: ops, arrived: 0, inFrame: 0, painted: 0, done: false });
    const before = firstRow();
    watch = new MutationObserver(() => {
      if (!bench.arrived || document.querySelectorAll('.resp-table tbody tr').length < rows || firstRow() === before) return;
      watch.disconnect();
      requestAnimationFrame(() => {
        bench.inFrame = performance.now();
        // A task queued from the frame's callback runs once that frame is painted.
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          bench.painted = performance.now();
          bench.done = true;
        };
        ch.port2.postMessage(0);
      });
    });
    watch.observe(document, { childList: true, subtree: true });
  };
  const orig = window.fetch;
  window.fetch = async (...args) => {
    const res = await orig(...args);
    const op = (typeof args[1]?.body === 'string' ? args[1].body : '').match(/\bquery\s+(\w+)/)?.[1];
    const bench = window.__bench;
    if (!bench || !bench.waiting.includes(op)) return res;
    const text = await res.text();
    bench.waiting = bench.waiting.filter((x) => x !== op);
    if (!bench.waiting.length) bench.arrived = performance.now();
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  window.__benchArm(['Results', 'ResponsesPage']);
};

/** Waits for the armed measurement: `{ toFrame, toPaint, arrived }` in ms. */
async function measured(page) {
  // (Polled with evaluate: waitForFunction evaluates strings, which the console's CSP refuses.)
  let b = null;
  for (const until = Date.now() + 30000; !(b = await page.evaluate(() => window.__bench))?.done; ) {
    if (Date.now() > until) throw new Error('the rows never showed: ' + JSON.stringify(b));
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return { toFrame: b.inFrame - b.arrived, toPaint: b.painted - b.arrived, arrived: b.arrived };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

let server = null;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  let base = (process.env.LOUPE_URL ?? '').replace(/\/$/, '');
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await ctx.newPage();
  if (!base) {
    server = await startLoupe();
    base = server.url;
    await page.goto(base + '/signin');
    await gql(page, 'mutation($i: AcceptInviteInput!) { acceptInvite(input: $i) { account { id } } }', {
      i: { token: server.setupToken, email: 'bench@example.com', password: 'render bench quiet harbour lantern' },
    });
  } else {
    if (!process.env.CONSOLE_EMAIL || !process.env.CONSOLE_PASSWORD) throw new Error('with LOUPE_URL, set CONSOLE_EMAIL and CONSOLE_PASSWORD (an ADMIN)');
    await page.goto(base + '/signin');
    await gql(page, 'mutation($i: SignInInput!) { signIn(input: $i) { account { id } } }', {
      i: { email: process.env.CONSOLE_EMAIL, password: process.env.CONSOLE_PASSWORD },
    });
  }
  const t0 = Date.now();
  const { site, survey, sentiment } = await seed(page, base);
  const seedS = (Date.now() - t0) / 1000;

  await page.addInitScript(hook, ROWS);
  const results = `${base}/sites/${site}/surveys/${survey}/results`;
  const load = { toFrame: [], toPaint: [], arrived: [] };
  const next = { toFrame: [], toPaint: [] };
  for (let i = 0; i <= RUNS; i++) {
    // A fresh load of the Results page (the browser's cache keeps the assets, as for a return visit).
    await page.goto(results);
    const a = await measured(page);
    // The next page of 50 in the table (only the ResponsesPage query).
    await page.evaluate(() => window.__benchArm(['ResponsesPage']));
    await page.getByRole('navigation', { name: 'Response pages' }).getByRole('button', { name: 'Next' }).click();
    const n = await measured(page);
    if (i === 0) continue; // warm-up
    for (const k of Object.keys(load)) load[k].push(a[k]);
    for (const k of Object.keys(next)) next[k].push(n[k]);
  }
  const rows = await page.locator('.resp-table tbody tr').count();
  // The same-run peer: a hand-written 50 × 8 table built with DOM calls on a blank page of the
  // same browser, to the same two marks (a frame, then painted).
  const peer = { toFrame: [], toPaint: [] };
  const blank = await ctx.newPage();
  await blank.setContent('<!doctype html><table><tbody></tbody></table>');
  for (let i = 0; i <= RUNS; i++) {
    const t = await blank.evaluate(
      () =>
        new Promise((done) => {
          const t0 = performance.now();
          const body = document.querySelector('tbody');
          body.textContent = '';
          for (let r = 0; r < 50; r++) {
            const tr = document.createElement('tr');
            for (let c = 0; c < 8; c++) {
              const td = document.createElement('td');
              td.textContent = `row ${r} cell ${c} ${Math.random()}`;
              tr.appendChild(td);
            }
            body.appendChild(tr);
          }
          requestAnimationFrame(() => {
            const frame = performance.now() - t0;
            setTimeout(() => done({ toFrame: frame, toPaint: performance.now() - t0 }), 0);
          });
        }),
    );
    if (i === 0) continue;
    peer.toFrame.push(t.toFrame);
    peer.toPaint.push(t.toPaint);
  }
  const fl = firstLoad();
  // Every script the Results page loaded (the entry and the lazy chunks of the page), gzip -9.
  const scripts = await page.evaluate(() =>
    [...new Set(performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => /^\/assets\/.*\.js$/.test(p)))],
  );
  const resultsJs = scripts.reduce((a, p) => a + gzipSync(readFileSync(dist + p.slice(1)), { level: 9 }).length, 0);
  const f = (ms) => `${ms.toFixed(1)} ms`;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB (${n} B)`;
  const line = (name, xs) => `| ${name} | ${f(quantile(xs, 0.5))} | ${f(quantile(xs, 0.9))} | ${f(Math.min(...xs))} | ${f(Math.max(...xs))} |`;
  console.log(`\nConsole render benchmark — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), headless Chromium ${browser.version()}, 1280×720`);
  console.log(`Server: ${server ? `${server.bin} (own, SQLite)` : base}; ${RESPONSES} responses seeded in ${seedS.toFixed(1)} s (sentiment ${sentiment ? 'scored' : 'off'}); ${rows} rows shown; ${RUNS} page loads after a warm-up.\n`);
  console.log('| Results page with 50 responses: from its data arriving to … | median | p90 | min | max |');
  console.log('|---|---|---|---|---|');
  console.log(line('page load: the page and 50 rows in a frame (rAF)', load.toFrame));
  console.log(line('page load: that frame painted', load.toPaint));
  console.log(line('next page of 50: the rows in a frame (rAF)', next.toFrame));
  console.log(line('next page of 50: that frame painted', next.toPaint));
  console.log(line('peer, same run: a hand-written 50 × 8 DOM table in a frame (rAF)', peer.toFrame));
  console.log(line('peer, same run: that frame painted', peer.toPaint));
  console.log(line('(reference: data arrival after navigation start)', load.arrived));
  console.log(`\n| Console first load (index.html's entry + static imports), gzip -9 JS | ${kb(fl.total)} of the 250 KB budget |`);
  console.log('|---|---|');
  for (const [file, n] of fl.files) console.log(`| ${file} | ${kb(n)} |`);
  console.log(`| all JS the Results page loads (${scripts.length} files, lazy chunks included) | ${kb(resultsJs)} |`);
  if (quantile(load.toPaint, 0.9) >= 300 || quantile(next.toPaint, 0.9) >= 300) process.exitCode = 1;
} finally {
  await browser.close();
  server?.stop();
}
