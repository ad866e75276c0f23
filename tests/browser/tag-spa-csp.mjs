// loupe.js on a single-page app and under a strict Content-Security-Policy, in real
// Chromium: history.pushState to /pricing makes the tag ask for widgets again and the
// survey targeted at /pricing appears; on a page whose CSP allows only same-origin and
// Loupe's scripts, Loupe as the only connect-src and same-origin styles, the tag, its
// recorder and the survey widget work, and the browser reports no CSP violation.
//
// Run by tests/api/browser_tag.rs (spa_*) with SURVEY_ID (at "/pricing", frequency
// ALWAYS); site 1 records sessions.

import { createHash } from 'node:crypto';

import {
  check, demoPage, finish, gql, launch, loupe, loupeOrigin, token, newPage, responses, servePages, sleep, snippet, step, trackLoupe, waitFor,
} from './lib.mjs';

const SURVEY = process.env.SURVEY_ID;
const tag = await snippet();
const stub = tag.match(/<script>([^<]*)<\/script>/)?.[1];
check(stub && stub.includes('loupe.q'), `the snippet has an inline queue stub: ${tag}`);
// The README's CSP line: the inline queue stub is allowed by its hash, nothing else inline.
const stubHash = createHash('sha256').update(stub).digest('base64');
check(stubHash === '4KtEugfvHfeegTKBlVxPRS3z2erpvIflLzBdus6sVnY=', `the stub's hash is the README's: ${stubHash}`);
const CSP = `default-src 'none'; script-src 'self' 'sha256-${stubHash}' ${loupeOrigin}; connect-src ${loupeOrigin}; style-src 'self'; img-src 'self'`;
const pages = await servePages((path) => {
  // Slow on purpose: this blocking script holds the parser in <head>, so the tag hears back
  // from /widgets before the page has a <body> (the survey must wait for it, not throw).
  if (path === '/event.js') return { body: "loupe('event', 'strict-page', {csp: true});", type: 'text/javascript', delay: 1500 };
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
    // The snippet exactly as pasted (inline stub allowed by its hash), and a call queued
    // by the page's own script before the tag has loaded.
    return {
      headers: { 'Content-Security-Policy': CSP },
      body: demoPage('Strict pricing', '<p>Plans.</p>', `${tag}<script src="/event.js"></script>`),
    };
  }
  return demoPage('Single-page app', '<button id="go" type="button">See pricing</button><script src="/app.js"></script>', tag);
});
const browser = await launch();
const widget = (page) => page.locator(`#loupe-survey-${SURVEY}`);

await step('history.pushState to /pricing asks for widgets again and shows the survey', async () => {
  const page = await newPage(browser, {
    // A known session id, to find its recording.
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
      // A known session id, to find its recording.
      if (!localStorage.loupe_session) localStorage.loupe_session = JSON.stringify({ id: 'e2e-csp-session-1', last: Date.now() });
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    },
  });
  const seen = trackLoupe(page);
  await page.goto(pages.origin + '/strict/pricing');
  const w = widget(page);
  try {
    // The tag, the recorder and the widget load under the policy on a busy CI machine.
    await w.getByRole('dialog').waitFor({ timeout: 20000 });
  } catch (e) {
    // What the page asked of Loupe and got, to tell a slow machine from a refusal.
    const rs = [];
    for (const r of seen) {
      const resp = await r.req.response().catch(() => null);
      rs.push(`${r.method} ${r.url} -> ${resp ? resp.status() : 'none'} ${resp ? (await resp.text().catch(() => '')).slice(0, 300) : ''}`);
    }
    console.error('DIAG seen:\n' + rs.join('\n'));
    console.error('DIAG csp: ' + JSON.stringify(await page.evaluate(() => window.__csp)));
    console.error('DIAG errors: ' + page.errors.join('; '));
    throw e;
  }
  // The recorder starts once the page is loaded and idle, which may come after the widget.
  await waitFor(() => seen.some((r) => r.path === '/v1/loupe-recorder.js'), 'the recorder chunk loaded');
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
  // The call the page queued before the tag loaded reached the recording.
  let lastSeen = 'nothing yet';
  const events = await waitFor(async () => {
    const d = await gql('{ recordings(siteId: "1") { edges { node { id sessionId } } } }');
    const rec = d.recordings.edges.map((e) => e.node).find((r) => r.sessionId === 'e2e-csp-session-1');
    lastSeen = JSON.stringify(d.recordings.edges.map((e) => e.node));
    if (!rec) return null;
    const res = await fetch(`${loupe}/v1/sites/1/recordings/${rec.id}/events`, { headers: { Authorization: `Bearer ${token}` } });
    const list = (await res.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    lastSeen += ' types ' + JSON.stringify(list.map((e) => e.type));
    return list.some((e) => e.type === 5) ? list : null;
  }, 'the recording with the queued custom event').catch((e) => {
    throw new Error(`${e.message}; saw ${lastSeen}`);
  });
  const custom = events.filter((e) => e.type === 5).map((e) => e.data);
  check(custom.some((d) => d.tag === 'strict-page' && d.payload && d.payload.csp === true), `queued event recorded: ${JSON.stringify(custom)}`);
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
