// dist/loupe.js run in a small fake browser (node:vm): what it requests, and when. The
// real-browser checks are the end-to-end tests; these pin the privacy rules cheaply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';

const TAG = readFileSync(new URL('../dist/loupe.js', import.meta.url), 'utf8');
const BASE = 'https://loupe.example';

interface Options {
  attrs?: Record<string, string>;
  nav?: Record<string, unknown>;
  cookie?: string;
  storage?: Record<string, string>;
  config?: Record<string, unknown>;
  widgets?: unknown[];
  queue?: unknown[][];
  failFetch?: boolean;
  /** Extra globals on `window`, e.g. the old `window.doNotTrack`. */
  globals?: Record<string, unknown>;
}

const CONFIG = {
  require_consent: false,
  identity_verification: false,
  recording: { enabled: false, sample_percent: 100, mask_all_text: false },
  theme: { primary: '#000', background: '#fff', text: '#111', position: 'bottom-right', font: 'system-ui' },
};

function browser(o: Options = {}) {
  const requests: Array<{ method: string; url: string; body: unknown }> = [];
  const warnings: unknown[][] = [];
  const store = new Map(Object.entries(o.storage || {}));
  const listeners: Record<string, Array<() => void>> = {};
  const scripts: string[] = [];
  const attrs: Record<string, string> = { 'data-site': '1', ...(o.attrs || {}) };
  const location = { href: 'https://shop.example/cart', protocol: 'https:' };
  const cookies: string[] = [];
  const document = {
    currentScript: {
      src: `${BASE}/v1/loupe.js`,
      getAttribute: (n: string) => (n in attrs ? attrs[n] : null),
      hasAttribute: (n: string) => n in attrs,
    },
    querySelector: () => null,
    readyState: 'loading',
    get cookie() {
      return [o.cookie || '', ...cookies].filter(Boolean).join('; ');
    },
    set cookie(v: string) {
      cookies.push(v.split(';')[0]);
    },
    createElement: () => ({ set src(v: string) { scripts.push(v); }, remove() {} }),
    head: { appendChild() {} },
    // Parsed as far as <body> (the real browser test covers a tag that hears back earlier).
    body: {},
  };
  const localStorage = {
    getItem: (k: string) => (store.has(k) ? store.get(k) : null),
    setItem: (k: string, v: string) => void store.set(k, String(v)),
    removeItem: (k: string) => void store.delete(k),
    key: (i: number) => [...store.keys()][i] ?? null,
    get length() {
      return store.size;
    },
  };
  const history = {
    pushState(_s: unknown, _t: string, url: string) {
      location.href = new URL(url, location.href).href;
    },
    replaceState(_s: unknown, _t: string, url: string) {
      location.href = new URL(url, location.href).href;
    },
  };
  const json = (v: unknown) => new Response(JSON.stringify(v), { status: 200, headers: { 'Content-Type': 'application/json' } });
  const fetch = async (url: string, init: { method?: string; body?: string } = {}) => {
    requests.push({ method: init.method || 'GET', url, body: init.body ? JSON.parse(init.body) : undefined });
    if (o.failFetch) throw new TypeError('Failed to fetch');
    if (url.endsWith('/config')) return json({ ...CONFIG, ...(o.config || {}) });
    if (url.includes('/widgets')) return json({ widgets: o.widgets || [] });
    return json({});
  };
  const window: Record<string, unknown> = {
    document,
    navigator: { ...(o.nav || {}) },
    location,
    history,
    localStorage,
    fetch,
    URL,
    Response,
    crypto,
    btoa,
    setTimeout,
    clearTimeout,
    Promise,
    console: { warn: (...a: unknown[]) => warnings.push(a), log() {}, error() {} },
    addEventListener: (t: string, f: () => void) => (listeners[t] = listeners[t] || []).push(f),
  };
  Object.assign(window, o.globals || {});
  window.window = window;
  if (o.queue) {
    const stub = function () {} as unknown as { q: unknown[] };
    // The snippet queues `arguments` objects.
    const args = function (..._a: unknown[]) {
      return arguments; // eslint-disable-line prefer-rest-params
    };
    stub.q = o.queue.map((a) => args(...a));
    window.loupe = stub;
  }
  const ctx = createContext(window);
  const run = () => runInContext(TAG, ctx);
  const own = new Set(Object.keys(window));
  run();
  const added = Object.keys(window).filter((k) => !own.has(k));
  const loupe = (...a: unknown[]) => (window.loupe as (...a: unknown[]) => void)(...a);
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { added, requests, warnings, store, scripts, cookies, location, history, loupe, settle, run, fire: (t: string) => (listeners[t] || []).forEach((f) => f()) };
}

const paths = (b: ReturnType<typeof browser>) => b.requests.map((r) => `${r.method} ${r.url.replace(BASE, '').replace(/\?.*/, '')}`);

test('without any privacy signal: config, then widgets, then the queued identify', async () => {
  const b = browser({ queue: [['identify', 'user-7', { plan: 'pro' }, { userHash: 'abc' }]] });
  await b.settle();
  assert.deepEqual(paths(b), ['GET /v1/sites/1/config', 'GET /v1/sites/1/widgets', 'POST /v1/sites/1/identify', 'GET /v1/sites/1/widgets']);
  const visitor = b.store.get('loupe_visitor') as string;
  assert.match(visitor, /^[A-Za-z0-9_-]{22}$/);
  const widgets = new URL(b.requests[1].url);
  assert.equal(widgets.searchParams.get('visitor_id'), visitor);
  assert.equal(widgets.searchParams.get('url'), 'https://shop.example/cart');
  assert.deepEqual(b.requests[2].body, { visitor_id: visitor, user_id: 'user-7', attributes: { plan: 'pro' }, user_hash: 'abc' });
  assert.match(JSON.parse(b.store.get('loupe_session') as string).id, /^[A-Za-z0-9_-]{8,64}$/);
  assert.deepEqual(b.warnings, []);
  assert.deepEqual(b.added, ['__loupe'], 'no globals but window.__loupe (window.loupe was the stub)');
  assert.deepEqual(browser().added.sort(), ['__loupe', 'loupe']);
});

for (const [name, o] of [
  ['navigator.doNotTrack', { nav: { doNotTrack: '1' } }],
  ['window.doNotTrack', { globals: { doNotTrack: '1' } }],
  ['Global Privacy Control', { nav: { globalPrivacyControl: true } }],
  ['the opt-out cookie', { cookie: 'a=b; loupe_opt_out=1' }],
  ['the opt-out in storage', { storage: { loupe_opt_out: '1' } }],
] as Array<[string, Options]>) {
  test(`${name}: no request at all, calls accepted`, async () => {
    const opts = { ...o, queue: [['consent', true], ['identify', 'u1'], ['event', 'x']] };
    const b = browser(opts);
    await b.settle();
    b.loupe('identify', 'u2');
    b.loupe('consent', true);
    b.history.pushState({}, '', '/next');
    b.fire('popstate');
    await b.settle();
    assert.deepEqual(b.requests, []);
    assert.equal(b.store.get('loupe_visitor'), undefined, 'no visitor id is even created');
  });
}

test('data-require-consent: nothing, not even the config, before consent(true)', async () => {
  const b = browser({ attrs: { 'data-require-consent': '' }, queue: [['identify', 'u1']] });
  await b.settle();
  assert.deepEqual(b.requests, []);
  b.loupe('consent', true);
  await b.settle();
  assert.deepEqual(paths(b), ['GET /v1/sites/1/config', 'GET /v1/sites/1/widgets', 'POST /v1/sites/1/identify', 'GET /v1/sites/1/widgets']);
  assert.equal(b.store.get('loupe_consent'), '1');
});

test('remembered consent counts on the next page', async () => {
  const b = browser({ attrs: { 'data-require-consent': '' }, storage: { loupe_consent: '1' } });
  await b.settle();
  assert.deepEqual(paths(b), ['GET /v1/sites/1/config', 'GET /v1/sites/1/widgets']);
});

test("the site's require_consent: the config only, the rest after consent", async () => {
  const b = browser({ config: { require_consent: true }, queue: [['identify', 'u1']] });
  await b.settle();
  assert.deepEqual(paths(b), ['GET /v1/sites/1/config']);
  assert.equal(b.store.get('loupe_visitor'), undefined);
  b.loupe('consent', true);
  await b.settle();
  assert.deepEqual(paths(b).slice(1), ['GET /v1/sites/1/widgets', 'POST /v1/sites/1/identify', 'GET /v1/sites/1/widgets']);
  b.loupe('consent', false);
  assert.equal(b.store.get('loupe_consent'), undefined);
  b.loupe('identify', 'u2');
  b.history.pushState({}, '', '/elsewhere');
  await b.settle();
  assert.equal(b.requests.length, 4, 'nothing after consent is withdrawn');
});

test('optOut: remembered in storage and a cookie, nothing sent afterwards; optIn clears', async () => {
  const b = browser();
  await b.settle();
  const before = b.requests.length;
  b.loupe('optOut');
  assert.equal(b.store.get('loupe_opt_out'), '1');
  assert.deepEqual(b.cookies, ['loupe_opt_out=1']);
  b.loupe('identify', 'u1');
  b.history.pushState({}, '', '/other');
  await b.settle();
  assert.equal(b.requests.length, before);
  b.loupe('optIn');
  assert.equal(b.store.get('loupe_opt_out'), undefined);
  assert.deepEqual(b.cookies, ['loupe_opt_out=1', 'loupe_opt_out=']);
});

test('SPA navigation asks for widgets again, once per URL', async () => {
  const b = browser();
  await b.settle();
  b.history.pushState({}, '', '/step-2');
  b.history.replaceState({}, '', '/step-2');
  b.fire('popstate');
  await b.settle();
  const asks = b.requests.filter((r) => r.url.includes('/widgets')).map((r) => new URL(r.url).searchParams.get('url'));
  assert.deepEqual(asks, ['https://shop.example/cart', 'https://shop.example/step-2']);
});

test('widgets load the surveys chunk from next to loupe.js', async () => {
  const widget = { id: 7, kind: 'poll', name: 'p', thank_you: null, questions: [] };
  const b = browser({ widgets: [widget] });
  await b.settle();
  assert.deepEqual(b.scripts, [`${BASE}/v1/loupe-surveys.js`]);
});

test("a survey shown by the tag gets the visitor's session id to send with its answers", async () => {
  const seen: Array<{ sessionId?: () => string }> = [];
  const surveys = { render: (_w: unknown, ctx: { sessionId?: () => string }) => void seen.push(ctx) };
  const widget = { id: 7, kind: 'poll', name: 'p', thank_you: null, questions: [] };
  const b = browser({ widgets: [widget], globals: { __loupe: { chunks: { surveys }, waiting: {} } } });
  await b.settle();
  assert.equal(seen.length, 1);
  const session = JSON.parse(b.store.get('loupe_session') as string).id;
  assert.equal(seen[0].sessionId && seen[0].sessionId(), session, 'the recording session');
  b.loupe('optOut');
  assert.equal(seen[0].sessionId && seen[0].sessionId(), '', 'none once the visitor opted out');
});

test('recording sampled in loads the recorder chunk; sampled out does not', async () => {
  const on = browser({ config: { recording: { enabled: true, sample_percent: 100, mask_all_text: false } } });
  await on.settle();
  assert.deepEqual(on.scripts, [], 'the recorder waits for the page to load');
  on.fire('load');
  await on.settle();
  assert.deepEqual(on.scripts, [`${BASE}/v1/loupe-recorder.js`]);
  const off = browser({ config: { recording: { enabled: true, sample_percent: 0, mask_all_text: false } } });
  await off.settle();
  off.fire('load');
  await off.settle();
  assert.deepEqual(off.scripts, []);
});

test('bad calls and network failures never throw into the page, and warn once', async () => {
  const b = browser({ failFetch: true });
  await b.settle();
  assert.doesNotThrow(() => {
    b.loupe();
    b.loupe('nope');
    b.loupe('identify');
    b.loupe('event');
    b.loupe('event', 'ok', { a: 1 });
  });
  await b.settle();
  assert.equal(b.requests.length, 1, 'the config failed: nothing else');
  assert.equal(b.warnings.filter((w) => String(w[0]).includes('config')).length, 1);
});

test('a second copy of loupe.js on the page stays idle', async () => {
  const b = browser();
  await b.settle();
  const n = b.requests.length;
  b.run();
  await b.settle();
  assert.equal(b.requests.length, n);
});
