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
  const url = `${location.origin}/v1/links/${encodeURIComponent(token)}/responses`;
  const host = mount(survey, {
    visitorId: visitorId(),
    pageUrl: () => location.href,
    theme: data.theme,
    inline: container,
    prefill: prefillFrom(params, survey.questions),
    send: (body: ResponseBody) => postJSON<{ response_id?: number }>(url, { ...body, hidden }),
  });
  if (!host) unavailable();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
