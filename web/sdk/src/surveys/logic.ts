// The survey rules of `api/src/domain/surveys/answers.rs`, ported: how an answer is typed
// and checked for its question, when a logic rule matches, and which path a set of answers
// walks. The server stays the judge; the tag uses the same rules to walk the path live and
// to catch a bad answer before posting it. `tests/vectors/survey-logic.json` holds both
// sides to the same acceptance, paths and error messages (`test/logic.test.ts`).

import type { LogicRule, Question } from '../common/types';

export const MAX_COMMENT_CHARS = 1000;

/** A typed answer (Rust `AnswerValue`). */
export type AnswerValue =
  | { kind: 'text'; text: string }
  | { kind: 'number'; number: number }
  | { kind: 'choices'; selected: string[]; other: string | null };

/** An answer as posted: `{question_id, value, other?, comment?}`. */
export interface SubmittedAnswer {
  question_id: number;
  value?: unknown;
  other?: string | null;
  comment?: string | null;
}

export interface CheckedAnswer {
  question_id: number;
  value: AnswerValue;
  comment: string | null;
}

/** `value: null` when the answer counts as skipped. */
export type Parsed = { value: AnswerValue | null } | { error: string };

export type Checked =
  | { ok: true; answers: CheckedAnswer[] }
  | { ok: false; field: string; message: string };

// ---- Rust's character classes -------------------------------------------------------

/** `char::is_whitespace` (Unicode White_Space); unlike JS `trim`, U+FEFF is not in it. */
function isWhitespace(c: number): boolean {
  return (
    (c >= 0x9 && c <= 0xd) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** `char::is_control` (general category Cc). */
function isControl(c: number): boolean {
  return c <= 0x1f || (c >= 0x7f && c <= 0x9f);
}

/** Characters that show nothing (`sentiment::is_blank`). */
function isInvisible(c: number): boolean {
  return (
    c === 0xad ||
    c === 0x34f ||
    c === 0x61c ||
    c === 0x115f ||
    c === 0x1160 ||
    c === 0x17b4 ||
    c === 0x17b5 ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) ||
    c === 0x3164 ||
    (c >= 0xfe00 && c <= 0xfe0f) ||
    c === 0xfeff ||
    c === 0xffa0
  );
}

/** Code points (Rust `chars()`), not UTF-16 units. */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) as number);
  return out;
}

function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `str::trim`. Every White_Space character is in the BMP, so UTF-16 units will do. */
export function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWhitespace(s.charCodeAt(a))) a++;
  while (b > a && isWhitespace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

export function isBlank(s: string): boolean {
  return codePoints(s).every((c) => isWhitespace(c) || isInvisible(c));
}

// Built at run time so that the bundler leaves them alone.
const ALNUM = new RegExp('[\\p{Alphabetic}\\p{N}]', 'u');
const GRAPHEME_EXTEND = new RegExp('\\p{Grapheme_Extend}', 'u');
const UNPRINTABLE = new RegExp('[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}\\p{Zs}]', 'u');

/** A string as Rust's `{:?}` writes it: quoted, with `\"`, `\\`, `\n`… and `\u{…}` escapes. */
export function rustDebug(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c === 0) out += '\\0';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch !== ' ' && (GRAPHEME_EXTEND.test(ch) || UNPRINTABLE.test(ch))) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

function utf8Length(s: string): number {
  let n = 0;
  for (const c of codePoints(s)) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  return n;
}

/** A pragmatic address check: one `@`, a plausible local part and a dotted domain. */
export function isEmail(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at < 0) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  return (
    local !== '' &&
    utf8Length(local) <= 64 &&
    !local.includes('@') &&
    !codePoints(s).some((c) => isWhitespace(c) || isControl(c)) &&
    domain.includes('.') &&
    domain
      .split('.')
      .every(
        (l) =>
          l !== '' &&
          !l.startsWith('-') &&
          !l.endsWith('-') &&
          codePoints(l).every((c) => c === 0x2d || ALNUM.test(String.fromCodePoint(c))),
      )
  );
}

// ---- answers --------------------------------------------------------------------------

const isChoice = (q: Question) => q.type === 'SINGLE_CHOICE' || q.type === 'MULTIPLE_CHOICE';

function maxTextChars(q: Question): number {
  return q.type === 'LONG_TEXT' ? 5000 : q.type === 'EMAIL' ? 254 : 500;
}

/** Lowest and highest accepted number for NPS and RATING. */
export function scaleOf(q: Question): [number, number] | null {
  if (q.type === 'NPS') return [0, 10];
  if (q.type === 'RATING') return [1, (q.scale && q.scale[1]) || 5];
  return null;
}

/** The typed value of one answer; `{value: null}` when it counts as skipped. */
export function parseAnswer(q: Question, raw: unknown, otherRaw?: string | null): Parsed {
  const value = raw === undefined ? null : raw;
  const o = otherRaw == null ? '' : trim(otherRaw);
  const other = o === '' ? null : o;
  if (other !== null && !(isChoice(q) && q.allow_other)) {
    return { error: 'this question has no "other" answer' };
  }
  switch (q.type) {
    case 'STATEMENT':
      return value === null ? { value: null } : { error: 'a statement takes no answer' };
    case 'SHORT_TEXT':
    case 'LONG_TEXT':
    case 'EMAIL': {
      if (value === null) return { value: null };
      if (typeof value !== 'string') return { error: 'the answer must be text' };
      const text = trim(value);
      if (isBlank(text)) return { value: null };
      const max = maxTextChars(q);
      if (charCount(text) > max) return { error: `text too long (at most ${max} characters)` };
      if (codePoints(text).some((c) => isControl(c) && c !== 0xa && c !== 0x9 && c !== 0xd)) {
        return { error: 'text contains control characters' };
      }
      if (q.type === 'EMAIL' && !isEmail(text)) {
        return { error: `${rustDebug(text)} is not a valid email address` };
      }
      return { value: { kind: 'text', text } };
    }
    case 'NPS':
    case 'RATING': {
      const scale = scaleOf(q) as [number, number];
      const low = scale[0];
      const high = scale[1];
      if (value === null) return { value: null };
      if (typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high) {
        return { value: { kind: 'number', number: value } };
      }
      return { error: `${q.type} answer must be a whole number from ${low} to ${high}` };
    }
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE': {
      let picked: string[];
      if (value === null) picked = [];
      else if (q.type === 'SINGLE_CHOICE' && typeof value === 'string') picked = [value];
      else if (q.type === 'MULTIPLE_CHOICE' && Array.isArray(value)) {
        picked = [];
        for (const item of value) {
          if (typeof item !== 'string') return { error: 'choices must be text' };
          picked.push(item);
        }
      } else if (q.type === 'SINGLE_CHOICE') return { error: 'the answer must be one option' };
      else return { error: 'the answer must be a list of options' };
      const options = q.options || [];
      const selected: string[] = [];
      for (const p of picked) {
        const t = trim(p);
        const option = options.find((x) => x === t);
        if (option === undefined) return { error: `choice ${rustDebug(p)} is not offered` };
        if (selected.includes(option)) return { error: `choice ${rustDebug(p)} is selected twice` };
        selected.push(option);
      }
      if (q.type === 'SINGLE_CHOICE' && selected.length + (other !== null ? 1 : 0) > 1) {
        return { error: 'pick one option or "other", not both' };
      }
      if (other !== null && charCount(other) > MAX_COMMENT_CHARS) {
        return { error: `"other" text too long (at most ${MAX_COMMENT_CHARS} characters)` };
      }
      if (selected.length === 0 && other === null) return { value: null };
      return { value: { kind: 'choices', selected, other } };
    }
  }
  return { error: 'unknown question type' };
}

// ---- logic ----------------------------------------------------------------------------

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Rust's `str::parse::<f64>` for the finite numbers (inf and NaN never equal an answer). */
function parseNumber(s: string): number | null {
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s) ? Number(s) : null;
}

/** Whether a logic rule matches an answer (or its absence, `null`). */
export function ruleMatches(rule: LogicRule, answer: AnswerValue | null): boolean {
  const op = rule.operator;
  if (op === 'ALWAYS') return true;
  if (op === 'ANSWERED') return answer !== null;
  if (op === 'SKIPPED') return answer === null;
  if (answer === null) return false;
  const value = typeof rule.value === 'string' ? trim(rule.value) : null;
  const values = rule.values || [];
  const num = typeof rule.number === 'number' ? rule.number : null;
  switch (answer.kind) {
    case 'text':
      if (op === 'EQUALS') return value !== null && asciiLower(answer.text) === asciiLower(value);
      if (op === 'CONTAINS') return value !== null && answer.text.toLowerCase().includes(value.toLowerCase());
      return false;
    case 'choices':
      if (op === 'EQUALS') return value !== null && answer.selected.includes(value);
      if (op === 'ONE_OF') return answer.selected.some((s) => values.some((v) => trim(v) === s));
      return false;
    case 'number': {
      const n = answer.number;
      if (op === 'EQUALS') return num !== null && n === num;
      if (op === 'ONE_OF') return values.some((v) => parseNumber(trim(v)) === n);
      if (op === 'LESS_THAN') return num !== null && n < num;
      if (op === 'GREATER_THAN') return num !== null && n > num;
      return false;
    }
  }
}

/**
 * Where the visitor goes after question `index` given its answer (`null`: skipped): the
 * first matching rule jumps to its `go_to` or ends the survey (no `go_to`); no match, or a
 * target that is not later in the survey, goes on to the next question. -1 ends.
 */
export function nextIndex(questions: Question[], index: number, answer: AnswerValue | null): number {
  const rule = (questions[index].logic || []).find((r) => ruleMatches(r, answer));
  let next = index + 1;
  if (rule) {
    if (rule.go_to == null) return -1;
    const key = rule.go_to;
    const t = questions.findIndex((q) => q.key === key);
    if (t > index) next = t;
  }
  return next < questions.length ? next : -1;
}

/**
 * The questions (by index) these answers lead through. A partial response's path stops
 * at its last answer once every answer has been met; an answer off the path keeps the
 * walk going to the end (as the server does).
 */
export function path(questions: Question[], answers: Map<number, AnswerValue>, complete: boolean): number[] {
  const unmet = new Set(answers.keys());
  const visited: number[] = [];
  let i = 0;
  while (i >= 0 && i < questions.length) {
    if (!complete && unmet.size === 0) break;
    const q = questions[i];
    visited.push(i);
    unmet.delete(q.id);
    i = nextIndex(questions, i, answers.get(q.id) || null);
  }
  return visited;
}

/**
 * Checks every answer for its question and the whole for a valid path, with the server's
 * field and message on the first problem.
 */
export function checkResponse(questions: Question[], answers: SubmittedAnswer[], complete: boolean): Checked {
  const byId = new Map<number, number>();
  questions.forEach((q, i) => byId.set(q.id, i));
  const reject = (q: Question, message: string): Checked => ({
    ok: false,
    field: `answers.${q.id}`,
    message: `question ${q.id} (${rustDebug(q.prompt)}): ${message}`,
  });
  const typed = new Map<number, CheckedAnswer>();
  for (const a of answers) {
    const index = byId.get(a.question_id);
    if (index === undefined) {
      return {
        ok: false,
        field: `answers.${a.question_id}`,
        message: `question ${a.question_id} is not part of this survey`,
      };
    }
    const q = questions[index];
    if (typed.has(q.id)) return reject(q, 'answered twice');
    const c = a.comment == null ? '' : trim(a.comment);
    const comment = c === '' ? null : c;
    if (comment !== null && charCount(comment) > MAX_COMMENT_CHARS) {
      return reject(q, `comment too long (at most ${MAX_COMMENT_CHARS} characters)`);
    }
    const parsed = parseAnswer(q, a.value, a.other);
    if ('error' in parsed) return reject(q, parsed.error);
    if (parsed.value !== null) typed.set(q.id, { question_id: q.id, value: parsed.value, comment });
  }
  const values = new Map<number, AnswerValue>();
  typed.forEach((a, id) => values.set(id, a.value));
  const visited = path(questions, values, complete);
  const missing = visited.find((i) => questions[i].required && !values.has(questions[i].id));
  if (missing !== undefined) return reject(questions[missing], 'missing required answer');
  const onPath = new Set(visited.map((i) => questions[i].id));
  const off = questions.find((q) => values.has(q.id) && !onPath.has(q.id));
  if (off) return reject(off, 'invalid path: the earlier answers do not lead to this question');
  const out = Array.from(typed.values());
  out.sort((a, b) => (byId.get(a.question_id) as number) - (byId.get(b.question_id) as number));
  return { ok: true, answers: out };
}
