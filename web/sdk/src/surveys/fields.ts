// One question's controls: native inputs (radios in a fieldset for choices and scales, so
// arrow keys, Space and Tab behave as everywhere else), each with a label.

import type { Question } from '../common/types';
import { attr, h } from './dom';
import { scaleOf } from './logic';

export const PROMPT_ID = 'lp-prompt';
export const ERROR_ID = 'lp-error';

/** What a field holds, in the wire shape (`value`, `other`). */
export interface Raw {
  value: unknown;
  other?: string;
}

export interface Field {
  /** The prompt and the controls. */
  node: HTMLElement;
  focus(): void;
  read(): Raw;
  /** Presets a value (link prefill); anything that does not fit is ignored. */
  set(value: unknown): void;
  /** Marks the controls invalid (described by the error message) or valid again. */
  invalid(on: boolean): void;
}

const OTHER = '__loupe_other__';

function promptNode(q: Question, tag: 'label' | 'legend' | 'p', forId?: string): HTMLElement {
  const el = h(tag, { class: 'prompt', id: PROMPT_ID, dir: 'auto', for: forId }, q.prompt);
  if (q.required) el.append(h('span', { 'aria-hidden': 'true' }, ' *'));
  return el;
}

function markInvalid(els: Element[], on: boolean): void {
  for (const el of els) {
    attr(el, 'aria-invalid', on ? 'true' : null);
    const described = (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== ERROR_ID);
    if (on) described.push(ERROR_ID);
    attr(el, 'aria-describedby', described.length ? described.join(' ') : null);
  }
}

function textField(q: Question): Field {
  const long = q.type === 'LONG_TEXT';
  const input = long
    ? h('textarea', { id: 'lp-input', rows: 4, maxlength: 5000, dir: 'auto', 'aria-required': q.required ? 'true' : null })
    : h('input', {
        id: 'lp-input',
        type: q.type === 'EMAIL' ? 'email' : 'text',
        maxlength: q.type === 'EMAIL' ? 254 : 500,
        autocomplete: q.type === 'EMAIL' ? 'email' : 'off',
        dir: 'auto',
        'aria-required': q.required ? 'true' : null,
      });
  return {
    node: h('div', null, promptNode(q, 'label', 'lp-input'), input),
    focus: () => input.focus(),
    read: () => ({ value: input.value }),
    set: (v) => {
      if (typeof v === 'string') input.value = v;
    },
    invalid: (on) => markInvalid([input], on),
  };
}

/** A fieldset of radios or checkboxes, with an optional "Other" text box. */
function choiceList(q: Question, multiple: boolean): Field {
  const options = q.options || [];
  const type = multiple ? 'checkbox' : 'radio';
  const name = `lp-q${q.id}`;
  const boxes: HTMLInputElement[] = [];
  const rows: HTMLElement[] = options.map((o) => {
    const box = h('input', { type, name, value: o });
    boxes.push(box);
    return h('label', { class: 'opt' }, box, h('span', { dir: 'auto' }, o));
  });
  let otherBox: HTMLInputElement | null = null;
  let otherText: HTMLInputElement | null = null;
  if (q.allow_other) {
    const box = (otherBox = h('input', { type, name, value: OTHER }));
    boxes.push(box);
    rows.push(h('label', { class: 'opt' }, box, h('span', null, 'Other')));
    otherText = h('input', { type: 'text', class: 'other', 'aria-label': 'Other answer', maxlength: 1000, dir: 'auto', hidden: true });
    rows.push(otherText);
  }
  const set = h(
    'fieldset',
    { role: multiple ? null : 'radiogroup', 'aria-labelledby': PROMPT_ID, 'aria-required': !multiple && q.required ? 'true' : null },
    promptNode(q, 'legend'),
    ...rows,
  );
  const sync = () => {
    if (otherText && otherBox) otherText.hidden = !otherBox.checked;
  };
  set.addEventListener('change', sync);
  return {
    node: set,
    focus: () => (boxes.find((b) => b.checked) || boxes[0]).focus(),
    read: () => {
      const picked = boxes.filter((b) => b.checked && b !== otherBox).map((b) => b.value);
      const other = otherBox && otherBox.checked && otherText ? otherText.value : undefined;
      return { value: multiple ? picked : picked.length ? picked[0] : null, other };
    },
    set: (v) => {
      const wanted = Array.isArray(v) ? v : [v];
      for (const w of wanted) {
        if (typeof w !== 'string') continue;
        const box = boxes.find((b) => b !== otherBox && b.value === w.trim());
        if (box) box.checked = true;
        else if (otherBox && otherText && w.trim()) {
          otherBox.checked = true;
          otherText.value = w.trim();
        }
        if (!multiple) break;
      }
      sync();
    },
    invalid: (on) => markInvalid(multiple ? boxes : [set], on),
  };
}

function dropdown(q: Question): Field {
  const options = q.options || [];
  const select = h(
    'select',
    { id: 'lp-input', 'aria-required': q.required ? 'true' : null },
    h('option', { value: '' }, 'Choose…'),
    ...options.map((o, i) => h('option', { value: String(i) }, o)),
  );
  let otherText: HTMLInputElement | null = null;
  if (q.allow_other) {
    select.append(h('option', { value: OTHER }, 'Other'));
    otherText = h('input', { type: 'text', class: 'other', 'aria-label': 'Other answer', maxlength: 1000, dir: 'auto', hidden: true });
  }
  const sync = () => {
    if (otherText) otherText.hidden = select.value !== OTHER;
  };
  select.addEventListener('change', sync);
  return {
    node: h('div', null, promptNode(q, 'label', 'lp-input'), select, otherText),
    focus: () => select.focus(),
    read: () => {
      if (select.value === OTHER) return { value: null, other: otherText ? otherText.value : undefined };
      const o = options[Number(select.value)];
      return { value: select.value === '' || o === undefined ? null : o };
    },
    set: (v) => {
      if (typeof v !== 'string') return;
      const i = options.indexOf(v.trim());
      if (i >= 0) select.value = String(i);
      else if (otherText && v.trim()) {
        select.value = OTHER;
        otherText.value = v.trim();
      }
      sync();
    },
    invalid: (on) => markInvalid([select], on),
  };
}

const FACES: Record<number, string[]> = {
  5: ['😡', '🙁', '😐', '🙂', '😍'],
  7: ['😡', '😠', '🙁', '😐', '🙂', '😊', '😍'],
};

/** NPS (0–10) and RATING (1–5 or 1–7): a radiogroup of numbers, stars or faces. */
function scaleField(q: Question): Field {
  const scale = scaleOf(q) as [number, number];
  const low = scale[0];
  const high = scale[1];
  const style = q.type === 'RATING' ? q.display_style || 'NUMBERS' : 'NUMBERS';
  const faces = FACES[high] || FACES[5];
  const name = `lp-q${q.id}`;
  const radios: HTMLInputElement[] = [];
  const picks: HTMLElement[] = [];
  for (let n = low; n <= high; n++) {
    const radio = h('input', { type: 'radio', name, value: n });
    radios.push(radio);
    let face: HTMLElement;
    if (style === 'STARS') {
      face = h('span', null, h('span', { 'aria-hidden': 'true' }, '★'), h('span', { class: 'sr' }, `${n} ${n === 1 ? 'star' : 'stars'}`));
    } else if (style === 'EMOJI') {
      face = h('span', null, h('span', { 'aria-hidden': 'true' }, faces[n - low] || String(n)), h('span', { class: 'sr' }, `${n} of ${high}`));
    } else face = h('span', null, String(n));
    picks.push(h('label', { class: 'pick' }, radio, face));
  }
  const labels = q.type === 'NPS' ? [q.low_label || 'Not at all likely', q.high_label || 'Extremely likely'] : [q.low_label, q.high_label];
  const ends =
    labels[0] || labels[1]
      ? h('div', { class: 'ends', 'aria-hidden': 'true' }, h('span', { dir: 'auto' }, labels[0] || ''), h('span', { dir: 'auto' }, labels[1] || ''))
      : null;
  // The end labels, read after the prompt: "0 = Not at all likely, 10 = Extremely likely".
  const hint = ends ? h('span', { class: 'sr', id: 'lp-ends' }, `${low}: ${labels[0] || ''}; ${high}: ${labels[1] || ''}`) : null;
  const group = h(
    'fieldset',
    { role: 'radiogroup', 'aria-labelledby': PROMPT_ID, 'aria-describedby': hint ? 'lp-ends' : null, 'aria-required': q.required ? 'true' : null },
    promptNode(q, 'legend'),
    h('div', { class: `scale ${style.toLowerCase()}` }, ...picks),
    ends,
    hint,
  );
  const paint = () => {
    if (style !== 'STARS') return;
    const at = radios.findIndex((r) => r.checked);
    picks.forEach((p, i) => p.classList.toggle('on', at >= 0 && i <= at));
  };
  group.addEventListener('change', paint);
  return {
    node: group,
    focus: () => (radios.find((r) => r.checked) || radios[0]).focus(),
    read: () => {
      const r = radios.find((x) => x.checked);
      return { value: r ? Number(r.value) : null };
    },
    set: (v) => {
      const r = radios.find((x) => Number(x.value) === v);
      if (r) r.checked = true;
      paint();
    },
    invalid: (on) => markInvalid([group], on),
  };
}

/** The field for a question; STATEMENT has none (its prompt is built by the caller). */
export function fieldFor(q: Question): Field | null {
  switch (q.type) {
    case 'SHORT_TEXT':
    case 'LONG_TEXT':
    case 'EMAIL':
      return textField(q);
    case 'SINGLE_CHOICE':
      return q.display_style === 'DROPDOWN' ? dropdown(q) : choiceList(q, false);
    case 'MULTIPLE_CHOICE':
      return choiceList(q, true);
    case 'NPS':
    case 'RATING':
      return scaleField(q);
    default:
      return null;
  }
}

export function statementNode(q: Question): HTMLElement {
  return h('p', { class: 'prompt statement', id: PROMPT_ID, dir: 'auto' }, q.prompt);
}
