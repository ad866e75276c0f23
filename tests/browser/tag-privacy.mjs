// Privacy signals through loupe.js in real Chromium: with Do Not Track, Global Privacy
// Control, after `loupe('optOut')`, and where consent is required but not given, the tag
// makes no request to Loupe at all; after `loupe('consent', true)` it starts.
//
// Every request of the page is watched. The one request to Loupe's origin that is allowed
// is the download of /v1/loupe.js itself: the page's own <script src> fetches it before
// the tag can read any signal, and it carries nothing about the visitor (no id, no cookie
// Loupe set: the opt-out cookie is first-party, on the site's own origin).
//
// Run by tests/api/browser_tag.rs (privacy_*): site 1 records sessions, and SURVEY_ID is
// shown on every page, so a visitor who is not protected makes many requests.

import {
  check, demoPage, finish, gql, launch, newPage, servePages, sleep, snippet, step, trackLoupe, waitFor,
} from './lib.mjs';

const SURVEY = process.env.SURVEY_ID;
const tag = await snippet();
check(!tag.includes('data-require-consent'), 'the site does not require consent yet');
const consentTag = tag.replace('data-site="1"', 'data-site="1" data-require-consent');
let siteTag = tag;
const pages = await servePages((path, url) => {
  const t = url.searchParams.has('consent') ? consentTag : siteTag;
  return demoPage(`Shop ${path}`, `<label>Name <input id="name"></label><button id="buy" type="button">Buy</button><a id="next" href="/next${url.search}">Next</a>`, t);
});
const browser = await launch();

/** Requests to Loupe other than the download of loupe.js (see the header). */
const beyondTag = (seen) => seen.filter((r) => !(r.method === 'GET' && r.path === '/v1/loupe.js')).map((r) => `${r.method} ${r.path}`);

/** Browses like a visitor: loads, clicks, types, calls the API, follows a link. */
async function browse(page, query = '') {
  await page.goto(`${pages.origin}/home${query}`);
  await page.click('#buy');
  await page.fill('#name', 'Ann');
  await page.evaluate(() => {
    window.loupe('identify', 'u-private', { plan: 'pro' });
    window.loupe('event', 'checkout', { total: 1 });
  });
  await sleep(1500);
  await page.click('#next');
  await page.waitForURL('**/next**');
  await sleep(1000);
}

await step('an unprotected visitor is tracked (the control case)', async () => {
  const page = await newPage(browser);
  const seen = trackLoupe(page);
  await browse(page);
  const paths = beyondTag(seen);
  for (const want of ['GET /v1/sites/1/config', 'GET /v1/sites/1/widgets', 'GET /v1/loupe-recorder.js', 'POST /v1/sites/1/identify']) {
    check(paths.includes(want), `control visitor: ${want} missing from ${JSON.stringify(paths)}`);
  }
  await page.context().close();
});

for (const [signal, init] of [
  ['Do Not Track', () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1', configurable: true })],
  ['Global Privacy Control', () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true })],
]) {
  await step(`${signal}: no request to Loupe beyond loupe.js`, async () => {
    const page = await newPage(browser, { init });
    const seen = trackLoupe(page);
    await browse(page);
    check(seen.some((r) => r.path === '/v1/loupe.js'), `${signal}: the tag was loaded`);
    check(beyondTag(seen).length === 0, `${signal}: requests ${JSON.stringify(beyondTag(seen))}`);
    check((await page.locator(`#loupe-survey-${SURVEY}`).count()) === 0, `${signal}: no survey shown`);
    check(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
    await page.context().close();
  });
}

await step("loupe('optOut'): nothing more, also after a reload", async () => {
  const page = await newPage(browser);
  const seen = trackLoupe(page);
  await page.goto(`${pages.origin}/home`);
  await waitFor(() => seen.some((r) => r.path.endsWith('/widgets')), 'the tag works before the opt-out');
  await page.evaluate(() => window.loupe('optOut'));
  check((await page.evaluate(() => localStorage.getItem('loupe_opt_out'))) !== null, 'opt-out remembered in localStorage');
  check((await page.evaluate(() => document.cookie)).includes('loupe_opt_out=1'), 'opt-out cookie set');
  await sleep(300);
  seen.length = 0;
  await page.click('#buy');
  await page.reload();
  await browse(page);
  check(beyondTag(seen).length === 0, `after optOut: requests ${JSON.stringify(beyondTag(seen))}`);
  // optIn: the tag works again.
  await page.evaluate(() => window.loupe('optIn'));
  await waitFor(() => beyondTag(seen).some((p) => p.endsWith('/widgets')), 'the tag works again after optIn');
  await page.context().close();
});

await step('data-require-consent: nothing before consent, requests after loupe(consent, true)', async () => {
  const page = await newPage(browser);
  const seen = trackLoupe(page);
  await browse(page, '?consent');
  check(seen.some((r) => r.path === '/v1/loupe.js'), 'the tag was loaded');
  await page.evaluate(() => window.loupe('identify', 'u-consent', { plan: 'pro' }));
  await sleep(500);
  check(beyondTag(seen).length === 0, `before consent: requests ${JSON.stringify(beyondTag(seen))}`);
  await page.evaluate(() => window.loupe('consent', true));
  await waitFor(() => beyondTag(seen).includes('GET /v1/sites/1/widgets'), 'widgets asked for after consent');
  await page.locator(`#loupe-survey-${SURVEY}`).getByRole('dialog').waitFor();
  // The identify queued before consent is sent now.
  await waitFor(() => beyondTag(seen).includes('POST /v1/sites/1/identify'), 'the queued identify sent after consent');
  // Consent is remembered on the next page.
  seen.length = 0;
  await page.goto(`${pages.origin}/other?consent`);
  await waitFor(() => beyondTag(seen).includes('GET /v1/sites/1/widgets'), 'consent remembered on the next page');
  await page.context().close();
});

await step("the site's requireConsent: the snippet carries it, nothing before consent", async () => {
  await gql('mutation { updateSite(id: "1", input: {requireConsent: true}) { requireConsent } }');
  siteTag = await snippet();
  check(siteTag.includes('data-require-consent'), `the snippet requires consent: ${siteTag}`);
  const page = await newPage(browser);
  const seen = trackLoupe(page);
  await browse(page);
  check(beyondTag(seen).length === 0, `before consent: requests ${JSON.stringify(beyondTag(seen))}`);
  await page.evaluate(() => window.loupe('consent', true));
  await waitFor(() => beyondTag(seen).includes('GET /v1/sites/1/widgets'), 'requests after consent');
  await page.context().close();

  // A page still carrying the old snippet (no attribute) learns it from the config: that
  // one GET (no visitor id, nothing about the visitor) is all it may send before consent.
  siteTag = tag;
  const old = await newPage(browser);
  const seenOld = trackLoupe(old);
  await browse(old);
  const sent = beyondTag(seenOld);
  check(sent.every((p) => p === 'GET /v1/sites/1/config'), `old snippet, before consent: ${JSON.stringify(sent)}`);
  check(seenOld.every((r) => !r.url.includes('visitor')), 'no visitor id sent before consent');
  await old.context().close();
});

await browser.close();
pages.close();
finish();
