// A survey or poll, one question at a time, inside a Shadow DOM host: floating (a
// non-modal dialog in a corner of the page) or inline (the hosted link page). Each answer
// is posted when the visitor moves on; the path follows the survey's logic live.

import type { Question, Theme, Widget } from '../common/types';
import { h } from './dom';
import { ERROR_ID, type Field, PROMPT_ID, fieldFor, statementNode } from './fields';
import { type AnswerValue, nextIndex, parseAnswer } from './logic';
import { adoptStyles } from './styles';

export interface WireAnswer {
  question_id: number;
  value: unknown;
  other?: string;
}

/** The body of `POST …/responses` (the link page adds `hidden`). */
export interface ResponseBody {
  visitor_id: string;
  response_id?: number;
  is_complete: boolean;
  page_url: string;
  answers: WireAnswer[];
  /** The tag's current session: links the response to the visit's recording. */
  session_id?: string;
}

export interface MountOptions {
  visitorId: string;
  pageUrl(): string;
  /** The current session id, when the tag has one (absent on the link page). */
  sessionId?(): string | undefined;
  theme?: Partial<Theme> | null;
  /** Posts one step of the response; resolves with the server's `{response_id}`. */
  send(body: ResponseBody): Promise<{ response_id?: number } | null>;
  /** Display events (floating widgets only). */
  display?(event: 'shown' | 'dismissed'): void;
  /** Render into this element as a page section instead of a floating dialog. */
  inline?: HTMLElement;
  /** Values to preset, by question key (the visitor still confirms each). */
  prefill?: Record<string, unknown>;
  onDone?(): void;
}

const CLOSE_AFTER_MS = 4000;
const SVG = 'http://www.w3.org/2000/svg';

/** The × of the close button, drawn (a glyph would be read as part of its name). */
function cross(): SVGElement {
  const el = (tag: string, a: Record<string, string>) => {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(a)) e.setAttribute(k, a[k]);
    return e;
  };
  const svg = el('svg', { viewBox: '0 0 16 16', width: '16', height: '16', 'aria-hidden': 'true', focusable: 'false' });
  svg.appendChild(el('path', { d: 'M3 3l10 10M13 3L3 13', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round' }));
  return svg as SVGElement;
}

function friendly(error: string): string {
  if (/email/.test(error)) return 'Please enter a valid email address.';
  if (/too long/.test(error)) return 'This answer is too long.';
  if (/control characters/.test(error)) return 'This answer contains characters that cannot be sent.';
  return 'Please check this answer.';
}

function wire(q: Question, v: AnswerValue): WireAnswer {
  if (v.kind !== 'choices') return { question_id: q.id, value: v.kind === 'text' ? v.text : v.number };
  const a: WireAnswer = {
    question_id: q.id,
    value: q.type === 'MULTIPLE_CHOICE' ? v.selected : v.selected.length ? v.selected[0] : null,
  };
  if (v.other !== null) a.other = v.other;
  return a;
}

/** Mounts `widget`; never throws into the page. Returns the host element, or null. */
export function mount(widget: Widget, opts: MountOptions): HTMLElement | null {
  try {
    return mountUnsafe(widget, opts);
  } catch (e) {
    if (typeof console !== 'undefined') console.warn('loupe: could not show the survey', e);
    return null;
  }
}

function mountUnsafe(widget: Widget, opts: MountOptions): HTMLElement | null {
  const questions = widget.questions || [];
  if (!questions.length) return null;
  const inline = opts.inline || null;
  const previous = document.activeElement as HTMLElement | null;
  const theme = opts.theme || {};

  const host = h('div', { id: `loupe-survey-${widget.id}`, 'data-position': theme.position || 'bottom-right', 'data-inline': !!inline });
  const vars: Record<string, string | undefined> = {
    '--lp-primary': theme.primary,
    '--lp-bg': theme.background,
    '--lp-text': theme.text,
    '--lp-font': theme.font,
  };
  for (const prop of Object.keys(vars)) {
    const v = vars[prop];
    if (v) host.style.setProperty(prop, v); // CSSOM, not markup: allowed under a strict style-src
  }
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root);

  const card = h('div', {
    class: widget.kind === 'poll' ? 'card poll' : 'card',
    dir: 'auto',
    role: inline ? null : 'dialog',
    'aria-modal': inline ? null : 'false',
    'aria-labelledby': PROMPT_ID,
  });
  const closeBtn = inline ? null : h('button', { type: 'button', class: 'close', 'aria-label': 'Close survey' }, cross());
  const error = h('p', { class: 'err', id: ERROR_ID, role: 'alert' });
  const button = h('button', { type: 'submit', class: 'btn' });
  const body = h('div');
  const form = h('form', { novalidate: true }, body, error, h('div', { class: 'actions' }, button));
  if (closeBtn) card.append(closeBtn);
  // The hosted page is a page: its survey's name is its heading (as in its <title>).
  if (inline && widget.name) card.append(h('h1', { class: 'title', dir: 'auto' }, widget.name));
  card.append(form);
  root.append(card);

  let index = 0;
  let field: Field | null = null;
  let responseId: number | undefined;
  let sending = false;
  let finished = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const prefill = opts.prefill || {};

  const showError = (message: string, invalid: boolean) => {
    error.textContent = message;
    if (field) field.invalid(invalid && message !== '');
  };

  const show = (i: number) => {
    index = i;
    const q = questions[i];
    field = fieldFor(q);
    body.textContent = '';
    body.append(field ? field.node : statementNode(q));
    showError('', false);
    if (field && Object.prototype.hasOwnProperty.call(prefill, q.key)) field.set(prefill[q.key]);
    button.textContent = q.type === 'STATEMENT' ? 'Continue' : i === questions.length - 1 ? 'Submit' : 'Next';
    if (field) field.focus();
    else button.focus();
  };

  const close = () => {
    if (closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    if (!finished && opts.display) opts.display('dismissed');
    const hadFocus = document.activeElement === host;
    host.remove();
    if (hadFocus && previous && previous.isConnected && typeof previous.focus === 'function') previous.focus();
    if (opts.onDone) opts.onDone();
  };

  const thanks = () => {
    finished = true;
    const text = h('p', { class: 'thanks', id: PROMPT_ID, role: 'status', dir: 'auto' }, widget.thank_you || 'Thank you!');
    form.replaceWith(text);
    if (closeBtn) closeBtn.focus();
    if (!inline) timer = setTimeout(close, CLOSE_AFTER_MS);
    else if (opts.onDone) opts.onDone();
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (sending || finished) return;
    const q = questions[index];
    const raw = field ? field.read() : { value: null };
    const parsed = parseAnswer(q, raw.value, raw.other);
    if ('error' in parsed) return showError(friendly(parsed.error), true);
    if (parsed.value === null && q.required) return showError('Please answer this question.', true);
    const next = nextIndex(questions, index, parsed.value);
    const answers = parsed.value === null ? [] : [wire(q, parsed.value)];
    const go = () => (next < 0 ? thanks() : show(next));
    if (!answers.length && next >= 0) return go(); // nothing new to send yet
    const step: ResponseBody = {
      visitor_id: opts.visitorId,
      is_complete: next < 0,
      page_url: opts.pageUrl(),
      answers,
    };
    if (responseId !== undefined) step.response_id = responseId;
    const session = opts.sessionId && opts.sessionId();
    if (session) step.session_id = session;
    sending = true;
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    let sent: Promise<{ response_id?: number } | null>;
    try {
      sent = Promise.resolve(opts.send(step));
    } catch (e) {
      sent = Promise.reject(e);
    }
    // The button is usable again before the next question shows, so the focus that
    // `show` gives it (a STATEMENT's Continue) is not lost on a disabled element.
    const ready = () => {
      sending = false;
      button.disabled = false;
      form.removeAttribute('aria-busy');
    };
    sent.then(
      (res) => {
        if (res && typeof res.response_id === 'number') responseId = res.response_id;
        ready();
        if (!closed) go();
      },
      () => {
        ready();
        showError('Your answer could not be sent. Please try again.', false);
      },
    );
  });

  if (closeBtn) closeBtn.addEventListener('click', close);
  if (!inline) {
    card.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' || ev.key === 'Esc') {
        ev.stopPropagation();
        close();
      }
    });
  }

  (inline || document.body).appendChild(host);
  show(0);
  if (opts.display) opts.display('shown');
  return host;
}
