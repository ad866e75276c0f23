// What the player's timeline marks, derived from the rrweb events themselves (the API gives
// counts per recording, not positions): clicks, rage clicks and page views, plus the periods
// without user activity that "skip inactivity" jumps over. Pure, so node:test checks it.

/** An rrweb event as stored: `type` (EventType), `timestamp` (ms) and its `data`. */
export interface RawEvent {
  type: number;
  timestamp: number;
  data?: unknown;
}

// rrweb's enums (EventType, IncrementalSource, MouseInteractions), by value.
const META = 4;
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const SOURCE_MOUSE_INTERACTION = 2;
const CLICK = 2;
const DBL_CLICK = 4;
/** Incremental sources that are the visitor acting (moves, clicks, scroll, resize, input, touch…). */
const USER_SOURCES = new Set([1, 2, 3, 4, 5, 6, 7, 12]);

export type MarkerKind = 'click' | 'rage' | 'page';

export interface Marker {
  kind: MarkerKind;
  /** Milliseconds from the start of the recording. */
  at: number;
  /** For page views: the page's address; for rage clicks: how many clicks. */
  detail?: string;
}

export interface Timeline {
  /** First and last event's timestamps (ms since the epoch). */
  start: number;
  end: number;
  duration: number;
  markers: Marker[];
  /** [from, to] offsets (ms) of gaps without user activity, longer than the threshold. */
  inactive: [number, number][];
  /** Whether there is a full snapshot to start the replay from. */
  replayable: boolean;
}

export interface RageOptions {
  windowMs?: number;
  radiusPx?: number;
  minClicks?: number;
}

interface Click {
  at: number;
  x: number;
  y: number;
}

/**
 * Rage clicks: at least `minClicks` clicks within `windowMs` of the first of them and within
 * `radiusPx` of it (the server's rule: 3 within 1 s and 30 px). One burst is one marker, at
 * its first click, with the burst's length.
 */
export function rageClicks(clicks: readonly Click[], o: RageOptions = {}): Marker[] {
  const windowMs = o.windowMs ?? 1000;
  const radius = o.radiusPx ?? 30;
  const min = o.minClicks ?? 3;
  const out: Marker[] = [];
  let i = 0;
  while (i < clicks.length) {
    const first = clicks[i]!;
    let j = i + 1;
    let n = 1;
    while (j < clicks.length && clicks[j]!.at - first.at <= windowMs) {
      const c = clicks[j]!;
      if (Math.hypot(c.x - first.x, c.y - first.y) <= radius) n++;
      j++;
    }
    if (n >= min) {
      out.push({ kind: 'rage', at: first.at, detail: String(n) });
      i = j; // the burst is counted once
    } else {
      i++;
    }
  }
  return out;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
}

/** Clicks, rage clicks, page views and inactive periods of a recording's events. */
export function buildTimeline(events: readonly RawEvent[], inactiveMs = 10_000, rage: RageOptions = {}): Timeline {
  if (events.length === 0) return { start: 0, end: 0, duration: 0, markers: [], inactive: [], replayable: false };
  const start = events[0]!.timestamp;
  const end = events[events.length - 1]!.timestamp;
  const markers: Marker[] = [];
  const clicks: Click[] = [];
  const inactive: [number, number][] = [];
  let lastActive = start;
  let replayable = false;
  // A page view is marked at its page's snapshot (right after the Meta event), so seeking to
  // it shows the new page rather than the end of the previous one.
  let pendingPage: Marker | null = null;
  for (const e of events) {
    const at = e.timestamp - start;
    const d = obj(e.data);
    if (e.type === FULL_SNAPSHOT) {
      replayable = true;
      if (pendingPage && at - pendingPage.at <= 1000) pendingPage.at = at;
      pendingPage = null;
    }
    if (e.type === META) {
      const href = d && typeof d.href === 'string' ? d.href : '';
      pendingPage = { kind: 'page', at, detail: href };
      markers.push(pendingPage);
    }
    if (e.type !== INCREMENTAL || !d) continue;
    const source = d.source as number;
    if (source === SOURCE_MOUSE_INTERACTION && (d.type === CLICK || d.type === DBL_CLICK)) {
      const c = { at, x: Number(d.x) || 0, y: Number(d.y) || 0 };
      clicks.push(c);
      markers.push({ kind: 'click', at });
    }
    // Mutations alone (an animation) are not the visitor acting, as in rrweb's skipInactive.
    if (USER_SOURCES.has(source)) {
      if (e.timestamp - lastActive > inactiveMs) inactive.push([lastActive - start, at]);
      lastActive = e.timestamp;
    }
  }
  if (end - lastActive > inactiveMs) inactive.push([lastActive - start, end - start]);
  markers.push(...rageClicks(clicks, rage));
  markers.sort((a, b) => a.at - b.at || order(a.kind) - order(b.kind));
  return { start, end, duration: end - start, markers, inactive, replayable };
}

function order(k: MarkerKind): number {
  return k === 'page' ? 0 : k === 'rage' ? 1 : 2;
}

/** The path of a page view's address for a short label ("/product/42?x=1"); the input if unparsable. */
export function shortUrl(href: string | undefined | null): string {
  if (!href) return '';
  try {
    const u = new URL(href);
    return u.pathname + u.search + u.hash;
  } catch {
    return href;
  }
}

/** Offset as a share of the duration, 0–100, for CSS positions. */
export function percent(at: number, duration: number): number {
  if (duration <= 0) return 0;
  return Math.min(100, Math.max(0, (at / duration) * 100));
}

export const SPEEDS = [1, 2, 4, 8] as const;
