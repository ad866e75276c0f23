// The results page's pure helpers: the filter form → ResponseFilterInput, time buckets for the
// NPS trend (the API has no trend: one summary per bucket), answers as text, export names.
import type { AnswerOperator, ResponseFilterInput, SentimentLabel } from '../../gql/graphql';

export interface FilterForm {
  /** `YYYY-MM-DD` (viewer's zone), inclusive; '' = open. */
  from: string;
  /** `YYYY-MM-DD`, inclusive (the API's `to` is exclusive: the next midnight is sent). */
  to: string;
  device: string;
  country: string;
  completeOnly: boolean;
  segmentId: string;
  sentiment: SentimentLabel[];
  tag: string;
  /** One answer condition (the API takes several; one is what people ask for). */
  questionId: string;
  operator: AnswerOperator;
  value: string;
}

export function emptyFilter(): FilterForm {
  return {
    from: '',
    to: '',
    device: '',
    country: '',
    completeOnly: false,
    segmentId: '',
    sentiment: [],
    tag: '',
    questionId: '',
    operator: 'EQUALS',
    value: '',
  };
}

/** Local midnight of a `YYYY-MM-DD` (plus `addDays`) as an ISO instant; null if invalid. */
export function dayStart(day: string, addDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function filterInput(f: FilterForm): ResponseFilterInput {
  const out: ResponseFilterInput = { completeOnly: f.completeOnly };
  const from = dayStart(f.from);
  const to = dayStart(f.to, 1);
  if (from) out.from = from;
  if (to) out.to = to;
  if (f.device) out.device = f.device;
  if (f.country.trim()) out.country = f.country.trim().toUpperCase();
  if (f.segmentId) out.segmentId = f.segmentId;
  if (f.sentiment.length) out.sentiment = f.sentiment;
  if (f.tag) out.tags = [f.tag];
  if (f.questionId) {
    const needsValue = f.operator === 'EQUALS' || f.operator === 'CONTAINS';
    if (!needsValue || f.value.trim()) {
      out.answers = [{ questionId: f.questionId, operator: f.operator, value: needsValue ? f.value.trim() : null }];
    }
  }
  return out;
}

/** How many filters are on (for the "n filters" label). */
export function activeFilters(f: FilterForm): number {
  const i = filterInput(f);
  return (
    (i.from ? 1 : 0) +
    (i.to ? 1 : 0) +
    (i.device ? 1 : 0) +
    (i.country ? 1 : 0) +
    (i.completeOnly ? 1 : 0) +
    (i.segmentId ? 1 : 0) +
    (i.sentiment ? 1 : 0) +
    (i.tags ? 1 : 0) +
    (i.answers ? 1 : 0)
  );
}

export interface Bucket {
  from: string;
  to: string;
}

/**
 * `n` equal time buckets covering [from, to): the NPS trend asks one summary per bucket.
 * The span is at least a day (a new survey still gets a readable chart).
 */
export function buckets(fromIso: string, toIso: string, n = 8): Bucket[] {
  let a = new Date(fromIso).getTime();
  const b = new Date(toIso).getTime();
  if (!Number.isFinite(a) || !Number.isFinite(b) || n < 1) return [];
  const day = 24 * 3600 * 1000;
  if (b - a < day) a = b - day;
  const step = (b - a) / n;
  const out: Bucket[] = [];
  for (let i = 0; i < n; i++) {
    const s = Math.round(a + i * step);
    const e = i === n - 1 ? b : Math.round(a + (i + 1) * step);
    out.push({ from: new Date(s).toISOString(), to: new Date(e).toISOString() });
  }
  return out;
}

export interface Nps {
  score: number | null;
  promoters: number;
  passives: number;
  detractors: number;
}

/** NPS of counts: % promoters − % detractors, null without answers. */
export function npsScore(promoters: number, passives: number, detractors: number): number | null {
  const n = promoters + passives + detractors;
  return n === 0 ? null : ((promoters - detractors) / n) * 100;
}

/** An answer's value as one line of text. */
export function answerText(value: unknown, other?: string | null): string {
  let main: string;
  if (value == null) main = '';
  else if (Array.isArray(value)) main = value.map((v) => String(v)).join(', ');
  else if (typeof value === 'object') main = JSON.stringify(value);
  else main = String(value);
  if (other) main = main ? `${main}, Other: ${other}` : `Other: ${other}`;
  return main || '(skipped)';
}

/** The short text of a JSON object of attributes ("plan: pro, seats: 4"). */
export function attributesText(attrs: unknown, max = 6): string {
  if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) return '';
  const entries = Object.entries(attrs as Record<string, unknown>);
  const shown = entries.slice(0, max).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return shown.join(', ') + (entries.length > max ? `, +${entries.length - max} more` : '');
}

/** `survey-12-responses.csv`, or the server's Content-Disposition name when it gives one. */
export function exportName(disposition: string | null, surveyId: string, format: 'csv' | 'jsonl'): string {
  const m = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  const name = m?.[1]?.trim();
  return name && /^[\w.-]+$/.test(name) ? name : `survey-${surveyId}-responses.${format}`;
}

/** Percent of `part` in `total`, 0 when total is 0. */
export function pct(part: number, total: number): number {
  return total > 0 ? (part / total) * 100 : 0;
}
