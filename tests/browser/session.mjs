// A real client end to end: headless Chromium (Debian's package) driven by playwright-core
// records a session with @rrweb/record on a local test page — clicks, scrolling, typing
// into a text and a password field, a navigation — and the page posts its batches to
// Loupe. Then the events are fetched back through the API, replayed with rrweb's Replayer
// without errors, and the typed text must be nowhere in what Loupe returns.
//
// Run by tests/api/browser.rs with LOUPE_URL, LOUPE_TOKEN and LOUPE_SITE set.

import http from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const loupe = process.env.LOUPE_URL;
const token = process.env.LOUPE_TOKEN;
const site = process.env.LOUPE_SITE ?? '1';
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SECRET_TEXT = 'typed-secret-text-4821';
const SECRET_PASSWORD = 'hunter2-password-9377';

const recordJs = readFileSync(join(here, 'node_modules/@rrweb/record/dist/record.umd.min.cjs'));
const replayJs = readFileSync(join(here, 'node_modules/@rrweb/replay/dist/replay.umd.min.cjs'));
const replayCss = readFileSync(join(here, 'node_modules/@rrweb/replay/dist/style.css'));

// The recorder: every 300 ms, and when the page is left, the buffered events go to Loupe
// with the session id and the next sequence number (kept across pages in sessionStorage).
const recorder = `
<script src="/record.js"></script>
<script>
  const session = sessionStorage.session || (sessionStorage.session = 's-' + Date.now());
  let buffer = [];
  rrweb.record({ emit(e) { buffer.push(e); }, maskAllInputs: false, maskInputOptions: { password: false } });
  window.flush = async () => {
    if (!buffer.length) return;
    const events = buffer; buffer = [];
    const sequence = Number(sessionStorage.sequence || 0); sessionStorage.sequence = sequence + 1;
    const r = await fetch('${loupe}/v1/sites/${site}/recordings/' + session + '/events', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, keepalive: true,
      body: JSON.stringify({ visitor_id: 'browser-visitor', sequence, events }) });
    if (!r.ok) throw new Error('Loupe answered ' + r.status + ' ' + await r.text());
  };
  setInterval(() => window.flush(), 300);
</script>`;

const pages = {
  '/': `<!doctype html><html><head><title>Shop</title></head><body style="height:3000px">
    <h1>Welcome to the shop</h1>
    <label>Name <input id="name" type="text"></label>
    <label>Password <input id="pw" type="password"></label>
    <button id="buy" onclick="this.textContent='Bought'">Buy</button>
    <a id="next" href="/help?email=ann@example.com">Help</a>
    ${recorder}</body></html>`,
  '/help': `<!doctype html><html><head><title>Help</title></head><body>
    <h1>Help centre</h1><button id="ok">OK</button>${recorder}</body></html>`,
  '/replay': `<!doctype html><html><head><link rel="stylesheet" href="/replay.css"></head><body>
    <div id="player"></div><script src="/replay.js"></script></body></html>`,
};

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/record.js') return res.end(recordJs);
  if (path === '/replay.js') return res.end(replayJs);
  if (path === '/replay.css') { res.setHeader('Content-Type', 'text/css'); return res.end(replayCss); }
  const page = pages[path];
  if (!page) { res.statusCode = 404; return res.end(); }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const fail = (msg) => { console.error('FAIL: ' + msg); process.exitCode = 1; };
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin + '/');
  await page.click('#buy');
  await page.mouse.wheel(0, 800);
  await page.fill('#name', '');
  await page.type('#name', SECRET_TEXT, { delay: 5 });
  await page.type('#pw', SECRET_PASSWORD, { delay: 5 });
  await page.click('#buy');
  await page.waitForTimeout(400);
  await page.evaluate(() => window.flush());
  await page.click('#next');
  await page.waitForURL('**/help**');
  await page.click('#ok');
  await page.waitForTimeout(400);
  await page.evaluate(() => window.flush());
  if (errors.length) fail('recording page errors: ' + errors.join('; '));

  // Back through the API: the recording, its metadata and its events in order.
  const gql = async (query, variables) => {
    const r = await fetch(`${loupe}/graphql`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }) });
    return r.json();
  };
  const list = await gql(`{ recordings(siteId: "${site}") { edges { node { id pageViews clicks eventCount entryUrl exitUrl } } } }`);
  const recs = list.data?.recordings?.edges ?? [];
  if (recs.length !== 1) { fail('expected one recording, got ' + JSON.stringify(list)); }
  const rec = recs[0]?.node ?? {};
  if (rec.pageViews < 2) fail('expected two page views: ' + JSON.stringify(rec));
  if (rec.clicks < 3) fail('expected the clicks: ' + JSON.stringify(rec));
  if (String(rec.exitUrl).includes('ann@example.com')) fail('exit URL not scrubbed: ' + rec.exitUrl);
  const stream = await fetch(`${loupe}/v1/sites/${site}/recordings/${rec.id}/events`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await stream.text();
  const events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  if (events.length !== rec.eventCount) fail(`stream gave ${events.length} events, metadata says ${rec.eventCount}`);
  for (const secret of [SECRET_TEXT, SECRET_PASSWORD]) {
    if (text.includes(secret) || JSON.stringify(list).includes(secret)) fail('typed text stored: ' + secret);
  }
  if (!text.includes('Welcome to the shop')) fail('page text missing from the snapshot');
  // Visited URLs (Meta events) are scrubbed; links in the page's own markup are content.
  const metas = events.filter((e) => e.type === 4).map((e) => e.data.href);
  if (metas.length < 2 || metas.some((h) => String(h).includes('ann@example.com'))) {
    fail('page URLs in Meta events not scrubbed: ' + JSON.stringify(metas));
  }

  // Replay them with rrweb's Replayer: no errors, and the recorded page is rebuilt.
  const player = await browser.newPage();
  const replayErrors = [];
  player.on('pageerror', (e) => replayErrors.push(String(e)));
  await player.goto(origin + '/replay');
  const rebuilt = await player.evaluate(async (evs) => {
    const replayer = new rrweb.Replayer(evs, { root: document.getElementById('player'), showWarning: false });
    const total = replayer.getMetaData().totalTime;
    replayer.pause(Math.max(0, total - 1));
    await new Promise((ok) => setTimeout(ok, 300));
    const doc = replayer.iframe.contentDocument;
    return { total, heading: doc?.querySelector('h1')?.textContent ?? null };
  }, events);
  if (replayErrors.length) fail('replay errors: ' + replayErrors.join('; '));
  if (!rebuilt.heading) fail('the replay rebuilt no page: ' + JSON.stringify(rebuilt));
  console.log(JSON.stringify({ events: events.length, pageViews: rec.pageViews, clicks: rec.clicks, replay: rebuilt }));
} finally {
  await browser.close();
  server.close();
}
