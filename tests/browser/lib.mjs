// Shared helpers of the loupe.js browser tests (tag-*.mjs): the real server's GraphQL API,
// a local HTTP server for the demo pages that paste the snippet, Chromium, axe-core and
// screenshots. Each scenario script is run by tests/api/browser_tag.rs with LOUPE_URL,
// LOUPE_TOKEN and CHROMIUM set (plus the ids the Rust test created).

import http from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = dirname(fileURLToPath(import.meta.url));
export const loupe = (process.env.LOUPE_URL ?? '').replace(/\/$/, '');
export const loupeOrigin = loupe ? new URL(loupe).origin : '';
export const token = process.env.LOUPE_TOKEN;
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = resolve(process.env.SCREENSHOT_DIR ?? join(here, '../../target/screenshots'));
if (!loupe || !token) throw new Error('LOUPE_URL and LOUPE_TOKEN must be set');

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// A scenario that hangs still reports what it saw: after WATCHDOG_S seconds (default 150,
// under the Rust test's limit) the failures so far are printed and the script exits 1.
setTimeout(() => {
  failures.push(`watchdog: still running after ${process.env.WATCHDOG_S ?? 150} s`);
  finish();
  process.exit(1);
}, Number(process.env.WATCHDOG_S ?? 150) * 1000).unref();

// ---------------------------------------------------------------------------- failures

const failures = [];
/** Records a failed expectation and goes on (the script exits 1 at the end). */
export function check(ok, message) {
  if (!ok) {
    failures.push(message);
    console.error('FAIL: ' + message);
  }
  return !!ok;
}

/** Runs one named step; an exception fails the step (and is reported), the script goes on. */
export async function step(name, fn) {
  const t = Date.now();
  try {
    await fn();
    console.log(`step ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    failures.push(`${name}: ${e && e.stack ? e.stack : e}`);
    console.error(`step FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

/** Prints the summary; exit status 1 when anything failed. */
export function finish() {
  if (failures.length) {
    console.error(`\n${failures.length} failure(s):\n- ` + failures.join('\n- '));
    process.exitCode = 1;
  } else console.log('all checks passed');
}

/** Polls `fn` until it returns something truthy; throws `message` after `ms`. */
export async function waitFor(fn, message, ms = 10000, every = 100) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out: ' + message);
    await sleep(every);
  }
}

// ---------------------------------------------------------------------------- Loupe's API

export async function gql(query, variables = {}) {
  const r = await fetch(`${loupe}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const b = await r.json();
  if (b.errors) throw new Error(`GraphQL errors: ${JSON.stringify(b.errors)} for ${query.slice(0, 80)}`);
  return b.data;
}

/** The site's snippet as an admin copies it, its script pointed at this test's server. */
export async function snippet(site = '1') {
  const d = await gql(`query($id: ID!) { site(id: $id) { snippet } }`, { id: site });
  const s = d.site.snippet;
  if (!/src="[^"]*\/v1\/loupe\.js"/.test(s)) throw new Error('unexpected snippet: ' + s);
  // The server prints its public URL (LOUPE_PUBLIC_URL) in the snippet; the test server
  // listens on a free port, so the script's address is rewritten to it.
  return s.replace(/src="[^"]*\/v1\/loupe\.js"/, `src="${loupe}/v1/loupe.js"`);
}

/** A survey's responses, oldest first. */
export async function responses(surveyId) {
  const d = await gql(
    `query($id: ID!) { responses(surveyId: $id, first: 50) { edges { node {
        id isComplete hiddenFields pageUrl answers { questionId value other } } } } }`,
    { id: surveyId },
  );
  return d.responses.edges.map((e) => e.node).sort((a, b) => Number(a.id) - Number(b.id));
}

/** `{ key: questionId }` of a survey. */
export async function questionIds(surveyId) {
  const d = await gql(`query($id: ID!) { survey(id: $id) { questions { id key } } }`, { id: surveyId });
  return Object.fromEntries(d.survey.questions.map((q) => [q.key, q.id]));
}

/** A response's answers as `{ questionKey: value }` (with `key.other` for "Other" text). */
export function answersByKey(response, ids) {
  const keyOf = Object.fromEntries(Object.entries(ids).map(([k, id]) => [String(id), k]));
  const out = {};
  for (const a of response.answers) {
    const k = keyOf[String(a.questionId)] ?? `?${a.questionId}`;
    out[k] = a.value;
    if (a.other != null) out[`${k}.other`] = a.other;
  }
  return out;
}

// ---------------------------------------------------------------------------- demo pages

/**
 * Serves demo pages on 127.0.0.1:<free port>. `route(path, url)` returns `{ body, headers?,
 * status? }`, a string (HTML), or null (404). Returns `{ origin, close }`.
 */
export async function servePages(route) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    let r;
    try {
      r = route(url.pathname, url);
    } catch (e) {
      res.statusCode = 500;
      return res.end(String(e));
    }
    if (r == null) {
      res.statusCode = 404;
      return res.end();
    }
    if (typeof r === 'string') r = { body: r };
    res.statusCode = r.status ?? 200;
    res.setHeader('Content-Type', r.type ?? 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
    // `delay` (ms): a slow resource, e.g. a blocking script that holds the parser in <head>.
    if (r.delay) setTimeout(() => res.end(r.body), r.delay);
    else res.end(r.body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** An accessible demo page (lang, title, landmarks) with `body` and `head` pasted in. */
export function demoPage(title, body, head = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>${head}</head>
<body><header><nav aria-label="Main"><a href="/">Home</a> <a href="/pricing">Pricing</a> <a href="/about">About</a></nav></header>
<main><h1>${title}</h1>${body}</main></body></html>`;
}

// ---------------------------------------------------------------------------- Chromium

export async function launch() {
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}

/** A new context and page; page errors and console errors are collected in `page.errors`. */
export async function newPage(browser, options = {}) {
  const { init, ...ctxOptions } = options;
  const ctx = await browser.newContext(ctxOptions);
  ctx.setDefaultTimeout(10000);
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push('pageerror: ' + String(e)));
  page.on('console', (m) => {
    if (m.location()?.url?.endsWith('/favicon.ico')) return; // the browser's own favicon request
    if (m.type() === 'error' || m.type() === 'warning') page.errors.push(`console.${m.type()}: ${m.text()}`);
  });
  // Loupe's error answers with their JSON (the console only says "Failed to load resource").
  page.on('response', async (r) => {
    if (r.status() < 400 || new URL(r.url()).origin !== loupeOrigin) return;
    let text = '';
    try {
      text = (await r.text()).slice(0, 300);
    } catch {
      /* the page went away */
    }
    page.errors.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}: ${text}`);
  });
  if (init) await page.addInitScript(init);
  return page;
}

/** Every request the page makes to Loupe's origin: `{ method, path, url, body }`. */
export function trackLoupe(page) {
  const seen = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.origin !== loupeOrigin) return;
    let body = null;
    try {
      body = req.postData();
    } catch {
      body = '<binary>';
    }
    seen.push({ method: req.method(), path: u.pathname, url: req.url(), body, req });
  });
  return seen;
}

/** Waits for the page's next `GET …/widgets` answer (the tag asked which widgets to show). */
export function nextWidgetsAnswer(page, ms = 10000) {
  return page.waitForResponse((r) => r.url().includes('/widgets?') && r.request().method() === 'GET', { timeout: ms });
}

/**
 * The JSON of a /widgets answer. Chromium may have dropped the body already when the page
 * navigated meanwhile ("No resource with given identifier"): then `{}`, and the caller's
 * check rests on what the page shows.
 */
export async function widgetsBody(answer) {
  try {
    return await (await answer).json();
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------- axe, screenshots

const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) on the page; axe walks open shadow
 * roots, so the widget's controls are checked too. Returns violations as readable lines.
 */
export async function axeViolations(page, include) {
  // Evaluated through the DevTools protocol, not as a <script>: pages with a strict CSP
  // (the link page) refuse inline scripts.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async (include) => {
    const ctx = include ? { include: [[include]] } : document;
    const r = await window.axe.run(ctx, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations', 'passes'],
    });
    // axe checks what it reaches: the widget's controls sit in a shadow root, and their
    // targets are shadow paths (arrays of selectors); none checked means axe missed them.
    const host = document.querySelector('[id^="loupe-survey-"]');
    const inShadow = r.passes.concat(r.incomplete).some((p) => p.nodes.some((n) => Array.isArray(n.target[0])));
    if (host && host.shadowRoot && !inShadow) return [{ id: 'harness', impact: 'n/a', help: 'axe did not reach the shadow root', nodes: [] }];
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target) + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ')),
    }));
  }, include ?? null);
  return result.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(' | ')}`);
}

/** Saves a screenshot of the page as `<screenshotDir>/<name>.png`; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  console.log('screenshot ' + path);
  return path;
}

// ---------------------------------------------------------------------------- console

/**
 * Signs `page` in to the console served at `base` (a session cookie), as the sign-in page
 * does: the `signIn` mutation from the console's own origin with the CSRF header.
 */
export async function consoleSignIn(page, base, email, password) {
  await page.goto(base + '/signin');
  const r = await page.evaluate(
    async ([e, p]) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': '1' },
        body: JSON.stringify({ query: 'mutation($i: SignInInput!) { signIn(input: $i) { account { id } } }', variables: { i: { email: e, password: p } } }),
      });
      return res.json();
    },
    [email, password],
  );
  check(!r.errors, `sign in as ${email}: ${JSON.stringify(r.errors)}`);
}

/** Signs in with CONSOLE_EMAIL / CONSOLE_PASSWORD when they are set (the console served by Loupe). */
export async function consoleSignInFromEnv(page, base) {
  if (process.env.CONSOLE_EMAIL) await consoleSignIn(page, base, process.env.CONSOLE_EMAIL, process.env.CONSOLE_PASSWORD);
}
