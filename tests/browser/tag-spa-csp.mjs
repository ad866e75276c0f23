// loupe.js on a single-page app and under a strict Content-Security-Policy, in real
// Chromium: history.pushState to /pricing makes the tag ask for widgets again and the
// survey targeted at /pricing appears; on a page whose CSP allows only same-origin and
// Loupe's scripts, Loupe as the only connect-src and same-origin styles, the tag, its
// recorder and the survey widget work, and the browser reports no CSP violation.
//
// Run by tests/api/browser_tag.rs (spa_*) with SURVEY_ID (at "/pricing", frequency
// ALWAYS); site 1 records sessions.

import {
  check, demoPage, finish, launch, loupe, loupeOrigin, newPage, responses, servePages, sleep, snippet, step, trackLoupe, waitFor,
} from './lib.mjs';

const SURVEY = process.env.SURVEY_ID;
const tag = await snippet();
const stub = tag.match(/<script>([^<]*)<\/script>/)?.[1];
check(stub && stub.includes('loupe.q'), `the snippet has an inline queue stub: ${tag}`);
const CSP = `default-src 'none'; script-src 'self' ${loupeOrigin}; connect-src ${loupeOrigin}; style-src 'self'; img-src 'self'`;
const pages = await servePages((path) => {
  if (path === '/stub.js') return { body: stub + "\nloupe('event', 'strict-page', {csp: true});", type: 'text/javascript' };
  if (path === '/app.js') {
    return {
      type: 'text/javascript',
      body: `document.getElementById('go').addEventListener('click', () => {
        history.pushState({}, '', '/pricing');
        document.querySelector('h1').textContent = 'Pricing (SPA)';
      });`,
    };
  }
  if (path.startsWith('/strict/')) {
    // The inline stub would be refused here: it moves to a same-origin file (or is left out).
    return {
      headers: { 'Content-Security-Policy': CSP },
      body: demoPage('Strict pricing', '<p>Plans.</p>',
        `<script src="/stub.js"></script><script async src="${loupe}/v1/loupe.js" data-site="1"></script>`),
    };
  }
  return demoPage('Single-page app', '<button id="go" type="button">See pricing</button><script src="/app.js"></script>', tag);
});
const browser = await launch();
const widget = (page) => page.locator(`#loupe-survey-${SURVEY}`);

await step('history.pushState to /pricing asks for widgets again and shows the survey', async () => {
  const page = await newPage(browser, {
    // A session id without "_" (see below).
    init: () => localStorage.loupe_session || (localStorage.loupe_session = JSON.stringify({ id: 'e2e-spa-session-1', last: Date.now() })),
  });
  const seen = trackLoupe(page);
  await page.goto(pages.origin + '/app');
  await waitFor(() => seen.some((r) => r.path.endsWith('/widgets')), 'the first widgets request');
  await sleep(700);
  check((await widget(page).count()) === 0, 'nothing on /app');
  await page.click('#go');
  await widget(page).getByRole('dialog').waitFor();
  const asked = seen.filter((r) => r.path.endsWith('/widgets')).map((r) => new URL(r.url).searchParams.get('url'));
  check(asked.length === 2 && asked[1].endsWith('/pricing'), `widgets asked for ${JSON.stringify(asked)}`);
  check(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
  await page.context().close();
});

await step('under a strict CSP the tag, the recorder and the widget work without violations', async () => {
  const page = await newPage(browser, {
    init: () => {
      // A session id without "_": the server refuses those today (see tag-recording.mjs),
      // which would fail this scenario at random.
      if (!localStorage.loupe_session) localStorage.loupe_session = JSON.stringify({ id: 'e2e-csp-session-1', last: Date.now() });
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    },
  });
  const seen = trackLoupe(page);
  await page.goto(pages.origin + '/strict/pricing');
  const w = widget(page);
  await w.getByRole('dialog').waitFor();
  check(seen.some((r) => r.path === '/v1/loupe-recorder.js'), 'the recorder chunk loaded');
  // The widget is styled (its stylesheet applied despite style-src 'self').
  const styled = await w.evaluate((host) => ({
    host: getComputedStyle(host).position,
    card: getComputedStyle(host.shadowRoot.querySelector('.card')).borderRadius,
  }));
  check(styled.host === 'fixed' && styled.card === '12px', `the widget's styles apply: ${JSON.stringify(styled)}`);
  await w.locator('label', { hasText: /^8$/ }).click();
  await w.getByRole('button', { name: 'Submit' }).click();
  await w.getByRole('status').waitFor();
  await waitFor(async () => (await responses(SURVEY)).some((r) => r.isComplete), 'the answer was stored');
  await sleep(5500); // one timed recording flush (gzip through CompressionStream)
  await waitFor(() => seen.some((r) => r.path.includes('/recordings/')), 'a recording batch was sent');
  const violations = await page.evaluate(() => window.__csp);
  const refused = page.errors.filter((e) => /Refused to|Content Security Policy/i.test(e));
  check(violations.length === 0, `CSP violations: ${JSON.stringify(violations)}`);
  check(refused.length === 0, `console: ${JSON.stringify(refused)}`);
  check(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
  await page.context().close();
});

await browser.close();
pages.close();
finish();
