// loupe-recorder.js: loaded by the tag when the site records this visitor. rrweb's recorder
// (inputs always masked; `rr-block`, `rr-mask`, `rr-ignore` honoured), batched every 5 s /
// 500 events / ~512 KB, gzipped when the browser can, retried with backoff, and flushed on
// pagehide with keepalive requests. What is not acknowledged when the page goes away stays
// in localStorage and is sent again by the next page load (the server dedupes a sequence).
import { record } from '@rrweb/record';
import {
  type Batch,
  BoundedQueue,
  backoffMs,
  body,
  fromPersisted,
  retryable,
  split,
  toPersist,
  utf8Length,
} from './common/batch';
import { registerChunk } from './common/chunks';
import { randomId } from './common/ids';
import { localKV } from './common/storage';
import type { RecorderOptions, Recording } from './common/types';

const FLUSH_MS = 5000;
const FLUSH_EVENTS = 500;
const FLUSH_BYTES = 512 * 1024;
const QUEUE_BATCHES = 20;
const QUEUE_BYTES = 4 * 1024 * 1024;
/** keepalive requests share a 64 KB budget per page: stay under it, all of them together. */
const KEEPALIVE_BYTES = 60 * 1024;
/** What one page keeps in storage for the next page load. */
const PERSIST_BYTES = 1024 * 1024;
const SEQ_PREFIX = 'loupe_seq:';
const PENDING_PREFIX = 'loupe_pending:';

function start(o: RecorderOptions): Recording {
  const kv = localKV();
  const page = PENDING_PREFIX + randomId(9);
  const queue = new BoundedQueue<Batch>(QUEUE_BATCHES, QUEUE_BYTES);
  let sid = o.sessionId();
  let events: string[] = [];
  let sizes: number[] = [];
  let bytes = 0;
  let sending: Batch | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let waitUntil = 0;
  let persisted = false;
  /** Batches handed to a keepalive request whose answer has not come: not sent twice by leave(). */
  const leaving = new Set<Batch>();
  let stopped = false;
  let sessionCheckedAt = Date.now();
  let gzip = typeof CompressionStream === 'function';
  // Firefox before 133 ignores `keepalive`: sendBeacon is the way out of an unloading page there.
  const keepalive = typeof Request === 'function' && 'keepalive' in Request.prototype;
  const url = (s: string) => `${o.base}/v1/sites/${o.site}/recordings/${encodeURIComponent(s)}/events`;

  /** The next sequence number of a session, shared by its tabs and page loads. */
  function nextSeq(s: string): number {
    const k = SEQ_PREFIX + s;
    const n = parseInt(kv.get(k) || '0', 10) || 0;
    kv.set(k, String(n + 1));
    return n;
  }

  // Counters of sessions other than this one are done with.
  for (const k of kv.keys(SEQ_PREFIX)) if (k !== SEQ_PREFIX + sid) kv.remove(k);

  // Batches an earlier page of this site could not deliver.
  for (const k of kv.keys(PENDING_PREFIX)) {
    const raw = kv.get(k);
    kv.remove(k);
    for (const b of fromPersisted(raw, Date.now())) queue.push(b);
  }

  /** Turns the buffered events into batches of at most `max` bytes each. */
  function cut(max: number): void {
    if (!events.length) return;
    const groups = split(events, sizes, max);
    events = [];
    sizes = [];
    bytes = 0;
    for (const g of groups) {
      const e = g.join(',');
      const b: Batch = { s: sid, n: nextSeq(sid), v: o.visitorId, e, b: 0, t: Date.now() };
      b.b = utf8Length(body(b));
      queue.push(b, sending || undefined);
    }
  }

  function flush(): void {
    cut(FLUSH_BYTES + 64 * 1024);
    pump();
  }

  function ack(b: Batch): void {
    queue.remove(b);
    leaving.delete(b);
    if (persisted) persist();
  }

  function persist(): void {
    const s = toPersist(queue.items, PERSIST_BYTES);
    if (s) kv.set(page, s);
    else kv.remove(page);
    persisted = !!s;
  }

  async function send(b: Batch): Promise<Response> {
    const text = body(b);
    const init: RequestInit = { method: 'POST', credentials: 'include', mode: 'cors' };
    let zipped: ArrayBuffer | null = null;
    if (gzip) {
      try {
        const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
        zipped = await new Response(stream).arrayBuffer();
      } catch {
        gzip = false; // a half-supported CompressionStream: plain JSON from now on
      }
    }
    if (zipped) {
      init.body = zipped;
      init.headers = { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' };
    } else {
      // text/plain keeps it a simple CORS request (no preflight); the server reads JSON anyway.
      init.body = text;
      init.headers = { 'Content-Type': 'text/plain;charset=UTF-8' };
    }
    return fetch(url(b.s), init);
  }

  function pump(): void {
    if (stopped || sending || Date.now() < waitUntil) return;
    const b = queue.items[0];
    if (!b) return;
    sending = b;
    send(b)
      .then(
        (res) => done(b, res.status, res.headers.get('Retry-After')),
        () => done(b, 0, null),
      )
      .catch(() => done(b, 0, null));
  }

  function done(b: Batch, status: number, retryAfter: string | null): void {
    if (sending !== b) return;
    sending = null;
    if (stopped) return;
    if (status >= 200 && status < 300) {
      attempt = 0;
      ack(b);
    } else if (retryable(status)) {
      const wait = backoffMs(attempt++, retryAfter, Date.now());
      waitUntil = Date.now() + wait;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(pump, wait);
      return;
    } else {
      // The server refused this batch for good (validation, size): drop it, carry on.
      ack(b);
      if (status === 401 || status === 403 || status === 404) return stop(); // not for this site any more
    }
    pump();
  }

  /** The page is going away (or may be): send what fits with keepalive, keep the rest for later. */
  function leave(): void {
    if (stopped) return;
    cut(KEEPALIVE_BYTES);
    let budget = KEEPALIVE_BYTES;
    for (const b of queue.items.slice()) {
      if (b.b > budget || leaving.has(b)) continue;
      budget -= b.b;
      const text = body(b);
      leaving.add(b);
      const beacon = () => {
        try {
          navigator.sendBeacon(url(b.s), new Blob([text], { type: 'text/plain;charset=UTF-8' }));
        } catch {
          /* stays persisted for the next page */
        }
      };
      if (!keepalive) {
        beacon();
        continue;
      }
      try {
        fetch(url(b.s), {
          method: 'POST',
          credentials: 'include',
          mode: 'cors',
          keepalive: true,
          headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
          body: text,
        }).then(
          (res) => {
            leaving.delete(b);
            if (res.ok || !retryable(res.status)) ack(b);
          },
          () => leaving.delete(b),
        );
      } catch {
        beacon();
      }
    }
    persist();
  }

  const onVisibility = () => {
    if (document.visibilityState === 'hidden') leave();
  };
  addEventListener('pagehide', leave, { capture: true });
  document.addEventListener('visibilitychange', onVisibility, { capture: true });
  const timer = setInterval(flush, FLUSH_MS);

  function emit(e: unknown): void {
    if (stopped) return;
    const now = Date.now();
    if (now - sessionCheckedAt > 1000) {
      sessionCheckedAt = now;
      const s = o.sessionId();
      if (s !== sid) {
        // A new session needs its own full snapshot to be replayable.
        flush();
        sid = s;
        setTimeout(() => {
          if (!stopped) record.takeFullSnapshot(true);
        }, 0);
      }
    }
    const s = JSON.stringify(e);
    const n = utf8Length(s);
    events.push(s);
    sizes.push(n);
    bytes += n + 1;
    if (events.length >= FLUSH_EVENTS || bytes >= FLUSH_BYTES) flush();
  }

  const stopRecord = record({
    emit,
    maskAllInputs: true,
    maskTextSelector: o.maskAllText ? '*' : undefined,
    slimDOMOptions: 'all',
    recordCanvas: false,
    collectFonts: false,
    inlineImages: false,
    recordCrossOriginIframes: false,
    checkoutEveryNms: 10 * 60 * 1000,
    sampling: { mousemove: 50, scroll: 150, media: 800, input: 'last' },
    errorHandler: () => true,
  });
  pump(); // what earlier pages left

  // The document's size, for heatmaps' scroll maps (the server reads this custom event):
  // once the first snapshot is out, then whenever it changed at a flush.
  let sizeW = 0;
  let sizeH = 0;
  function pageSize(): void {
    if (stopped) return;
    const d = document.documentElement;
    const w = Math.max(d.scrollWidth, document.body ? document.body.scrollWidth : 0);
    const h = Math.max(d.scrollHeight, document.body ? document.body.scrollHeight : 0);
    if (w === sizeW && h === sizeH) return;
    sizeW = w;
    sizeH = h;
    record.addCustomEvent('loupe-page-size', { width: w, height: h });
  }
  setTimeout(pageSize, 0);
  const sizeTimer = setInterval(pageSize, FLUSH_MS);

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    clearInterval(sizeTimer);
    clearTimeout(retryTimer);
    removeEventListener('pagehide', leave, { capture: true });
    document.removeEventListener('visibilitychange', onVisibility, { capture: true });
    try {
      if (stopRecord) stopRecord();
    } catch {
      /* rrweb already torn down */
    }
    // Stopping means opt-out or consent withdrawn: nothing more leaves the page.
    events = [];
    queue.items = [];
    queue.bytes = 0;
    kv.remove(page);
  }

  return {
    addCustomEvent(name, props) {
      if (!stopped) record.addCustomEvent(name, props === undefined ? {} : props);
    },
    stop,
  };
}

registerChunk('recorder', { start });
