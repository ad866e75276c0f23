// Every date, duration and number the console shows goes through here: the viewer's locale and
// time zone (Intl), so a list never mixes UTC and local times.

const dateTimeCache = new Map<string, Intl.DateTimeFormat>();
function dtf(options: Intl.DateTimeFormatOptions, timeZone?: string, locale?: string): Intl.DateTimeFormat {
  const key = JSON.stringify([options, timeZone, locale]);
  let f = dateTimeCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, ...(timeZone ? { timeZone } : {}) });
    dateTimeCache.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export interface ZoneOptions {
  /** IANA zone; default: the viewer's. */
  timeZone?: string;
  locale?: string;
}

/** "12 Mar 2025, 14:03" in the viewer's zone; "—" for null or an invalid value. */
export function formatDateTime(value: string | number | Date | null | undefined, o: ZoneOptions = {}): string {
  const d = value == null ? null : toDate(value);
  if (!d) return '—';
  return dtf({ dateStyle: 'medium', timeStyle: 'short' }, o.timeZone, o.locale).format(d);
}

/** "12 Mar 2025" in the viewer's zone. */
export function formatDate(value: string | number | Date | null | undefined, o: ZoneOptions = {}): string {
  const d = value == null ? null : toDate(value);
  if (!d) return '—';
  return dtf({ dateStyle: 'medium' }, o.timeZone, o.locale).format(d);
}

/** The full date and time with the zone's name, for a `title` tooltip. */
export function formatDateTimeLong(value: string | number | Date | null | undefined, o: ZoneOptions = {}): string {
  const d = value == null ? null : toDate(value);
  if (!d) return '';
  return dtf({ dateStyle: 'full', timeStyle: 'long' }, o.timeZone, o.locale).format(d);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 hours ago", "in 2 days", "now"; `now` for tests. */
export function formatRelative(
  value: string | number | Date | null | undefined,
  now: number = Date.now(),
  locale?: string,
): string {
  const d = value == null ? null : toDate(value);
  if (!d) return '—';
  const seconds = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 45) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'second') return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

/** 12,345 in the viewer's locale. */
export function formatNumber(n: number | null | undefined, locale?: string): string {
  if (n == null || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat(locale).format(n);
}

/** `42.5` → "42.5%" (the value is already a percentage). */
export function formatPercent(n: number | null | undefined, digits = 1, locale?: string): string {
  if (n == null || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n) + '%';
}

/** Milliseconds as "1:05:09", "4:07" or "0:03". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || Number.isNaN(ms) || ms < 0) return '—';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "1 response" / "3 responses". */
export function plural(n: number, one: string, many = one + 's', locale?: string): string {
  return `${formatNumber(n, locale)} ${n === 1 ? one : many}`;
}
