// Console smoke test of Recordings, the player, Users and Segments, in Chromium at 1280×720:
// the list with a filter, the replay under the console's CSP (play, speed, seek by a moment),
// a user's page, and the segment builder with its live count (save, then delete). Attribute
// values with markup must render as text. axe on each page (the replayed page itself, inside
// the replay iframe, is recorded content and left out).
//
// Needs CONSOLE_URL (the console), LOUPE_URL / LOUPE_TOKEN (lib.mjs) for seeding and checks.
// Seeds its own site: identify calls, recordings with clicks, a rage-click burst, page views.
import { axeViolations, check, consoleSignInFromEnv, finish, gql, launch, loupe, newPage, screenshot, step, waitFor } from './lib.mjs';

const consoleUrl = (process.env.CONSOLE_URL ?? '').replace(/\/$/, '');
if (!consoleUrl) throw new Error('CONSOLE_URL must be set');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const run = Date.now() % 100000;
const evil = `<img src=x onerror="window.__xss=1">`;

async function post(path, body) {
  const r = await fetch(loupe + path, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://shop.example' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
}

/** A small page as an rrweb full snapshot. */
function snapshot(title, t) {
  let id = 1;
  const el = (tagName, attributes, childNodes) => ({ type: 2, tagName, attributes, childNodes, id: ++id });
  const txt = (s) => ({ type: 3, textContent: s, id: ++id });
  const html = el('html', { lang: 'en' }, [
    el('head', {}, [el('style', { _cssText: 'body{font-family:sans-serif;margin:20px} button{font-size:20px}' }, [])]),
    el('body', {}, [el('h1', {}, [txt(title)]), el('button', { id: 'buy' }, [txt('Buy now')])]),
  ]);
  return { type: 2, timestamp: t, data: { node: { type: 0, id: 1, childNodes: [{ type: 1, name: 'html', publicId: '', systemId: '', id: ++id }, html] }, initialOffset: { left: 0, top: 0 } } };
}

function session(t0, pages, rage) {
  const ev = [];
  let t = t0;
  for (const [i, p] of pages.entries()) {
    ev.push({ type: 4, timestamp: t, data: { href: 'https://shop.example' + p, width: 1024, height: 640 } });
    ev.push(snapshot('Page ' + p, t + 10));
    for (let k = 0; k < 10; k++) ev.push({ type: 3, timestamp: t + 200 + k * 100, data: { source: 1, positions: [{ x: 50 + k * 20, y: 100 + k * 10, id: 1, timeOffset: 0 }] } });
    ev.push({ type: 3, timestamp: t + 2000, data: { source: 2, type: 2, id: 6, x: 60, y: 150 } });
    if (rage && i === 0) {
      t += 20000; // a long pause, then a burst of clicks at one spot
      for (let k = 0; k < 4; k++) ev.push({ type: 3, timestamp: t + k * 150, data: { source: 2, type: 2, id: 6, x: 60 + k, y: 150 + k } });
    }
    t += 8000;
  }
  ev.push({ type: 3, timestamp: t, data: { source: 1, positions: [{ x: 10, y: 10, id: 1, timeOffset: 0 }] } });
  return ev;
}

const browser = await launch();
const page = await newPage(browser, { viewport: { width: 1280, height: 720 } });
await consoleSignInFromEnv(page, consoleUrl);
// The console's CSP on every document, as Loupe serves it (vite preview sends none).
await page.route('**/*', async (route) => {
  if (route.request().resourceType() !== 'document') return route.continue();
  const res = await route.fetch();
  await route.fulfill({ response: res, headers: { ...res.headers(), 'content-security-policy': CSP } });
});
const cspErrors = [];
page.on('console', (m) => /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text()));

async function axe(label) {
  const v = (await axeViolations(page)).filter((line) => !line.includes('iframe'));
  check(v.length === 0, `axe on ${label}:\n  ${v.join('\n  ')}`);
}

let siteId;
let recordingId;
try {
  await step('seed a site with identified users and recordings', async () => {
    try {
      await gql('mutation { acceptDataProcessingAgreement { id } }');
    } catch {
      /* already accepted */
    }
    siteId = (await gql('mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }', { i: { name: `Replay ${run}`, allowedDomains: ['shop.example'] } })).createSite.id;
    await gql('mutation($id: ID!, $i: UpdateSiteInput!) { updateSite(id: $id, input: $i) { id } }', {
      id: siteId,
      i: { identifyEnabled: true, recordingEnabled: true, recordingSamplePercent: 100 },
    });
    await post(`/v1/sites/${siteId}/identify`, { visitor_id: 'v-1', user_id: 'ada', attributes: { email: 'ada@example.com', plan: 'pro', spend: 1250.5, trial: false } });
    await post(`/v1/sites/${siteId}/identify`, { visitor_id: 'v-2', user_id: 'bob', attributes: { email: evil, plan: 'free', spend: 5 } });
    const now = Date.now();
    await post(`/v1/sites/${siteId}/recordings/s-${run}-1/events`, { visitor_id: 'v-1', sequence: 0, events: session(now - 3600e3, ['/', '/product/42', '/checkout'], true) });
    await post(`/v1/sites/${siteId}/recordings/s-${run}-2/events`, { visitor_id: 'v-2', sequence: 0, events: session(now - 7200e3, ['/pricing'], false) });
    await post(`/v1/sites/${siteId}/recordings/s-${run}-3/events`, { visitor_id: 'v-9', sequence: 0, events: session(now - 9000e3, ['/about'], false) });
    // Responses given during two of these sessions (ada's, and an anonymous visitor's).
    const survey = (
      await gql('mutation($i: CreateSurveyInput!) { createSurvey(input: $i) { id questions { id } } }', {
        i: { siteId, name: `Checkout ${evil}`, questions: [{ key: 'why', type: 'SHORT_TEXT', prompt: 'Anything to add?' }] },
      })
    ).createSurvey;
    await gql('mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { id } }', { id: survey.id });
    const q = Number(survey.questions[0].id);
    await post(`/v1/sites/${siteId}/surveys/${survey.id}/responses`, { visitor_id: 'v-1', session_id: `s-${run}-1`, is_complete: true, answers: [{ question_id: q, value: 'Ada says <b>fast</b>' }] });
    await post(`/v1/sites/${siteId}/surveys/${survey.id}/responses`, { visitor_id: 'v-9', session_id: `s-${run}-3`, is_complete: true, answers: [{ question_id: q, value: 'Anonymous says hi' }] });
  });

  await step('recordings list and a filter', async () => {
    await page.goto(`${consoleUrl}/sites/${siteId}/recordings`);
    await page.getByRole('heading', { level: 1, name: 'Recordings' }).waitFor();
    await waitFor(async () => (await page.locator('table.table tbody tr').count()) === 3, 'three recordings listed');
    check((await page.locator('h1').count()) === 1, 'one h1');
    await screenshot(page, 'console-recordings');
    await axe('/recordings');
    await page.getByRole('button', { name: /^Filters/ }).click();
    await page.getByLabel('Rage clicks').selectOption('yes');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitFor(async () => (await page.locator('table.table tbody tr').count()) === 1, 'one recording with rage clicks');
    check(page.url().includes('rage=yes'), 'the filter is in the address');
    await screenshot(page, 'console-recordings-filtered');
    await axe('/recordings filtered');
  });

  await step('player: replay under the CSP, speed, seek, metadata and user', async () => {
    await page.locator('table.table tbody tr a').first().click();
    await page.waitForURL(/\/recordings\/\d+$/);
    recordingId = page.url().split('/').pop();
    const frame = page.locator('.replay-screen iframe');
    await frame.waitFor();
    check((await frame.getAttribute('sandbox')) === 'allow-same-origin', 'the replay iframe runs no scripts');
    await waitFor(async () => (await page.frameLocator('.replay-screen iframe').locator('h1').textContent({ timeout: 500 }).catch(() => '')) === 'Page /', 'the first page is rebuilt');
    const moments = page.locator('.replay-moments li');
    check((await page.locator('.replay-track .tl-rage').count()) === 1, 'one rage-click marker');
    check((await page.locator('.replay-track .tl-page').count()) === 3, 'three page-view markers');
    check((await moments.count()) >= 7, 'moments listed');
    await page.getByRole('button', { name: '4×' }).click();
    check((await page.getByRole('button', { name: '4×' }).getAttribute('aria-pressed')) === 'true', '4× pressed');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const range = page.getByLabel('Position in the recording');
    await waitFor(async () => Number(await range.inputValue()) > 500, 'the position moves while playing');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.locator('.replay-moments button', { hasText: '/checkout' }).click();
    await waitFor(
      async () => (await page.frameLocator('.replay-screen iframe').locator('h1').textContent({ timeout: 500 }).catch(() => '')) === 'Page /checkout',
      'seeking to a page view shows that page',
    );
    // Keyboard: the screen takes Space and the arrows.
    await page.locator('.replay-screen').focus();
    const before = Number(await range.inputValue());
    await page.keyboard.press('ArrowLeft');
    await waitFor(async () => Number(await range.inputValue()) < before, 'ArrowLeft moves back');
    await page.getByRole('link', { name: 'ada', exact: true }).waitFor();
    await page.getByText('ada@example.com').waitFor();
    // The response given in this session, beside the replay: survey name (as text), answer, link to the results.
    const given = page.locator('section[aria-labelledby="player-responses"]');
    await given.getByText('Ada says <b>fast</b>', { exact: true }).waitFor();
    await given.getByRole('link', { name: `Checkout ${evil}` }).waitFor();
    check(/\/surveys\/\d+\/results$/.test((await given.getByRole('link', { name: `Checkout ${evil}` }).getAttribute('href')) ?? ''), 'a link to the results');
    check((await page.evaluate(() => window.__xss)) === undefined, 'no script ran from a survey name or answer');
    await screenshot(page, 'console-player');
    await axe('/recordings/:id');
    check(cspErrors.length === 0, `CSP violations:\n  ${cspErrors.join('\n  ')}`);
  });

  await step('player: an anonymous visitor’s responses', async () => {
    const list = await gql('query($s: ID!) { recordings(siteId: $s) { edges { node { id sessionId } } } }', { s: siteId });
    const anon = list.recordings.edges.find((e) => e.node.sessionId === `s-${run}-3`).node.id;
    await page.goto(`${consoleUrl}/sites/${siteId}/recordings/${anon}`);
    const given = page.locator('section[aria-labelledby="player-responses"]');
    await given.getByText('Anonymous says hi', { exact: true }).waitFor();
    await page.getByText('Anonymous: the site sent no identify call').waitFor();
    check((await given.getByText('Ada says').count()) === 0, 'only this session’s responses');
    await screenshot(page, 'console-player-anonymous');
    await axe('/recordings/:id anonymous');
  });

  await step('users list and a user page', async () => {
    await page.goto(`${consoleUrl}/sites/${siteId}/users`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await waitFor(async () => (await page.locator('table.table tbody tr').count()) === 2, 'two users');
    check((await page.locator('td', { hasText: evil }).count()) === 1, 'markup in an attribute renders as text');
    check((await page.evaluate(() => window.__xss)) === undefined, 'no script ran from an attribute');
    await screenshot(page, 'console-users');
    await axe('/users');
    await page.getByRole('link', { name: 'ada', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'User ada' }).waitFor();
    await page.locator('#user-recordings-title').waitFor();
    await waitFor(async () => (await page.locator('section', { hasText: 'Recordings' }).locator('tbody tr').count()) === 1, 'her recording');
    await screenshot(page, 'console-user');
    await axe('/users/:id');
  });

  await step('segments: build nested rules, live count, save, delete', async () => {
    await page.goto(`${consoleUrl}/sites/${siteId}/segments`);
    await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
    await screenshot(page, 'console-segments-empty');
    await axe('/segments');
    await page.getByRole('link', { name: 'New segment' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New segment' }).waitFor();
    await page.getByLabel('Name').fill(`Big spenders ${run}`);
    const first = page.locator('.seg-condition').first();
    await first.getByLabel('Field').selectOption('attr:spend');
    await first.getByLabel('Operator').selectOption('GT');
    await first.getByLabel('Value').fill('100');
    await page.getByText('1 matching user').waitFor();
    await page.getByRole('button', { name: 'Add a group' }).first().click();
    const group = page.locator('.seg-group .seg-group').first();
    await group.getByLabel('Match').selectOption('or');
    const inner = group.locator('.seg-condition').first();
    await inner.getByLabel('Field').selectOption('attr:plan');
    await inner.getByLabel('Operator').selectOption('EQUALS');
    await inner.getByLabel('Value').fill('free');
    await page.getByText('0 matching users').waitFor();
    await inner.getByLabel('Value').fill('pro');
    await page.getByText('1 matching user').waitFor();
    await page.locator('.seg-sample').getByText('ada').waitFor();
    await screenshot(page, 'console-segment-builder');
    await axe('/segments/new');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.waitForURL(/\/segments\/\d+$/);
    const id = page.url().split('/').pop();
    const saved = await gql('query($id: ID!) { segment(id: $id) { rule preview { matchingUsers } } }', { id });
    check(saved.segment.preview.matchingUsers === 1, 'the saved segment matches one user');
    check(JSON.stringify(saved.segment.rule).includes('"or"'), `nested group saved: ${JSON.stringify(saved.segment.rule)}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete segment' }).click();
    await page.waitForURL(/\/segments$/);
  });

  check(page.errors.length === 0, `page errors:\n  ${page.errors.join('\n  ')}`);
} finally {
  await browser.close();
  finish();
}
