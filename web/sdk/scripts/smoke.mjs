// Manual smoke test of dist/loupe.js + dist/loupe-recorder.js in Chromium, against a tiny
// fake of the server's public endpoints (not the real server). Usage:
//   node scripts/smoke.mjs            (needs /usr/bin/chromium and tests/browser/node_modules)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(new URL('../../../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const dist = new URL('../dist/', import.meta.url);

const log = [];
let recordingConfig = { enabled: true, sample_percent: 100, mask_all_text: false };
let requireConsent = false;
/** Answers for the next recording posts (status, Retry-After), then 200s. */
let recordingFailures = [];
let widgets = [];
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let raw = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    const body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
    const cors = {
      'Access-Control-Allow-Origin': req.headers.origin || '*',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding',
      'Access-Control-Allow-Methods': 'GET, POST',
    };
    if (req.method === 'OPTIONS' || url.pathname === '/favicon.ico') return res.writeHead(204, cors).end();
    if (url.pathname.startsWith('/v1/') && url.pathname.endsWith('.js')) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      return res.end(readFileSync(new URL(url.pathname.slice(4), dist)));
    }
    if (url.pathname === '/page' || url.pathname === '/page2') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      const attrs = url.searchParams.has('consent') ? ' data-require-consent' : '';
      return res.end(`<!doctype html><html><body><h1>Hello secret text</h1>
<input id="pw" type="text" value="typed secret">
<div class="rr-block">blocked</div>
<script>window.loupe=window.loupe||function(){(loupe.q=loupe.q||[]).push(arguments)};
loupe('identify','user-1',{plan:'pro'});</script>
<script async src="/v1/loupe.js" data-site="1"${attrs}></script></body></html>`);
    }
    if (url.pathname !== '/favicon.ico') log.push({ method: req.method, path: url.pathname, query: url.search, body, encoding: req.headers['content-encoding'] || null, type: req.headers['content-type'] || null });
    if (url.pathname === '/v1/sites/1/config') {
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ require_consent: requireConsent, identity_verification: false, recording: recordingConfig,
        theme: { primary: '#4f46e5', background: '#fff', text: '#111', position: 'bottom-right', font: 'system-ui' } }));
    }
    if (url.pathname === '/v1/sites/1/widgets') {
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ widgets }));
    }
    if (url.pathname === '/v1/sites/1/identify') {
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
      return res.end('{}');
    }
    if (/^\/v1\/sites\/1\/recordings\/[\w-]+\/events$/.test(url.pathname)) {
      const fail = recordingFailures.shift();
      if (fail) {
        log[log.length - 1].status = fail[0];
        res.writeHead(fail[0], { ...cors, 'Content-Type': 'application/json', ...(fail[1] ? { 'Retry-After': fail[1] } : {}) });
        return res.end('{"error":{"code":"UNAVAILABLE","message":"try later"}}');
      }
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ recording_id: 1, events: body.events.length, duplicate: false }));
    }
    if (req.method === 'POST' && /\/surveys\/\d+\/(displays|responses)$/.test(url.pathname)) {
      res.writeHead(url.pathname.endsWith('displays') ? 204 : 201, { ...cors, 'Content-Type': 'application/json' });
      return res.end(url.pathname.endsWith('displays') ? '' : '{"response_id":1,"is_complete":false}');
    }
    res.writeHead(404, cors).end();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const errors = [];
async function page(init) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => m.type() === 'error' || m.type() === 'warning' ? errors.push(m.text()) : 0);
  if (init) await p.addInitScript(init);
  return p;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// 1. Recording, identify, flush on navigation, custom events.
let p = await page();
await p.goto(`${origin}/page`);
await sleep(800);
await p.click('h1');
await p.fill('#pw', 'new secret');
await p.evaluate(() => window.loupe('event', 'checkout', { step: 2 }));
await p.evaluate(() => history.pushState({}, '', '/page?step=2'));
await sleep(6000); // one timed flush
await p.mouse.move(10, 10);
await p.mouse.move(200, 200);
await p.goto(`${origin}/page2`); // pagehide: keepalive
await sleep(1500);
const paths = log.map((l) => `${l.method} ${l.path}`);
console.log(paths.join('\n'));
assert.ok(paths.includes('GET /v1/sites/1/config'));
assert.ok(paths.includes('POST /v1/sites/1/identify'));
const ident = log.find((l) => l.path.endsWith('/identify'));
assert.equal(ident.body.user_id, 'user-1');
assert.deepEqual(ident.body.attributes, { plan: 'pro' });
const widgetAsks = log.filter((l) => l.path.endsWith('/widgets'));
assert.ok(widgetAsks.some((l) => l.query.includes(encodeURIComponent('/page?step=2'))), 'SPA navigation asks for widgets');
const rec = log.filter((l) => l.path.includes('/recordings/'));
assert.ok(rec.length >= 2, 'at least the timed flush and the pagehide flush');
assert.ok(rec.some((l) => l.encoding === 'gzip'), 'timed flushes are gzipped');
assert.ok(rec.some((l) => !l.encoding && l.type.startsWith('text/plain')), 'the pagehide flush is plain keepalive');
const events = rec.flatMap((l) => l.body.events);
assert.ok(events.some((e) => e.type === 2), 'a full snapshot');
assert.ok(events.some((e) => e.type === 5 && e.data.tag === 'checkout' && e.data.payload.step === 2), 'the custom event');
const all = JSON.stringify(events);
assert.ok(!all.includes('new secret') && !all.includes('typed secret'), 'inputs are masked');
assert.ok(!all.includes('"blocked"'), 'rr-block content is not recorded');
const sessions = new Set(rec.map((l) => l.path.split('/')[5]));
assert.equal(sessions.size, 1);
const seqs = rec.map((l) => l.body.sequence);
// A sequence sent twice (keepalive, then again from storage) carries the same events.
const bySeq = new Map();
for (const l of rec) {
  const e = JSON.stringify(l.body.events);
  assert.ok(!bySeq.has(l.body.sequence) || bySeq.get(l.body.sequence) === e, `sequence ${l.body.sequence} reused for other events`);
  bySeq.set(l.body.sequence, e);
}
assert.deepEqual([...bySeq.keys()].sort(), [...Array(bySeq.size).keys()], `sequences from 0 without gaps: ${seqs}`);
// The second page continues the session with higher sequence numbers.
await sleep(5500);
const rec2 = log.filter((l) => l.path.includes('/recordings/')).slice(rec.length);
assert.ok(rec2.length >= 1, 'the second page records too');
assert.ok(rec2.every((l) => l.path.split('/')[5] === [...sessions][0]), 'same session');
assert.ok(Math.min(...rec2.map((l) => l.body.sequence)) > Math.max(...seqs) || rec2.some((l) => seqs.includes(l.body.sequence)), 'sequence keeps growing (or a resend)');
console.log('sequences', seqs, rec2.map((l) => l.body.sequence));
await p.context().close();

// 2. DNT / GPC / opt-out: no request at all.
for (const [name, init] of [
  ['DNT', () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })],
  ['GPC', () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })],
  ['opt-out', () => localStorage.setItem('loupe_opt_out', '1')],
]) {
  const before = log.length;
  p = await page(init);
  await p.goto(`${origin}/page`);
  await sleep(1500);
  await p.evaluate(() => window.loupe('identify', 'x'));
  await p.goto(`${origin}/page2`);
  await sleep(500);
  assert.equal(log.length, before, `${name}: no request`);
  await p.context().close();
}

// 3. data-require-consent: nothing (not even the config) before consent(true).
{
  const before = log.length;
  p = await page();
  await p.goto(`${origin}/page?consent`);
  await sleep(1500);
  assert.equal(log.length, before, 'nothing before consent');
  await p.evaluate(() => window.loupe('consent', true));
  await sleep(1500);
  assert.ok(log.slice(before).some((l) => l.path.endsWith('/config')), 'config after consent');
  assert.ok(log.slice(before).some((l) => l.path.endsWith('/identify')), 'queued identify sent after consent');
  // optOut stops everything.
  await p.evaluate(() => window.loupe('optOut'));
  const n = log.length;
  await p.click('h1');
  await sleep(6000);
  await p.goto(`${origin}/page2`);
  await sleep(1000);
  assert.equal(log.length, n, 'nothing after optOut');
  assert.equal(await p.evaluate(() => document.cookie), 'loupe_opt_out=1');
  await p.context().close();
}

// 4. The site's require_consent: config only until consent.
{
  requireConsent = true;
  const before = log.length;
  p = await page();
  await p.goto(`${origin}/page`);
  await sleep(1500);
  assert.deepEqual(log.slice(before).map((l) => l.path), ['/v1/sites/1/config']);
  await p.context().close();
  requireConsent = false;
}

// 5. Retries: 503 with Retry-After, then a network-level success; a 400 is not retried.
{
  p = await page();
  await p.goto(`${origin}/page`);
  await sleep(500);
  const before = log.length;
  recordingFailures = [[503, '2'], [429, null]];
  await p.click('h1');
  await sleep(5200 + 2000 + 2500);
  const posts = log.slice(before).filter((l) => l.path.includes('/recordings/'));
  console.log('retry statuses', posts.map((l) => `${l.body.sequence}:${l.status || 200}`));
  assert.ok(posts.length >= 3, 'retried until accepted');
  assert.equal(posts[0].body.sequence, posts[1].body.sequence);
  assert.equal(posts[1].body.sequence, posts[2].body.sequence);
  assert.ok(!posts[2].status, 'the third try is accepted');
  const t = log.indexOf(posts[1]) - log.indexOf(posts[0]);
  void t;
  recordingFailures = [[400, null]];
  const n = log.length;
  await p.click('h1');
  await sleep(5500 + 3000);
  const after = log.slice(n).filter((l) => l.path.includes('/recordings/'));
  console.log('after 400', after.map((l) => `${l.body.sequence}:${l.status || 200}`));
  assert.equal(new Set(after.map((l) => l.body.sequence)).size, after.length, 'a 400 batch is not retried');
  errors.splice(0); // the browser logs the failed loads
  await p.context().close();
}

// 6. A widget: the surveys chunk loads next to loupe.js and renders it.
{
  recordingConfig = { enabled: false, sample_percent: 100, mask_all_text: false };
  widgets = [{ id: 7, kind: 'poll', name: 'Poll', thank_you: 'Thanks', questions: [
    { id: 41, key: 'q1', type: 'SINGLE_CHOICE', prompt: 'Which colour?', required: true, options: ['Red', 'Blue'] }] }];
  const before = log.length;
  p = await page();
  await p.goto(`${origin}/page`);
  await sleep(1500);
  assert.ok(await p.evaluate(() => !!(window.__loupe && window.__loupe.chunks.surveys)), 'surveys chunk registered');
  const hosts = await p.evaluate(() => [...document.body.children].filter((e) => e.shadowRoot).length);
  console.log('widget: shadow hosts', hosts, log.slice(before).map((l) => `${l.method} ${l.path}`));
  assert.ok(hosts >= 1, 'the widget is on the page');
  await p.context().close();
  widgets = [];
}

console.log('page errors/warnings:', errors);
assert.deepEqual(errors.filter((e) => !e.includes('loupe:')), []);
await browser.close();
server.close();
console.log('smoke OK');
