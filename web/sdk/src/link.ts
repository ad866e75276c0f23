// loupe-link.js: the hosted link-survey page `/s/{token}`. Reads the survey from
// `#loupe-link-data`, renders it inline into `#loupe-link` and posts each answer to
// `/v1/links/{token}/responses` with the page's hidden fields. Prefill: `?q.<key>=value`.

import { postJSON } from './common/http';
import { randomId } from './common/ids';
import { localKV } from './common/storage';
import type { Theme, Widget } from './common/types';
import { h } from './surveys/dom';
import { hiddenFrom, prefillFrom } from './surveys/prefill';
import { type ResponseBody, mount } from './surveys/render';

interface LinkData {
  token: string;
  survey: Widget;
  theme?: Theme | null;
  hidden_fields?: string[];
}

const VISITOR_KEY = 'loupe_visitor';

function visitorId(): string {
  const kv = localKV();
  let id = kv.get(VISITOR_KEY);
  if (!id || !/^[A-Za-z0-9_.:-]{1,100}$/.test(id)) {
    id = randomId();
    kv.set(VISITOR_KEY, id);
  }
  return id;
}

function start(): void {
  const container = document.getElementById('loupe-link');
  if (!container) return;
  let data: LinkData | null = null;
  try {
    const el = document.getElementById('loupe-link-data');
    data = el && el.textContent ? (JSON.parse(el.textContent) as LinkData) : null;
  } catch {
    data = null;
  }
  const unavailable = () => container.append(h('p', { role: 'status' }, 'This survey is not available.'));
  if (!data || !data.token || !data.survey || !Array.isArray(data.survey.questions)) return unavailable();
  const token = data.token;
  const survey = data.survey;
  const params = new URLSearchParams(location.search);
  const hidden = hiddenFrom(params, data.hidden_fields || []);
  // Relative to the page (`…/s/{token}`), so a Loupe behind a path prefix works too.
  const url = new URL(`../v1/links/${encodeURIComponent(token)}/responses`, location.href).href;
  // Loupe keeps no visitor id from a browser that asks not to be tracked, and without one a
  // partial response cannot be continued: such a visitor's answers go in one post at the end.
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const untracked = nav.doNotTrack === '1' || nav.globalPrivacyControl === true;
  let held: ResponseBody['answers'] = [];
  const send = (body: ResponseBody) => {
    if (!untracked) return postJSON<{ response_id?: number }>(url, { ...body, hidden });
    held = held.filter((a) => !body.answers.some((b) => b.question_id === a.question_id)).concat(body.answers);
    if (!body.is_complete) return Promise.resolve({});
    return postJSON<{ response_id?: number }>(url, { ...body, answers: held, hidden });
  };
  const host = mount(survey, {
    visitorId: visitorId(),
    pageUrl: () => location.href,
    theme: data.theme,
    inline: container,
    prefill: prefillFrom(params, survey.questions),
    send,
  });
  if (!host) unavailable();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
