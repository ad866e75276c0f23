// The visitor (one per browser and site origin) and the session (a new one after 30 minutes
// without activity), both in localStorage so every tab of the site shares them.
import { ID_PATTERN } from './ids';
import type { KV } from './storage';

export const VISITOR_KEY = 'loupe_visitor';
export const SESSION_KEY = 'loupe_session';
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** Activity refreshes `last` at most this often (writes to storage are not free). */
export const TOUCH_EVERY_MS = 5000;

/** The stored visitor id, or a new one (stored). */
export function visitorId(kv: KV, newId: () => string): string {
  const v = kv.get(VISITOR_KEY);
  if (v && ID_PATTERN.test(v)) return v;
  const id = newId();
  kv.set(VISITOR_KEY, id);
  return id;
}

interface Stored {
  id: string;
  last: number;
}

function read(kv: KV): Stored | null {
  try {
    const s = JSON.parse(kv.get(SESSION_KEY) || 'null') as Stored | null;
    if (s && typeof s.id === 'string' && ID_PATTERN.test(s.id) && typeof s.last === 'number') return s;
  } catch {
    /* corrupt: start over */
  }
  return null;
}

export class Session {
  private wrote = -Infinity;
  private cached: Stored | null = null;

  constructor(
    private kv: KV,
    private now: () => number,
    private newId: () => string,
  ) {}

  /** The current session id: a new one when the last activity is over 30 minutes old. Counts as activity. */
  id(): string {
    const t = this.now();
    // Another tab may have renewed or refreshed it: read storage, unless we just wrote it.
    let s = t - this.wrote < TOUCH_EVERY_MS && this.cached ? this.cached : read(this.kv);
    if (!s || t - s.last > SESSION_IDLE_MS || s.last > t + SESSION_IDLE_MS) {
      s = { id: this.newId(), last: t };
      this.write(s);
    } else if (t - s.last >= TOUCH_EVERY_MS) {
      s = { id: s.id, last: t };
      this.write(s);
    }
    return s.id;
  }

  /** Records activity (user input), throttled. */
  touch(): void {
    if (this.now() - this.wrote >= TOUCH_EVERY_MS) this.id();
  }

  private write(s: Stored): void {
    this.cached = s;
    this.wrote = s.last;
    this.kv.set(SESSION_KEY, JSON.stringify(s));
  }
}
