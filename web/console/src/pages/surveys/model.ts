// The survey builder's pure rules: the editable draft, its conversion from the API's Survey
// and to CreateSurveyInput / UpdateSurveyInput, which logic operators fit which question type
// (the server's `validate_rule`), the readable path view, the preview's widget (the browser
// tag's wire shape) and where an API error's `extensions.field` points. No DOM here.
import type {
  Frequency,
  LogicOperator,
  QuestionInput,
  QuestionType,
  SurveyDistribution,
  SurveyKind,
  TargetingInput,
  UrlMatch,
} from '../../gql/graphql';

export interface DraftRule {
  uid: string;
  operator: LogicOperator;
  /** EQUALS / CONTAINS on text and choices. */
  value: string;
  /** ONE_OF: options (choices) or numbers as text (scales). */
  values: string[];
  /** EQUALS / LESS_THAN / GREATER_THAN on scales, as typed. */
  number: string;
  /** A later question's key; null ends the survey. */
  goTo: string | null;
}

export interface DraftQuestion {
  uid: string;
  /** The stored question (its answers stay attached); absent for a new one. */
  id?: string;
  key: string;
  type: QuestionType;
  prompt: string;
  required: boolean;
  options: string[];
  allowOther: boolean;
  scaleMax: 5 | 7;
  lowLabel: string;
  highLabel: string;
  /** '' = the default style. */
  displayStyle: string;
  logic: DraftRule[];
}

export interface DraftUrlRule {
  uid: string;
  kind: UrlMatch;
  value: string;
  exclude: boolean;
}

export interface DraftTargeting {
  urlRules: DraftUrlRule[];
  devices: string[];
  samplingPercent: string;
  /** `datetime-local` values in the viewer's zone; '' = none. */
  startsAt: string;
  endsAt: string;
  frequency: Frequency;
  segmentId: string;
}

export interface Draft {
  kind: SurveyKind;
  name: string;
  thankYou: string;
  distribution: SurveyDistribution;
  /** One name a line. */
  hiddenFields: string;
  questions: DraftQuestion[];
  targeting: DraftTargeting;
}

export const QUESTION_TYPES: { value: QuestionType; label: string; hint: string }[] = [
  { value: 'SINGLE_CHOICE', label: 'Single choice', hint: 'One option (radio buttons or a dropdown).' },
  { value: 'MULTIPLE_CHOICE', label: 'Multiple choice', hint: 'Any number of options (checkboxes).' },
  { value: 'NPS', label: 'Net Promoter Score (0–10)', hint: '“How likely are you to recommend…”, scored 0 to 10.' },
  { value: 'RATING', label: 'Rating (1–5 or 1–7)', hint: 'Stars, faces or numbers.' },
  { value: 'SHORT_TEXT', label: 'Short text', hint: 'One line, up to 500 characters (sentiment scored).' },
  { value: 'LONG_TEXT', label: 'Long text', hint: 'A paragraph, up to 5000 characters (sentiment scored).' },
  { value: 'EMAIL', label: 'Email address', hint: 'Checked as an email address.' },
  { value: 'STATEMENT', label: 'Statement', hint: 'Text to read, nothing to answer.' },
];

export function typeLabel(t: QuestionType): string {
  return QUESTION_TYPES.find((x) => x.value === t)?.label ?? t;
}

export const isChoice = (t: QuestionType) => t === 'SINGLE_CHOICE' || t === 'MULTIPLE_CHOICE';
export const isScale = (t: QuestionType) => t === 'NPS' || t === 'RATING';
export const isText = (t: QuestionType) => t === 'SHORT_TEXT' || t === 'LONG_TEXT' || t === 'EMAIL';

/** The operators the server accepts for a question type (`definition.rs`, `validate_rule`). */
export function operatorsFor(t: QuestionType): LogicOperator[] {
  if (t === 'STATEMENT') return ['ALWAYS'];
  if (isChoice(t)) return ['EQUALS', 'ONE_OF', 'ANSWERED', 'SKIPPED', 'ALWAYS'];
  if (isScale(t)) return ['LESS_THAN', 'GREATER_THAN', 'EQUALS', 'ONE_OF', 'ANSWERED', 'SKIPPED', 'ALWAYS'];
  return ['EQUALS', 'CONTAINS', 'ANSWERED', 'SKIPPED', 'ALWAYS'];
}

export function operatorLabel(op: LogicOperator, t: QuestionType): string {
  const scale = isScale(t);
  switch (op) {
    case 'EQUALS':
      return scale ? 'score is' : 'answer is';
    case 'ONE_OF':
      return scale ? 'score is one of' : 'answer is one of';
    case 'CONTAINS':
      return 'answer contains';
    case 'LESS_THAN':
      return 'score is below';
    case 'GREATER_THAN':
      return 'score is above';
    case 'ANSWERED':
      return 'is answered';
    case 'SKIPPED':
      return 'is skipped';
    case 'ALWAYS':
      return 'always';
  }
}

let seq = 0;
/** A client-side id for list keys (never sent). */
export function uid(): string {
  seq += 1;
  return `u${seq}`;
}

/** The first `qN` not taken. */
export function freshKey(questions: { key: string }[]): string {
  const taken = new Set(questions.map((q) => q.key));
  for (let n = questions.length + 1; ; n++) if (!taken.has(`q${n}`)) return `q${n}`;
}

export function newQuestion(type: QuestionType, questions: { key: string }[]): DraftQuestion {
  return {
    uid: uid(),
    key: freshKey(questions),
    type,
    prompt: '',
    required: type !== 'STATEMENT',
    options: isChoice(type) ? ['', ''] : [],
    allowOther: false,
    scaleMax: 5,
    lowLabel: '',
    highLabel: '',
    displayStyle: '',
    logic: [],
  };
}

export function newRule(q: DraftQuestion): DraftRule {
  const op = operatorsFor(q.type)[0]!;
  return { uid: uid(), operator: op, value: '', values: [], number: '', goTo: null };
}

/** A question switched to another type keeps what still applies. */
export function changeType(q: DraftQuestion, type: QuestionType): DraftQuestion {
  const ops = operatorsFor(type);
  return {
    ...q,
    type,
    required: type === 'STATEMENT' ? false : q.required,
    options: isChoice(type) ? (q.options.length ? q.options : ['', '']) : [],
    allowOther: isChoice(type) ? q.allowOther : false,
    displayStyle: '',
    lowLabel: isScale(type) ? q.lowLabel : '',
    highLabel: isScale(type) ? q.highLabel : '',
    logic: q.logic.filter((r) => ops.includes(r.operator) && (isScale(type) === isScale(q.type) || r.operator === 'ALWAYS' || r.operator === 'ANSWERED' || r.operator === 'SKIPPED')),
  };
}

export function emptyTargeting(): DraftTargeting {
  return { urlRules: [], devices: [], samplingPercent: '100', startsAt: '', endsAt: '', frequency: 'UNTIL_RESPONDED', segmentId: '' };
}

export function emptyDraft(kind: SurveyKind = 'SURVEY'): Draft {
  const first = newQuestion(kind === 'POLL' ? 'SINGLE_CHOICE' : 'NPS', []);
  return { kind, name: '', thankYou: '', distribution: 'SITE', hiddenFields: '', questions: [first], targeting: emptyTargeting() };
}

// ---- dates (datetime-local ↔ ISO, in the viewer's zone) -----------------------------------

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO instant → `YYYY-MM-DDTHH:MM` in the viewer's zone (for `<input type=datetime-local>`). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `datetime-local` value (viewer's zone) → ISO instant; null when empty or invalid. */
export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

// ---- from the API ------------------------------------------------------------------------

export interface ApiRule {
  operator: LogicOperator;
  value: string | null;
  values: string[];
  number: number | null;
  goTo: string | null;
}
export interface ApiQuestion {
  id: string;
  key: string;
  type: QuestionType;
  prompt: string;
  required: boolean;
  options: string[];
  allowOther: boolean;
  scaleMax: number | null;
  lowLabel: string | null;
  highLabel: string | null;
  displayStyle: string | null;
  logic: ApiRule[];
}
export interface ApiSurvey {
  kind: SurveyKind;
  name: string;
  thankYou: string | null;
  distribution: SurveyDistribution;
  hiddenFields: string[];
  questions: ApiQuestion[];
  targeting: {
    urlRules: { kind: UrlMatch; value: string; exclude: boolean }[];
    devices: string[];
    samplingPercent: number;
    startsAt: string | null;
    endsAt: string | null;
    frequency: Frequency;
    segmentId: string | null;
  };
}

export function draftFromSurvey(s: ApiSurvey): Draft {
  return {
    kind: s.kind,
    name: s.name,
    thankYou: s.thankYou ?? '',
    distribution: s.distribution,
    hiddenFields: s.hiddenFields.join('\n'),
    questions: s.questions.map((q) => ({
      uid: uid(),
      id: q.id,
      key: q.key,
      type: q.type,
      prompt: q.prompt,
      required: q.required,
      options: [...q.options],
      allowOther: q.allowOther,
      scaleMax: q.scaleMax === 7 ? 7 : 5,
      lowLabel: q.lowLabel ?? '',
      highLabel: q.highLabel ?? '',
      displayStyle: q.displayStyle ?? '',
      logic: q.logic.map((r) => ({
        uid: uid(),
        operator: r.operator,
        value: r.value ?? '',
        values: [...r.values],
        number: r.number == null ? '' : String(r.number),
        goTo: r.goTo,
      })),
    })),
    targeting: {
      urlRules: s.targeting.urlRules.map((r) => ({ uid: uid(), ...r })),
      devices: [...s.targeting.devices],
      samplingPercent: String(s.targeting.samplingPercent),
      startsAt: toLocalInput(s.targeting.startsAt),
      endsAt: toLocalInput(s.targeting.endsAt),
      frequency: s.targeting.frequency,
      segmentId: s.targeting.segmentId ?? '',
    },
  };
}

// ---- to the API --------------------------------------------------------------------------

const blankToNull = (s: string) => (s.trim() ? s.trim() : null);

function ruleInput(q: DraftQuestion, r: DraftRule) {
  const scale = isScale(q.type);
  const out: { operator: LogicOperator; value?: string | null; values?: string[]; number?: number | null; goTo: string | null } = {
    operator: r.operator,
    goTo: r.goTo,
  };
  if (r.operator === 'EQUALS' || r.operator === 'LESS_THAN' || r.operator === 'GREATER_THAN') {
    if (scale) out.number = r.number.trim() === '' ? null : Number(r.number);
    else out.value = r.value;
  } else if (r.operator === 'CONTAINS') out.value = r.value;
  else if (r.operator === 'ONE_OF') out.values = r.values;
  return out;
}

export function questionInput(q: DraftQuestion): QuestionInput {
  const input: QuestionInput = {
    key: q.key.trim() || null,
    type: q.type,
    prompt: q.prompt,
    required: q.type === 'STATEMENT' ? false : q.required,
    logic: q.logic.map((r) => ruleInput(q, r)),
  };
  if (q.id) input.id = q.id;
  if (isChoice(q.type)) {
    input.options = q.options.map((o) => o.trim());
    input.allowOther = q.allowOther;
    if (q.displayStyle) input.displayStyle = q.displayStyle;
  }
  if (q.type === 'RATING') {
    input.scaleMax = q.scaleMax;
    if (q.displayStyle) input.displayStyle = q.displayStyle;
  }
  if (isScale(q.type)) {
    input.lowLabel = blankToNull(q.lowLabel);
    input.highLabel = blankToNull(q.highLabel);
  }
  return input;
}

export function parseLines(s: string): string[] {
  const out: string[] = [];
  for (const line of s.split(/\r?\n/)) {
    const t = line.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

export function targetingInput(t: DraftTargeting): TargetingInput {
  const pct = Number(t.samplingPercent);
  return {
    urlRules: t.urlRules.map((r) => ({ kind: r.kind, value: r.value, exclude: r.exclude })),
    devices: t.devices,
    samplingPercent: Number.isInteger(pct) ? pct : 100,
    startsAt: fromLocalInput(t.startsAt),
    endsAt: fromLocalInput(t.endsAt),
    frequency: t.frequency,
    segmentId: t.segmentId || null,
  };
}

/** The fields shared by create and update. */
export function surveyFields(d: Draft) {
  return {
    name: d.name.trim(),
    thankYou: d.thankYou.trim() ? d.thankYou.trim() : null,
    distribution: d.distribution,
    hiddenFields: d.distribution === 'LINK' ? parseLines(d.hiddenFields) : [],
    questions: d.questions.map(questionInput),
    targeting: targetingInput(d.targeting),
  };
}

// ---- checks before sending (the server stays the judge) ----------------------------------

/** Field path (the server's `extensions.field` form) → message. */
export type Problems = Record<string, string>;

export function checkDraft(d: Draft): Problems {
  const p: Problems = {};
  if (!d.name.trim()) p.name = 'Give it a name (only your team sees it).';
  if (d.kind === 'POLL' && d.questions.length > 5) p.questions = 'A poll has at most 5 questions.';
  if (d.questions.length > 100) p.questions = 'At most 100 questions.';
  const keys = d.questions.map((q) => q.key.trim());
  d.questions.forEach((q, i) => {
    const at = (f: string) => `questions[${i}].${f}`;
    if (!/^[A-Za-z0-9_-]{1,50}$/.test(q.key.trim())) p[at('key')] = "Use 1–50 letters, digits, '_' or '-'.";
    else if (keys.indexOf(q.key.trim()) !== i) p[at('key')] = `The key “${q.key.trim()}” is used twice.`;
    if (!q.prompt.trim()) p[at('prompt')] = q.type === 'STATEMENT' ? 'Write the text to show.' : 'Write the question.';
    if (isChoice(q.type)) {
      const opts = q.options.map((o) => o.trim());
      if (opts.length === 0) p[at('options')] = 'Add at least one option.';
      opts.forEach((o, j) => {
        if (!o) p[`questions[${i}].options[${j}]`] = 'Write the option or remove it.';
        else if (opts.indexOf(o) !== j) p[`questions[${i}].options[${j}]`] = `“${o}” is listed twice.`;
      });
    }
    q.logic.forEach((r, k) => {
      const f = `questions[${i}].logic[${k}]`;
      if (r.goTo !== null) {
        const t = keys.indexOf(r.goTo);
        if (t < 0) p[f] = 'The question it jumps to no longer exists: pick another.';
        else if (t <= i) p[f] = 'Logic may only jump forward: pick a later question.';
      }
      if (p[f]) return;
      const scale = isScale(q.type);
      if ((r.operator === 'EQUALS' && scale) || r.operator === 'LESS_THAN' || r.operator === 'GREATER_THAN') {
        if (r.number.trim() === '' || Number.isNaN(Number(r.number))) p[f] = 'Enter a number.';
      } else if (r.operator === 'EQUALS' || r.operator === 'CONTAINS') {
        if (!r.value.trim()) p[f] = isChoice(q.type) ? 'Pick an option.' : 'Enter the text to compare with.';
        else if (isChoice(q.type) && !q.options.some((o) => o.trim() === r.value.trim())) p[f] = 'Pick one of the options.';
      } else if (r.operator === 'ONE_OF') {
        if (r.values.length === 0) p[f] = scale ? 'Enter at least one number.' : 'Pick at least one option.';
        else if (scale && r.values.some((v) => Number.isNaN(Number(v)) || v.trim() === '')) p[f] = 'Only numbers, separated by commas.';
        else if (!scale && r.values.some((v) => !q.options.some((o) => o.trim() === v.trim()))) p[f] = 'Pick among the options.';
      }
    });
  });
  const t = d.targeting;
  t.urlRules.forEach((r, i) => {
    if (!r.value.trim()) p[`targeting.urlRules[${i}].value`] = 'Enter the address or pattern, or remove the rule.';
  });
  const pct = Number(t.samplingPercent);
  if (!Number.isInteger(pct) || pct < 0 || pct > 100) p['targeting.samplingPercent'] = 'A whole number from 0 to 100.';
  const s = fromLocalInput(t.startsAt);
  const e = fromLocalInput(t.endsAt);
  if (s && e && e <= s) p['targeting.endsAt'] = 'The schedule must end after it starts.';
  if (d.distribution === 'LINK') {
    parseLines(d.hiddenFields).forEach((h, i) => {
      if (!/^[A-Za-z0-9_-]{1,50}$/.test(h)) p.hiddenFields = `Hidden field ${i + 1}: use letters, digits, '_' or '-'.`;
    });
  }
  return p;
}

/**
 * The message for a field path from the server's error field: exact, or a deeper field
 * (`questions[0].options[2]` shows on `questions[0].options` when asked for with `deep`).
 */
export function problemAt(problems: Problems, path: string, deep = false): string | undefined {
  if (problems[path]) return problems[path];
  if (!deep) return undefined;
  for (const k of Object.keys(problems)) if (k.startsWith(path + '[') || k.startsWith(path + '.')) return problems[k];
  return undefined;
}

/** Renaming a key carries the logic rules that pointed at it. */
export function renameKey(questions: DraftQuestion[], index: number, key: string): DraftQuestion[] {
  const old = questions[index]!.key;
  return questions.map((q, i) => ({
    ...q,
    key: i === index ? key : q.key,
    logic: q.logic.map((r) => (r.goTo === old && old !== '' ? { ...r, goTo: key } : r)),
  }));
}

/** Removing a question removes the rules that jumped to it (they would be refused). */
export function removeQuestion(questions: DraftQuestion[], index: number): DraftQuestion[] {
  const key = questions[index]!.key;
  return questions.filter((_, i) => i !== index).map((q) => ({ ...q, logic: q.logic.filter((r) => r.goTo !== key) }));
}

export function moveQuestion(questions: DraftQuestion[], from: number, to: number): DraftQuestion[] {
  if (to < 0 || to >= questions.length) return questions;
  const out = [...questions];
  const [q] = out.splice(from, 1);
  out.splice(to, 0, q!);
  return out;
}

// ---- the readable path view ---------------------------------------------------------------

const quote = (s: string) => `“${s}”`;

/** "score is below 7", "answer is “No”", "always". */
export function describeRule(q: DraftQuestion, r: DraftRule): string {
  const label = operatorLabel(r.operator, q.type);
  switch (r.operator) {
    case 'EQUALS':
      return `${label} ${isScale(q.type) ? r.number || '?' : quote(r.value)}`;
    case 'LESS_THAN':
    case 'GREATER_THAN':
      return `${label} ${r.number || '?'}`;
    case 'CONTAINS':
      return `${label} ${quote(r.value)}`;
    case 'ONE_OF':
      return `${label} ${r.values.map((v) => (isScale(q.type) ? v : quote(v))).join(', ') || '?'}`;
    default:
      return label;
  }
}

export interface Branch {
  /** "if score is below 7", or "otherwise". */
  when: string;
  /** Target index, or -1 for the end. */
  to: number;
}

/** Where each answer can lead from question `i`, in the order the tag checks the rules. */
export function branches(questions: DraftQuestion[], i: number): Branch[] {
  const q = questions[i]!;
  const out: Branch[] = [];
  const next = i + 1 < questions.length ? i + 1 : -1;
  for (const r of q.logic) {
    let to = -1;
    if (r.goTo !== null) {
      const t = questions.findIndex((x) => x.key === r.goTo);
      to = t > i ? t : next;
    }
    if (r.operator === 'ALWAYS') {
      out.push({ when: out.length ? 'otherwise' : 'always', to });
      return out; // later rules and the default are never reached
    }
    out.push({ when: `if ${describeRule(q, r)}`, to });
  }
  out.push({ when: out.length ? 'otherwise' : 'next', to: next });
  return out;
}

export interface PathStep {
  /** Question index, or -1 for the end. */
  at: number;
  /** The condition that led here from the step before ('' for the first). */
  via: string;
}

/** Every distinct path through the survey (at most `limit`), each ending at -1. */
export function allPaths(questions: DraftQuestion[], limit = 12): { paths: PathStep[][]; more: boolean } {
  const paths: PathStep[][] = [];
  let more = false;
  if (!questions.length) return { paths, more };
  const walk = (trail: PathStep[]) => {
    if (paths.length >= limit) {
      more = true;
      return;
    }
    const last = trail[trail.length - 1]!;
    if (last.at < 0) {
      paths.push(trail);
      return;
    }
    const seen = new Set<number>();
    for (const b of branches(questions, last.at)) {
      if (seen.has(b.to)) continue; // two conditions to the same place: one path
      seen.add(b.to);
      walk([...trail, { at: b.to, via: b.when === 'next' || b.when === 'always' ? '' : b.when }]);
    }
  };
  walk([{ at: 0, via: '' }]);
  return { paths, more };
}

export const qLabel = (i: number) => (i < 0 ? 'End' : `Q${i + 1}`);

/** "Q1 → if score is below 7 → Q3 → End". */
export function pathText(path: PathStep[]): string {
  return path.map((s) => (s.via ? `${s.via} → ${qLabel(s.at)}` : qLabel(s.at))).join(' → ');
}

// ---- the preview: the tag's wire shape -----------------------------------------------------

export interface WidgetQuestion {
  id: number;
  key: string;
  type: QuestionType;
  prompt: string;
  required: boolean;
  options?: string[];
  allow_other?: boolean;
  scale?: [number, number];
  low_label?: string;
  high_label?: string;
  display_style?: 'STARS' | 'EMOJI' | 'NUMBERS' | 'LIST' | 'DROPDOWN';
  logic?: { operator: LogicOperator; value?: string; values?: string[]; number?: number; go_to?: string }[];
}

/** The draft as `/widgets` would send it to the tag (what the preview renders). */
export function toWidget(d: Draft) {
  const questions: WidgetQuestion[] = d.questions.map((q, i) => {
    const w: WidgetQuestion = {
      id: i + 1,
      key: q.key,
      type: q.type,
      prompt: q.prompt || (q.type === 'STATEMENT' ? 'Your text here' : 'Your question here'),
      required: q.type !== 'STATEMENT' && q.required,
    };
    if (isChoice(q.type)) {
      const opts = q.options.map((o, j) => o.trim() || `Option ${j + 1}`);
      w.options = opts.filter((o, j) => opts.indexOf(o) === j);
      w.allow_other = q.allowOther;
    }
    if (q.type === 'NPS') w.scale = [0, 10];
    if (q.type === 'RATING') w.scale = [1, q.scaleMax];
    if (isScale(q.type)) {
      if (q.lowLabel.trim()) w.low_label = q.lowLabel.trim();
      if (q.highLabel.trim()) w.high_label = q.highLabel.trim();
    }
    if (q.displayStyle) w.display_style = q.displayStyle as WidgetQuestion['display_style'];
    w.logic = q.logic.map((r) => {
      const x = ruleInput(q, r);
      const out: NonNullable<WidgetQuestion['logic']>[number] = { operator: x.operator };
      if (x.value != null) out.value = x.value;
      if (x.values) out.values = x.values;
      if (x.number != null && !Number.isNaN(x.number)) out.number = x.number;
      if (x.goTo != null) out.go_to = x.goTo;
      return out;
    });
    return w;
  });
  return {
    id: 0,
    kind: d.kind === 'POLL' ? ('poll' as const) : ('survey' as const),
    name: d.name,
    thank_you: d.thankYou.trim() || null,
    questions,
  };
}
