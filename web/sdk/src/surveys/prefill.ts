// The link page's URL parameters: `?q.<question key>=value` presets an answer (the
// visitor still confirms it), and parameters named in the survey's `hidden_fields` travel
// with every answer as `hidden`.

import type { Question } from '../common/types';

/** `?q.<key>=…` values, typed for each question; the control ignores what does not fit. */
export function prefillFrom(params: URLSearchParams, questions: Question[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of questions) {
    const values = params.getAll(`q.${q.key}`);
    if (!values.length || q.type === 'STATEMENT') continue;
    if (q.type === 'MULTIPLE_CHOICE') {
      const picked: string[] = [];
      for (const v of values) for (const p of v.split(',')) if (p.trim()) picked.push(p.trim());
      out[q.key] = picked;
    } else if (q.type === 'NPS' || q.type === 'RATING') {
      if (/^\s*-?\d+\s*$/.test(values[0])) out[q.key] = parseInt(values[0], 10);
    } else out[q.key] = values[0];
  }
  return out;
}

/** The page parameters named in `hidden_fields` (the first value of each). */
export function hiddenFrom(params: URLSearchParams, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = params.get(name);
    if (v !== null) out[name] = v;
  }
  return out;
}
