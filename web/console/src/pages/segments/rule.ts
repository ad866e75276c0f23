// The segment builder's model: a tree of AND/OR groups and typed conditions, to and from the
// rule's JSON form (README "Segments"), with the operators each field type allows and the
// checks the server makes at save time (so the live count only asks for valid rules).
// Pure, so node:test checks it.

export type AttrType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATE';
export type GroupOp = 'and' | 'or';

/** What a value input looks like for an operator. */
export type ValueKind = 'none' | 'text' | 'list' | 'number' | 'number2' | 'date' | 'date2' | 'days' | 'device' | 'country';

export interface Group {
  kind: 'group';
  id: number;
  op: GroupOp;
  children: Node[];
}

export interface Condition {
  kind: 'cond';
  id: number;
  /** `attr:<name>`, `visit:<FACT>`, `responded` or `sentiment`. */
  field: string;
  operator: string;
  value: string;
  /** The second bound of BETWEEN. */
  value2: string;
}

/** A condition the builder cannot edit (an answer condition): kept as it is. */
export interface Raw {
  kind: 'raw';
  id: number;
  json: unknown;
}

export type Node = Group | Condition | Raw;

export const MAX_DEPTH = 5;
export const MAX_CONDITIONS = 50;

let nextId = 1;
const id = () => nextId++;

export const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
export const SENTIMENTS = ['POSITIVE', 'NEUTRAL', 'NEGATIVE'] as const;
const VISIT_FACTS = ['DEVICE', 'COUNTRY', 'FIRST_SEEN', 'LAST_SEEN', 'SESSIONS'] as const;

export interface OperatorInfo {
  value: string;
  label: string;
  input: ValueKind;
}

const op = (value: string, label: string, input: ValueKind): OperatorInfo => ({ value, label, input });
const SET = [op('IS_SET', 'is set', 'none'), op('IS_NOT_SET', 'is not set', 'none')];
const STRING_OPS = [
  op('EQUALS', 'equals', 'text'),
  op('NOT_EQUALS', 'does not equal', 'text'),
  op('CONTAINS', 'contains', 'text'),
  op('NOT_CONTAINS', 'does not contain', 'text'),
  op('STARTS_WITH', 'starts with', 'text'),
  op('ENDS_WITH', 'ends with', 'text'),
  op('IN', 'is one of', 'list'),
  op('NOT_IN', 'is none of', 'list'),
  ...SET,
];
const NUMBER_OPS = [
  op('EQ', '=', 'number'),
  op('NEQ', '≠', 'number'),
  op('GT', '>', 'number'),
  op('GTE', '≥', 'number'),
  op('LT', '<', 'number'),
  op('LTE', '≤', 'number'),
  op('BETWEEN', 'between', 'number2'),
];
const BOOL_OPS = [op('IS_TRUE', 'is true', 'none'), op('IS_FALSE', 'is false', 'none'), ...SET];
const DATE_OPS = [
  op('BEFORE', 'before', 'date'),
  op('AFTER', 'after', 'date'),
  op('BETWEEN', 'between', 'date2'),
  op('WITHIN_LAST_DAYS', 'within the last … days', 'days'),
  op('MORE_THAN_DAYS_AGO', 'more than … days ago', 'days'),
];
const factOps = (input: ValueKind) => [
  op('EQUALS', 'is', input),
  op('NOT_EQUALS', 'is not', input),
  op('IN', 'is one of', 'list'),
  op('NOT_IN', 'is none of', 'list'),
  ...SET,
];

/** The operators a field allows (the server's table), in the order the menu shows them. */
export function operatorsFor(field: string, attributes: ReadonlyMap<string, AttrType>): OperatorInfo[] {
  if (field.startsWith('attr:')) {
    switch (attributes.get(field.slice(5))) {
      case 'NUMBER':
        return [...NUMBER_OPS, ...SET];
      case 'BOOLEAN':
        return BOOL_OPS;
      case 'DATE':
        return [...DATE_OPS, ...SET];
      default:
        return STRING_OPS;
    }
  }
  switch (field) {
    case 'visit:DEVICE':
      return factOps('device');
    case 'visit:COUNTRY':
      return factOps('country');
    case 'visit:FIRST_SEEN':
    case 'visit:LAST_SEEN':
      return DATE_OPS;
    case 'visit:SESSIONS':
      return NUMBER_OPS;
    case 'responded':
      // `value` is the survey id ('' = any survey), `value2` the days ('' = ever).
      return [op('RESPONDED', 'answered', 'none')];
    case 'sentiment':
      return SENTIMENTS.map((s) => op(s, `wrote a ${s.toLowerCase()} answer`, 'none'));
    default:
      return [];
  }
}

export function inputFor(c: Condition, attributes: ReadonlyMap<string, AttrType>): ValueKind {
  return operatorsFor(c.field, attributes).find((o) => o.value === c.operator)?.input ?? 'none';
}

export function newCondition(field: string, attributes: ReadonlyMap<string, AttrType>): Condition {
  const first = operatorsFor(field, attributes)[0];
  return { kind: 'cond', id: id(), field, operator: first?.value ?? '', value: '', value2: '' };
}

export function newGroup(op: GroupOp = 'and', children: Node[] = []): Group {
  return { kind: 'group', id: id(), op, children };
}

/** A condition after its field changed: the operator stays if the new field allows it. */
export function withField(c: Condition, field: string, attributes: ReadonlyMap<string, AttrType>): Condition {
  const ops = operatorsFor(field, attributes);
  const keep = ops.find((o) => o.value === c.operator);
  return { ...c, field, operator: keep ? keep.value : ops[0]?.value ?? '', value: keep ? c.value : '', value2: keep ? c.value2 : '' };
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The JSON value of a condition's inputs (assumes `problems` found none). */
function valueJson(input: ValueKind, c: Condition): unknown {
  switch (input) {
    case 'text':
    case 'date':
      return c.value.trim();
    case 'device':
      return c.value;
    case 'country':
      return c.value.trim().toUpperCase();
    case 'list':
      return c.field === 'visit:COUNTRY' ? list(c.value).map((x) => x.toUpperCase()) : list(c.value);
    case 'number':
      return Number(c.value);
    case 'number2':
      return [Number(c.value), Number(c.value2)];
    case 'date2':
      return [c.value.trim(), c.value2.trim()];
    case 'days':
      return Number(c.value);
    default:
      return undefined;
  }
}

/** The rule's JSON form of a tree. */
export function toJson(n: Node, attributes: ReadonlyMap<string, AttrType>): unknown {
  if (n.kind === 'group') return { [n.op]: n.children.map((c) => toJson(c, attributes)) };
  if (n.kind === 'raw') return n.json;
  if (n.field === 'responded') {
    return { responded: { survey_id: n.value ? Number(n.value) : null, within_days: n.value2.trim() ? Number(n.value2) : null } };
  }
  if (n.field === 'sentiment') return { sentiment: { question_id: null, value: n.operator } };
  const input = inputFor(n, attributes);
  const out: Record<string, unknown> = n.field.startsWith('attr:') ? { attribute: n.field.slice(5) } : { visit: n.field.slice(6) };
  out.operator = n.operator;
  if (input !== 'none') out.value = valueJson(input, n);
  return out;
}

function asText(v: unknown): string {
  if (v == null) return '';
  if (Array.isArray(v)) return v.map(asText).join(', ');
  return String(v);
}

/** A tree from the rule's JSON form; conditions the builder does not edit become `raw`. */
export function fromJson(v: unknown, attributes: ReadonlyMap<string, AttrType>): Group {
  const node = parse(v, attributes);
  return node.kind === 'group' ? node : newGroup('and', [node]);
}

function parse(v: unknown, attributes: ReadonlyMap<string, AttrType>): Node {
  const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  if (!o) return { kind: 'raw', id: id(), json: v };
  for (const key of ['and', 'or'] as const) {
    if (Array.isArray(o[key])) return newGroup(key, (o[key] as unknown[]).map((c) => parse(c, attributes)));
  }
  const cond = (field: string, operator: string, value: unknown): Condition => {
    const c: Condition = { kind: 'cond', id: id(), field, operator, value: '', value2: '' };
    if (Array.isArray(value) && (operator === 'BETWEEN')) {
      c.value = asText(value[0]);
      c.value2 = asText(value[1]);
    } else {
      c.value = asText(value);
    }
    return c;
  };
  if (typeof o.attribute === 'string' && typeof o.operator === 'string') {
    let value = o.value;
    // Dates come back as given; keep only the day when that is all it says.
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T00:00:00(\.0+)?Z$/.test(value)) value = value.slice(0, 10);
    return cond('attr:' + o.attribute, o.operator, value);
  }
  if (typeof o.visit === 'string' && (VISIT_FACTS as readonly string[]).includes(o.visit) && typeof o.operator === 'string')
    return cond('visit:' + o.visit, o.operator, o.value);
  const r = o.responded as Record<string, unknown> | undefined;
  if (r && typeof r === 'object') {
    return { kind: 'cond', id: id(), field: 'responded', operator: 'RESPONDED', value: asText(r.survey_id), value2: asText(r.within_days) };
  }
  const s = o.sentiment as Record<string, unknown> | undefined;
  if (s && typeof s === 'object' && (s.question_id == null) && typeof s.value === 'string') {
    return { kind: 'cond', id: id(), field: 'sentiment', operator: s.value, value: '', value2: '' };
  }
  return { kind: 'raw', id: id(), json: v };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isNum = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));
const isDays = (s: string) => /^\d+$/.test(s.trim()) && Number(s) <= 36_500;

/** What is wrong with one condition's inputs, or null. */
export function conditionProblem(c: Condition, attributes: ReadonlyMap<string, AttrType>): string | null {
  if (!c.field) return 'Pick a field.';
  if (c.field.startsWith('attr:') && !attributes.has(c.field.slice(5))) return `No visitor of this site sent the attribute “${c.field.slice(5)}”.`;
  const ops = operatorsFor(c.field, attributes);
  if (!ops.some((o) => o.value === c.operator)) return 'Pick an operator.';
  if (c.field === 'responded') return c.value2.trim() && !isDays(c.value2) ? 'Days: a whole number (up to 36500).' : null;
  switch (inputFor(c, attributes)) {
    case 'text':
      return c.value.trim() ? null : 'Enter a value.';
    case 'list':
      return list(c.value).length === 0 ? 'Enter one or more values, separated by commas.' : list(c.value).length > 100 ? 'At most 100 values.' : null;
    case 'device':
      return (DEVICES as readonly string[]).includes(c.value) ? null : 'Pick a device.';
    case 'country':
      return /^[A-Za-z]{2}$/.test(c.value.trim()) ? null : 'A two-letter country code, e.g. FR.';
    case 'number':
      return isNum(c.value) ? null : 'Enter a number.';
    case 'number2':
      if (!isNum(c.value) || !isNum(c.value2)) return 'Enter both numbers.';
      return Number(c.value) > Number(c.value2) ? 'The first number must not be above the second.' : null;
    case 'date':
      return DAY.test(c.value.trim()) ? null : 'Pick a date.';
    case 'date2':
      if (!DAY.test(c.value.trim()) || !DAY.test(c.value2.trim())) return 'Pick both dates.';
      return c.value > c.value2 ? 'The first date must not be after the second.' : null;
    case 'days':
      return isDays(c.value) ? null : 'Days: a whole number (up to 36500).';
    default:
      return null;
  }
}

/** Problems by node id (conditions and groups), and the whole rule's ones under id 0. */
export function problems(root: Group, attributes: ReadonlyMap<string, AttrType>): Map<number, string> {
  const out = new Map<number, string>();
  let conditions = 0;
  const walk = (n: Node, depth: number) => {
    if (n.kind === 'group') {
      if (n.children.length === 0) out.set(n.id, 'A group needs at least one condition.');
      if (depth > MAX_DEPTH) out.set(n.id, `Groups nest at most ${MAX_DEPTH} deep.`);
      n.children.forEach((c) => walk(c, depth + 1));
      return;
    }
    conditions++;
    if (n.kind === 'cond') {
      const p = conditionProblem(n, attributes);
      if (p) out.set(n.id, p);
    }
  };
  walk(root, 1);
  if (conditions > MAX_CONDITIONS) out.set(0, `A rule has at most ${MAX_CONDITIONS} conditions.`);
  return out;
}

/** The server's path of every node (`rule.and[1].or[0]`), to place its save-time errors. */
export function paths(root: Group, base = 'rule'): Map<number, string> {
  const out = new Map<number, string>();
  const walk = (n: Node, path: string) => {
    out.set(n.id, path);
    if (n.kind === 'group') n.children.forEach((c, i) => walk(c, `${path}.${n.op}[${i}]`));
  };
  walk(root, base);
  return out;
}

/** The node an error's field points at: the deepest node whose path starts it. */
export function nodeForField(root: Group, field: string | undefined, base = 'rule'): number | null {
  if (!field) return null;
  let best: [number, number] | null = null;
  for (const [nid, p] of paths(root, base)) {
    if ((field === p || field.startsWith(p + '.') || field.startsWith(p + '[')) && (!best || p.length > best[1])) best = [nid, p.length];
  }
  return best ? best[0] : null;
}

/** The tree with one node replaced (or removed, with `null`). */
export function replace(root: Group, nid: number, next: Node | null): Group {
  const walk = (n: Node): Node | null => {
    if (n.id === nid) return next;
    if (n.kind !== 'group') return n;
    return { ...n, children: n.children.map(walk).filter((c): c is Node => c !== null) };
  };
  return (walk(root) as Group | null) ?? newGroup();
}

export function depthOf(root: Group, nid: number): number {
  let found = 0;
  const walk = (n: Node, d: number) => {
    if (n.id === nid) found = d;
    if (n.kind === 'group') n.children.forEach((c) => walk(c, d + 1));
  };
  walk(root, 1);
  return found;
}
