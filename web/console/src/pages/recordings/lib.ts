// The recordings list's filter form: kept in the address (so a filtered list can be linked to,
// e.g. a user's recordings, and Back returns to it) and turned into `RecordingFilterInput`.
import type { RecordingFilterInput, RecordingOrder } from '../../gql/graphql';

export type TriState = '' | 'yes' | 'no';

export interface FilterForm {
  from: string; // yyyy-mm-dd, the viewer's day
  to: string; // yyyy-mm-dd, inclusive
  minSeconds: string;
  maxSeconds: string;
  device: string;
  country: string;
  url: string;
  userId: string;
  segmentId: string;
  rage: TriState;
  uTurns: TriState;
  response: TriState;
  order: RecordingOrder;
}

export const EMPTY_FORM: FilterForm = {
  from: '',
  to: '',
  minSeconds: '',
  maxSeconds: '',
  device: '',
  country: '',
  url: '',
  userId: '',
  segmentId: '',
  rage: '',
  uTurns: '',
  response: '',
  order: 'NEWEST',
};

const KEYS: Record<Exclude<keyof FilterForm, 'order'>, string> = {
  from: 'from',
  to: 'to',
  minSeconds: 'min',
  maxSeconds: 'max',
  device: 'device',
  country: 'country',
  url: 'url',
  userId: 'user',
  segmentId: 'segment',
  rage: 'rage',
  uTurns: 'uturns',
  response: 'response',
};

const ORDERS: readonly RecordingOrder[] = ['NEWEST', 'LONGEST', 'MOST_CLICKS'];

/** The form as the address's query holds it (unknown or malformed values are dropped). */
export function formFromQuery(q: Record<string, string | undefined>): FilterForm {
  const f: FilterForm = { ...EMPTY_FORM };
  for (const [k, name] of Object.entries(KEYS) as [keyof typeof KEYS, string][]) {
    const v = q[name];
    if (typeof v !== 'string') continue;
    if (k === 'rage' || k === 'uTurns' || k === 'response') {
      if (v === 'yes' || v === 'no') f[k] = v;
    } else {
      f[k] = v;
    }
  }
  if (q.order && (ORDERS as readonly string[]).includes(q.order)) f.order = q.order as RecordingOrder;
  return f;
}

/** The query string of a form ("" when nothing is set), only the fields that are set. */
export function queryFromForm(f: FilterForm): string {
  const p = new URLSearchParams();
  for (const [k, name] of Object.entries(KEYS) as [keyof typeof KEYS, string][]) {
    const v = f[k].trim();
    if (v) p.set(name, v);
  }
  if (f.order !== 'NEWEST') p.set('order', f.order);
  const s = p.toString();
  return s ? '?' + s : '';
}

/** Local midnight of a yyyy-mm-dd day as an ISO instant, `plusDays` later; null if invalid. */
export function dayStart(day: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function seconds(s: string): number | null {
  const t = s.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n <= 2_147_483_647 ? n : null;
}

const tri = (t: TriState): boolean | undefined => (t === 'yes' ? true : t === 'no' ? false : undefined);

export interface Built {
  filter: RecordingFilterInput;
  /** Field → message for values the form cannot send. */
  errors: Partial<Record<keyof FilterForm, string>>;
}

/** The API filter of a form: the "to" day is included (its next midnight is the bound). */
export function buildFilter(f: FilterForm): Built {
  const filter: RecordingFilterInput = {};
  const errors: Built['errors'] = {};
  if (f.from.trim()) {
    const v = dayStart(f.from);
    if (v) filter.from = v;
    else errors.from = 'Pick a date.';
  }
  if (f.to.trim()) {
    const v = dayStart(f.to, 1);
    if (v) filter.to = v;
    else errors.to = 'Pick a date.';
  }
  if (filter.from && filter.to && filter.from >= filter.to) errors.to = 'The end is before the start.';
  if (f.minSeconds.trim()) {
    const v = seconds(f.minSeconds);
    if (v == null) errors.minSeconds = 'A whole number of seconds.';
    else filter.minDurationSeconds = v;
  }
  if (f.maxSeconds.trim()) {
    const v = seconds(f.maxSeconds);
    if (v == null) errors.maxSeconds = 'A whole number of seconds.';
    else filter.maxDurationSeconds = v;
  }
  if (filter.minDurationSeconds != null && filter.maxDurationSeconds != null && filter.maxDurationSeconds < filter.minDurationSeconds)
    errors.maxSeconds = 'Shorter than the minimum.';
  if (f.device) filter.device = f.device;
  const country = f.country.trim().toUpperCase();
  if (country) {
    if (/^[A-Z]{2}$/.test(country)) filter.country = country;
    else errors.country = 'A two-letter code, e.g. FR.';
  }
  if (f.url.trim()) filter.urlContains = f.url.trim();
  if (f.userId.trim()) filter.userId = f.userId.trim();
  if (f.segmentId) filter.segmentId = f.segmentId;
  const rage = tri(f.rage);
  if (rage != null) filter.hasRageClicks = rage;
  const uTurns = tri(f.uTurns);
  if (uTurns != null) filter.hasUTurns = uTurns;
  const response = tri(f.response);
  if (response != null) filter.hasResponse = response;
  return { filter, errors };
}

/** How many filters are set (for "3 filters" next to the toggle). */
export function activeFilters(f: FilterForm): number {
  return (Object.keys(KEYS) as (keyof typeof KEYS)[]).filter((k) => f[k].trim() !== '').length;
}

/** "France" for "FR" in the viewer's language; the code itself when unknown. */
export function countryName(code: string | null | undefined): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** "desktop · Chrome · macOS" from the parts that are known. */
export function deviceLine(...parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join(' · ');
}

/** The `user` JSON of a recording: `{ userId, attributes }` or null. */
export function recordingUserId(user: unknown): string | null {
  const id = (user as { userId?: unknown } | null)?.userId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}
