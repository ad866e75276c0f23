// loupe-surveys.js: loaded by the tag when `/widgets` returns something. Renders a survey
// or poll in a Shadow DOM dialog and posts its displays and answers.

import { registerChunk } from './common/chunks';
import { postJSON, siteUrl } from './common/http';
import type { SurveyContext, SurveysChunk, Widget } from './common/types';
import { type ResponseBody, mount } from './surveys/render';

function render(widget: Widget, ctx: SurveyContext): void {
  const url = (path: string) => siteUrl(ctx.base, ctx.site, `surveys/${widget.id}/${path}`);
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    if (ctx.onDone) ctx.onDone();
  };
  const host = mount(widget, {
    visitorId: ctx.visitorId,
    pageUrl: () => ctx.pageUrl(),
    sessionId: ctx.sessionId,
    theme: ctx.theme,
    send: (body: ResponseBody) => postJSON<{ response_id?: number }>(url('responses'), body),
    display: (event) => {
      postJSON(url('displays'), { visitor_id: ctx.visitorId, event }).catch(() => undefined);
    },
    onDone: finish,
  });
  if (!host) finish(); // nothing shown: let the tag move on
}

const api: SurveysChunk = { render };
registerChunk('surveys', api);
