// Unit tests for the tag's pure parts (src/common): hashing and sampling, ids, visitor and
// session, the privacy decision, the queue stub, the recorder's batching and retry rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Batch,
  BACKOFF_MAX_MS,
  BoundedQueue,
  ENVELOPE_BYTES,
  PENDING_TTL_MS,
  backoffMs,
  body,
  fromPersisted,
  retryAfterMs,
  retryable,
  split,
  toPersist,
  utf8Length,
} from '../src/common/batch';
import { fnv1a32, inSample } from '../src/common/hash';
import { ID_PATTERN, randomId } from '../src/common/ids';
import { blocked, maySend, mayFetchConfig, optOutCookie, readSignals, type PrivacyState } from '../src/common/privacy';
import { SESSION_IDLE_MS, SESSION_KEY, Session, TOUCH_EVERY_MS, VISITOR_KEY, visitorId } from '../src/common/session';
import { memoryKV, storageKV } from '../src/common/storage';
import { makeApi, replay } from '../src/common/stub';

test('fnv1a32 matches the reference vectors', () => {
  // From the FNV reference (http://www.isthe.com/chongo/tech/comp/fnv/), 32-bit FNV-1a.
  assert.equal(fnv1a32(''), 0x811c9dc5);
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  assert.equal(fnv1a32('1:abc'), fnv1a32('1:abc'));
});

test('sampling is stable per visitor and close to the percentage', () => {
  const ids = Array.from({ length: 4000 }, (_, i) => `visitor-${i}-${(i * 7919) % 1000}`);
  for (const id of ids.slice(0, 50)) assert.equal(inSample(3, id, 37), inSample(3, id, 37));
  const share = ids.filter((id) => inSample(3, id, 25)).length / ids.length;
  assert.ok(share > 0.21 && share < 0.29, `25 % sample took ${share}`);
  assert.ok(ids.every((id) => inSample(3, id, 100)));
  assert.ok(!ids.some((id) => inSample(3, id, 0)));
  // A visitor in a 10 % sample is in every larger one (the threshold only moves up).
  for (const id of ids.filter((i) => inSample(3, i, 10))) assert.ok(inSample(3, id, 50));
  // The decision is the documented formula.
  assert.equal(inSample(9, 'abc', 40), fnv1a32('9:abc') % 100 < 40);
});

test('random ids are base64url, 22 characters, and the server accepts them', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const id = randomId();
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.match(id, ID_PATTERN);
    seen.add(id);
  }
  assert.equal(seen.size, 200);
  assert.ok(!ID_PATTERN.test('short'));
  assert.ok(!ID_PATTERN.test('has space in it'));
  assert.ok(!ID_PATTERN.test('x'.repeat(65)));
});

test('the visitor id is created once and kept; a corrupt one is replaced', () => {
  const kv = memoryKV();
  let n = 0;
  const next = () => `visitor${++n}xxxxxxxxxxxxx`;
  const a = visitorId(kv, next);
  assert.equal(visitorId(kv, next), a);
  assert.equal(kv.get(VISITOR_KEY), a);
  kv.set(VISITOR_KEY, 'bad id!');
  assert.notEqual(visitorId(kv, next), a);
});

test('storage that throws falls back to memory', () => {
  const broken = {
    getItem() {
      throw new Error('SecurityError');
    },
    setItem() {
      throw new Error('QuotaExceeded');
    },
  } as unknown as Storage;
  const kv = storageKV(() => broken);
  kv.set('k', 'v');
  assert.equal(kv.get('k'), 'v');
  const denied = storageKV(() => {
    throw new Error('access denied');
  });
  denied.set('a', '1');
  assert.equal(denied.get('a'), '1');
  assert.deepEqual(denied.keys('a'), ['a']);
});

function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

test('a session lives while there is activity and ends after 30 idle minutes', () => {
  const kv = memoryKV();
  const c = clock();
  let n = 0;
  const s = new Session(kv, c.now, () => `session-${++n}`);
  const first = s.id();
  assert.equal(first, 'session-1');
  // Activity every 20 minutes keeps it going for hours.
  for (let i = 0; i < 10; i++) {
    c.t += 20 * 60 * 1000;
    s.touch();
    assert.equal(s.id(), first);
  }
  c.t += SESSION_IDLE_MS + 1;
  assert.equal(s.id(), 'session-2');
  assert.equal(JSON.parse(kv.get(SESSION_KEY) as string).id, 'session-2');
});

test('sessions are shared through storage, and touches are throttled', () => {
  const kv = memoryKV();
  const c = clock();
  let n = 0;
  const a = new Session(kv, c.now, () => `tab-a-session-${++n}`);
  const b = new Session(kv, c.now, () => `tab-b-session-${++n}`);
  const id = a.id();
  assert.equal(b.id(), id);
  const writes: string[] = [];
  const spy = { ...kv, set: (k: string, v: string) => (writes.push(k), kv.set(k, v)) };
  const t = new Session(spy, c.now, () => 'never-used');
  for (let i = 0; i < 100; i++) {
    c.t += 10;
    t.touch();
  }
  assert.ok(writes.length <= 1, `${writes.length} writes for 100 touches within a second`);
  c.t += TOUCH_EVERY_MS;
  t.touch();
  assert.equal(JSON.parse(kv.get(SESSION_KEY) as string).last, c.t);
  // Another tab's activity keeps this tab's session alive.
  c.t += SESSION_IDLE_MS - 1000;
  b.touch();
  c.t += 2000;
  assert.equal(a.id(), id);
});

test('a corrupt or future-dated session is replaced', () => {
  const kv = memoryKV();
  const c = clock();
  kv.set(SESSION_KEY, '{not json');
  assert.equal(new Session(kv, c.now, () => 'fresh-one').id(), 'fresh-one');
  kv.set(SESSION_KEY, JSON.stringify({ id: 'from-the-future', last: c.t + 10 * SESSION_IDLE_MS }));
  assert.equal(new Session(kv, c.now, () => 'fresh-two').id(), 'fresh-two');
  kv.set(SESSION_KEY, JSON.stringify({ id: 'bad id', last: c.t }));
  assert.equal(new Session(kv, c.now, () => 'fresh-three').id(), 'fresh-three');
});

const open = { dnt: false, gpc: false, optedOut: false };

test('privacy signals: DNT, GPC, opt-out in storage or cookie', () => {
  const kv = memoryKV();
  assert.deepEqual(readSignals({}, {}, kv, ''), open);
  assert.ok(readSignals({ doNotTrack: '1' }, {}, kv, '').dnt);
  assert.ok(readSignals({}, { doNotTrack: '1' }, kv, '').dnt);
  assert.ok(!readSignals({ doNotTrack: '0' }, {}, kv, '').dnt);
  assert.ok(!readSignals({ doNotTrack: 'unspecified' }, {}, kv, '').dnt);
  assert.ok(readSignals({ globalPrivacyControl: true }, {}, kv, '').gpc);
  assert.ok(readSignals({}, {}, kv, 'a=1; loupe_opt_out=1; b=2').optedOut);
  assert.ok(readSignals({}, {}, kv, 'loupe_opt_out=1').optedOut);
  assert.ok(!readSignals({}, {}, kv, 'loupe_opt_out=10').optedOut);
  assert.ok(!readSignals({}, {}, kv, 'x_loupe_opt_out=1').optedOut);
  kv.set('loupe_opt_out', '1');
  assert.ok(readSignals({}, {}, kv, '').optedOut);
  assert.ok(blocked({ ...open, gpc: true }) && !blocked(open));
});

test('privacy decision: what may be fetched and sent', () => {
  type Case = [string, Partial<PrivacyState>, boolean, boolean];
  const cases: Case[] = [
    // name, state, may fetch config, may send the rest
    ['no consent needed, config not loaded yet', {}, true, false],
    ['no consent needed, config loaded', { configRequiresConsent: false }, true, true],
    ['site requires consent, none given', { configRequiresConsent: true }, true, false],
    ['site requires consent, given', { configRequiresConsent: true, consent: true }, true, true],
    ['attribute requires consent, none given', { attrRequiresConsent: true }, false, false],
    ['attribute requires consent, given, config pending', { attrRequiresConsent: true, consent: true }, true, false],
    ['attribute requires consent, given', { attrRequiresConsent: true, consent: true, configRequiresConsent: false }, true, true],
    ['DNT beats consent', { signals: { ...open, dnt: true }, consent: true, configRequiresConsent: false }, false, false],
    ['GPC beats consent', { signals: { ...open, gpc: true }, consent: true, configRequiresConsent: false }, false, false],
    ['opt-out beats consent', { signals: { ...open, optedOut: true }, consent: true, configRequiresConsent: false }, false, false],
  ];
  for (const [name, partial, config, send] of cases) {
    const s: PrivacyState = { signals: open, attrRequiresConsent: false, consent: false, ...partial };
    assert.equal(mayFetchConfig(s), config, `${name}: config`);
    assert.equal(maySend(s), send, `${name}: send`);
  }
});

test('opt-out cookie strings', () => {
  assert.equal(optOutCookie(true, true), 'loupe_opt_out=1; max-age=63072000; path=/; SameSite=Lax; Secure');
  assert.equal(optOutCookie(false, false), 'loupe_opt_out=; max-age=0; path=/; SameSite=Lax');
});

test('queued calls replay in order, and a failing one does not stop the rest', () => {
  const seen: unknown[][] = [];
  const errors: unknown[] = [];
  // The snippet pushes `arguments` objects.
  function stubArgs(..._a: unknown[]) {
    // eslint-disable-next-line prefer-rest-params
    return arguments;
  }
  const q = [stubArgs('consent', true), stubArgs('boom'), stubArgs('identify', 'u1', { plan: 'pro' })];
  replay(
    q,
    (a) => {
      if (a[0] === 'boom') throw new Error('bad call');
      seen.push(a);
    },
    (e) => errors.push(e),
  );
  assert.deepEqual(seen, [['consent', true], ['identify', 'u1', { plan: 'pro' }]]);
  assert.equal(errors.length, 1);
  replay(undefined, () => assert.fail('nothing to replay'), () => {});
  replay({ not: 'a queue' }, () => assert.fail('nothing to replay'), () => {});
  const api = makeApi(() => {
    throw new Error('inside');
  }, (e) => errors.push(e));
  assert.doesNotThrow(() => api('event', 'x'));
  assert.equal(errors.length, 2);
});

test('batch bodies are the documented JSON', () => {
  const b = { v: 'visitor_1', n: 4, e: ['{"type":4}', '{"type":2}'].join(',') };
  assert.deepEqual(JSON.parse(body(b)), { visitor_id: 'visitor_1', sequence: 4, events: [{ type: 4 }, { type: 2 }] });
  assert.equal(utf8Length('aé€😀'), 1 + 2 + 3 + 4);
  assert.equal(utf8Length('😀'), new TextEncoder().encode('😀').length);
});

test('keepalive splitting keeps every body under the limit and the order intact', () => {
  const events: string[] = [];
  for (let i = 0; i < 300; i++) events.push(JSON.stringify({ type: 3, i, data: 'x'.repeat((i * 37) % 900) + 'é'.repeat(i % 50) }));
  const sizes = events.map(utf8Length);
  const max = 60 * 1024;
  const groups = split(events, sizes, max);
  assert.ok(groups.length > 1);
  assert.deepEqual(groups.flat(), events);
  for (const g of groups) {
    const text = body({ v: 'v'.repeat(64), n: 2 ** 31, e: g.join(',') });
    assert.ok(utf8Length(text) <= max, `body of ${utf8Length(text)} bytes`);
  }
  // A single event bigger than the limit goes alone, never merged.
  const big = ['{"a":1}', `"${'y'.repeat(1000)}"`, '{"b":2}'];
  assert.deepEqual(split(big, big.map(utf8Length), 500), [[big[0]], [big[1]], [big[2]]]);
  assert.deepEqual(split([], [], max), []);
  assert.ok(ENVELOPE_BYTES >= utf8Length(body({ v: 'v'.repeat(64), n: 2 ** 53, e: '' })));
});

test('backoff doubles from 1 s to 30 s with jitter, and Retry-After wins when longer', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const top = () => 1; // jitter at its maximum: the nominal wait
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 40].map((a) => backoffMs(a, null, now, top)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
  );
  assert.equal(backoffMs(0, null, now, () => 0), 500);
  for (let a = 0; a < 20; a++) {
    const w = backoffMs(a, null, now);
    assert.ok(w >= 500 && w <= BACKOFF_MAX_MS);
  }
  assert.equal(backoffMs(0, '120', now, top), 120000);
  assert.equal(backoffMs(5, '1', now, top), 30000, 'a shorter Retry-After does not shorten the backoff');
  assert.equal(backoffMs(0, 'Wed, 01 Jan 2025 00:01:00 GMT', now, top), 60000);
  assert.equal(backoffMs(0, 'soon', now, top), 1000);
  assert.equal(retryAfterMs('999999', now), 10 * 60 * 1000);
  assert.equal(retryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
  assert.equal(retryAfterMs(null, now), null);
});

test('what is retried: network errors, 408, 429 and 5xx; other 4xx are dropped', () => {
  for (const s of [0, 408, 429, 500, 502, 503, 504]) assert.ok(retryable(s), `${s}`);
  for (const s of [400, 401, 403, 404, 409, 413, 415, 422]) assert.ok(!retryable(s), `${s}`);
});

test('the queue is bounded by count and bytes, drops the oldest, never the one in flight', () => {
  const q = new BoundedQueue<{ b: number; id: number }>(3, 1000);
  const items = Array.from({ length: 6 }, (_, id) => ({ b: 100, id }));
  for (const it of items) q.push(it);
  assert.deepEqual(q.items.map((i) => i.id), [3, 4, 5]);
  assert.equal(q.dropped, 3);
  assert.equal(q.bytes, 300);
  // The head is being sent: the next oldest goes instead.
  q.push({ b: 100, id: 6 }, items[3]);
  assert.deepEqual(q.items.map((i) => i.id), [3, 5, 6]);
  // Bytes: a big batch pushes out older ones until the total fits (1000 is allowed)...
  q.push({ b: 900, id: 7 });
  assert.deepEqual(q.items.map((i) => i.id), [6, 7]);
  assert.equal(q.bytes, 1000);
  // ...and one over the limit on its own is still kept.
  q.push({ b: 5000, id: 8 });
  assert.deepEqual(q.items.map((i) => i.id), [8]);
  q.remove(q.items[0]);
  assert.equal(q.bytes, 0);
  assert.equal(q.dropped, 8);
});

test('unsent batches round-trip through storage, bounded and expiring', () => {
  const now = 1_700_000_000_000;
  const mk = (n: number, b: number, t = now): Batch => ({ s: 'session-1', n, v: 'visitor-1', e: '{}', b, t });
  const raw = toPersist([mk(0, 400), mk(1, 400), mk(2, 400)], 1000);
  assert.deepEqual(fromPersisted(raw, now).map((b) => b.n), [0, 1]);
  assert.deepEqual(fromPersisted(toPersist([mk(0, 2000), mk(1, 400)], 1000), now).map((b) => b.n), [1]);
  assert.equal(toPersist([], 1000), '');
  assert.deepEqual(fromPersisted(JSON.stringify([mk(0, 1, now - PENDING_TTL_MS - 1), mk(1, 1)]), now).map((b) => b.n), [1]);
  assert.deepEqual(fromPersisted('garbage', now), []);
  assert.deepEqual(fromPersisted('{"a":1}', now), []);
  assert.deepEqual(fromPersisted('[null, {"s": 1}]', now), []);
});
