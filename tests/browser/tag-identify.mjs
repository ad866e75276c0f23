// Identify, segments and identity verification through loupe.js in real Chromium: a
// survey targeted at the segment "plan = pro" is not shown to an anonymous visitor, and
// appears once the page calls `loupe('identify', 'u-1', {plan: 'pro'})` (the tag asks for
// widgets again). Then, with identity verification on, identify calls without a userHash
// or with a wrong one are refused and store nothing; the right HMAC-SHA256 is accepted.
//
// Run by tests/api/browser_tag.rs (identify_*) with SURVEY_ID (targeted at the segment).

import { createHmac } from 'node:crypto';
import {
  check, demoPage, finish, gql, launch, newPage, nextWidgetsAnswer, servePages, sleep, snippet, step, trackLoupe,
} from './lib.mjs';

const SURVEY = process.env.SURVEY_ID;
const tag = await snippet();
const pages = await servePages((path) => demoPage(`Account ${path}`, '<p>Your account.</p>', tag));
const browser = await launch();
const widget = (page) => page.locator(`#loupe-survey-${SURVEY}`);
/** The user as Loupe knows it, or null (the API answers NOT_FOUND for an unknown user). */
async function known(user) {
  try {
    return (await gql('query($u: String!) { user(siteId: "1", userId: $u) { userId } }', { u: user })).user;
  } catch (e) {
    if (String(e).includes('NOT_FOUND')) return null;
    throw e;
  }
}
const hmac = (secret, user) => createHmac('sha256', secret).update(user).digest('hex');

/** Calls identify on the page; resolves with the status of the tag's POST …/identify. */
async function identify(page, args) {
  const answer = page.waitForResponse((r) => r.url().endsWith('/v1/sites/1/identify'));
  await page.evaluate((a) => window.loupe('identify', ...a), args);
  return answer;
}

await step('a segment-targeted survey appears only after identify', async () => {
  const page = await newPage(browser);
  const answer = nextWidgetsAnswer(page);
  await page.goto(pages.origin + '/account');
  const before = await (await answer).json();
  await sleep(700);
  check((await widget(page).count()) === 0 && before.widgets.length === 0, `anonymous visitor sees nothing: ${JSON.stringify(before)}`);

  const again = nextWidgetsAnswer(page);
  const res = await identify(page, ['u-1', { plan: 'pro', seats: 3 }]);
  check(res.status() === 200, `identify answered ${res.status()}`);
  check(JSON.parse(res.request().postData()).user_id === 'u-1', 'identify sends the user id');
  const after = await (await again).json();
  check(after.widgets.some((w) => String(w.id) === SURVEY), `widgets after identify: ${JSON.stringify(after)}`);
  await widget(page).getByRole('dialog').waitFor();
  check((await known('u-1'))?.userId === 'u-1', 'u-1 is stored');
  check(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
  await page.context().close();
});

await step('with identity verification, only a correctly signed identify is accepted', async () => {
  const { rotateIdentitySecret: { secret } } = await gql('mutation { rotateIdentitySecret(siteId: "1") { secret } }');
  await gql('mutation { updateSite(id: "1", input: {identityVerification: true}) { identityVerification } }');

  for (const [what, user, opts] of [
    ['without a userHash', 'u-2', undefined],
    ['with a wrong userHash', 'u-3', { userHash: hmac('lis_not-the-secret', 'u-3') }],
    ["with another user's userHash", 'u-3', { userHash: hmac(secret, 'u-2') }],
  ]) {
    const page = await newPage(browser);
    const seen = trackLoupe(page);
    const answer = nextWidgetsAnswer(page);
    await page.goto(pages.origin + '/account');
    await answer;
    const res = await identify(page, [user, { plan: 'pro' }, opts]);
    check(res.status() === 403, `identify ${what} answered ${res.status()}`);
    const body = JSON.parse(res.request().postData());
    check(opts ? body.user_hash === opts.userHash : !('user_hash' in body), `user_hash sent ${what}: ${JSON.stringify(body)}`);
    check((await res.json()).error === 'IDENTITY_VERIFICATION_FAILED', `error code ${what}`);
    check((await known(user)) === null, `nothing stored for ${user} ${what}`);
    await sleep(700);
    check((await widget(page).count()) === 0, `no segment survey ${what}`);
    check(seen.filter((r) => r.path.endsWith('/identify')).length === 1, `one identify call ${what}`);
    await page.context().close();
  }

  const page = await newPage(browser);
  const answer = nextWidgetsAnswer(page);
  await page.goto(pages.origin + '/account');
  await answer;
  const again = nextWidgetsAnswer(page);
  const res = await identify(page, ['u-4', { plan: 'pro' }, { userHash: hmac(secret, 'u-4') }]);
  check(res.status() === 200, `signed identify answered ${res.status()}`);
  check((await known('u-4'))?.userId === 'u-4', 'u-4 is stored');
  await again;
  await widget(page).getByRole('dialog').waitFor();
  check(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
  await page.context().close();
});

await browser.close();
pages.close();
finish();
