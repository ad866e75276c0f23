// The recorder's delivery logic, free of the DOM so it can be tested: batches, their
// bodies, splitting for keepalive, backoff, the bounded queue, what survives a page load.

/** One POST of rrweb events. `e` is the events already serialized, comma-joined. */
export interface Batch {
  /** session id */
  s: string;
  /** sequence number within the session */
  n: number;
  /** visitor id */
  v: string;
  e: string;
  /** UTF-8 size of the body */
  b: number;
  /** created at (ms) */
  t: number;
}

/** The request body: `{ "visitor_id", "sequence", "events": [...] }`. */
export function body(b: Pick<Batch, 'v' | 'n' | 'e'>): string {
  return `{"visitor_id":${JSON.stringify(b.v)},"sequence":${b.n},"events":[${b.e}]}`;
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      if (c < 0x800) n += 1;
      else if (c >= 0xd800 && c <= 0xdbff) i++, (n += 2); // surrogate pair: 4 bytes for 2 units
      else n += 2;
    }
  }
  return n;
}

/** Room for `{"visitor_id":…,"sequence":…,"events":[]}` around the events. */
export const ENVELOPE_BYTES = 160;

/**
 * Groups serialized events, in order, so each group's body stays under `max` bytes.
 * `sizes[i]` is the UTF-8 size of `events[i]`. An event larger than `max` goes alone.
 */
export function split(events: string[], sizes: number[], max: number): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let bytes = ENVELOPE_BYTES;
  for (let i = 0; i < events.length; i++) {
    const add = sizes[i] + 1; // the comma
    if (cur.length && bytes + add > max) {
      out.push(cur);
      cur = [];
      bytes = ENVELOPE_BYTES;
    }
    cur.push(events[i]);
    bytes += add;
  }
  if (cur.length) out.push(cur);
  return out;
}

export const BACKOFF_MIN_MS = 1000;
export const BACKOFF_MAX_MS = 30000;
/** A Retry-After further away than this is treated as this. */
export const RETRY_AFTER_MAX_MS = 10 * 60 * 1000;

/** `Retry-After` (seconds or an HTTP date) in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | null {
  if (!header) return null;
  const h = header.trim();
  if (/^\d+$/.test(h)) return Math.min(parseInt(h, 10) * 1000, RETRY_AFTER_MAX_MS);
  const at = Date.parse(h);
  if (isNaN(at)) return null;
  return Math.min(Math.max(at - now, 0), RETRY_AFTER_MAX_MS);
}

/**
 * The wait before retry number `attempt` (0 for the first retry): 1 s doubling to 30 s, with
 * jitter in [50 %, 100 %] so many tabs do not retry together. A server's Retry-After wins
 * when it asks for longer.
 */
export function backoffMs(attempt: number, retryAfter: string | null, now: number, rand: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, Math.min(attempt, 16)));
  const wait = Math.round(base * (0.5 + rand() / 2));
  const ra = retryAfter === null ? null : retryAfterMs(retryAfter, now);
  return ra === null ? wait : Math.max(ra, wait);
}

/** Whether a failed send is worth repeating: network errors (status 0), 408, 429, 5xx. */
export function retryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Batches waiting to be acknowledged, oldest first, bounded in count and bytes. */
export class BoundedQueue<T extends { b: number }> {
  items: T[] = [];
  bytes = 0;
  dropped = 0;

  constructor(
    private maxItems: number,
    private maxBytes: number,
  ) {}

  /** Adds at the end, then drops the oldest items while over bounds (never `item` itself, nor `keep`: the one being sent). */
  push(item: T, keep?: T): void {
    this.items.push(item);
    this.bytes += item.b;
    while (this.items.length > this.maxItems || this.bytes > this.maxBytes) {
      let i = 0;
      while (i < this.items.length && (this.items[i] === keep || this.items[i] === item)) i++;
      if (i >= this.items.length) break;
      this.removeAt(i);
      this.dropped++;
    }
  }

  remove(item: T): void {
    const i = this.items.indexOf(item);
    if (i >= 0) this.removeAt(i);
  }

  private removeAt(i: number): void {
    this.bytes -= this.items[i].b;
    this.items.splice(i, 1);
  }
}

/** How long unsent batches wait in storage for a later page load of the site. */
export const PENDING_TTL_MS = 24 * 60 * 60 * 1000;

/** The batches to keep in storage, oldest first, up to `maxBytes` in all (one too big is skipped). */
export function toPersist(items: Batch[], maxBytes: number): string {
  const out: Batch[] = [];
  let bytes = 0;
  for (const b of items) {
    if (bytes + b.b > maxBytes) continue;
    out.push(b);
    bytes += b.b;
  }
  return out.length ? JSON.stringify(out) : '';
}

/** Batches read back from storage: only well-formed ones, not older than the TTL. */
export function fromPersisted(raw: string | null, now: number): Batch[] {
  try {
    const a = JSON.parse(raw || '[]') as Batch[];
    if (!Array.isArray(a)) return [];
    return a.filter(
      (b) =>
        b &&
        typeof b.s === 'string' &&
        typeof b.v === 'string' &&
        typeof b.e === 'string' &&
        typeof b.n === 'number' &&
        typeof b.b === 'number' &&
        typeof b.t === 'number' &&
        now - b.t < PENDING_TTL_MS,
    );
  } catch {
    return [];
  }
}
