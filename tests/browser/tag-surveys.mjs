// Surveys through loupe.js in real Chromium against the real server: targeting by page
// and device, every question type answered through the widget (some with the keyboard
// only, some with the mouse), the survey's logic followed, the stored response exact, a
// partial response when the visitor leaves, a poll, dismissal (× and Escape) with
// frequency ONCE, axe-core on every question, and screenshots (desktop and 375 px).
//
// Run by tests/api/browser_tag.rs (surveys_*) with SURVEY_ID (targeted at "/pricing" on
// desktop), POLL_ID (at "/poll") and DISMISS_ID (at "/dismiss", frequency ONCE).

import {
  answersByKey, axeViolations, check, demoPage, finish, launch, newPage, nextWidgetsAnswer, widgetsBody,
  questionIds, responses, screenshot, servePages, sleep, snippet, step, trackLoupe, waitFor,
} from './lib.mjs';

const SURVEY = process.env.SURVEY_ID;
const POLL = process.env.POLL_ID;
const DISMISS = process.env.DISMISS_ID;
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

const tag = await snippet();
const pages = await servePages((path) =>
  demoPage(`Shop ${path}`, `<p>Some page content.</p><button type="button">A page button</button>`, tag),
);
const browser = await launch();
const axeFindings = [];
const shots = [];

const widget = (page, id) => page.locator(`#loupe-survey-${id}`);
/** Waits until the widget shows the question with this prompt. */
const prompt = (w, text) => w.locator('#lp-prompt').filter({ hasText: text }).first().waitFor({ timeout: 10000 });
/** Which element has the keyboard focus, through the widget's shadow root. */
const focused = (page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''}${el.value ? '=' + el.value : ''}` : null;
  });
async function axe(page, what) {
  const v = await axeViolations(page);
  if (v.length) axeFindings.push(`${what}: ${v.join(' ;; ')}`);
}
/** Visits `path` and checks that no widget is shown there (after the tag's /widgets answer). */
async function noWidgetOn(page, path, id) {
  const answer = nextWidgetsAnswer(page);
  await page.goto(pages.origin + path);
  const body = await widgetsBody(answer);
  await sleep(700);
  check((await widget(page, id).count()) === 0, `no survey ${id} on ${path} (widgets answered ${JSON.stringify(body)})`);
}

const ids = await questionIds(SURVEY);

// Visitor 1: desktop, answers everything.
const v1 = await newPage(browser, { viewport: { width: 1280, height: 800 } });
const v1Requests = trackLoupe(v1);
await step('not shown on /about', () => noWidgetOn(v1, '/about', SURVEY));

await step('not shown to a phone on /pricing (device targeting)', async () => {
  const phone = await newPage(browser, { userAgent: IPHONE, viewport: { width: 390, height: 800 } });
  await noWidgetOn(phone, '/pricing', SURVEY);
  await phone.context().close();
});

await step('every question type answered on /pricing, logic followed', async () => {
  await v1.goto(pages.origin + '/pricing');
  const w = widget(v1, SURVEY);
  await w.getByRole('dialog').waitFor({ timeout: 15000 });
  check((await w.evaluate((el) => !!el.shadowRoot && el.shadowRoot.mode)) === 'open', 'the widget lives in an open shadow root');

  // SHORT_TEXT, keyboard only: the field has the focus; Enter moves on.
  await prompt(w, 'What is your name?');
  await axe(v1, 'SHORT_TEXT');
  check((await focused(v1)) === 'input[text]', `focus in the text field, not ${await focused(v1)}`);
  await v1.keyboard.type('Ada Lovelace');
  await v1.keyboard.press('Enter');

  // NPS, keyboard only: arrows through the radiogroup, Tab to the button, Enter.
  await prompt(w, 'How likely are you to recommend us?');
  await axe(v1, 'NPS');
  for (let i = 0; i < 9; i++) await v1.keyboard.press('ArrowRight');
  check((await focused(v1)) === 'input[radio]=9', `arrow keys reach 9: ${await focused(v1)}`);
  check(await w.getByRole('radio', { name: '9', exact: true }).isChecked(), 'NPS 9 is checked');
  shots.push(await screenshot(v1, 'survey-desktop-nps'));
  await v1.keyboard.press('Tab');
  check((await focused(v1)) === 'button[submit]', `Tab reaches the Next button: ${await focused(v1)}`);
  await v1.keyboard.press('Enter');

  // NPS 9: the rule "< 7 → what went wrong" does not match; "always → plan" skips it.
  await prompt(w, 'Which plan are you on?');
  await axe(v1, 'SINGLE_CHOICE');
  // SINGLE_CHOICE with "Other", by mouse.
  await w.locator('label', { hasText: 'Other' }).click();
  const other = w.getByRole('textbox', { name: 'Other answer' });
  await other.waitFor({ timeout: 3000 });
  await other.click();
  await v1.keyboard.type('Enterprise');
  await axe(v1, 'SINGLE_CHOICE with Other');
  shots.push(await screenshot(v1, 'survey-desktop-choice'));
  await w.getByRole('button', { name: 'Next' }).click();

  // MULTIPLE_CHOICE, keyboard only: Space ticks, Tab moves.
  await prompt(w, 'Which features do you use?');
  await axe(v1, 'MULTIPLE_CHOICE');
  check((await focused(v1)) === 'input[checkbox]=Surveys', `focus on the first box: ${await focused(v1)}`);
  await v1.keyboard.press('Space');
  await v1.keyboard.press('Tab');
  await v1.keyboard.press('Tab');
  await v1.keyboard.press('Space');
  await v1.keyboard.press('Tab');
  check((await focused(v1)) === 'button[submit]', `Tab reaches the Next button: ${await focused(v1)}`);
  await v1.keyboard.press('Enter');

  // RATING as stars, by mouse.
  await prompt(w, 'How do you rate the docs?');
  await axe(v1, 'RATING');
  await w.locator('label', { hasText: '4 stars' }).click();
  check(await w.getByRole('radio', { name: '4 stars' }).isChecked(), '4 stars checked');
  shots.push(await screenshot(v1, 'survey-desktop-rating'));
  await w.getByRole('button', { name: 'Next' }).click();

  // STATEMENT: the Continue button has the focus; Enter.
  await prompt(w, 'Almost done');
  await axe(v1, 'STATEMENT');
  if (!check((await focused(v1)) === 'button[submit]', `keyboard focus on the STATEMENT's Continue button after an answer was sent, but it is on ${await focused(v1)}`)) {
    await w.getByRole('button', { name: 'Continue' }).focus(); // to go on with the rest
  }
  await v1.keyboard.press('Enter');

  // EMAIL: a bad address is refused in place (announced), then a good one.
  await prompt(w, 'Your email?');
  await v1.keyboard.type('not-an-email');
  await v1.keyboard.press('Enter');
  await w.getByRole('alert').filter({ hasText: /valid email/ }).waitFor({ timeout: 3000 });
  check((await w.getByRole('textbox').getAttribute('aria-invalid')) === 'true', 'the bad email is marked invalid');
  await axe(v1, 'EMAIL with an error');
  await v1.keyboard.press('ControlOrMeta+A');
  await v1.keyboard.type('ada@example.com');
  await v1.keyboard.press('Enter');

  await w.getByRole('status').filter({ hasText: 'Thanks for your feedback!' }).waitFor({ timeout: 5000 });
  await axe(v1, 'thank-you');
});

await step('the stored response has exactly the answers given', async () => {
  const all = await waitFor(async () => {
    const r = await responses(SURVEY);
    return r.length && r[r.length - 1].isComplete ? r : null;
  }, 'a complete response');
  check(all.length === 1, `one response, got ${JSON.stringify(all)}`);
  const got = answersByKey(all[0], ids);
  got.features?.sort?.(); // the order of ticked options is not part of the contract
  const want = {
    name: 'Ada Lovelace', nps: 9, plan: null, 'plan.other': 'Enterprise',
    features: ['Segments', 'Surveys'], rating: 4, email: 'ada@example.com',
  };
  // "Other" alone: the value may be stored as null or left out; the text is in `other`.
  if (!('plan' in got)) delete want.plan;
  check(JSON.stringify(got) === JSON.stringify(want), `answers ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
  check(all[0].isComplete === true, 'isComplete');
  check(String(all[0].pageUrl ?? '').includes('/pricing'), `pageUrl ${all[0].pageUrl}`);
  const posts = v1Requests.filter((r) => r.path.endsWith(`/surveys/${SURVEY}/responses`)).map((r) => JSON.parse(r.body));
  check(posts.length >= 2 && posts[0].is_complete === false && !('response_id' in posts[0]), 'the first answer is posted as a partial response');
  check(posts.slice(1).every((p) => p.response_id === posts[1].response_id && p.response_id > 0), 'later posts carry the response id');
  check(posts[posts.length - 1].is_complete === true, 'the last post completes the response');
});

await step('the survey is not shown again to a visitor who answered it', () => noWidgetOn(v1, '/pricing', SURVEY));

// Visitor 2: a phone-sized window (desktop browser), answers two questions by mouse, leaves.
await step('a visitor who leaves after two answers leaves a partial response', async () => {
  const v2 = await newPage(browser, { viewport: { width: 375, height: 720 } });
  await v2.goto(pages.origin + '/pricing');
  const w = widget(v2, SURVEY);
  await prompt(w, 'What is your name?');
  shots.push(await screenshot(v2, 'survey-mobile-375'));
  await w.getByRole('textbox').click();
  await v2.keyboard.type('Bob');
  await w.getByRole('button', { name: 'Next' }).click();
  await prompt(w, 'How likely are you to recommend us?');
  await axe(v2, 'NPS at 375 px');
  shots.push(await screenshot(v2, 'survey-mobile-375-nps'));
  await w.locator('label', { hasText: /^3$/ }).click();
  await w.getByRole('button', { name: 'Next' }).click();
  // NPS 3 (< 7): the logic goes to "what went wrong".
  await prompt(w, 'What went wrong?');
  await v2.goto(pages.origin + '/about');
  const r = await waitFor(async () => (await responses(SURVEY)).filter((x) => !x.isComplete), 'a partial response');
  check(r.length === 1, `one partial response: ${JSON.stringify(r)}`);
  const got = answersByKey(r[0], ids);
  check(JSON.stringify(got) === JSON.stringify({ name: 'Bob', nps: 3 }), `partial answers ${JSON.stringify(got)}`);
  check(v2.errors.length === 0, `visitor 2 page errors: ${v2.errors.join('; ')}`);
  await v2.context().close();
});

await step('a poll is answered', async () => {
  await v1.goto(pages.origin + '/poll');
  const w = widget(v1, POLL);
  await prompt(w, 'What should we build next?');
  await axe(v1, 'poll');
  shots.push(await screenshot(v1, 'poll-desktop'));
  await w.locator('label', { hasText: 'Export' }).click();
  await w.getByRole('button', { name: 'Submit' }).click();
  await w.getByRole('status').waitFor({ timeout: 5000 });
  const r = await waitFor(async () => (await responses(POLL)).filter((x) => x.isComplete), 'the poll response');
  const pids = await questionIds(POLL);
  check(JSON.stringify(answersByKey(r[0], pids)) === JSON.stringify({ next: 'Export' }), `poll answers ${JSON.stringify(r)}`);
});

for (const [how, visitor] of [['Escape', v1], ['the × button', null]]) {
  await step(`dismissed with ${how}: a display is posted and the ONCE survey does not come back`, async () => {
    const page = visitor ?? (await newPage(browser));
    const seen = visitor ? v1Requests : trackLoupe(page);
    await page.goto(pages.origin + '/dismiss');
    const w = widget(page, DISMISS);
    await prompt(w, 'Quick question?');
    const posted = page.waitForResponse((r) => r.url().endsWith(`/surveys/${DISMISS}/displays`) && r.request().postData()?.includes('dismissed'), { timeout: 15000 });
    // Escape closes the card while focus is inside it: press it on the card's own field, so
    // a page that is not the browser's focused one (several run at once) still gets it.
    if (how === 'Escape') await w.getByRole('button', { name: 'Close survey' }).press('Escape');
    else await w.getByRole('button', { name: 'Close survey' }).click();
    const res = await posted;
    check(res.status() === 204, `dismissed display answered ${res.status()}`);
    await waitFor(async () => (await w.count()) === 0, 'the widget is removed');
    const displays = seen.filter((r) => r.path.endsWith(`/surveys/${DISMISS}/displays`)).map((r) => JSON.parse(r.body).event);
    check(JSON.stringify(displays) === '["shown","dismissed"]', `displays posted: ${JSON.stringify(displays)}`);
    const answer = nextWidgetsAnswer(page);
    await page.reload();
    const body = await widgetsBody(answer);
    await sleep(700);
    check((await w.count()) === 0 && !JSON.stringify(body).includes(`"id":${DISMISS}`), `not back after reload: ${JSON.stringify(body)}`);
    if (!visitor) await page.context().close();
  });
}

check(axeFindings.length === 0, `axe-core violations:\n  ${axeFindings.join('\n  ')}`);
check(v1.errors.length === 0, `page errors: ${v1.errors.join('; ')}`);
console.log(JSON.stringify({ screenshots: shots }));
await browser.close();
pages.close();
finish();
