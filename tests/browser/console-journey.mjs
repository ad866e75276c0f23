// The console's journey end to end (issue 16), in Chromium at 1280×720, only through the UI
// (the API is used to verify what the UI did, never to do it):
//  1. the setup link → the owner account → signed in;
//  2. a site for the demo pages' host; the snippet copied with its copy button (read back from
//     the clipboard) and pasted into the demo pages; recording on; the DPA accepted and
//     Identify on;
//  3. a survey built in the builder: NPS with a logic jump (below 7 → "what went wrong"),
//     a choice question and a text question, a URL rule targeting /pricing; sentiment on;
//     activated;
//  4. a visitor, identified by the page with an email, browses: nothing on the home page
//     (targeting), the survey on /pricing; a detractor's score and a clearly negative text;
//  5. the results: 1 response, NPS −100 with one detractor, the answer's sentiment NEGATIVE
//     (scored asynchronously: the page is reloaded until it shows), the identified user; the
//     visitor's recording opened from the response and played;
//  6. a segment "email contains @<the demo user's domain>" with a live count of 1;
//  7. Privacy: a GDPR lookup by that email reports the response and the recording; deleted
//     with the typed confirmation; a new lookup finds nothing.
// A screenshot of each page (target/screenshots/console-journey-*.png) and axe-core on each.
//
// Env: LOUPE_URL (Loupe serving the console), SETUP_URL (the setup link printed at first
// start), LOUPE_TOKEN (an ADMIN API token, only for the checks). Run by tests/api/console.rs.
import {
  axeViolations, check, demoPage, finish, gql, launch, loupe, newPage, nextWidgetsAnswer, screenshot, servePages, step, waitFor, widgetsBody,
} from './lib.mjs';

const setupUrl = process.env.SETUP_URL ?? '';
if (!setupUrl) throw new Error('SETUP_URL must be set (the setup link Loupe printed at first start)');

const started = Date.now();
const run = Date.now() % 100000;
const email = `owner${run}@example.com`;
const password = `quiet harbour lantern ${run} meadow`;
const domain = `journey${run}.example`;
const visitorEmail = `ann@${domain}`;
const userId = `ann-${run}`;
const surveyName = `Pricing feedback ${run}`;
const negativeText = 'This is terrible and slow. The pricing page is confusing and broken, I hate it.';
const viewport = { width: 1280, height: 720 };
const shots = [];

const browser = await launch();
// The admin's browser may read back what the copy button put on the clipboard.
const page = await newPage(browser, { viewport, permissions: ['clipboard-read', 'clipboard-write'] });

async function axe(p, label, skip = () => false) {
  const v = (await axeViolations(p)).filter((line) => !skip(line));
  check(v.length === 0, `axe on ${label}:\n  ${v.join('\n  ')}`);
}
async function shot(p, name) {
  shots.push(await screenshot(p, `console-journey-${name}`));
}
const nav = (name) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });

let siteId = '';
let snippet = '';
let surveyId = '';
let responseId = '';
let recordingId = '';
let demo = null;

try {
  await step('1. setup link → owner account → signed in', async () => {
    await page.goto(setupUrl);
    await page.getByRole('heading', { level: 1, name: 'Create the owner account' }).waitFor();
    await shot(page, '01-setup');
    await axe(page, '/setup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Your name (optional)').fill('Olivia Owner');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await page.waitForURL(`${loupe}/sites`);
    await page.getByRole('heading', { level: 1, name: 'Sites' }).waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    await page.locator('table.table tbody tr').first().waitFor();
    await shot(page, '02-sites');
    await axe(page, '/sites');
  });

  await step('2. create a site, copy the snippet, recording and Identify on', async () => {
    await page.getByRole('button', { name: 'New site' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New site' });
    await dialog.getByLabel('Name').fill(`Journey shop ${run}`);
    // The demo pages are served from 127.0.0.1 (any port).
    await dialog.getByLabel('Allowed domains').fill('127.0.0.1');
    await dialog.getByRole('button', { name: 'Create site' }).click();
    await page.waitForURL(/\/sites\/\d+$/);
    siteId = page.url().split('/').pop();
    await page.getByRole('heading', { level: 1, name: `Journey shop ${run}` }).waitFor();

    // The snippet, through the copy button and the clipboard.
    const install = page.locator('#install-title').locator('xpath=ancestor::section[1]');
    const shown = ((await page.getByLabel('Tag snippet').textContent()) ?? '').trim();
    await install.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Snippet copied to the clipboard.').waitFor();
    await install.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    snippet = await page.evaluate(() => navigator.clipboard.readText());
    check(snippet === shown, `the clipboard holds the snippet shown:\n${snippet}\nvs\n${shown}`);
    check(snippet.includes(`src="${loupe}/v1/loupe.js"`) && snippet.includes(`data-site="${siteId}"`), `the snippet loads this server's tag for site ${siteId}: ${snippet}`);
    await shot(page, '03-site-snippet');
    await axe(page, '/sites/:id');

    await page.getByLabel('Record sessions').check();
    await page.getByLabel('Share of visitors recorded (%)').fill('100');
    await page.getByRole('button', { name: 'Save session recording' }).click();
    await page.getByText('Session recording saved.').waitFor();

    // Identify needs the data-processing agreement (the Default organization is on Scale).
    const accept = page.getByRole('button', { name: 'Review and accept' });
    check(await accept.isVisible(), 'a fresh organization is asked to accept the DPA');
    check(await page.getByLabel('Accept identify calls').isDisabled(), 'Identify is locked before the DPA');
    await accept.click();
    const dpa = page.getByRole('dialog', { name: 'Data-processing agreement' });
    await dpa.waitFor();
    await shot(page, '04-dpa');
    await axe(page, 'DPA dialog');
    await dpa.getByRole('button', { name: 'Accept for the organization' }).click();
    await page.getByText('Data-processing agreement accepted.').waitFor();
    await waitFor(async () => !(await page.getByLabel('Accept identify calls').isDisabled()), 'Identify unlocked');
    await page.getByLabel('Accept identify calls').check();
    await page.getByText('Identify turned on.').waitFor();
    await shot(page, '05-site-settings');

    const d = await gql(`query($id: ID!) { site(id: $id) { allowedDomains recordingEnabled recordingSamplePercent identifyEnabled } }`, { id: siteId });
    check(d.site.allowedDomains.join() === '127.0.0.1', `allowed domains: ${d.site.allowedDomains}`);
    check(d.site.recordingEnabled && d.site.recordingSamplePercent === 100, `recording on for everyone: ${JSON.stringify(d.site)}`);
    check(d.site.identifyEnabled, 'Identify on');
  });

  await step('3. build a survey with logic and targeting, sentiment on, activate', async () => {
    await nav('Surveys').click();
    await page.getByRole('heading', { level: 1, name: 'Surveys and polls' }).waitFor();
    await shot(page, '06-surveys-empty');
    await axe(page, '/sites/:id/surveys (empty)');
    await page.getByRole('link', { name: 'New survey' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New survey' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(surveyName);
    await page.getByLabel('Q1 question').fill('How likely are you to recommend us to a friend?');
    await page.getByLabel('New question type').selectOption('SINGLE_CHOICE');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Q2 question').fill('What do you like most?');
    const q2 = page.locator('#question-1');
    await q2.getByLabel('Option 1', { exact: true }).fill('Price');
    await q2.getByLabel('Option 2', { exact: true }).fill('Speed');
    await page.getByLabel('New question type').selectOption('LONG_TEXT');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Q3 question').fill('What went wrong?');
    // Logic: a detractor goes straight to "what went wrong".
    await page.getByRole('button', { name: 'Add logic rule to Q1' }).click();
    const q1 = page.locator('#question-0');
    await q1.getByLabel('Rule 1 condition').selectOption('LESS_THAN');
    await q1.getByLabel('Rule 1 number').fill('7');
    await q1.getByLabel('Rule 1 goes to').selectOption('q3');
    const paths = (await page.locator('.paths').textContent()) ?? '';
    check(paths.includes('Q1 → if score is below 7 → Q3 → End'), `path view: ${paths}`);
    // Targeting: only the pricing page.
    await page.getByRole('button', { name: 'Add page rule' }).click();
    await page.getByLabel('Rule 1: where the URL').selectOption('CONTAINS');
    await page.getByLabel('Rule 1 value').fill('/pricing');
    await waitFor(
      () => page.evaluate(() => document.querySelector('.preview-stage [id^="loupe-survey-"]')?.shadowRoot?.textContent?.includes('How likely are you to recommend us')),
      'the live preview shows Q1',
    );
    await shot(page, '07-builder');
    await axe(page, '/surveys/new');
    await page.getByRole('button', { name: 'Save survey' }).first().click();
    await page.waitForURL(/\/surveys\/\d+\/edit$/);
    surveyId = page.url().split('/').slice(-2)[0];

    // Sentiment before any answer (only later answers are scored), then activate.
    // (A controlled checkbox: it turns on once the server said so.)
    const sentiment = page.getByLabel('Score the sentiment of text answers');
    await sentiment.click();
    await page.getByText('Sentiment scoring on.').waitFor();
    await waitFor(() => sentiment.isChecked(), 'the sentiment box is ticked');
    await page.locator('#live-title').locator('xpath=ancestor::section[1]').getByRole('button', { name: 'Activate' }).click();
    await page.getByText('Now active.').waitFor();
    await page.locator('#live-title').locator('xpath=ancestor::section[1]').getByRole('button', { name: 'Pause' }).waitFor();
    await shot(page, '08-builder-active');
    await axe(page, '/surveys/:id/edit');

    const d = await gql(
      `query($id: ID!) { survey(id: $id) { name status sentimentEnabled questions { key type logic { operator number goTo } }
         targeting { urlRules { kind value exclude } } } }`,
      { id: surveyId },
    );
    const s = d.survey;
    check(s.name === surveyName && s.status === 'ACTIVE' && s.sentimentEnabled, `saved and active with sentiment: ${JSON.stringify(s)}`);
    check(s.questions.map((q) => q.type).join() === 'NPS,SINGLE_CHOICE,LONG_TEXT', `questions: ${JSON.stringify(s.questions)}`);
    check(JSON.stringify(s.questions[0].logic) === JSON.stringify([{ operator: 'LESS_THAN', number: 7, goTo: 'q3' }]), `logic: ${JSON.stringify(s.questions[0].logic)}`);
    check(JSON.stringify(s.targeting.urlRules) === JSON.stringify([{ kind: 'CONTAINS', value: '/pricing', exclude: false }]), `url rules: ${JSON.stringify(s.targeting.urlRules)}`);
  });

  await step('4. the demo pages with the pasted snippet: a visitor answers on /pricing', async () => {
    if (!snippet || !surveyId) throw new Error('no snippet or survey from the earlier steps');
    // The customer's pages: the snippet pasted in <head>, then their own identify call.
    const identify = `<script>loupe('identify', ${JSON.stringify(userId)}, { email: ${JSON.stringify(visitorEmail)}, plan: 'pro' });</script>`;
    demo = await servePages((path) => {
      if (path === '/') return demoPage('Journey shop', '<p>Welcome to the shop.</p><p><a id="to-pricing" href="/pricing">See our prices</a></p>', snippet + identify);
      if (path === '/pricing') return demoPage('Pricing', '<p>Basic: 10 €. Pro: 30 €.</p><button type="button" id="buy">Buy Pro</button>', snippet + identify);
      if (path === '/bye') return demoPage('Goodbye', '<p>No tag on this page.</p>');
      return null;
    });
    // Another browser: the visitor is not the admin.
    const visitor = await newPage(browser, { viewport });
    const recorder = visitor.waitForRequest((r) => r.url().includes('/v1/loupe-recorder.js'), { timeout: 15000 });
    const home = nextWidgetsAnswer(visitor, 15000);
    await visitor.goto(demo.origin + '/');
    const onHome = await widgetsBody(home);
    await recorder;
    check(!(onHome.widgets ?? []).some((w) => String(w.id) === surveyId), `targeting: no survey on the home page: ${JSON.stringify(onHome)}`);
    check((await visitor.locator(`#loupe-survey-${surveyId}`).count()) === 0, 'nothing shown on the home page');

    const pricing = nextWidgetsAnswer(visitor, 15000);
    await visitor.click('#to-pricing');
    await visitor.waitForURL('**/pricing');
    await pricing;
    const w = visitor.locator(`#loupe-survey-${surveyId}`);
    await w.getByRole('dialog').waitFor({ timeout: 15000 });
    await w.getByText('How likely are you to recommend us to a friend?').waitFor();
    await visitor.click('#buy'); // activity for the recording
    await shot(visitor, '09-demo-survey');
    await axe(visitor, 'the demo page with the survey');
    await w.getByRole('radio', { name: '3', exact: true }).check();
    await w.getByRole('button', { name: 'Next' }).click();
    // The logic skips Q2: the text question comes next, and it is the last.
    await w.getByText('What went wrong?').waitFor();
    await w.getByRole('textbox').fill(negativeText);
    const sent = visitor.waitForResponse((r) => r.url().includes(`/surveys/${surveyId}/responses`) && r.request().method() === 'POST');
    await w.getByRole('button', { name: 'Submit' }).click();
    check((await sent).ok(), 'the response was accepted');
    await w.getByRole('status').waitFor({ timeout: 5000 });
    await shot(visitor, '10-demo-thanks');
    // Leave: the recorder's last batch goes out as the page is hidden.
    await visitor.goto(demo.origin + '/bye');
    check(visitor.errors.length === 0, `demo page errors:\n  ${visitor.errors.join('\n  ')}`);

    // Verify through the API (not through the UI): the response, its user and its recording.
    const r = await waitFor(async () => {
      const d = await gql(`query($id: ID!) { responses(surveyId: $id) { edges { node { id userId recording { id pageViews } } } } }`, { id: surveyId });
      const n = d.responses.edges[0]?.node;
      return n?.recording?.pageViews >= 2 ? n : null;
    }, 'the response is linked to the visit’s recording, with both pages', 20000, 300);
    // (The visitor's browser stays open until then: its last batch may still be on its way.)
    await visitor.context().close();
    responseId = r.id;
    recordingId = r.recording.id;
    check(r.userId === userId, `the response is identified: ${r.userId}`);
  });

  await step('the site’s settings show that the tag works', async () => {
    await nav('Sites').click();
    await page.getByRole('heading', { level: 1, name: 'Sites' }).waitFor();
    await page.getByRole('link', { name: `Journey shop ${run}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Journey shop ${run}` }).waitFor();
    await page.locator('.data-received').getByText('The tag works').waitFor();
  });

  await step('5. results: chart numbers, the response with its sentiment and user; its recording plays', async () => {
    if (!surveyId) throw new Error('no survey');
    await nav('Surveys').click();
    const row = page.locator('tr', { hasText: surveyName });
    await row.waitFor();
    await row.getByRole('link', { name: /^1 response/ }).click();
    await page.getByRole('heading', { level: 1, name: `Results: ${surveyName}` }).waitFor();
    // Sentiment is scored by a worker: reload until the answer carries its label.
    const badge = page.locator('.resp-table tbody tr').first().locator('.badge.sent-NEGATIVE');
    await waitFor(async () => {
      await page.locator('.resp-table tbody tr').first().waitFor();
      if (await badge.count()) return true;
      await page.reload();
      return false;
    }, 'the answer’s sentiment shows as Negative', 60000, 1500);
    const stat = (label) => page.locator('.stat', { has: page.locator('.stat-label', { hasText: label }) }).locator('.stat-value');
    check((await stat('Responses').first().textContent()) === '1', `1 response: ${await stat('Responses').first().textContent()}`);
    check((await page.locator('.nps-score').textContent()) === '-100', `NPS −100: ${await page.locator('.nps-score').textContent()}`);
    const bar = (await page.locator('svg[aria-label^="Promoters, passives and detractors"]').getAttribute('aria-label')) ?? '';
    check(bar.includes('Detractors (0–6) 1 (100') && bar.includes('Promoters (9–10) 0'), `one detractor: ${bar}`);
    await page.locator('svg[aria-label^="Sentiment of"]').first().waitFor();
    const sentimentChart = (await page.locator('svg[aria-label^="Sentiment of"]').first().getAttribute('aria-label')) ?? '';
    check(/Negative 1\b/.test(sentimentChart), `the sentiment chart counts one negative answer: ${sentimentChart}`);
    await shot(page, '11-results');
    await axe(page, '/surveys/:id/results');

    await page.getByRole('button', { name: `Show response ${responseId}` }).click();
    const detail = page.locator(`#resp-${responseId}`);
    await detail.waitFor();
    await detail.getByText(negativeText).waitFor();
    check((await detail.locator('.badge.sent-NEGATIVE').count()) === 1, 'the text answer is labelled Negative');
    await detail.getByRole('link', { name: userId, exact: true }).waitFor();
    check(((await detail.textContent()) ?? '').includes(visitorEmail), 'the identified user’s email shows');
    await detail.scrollIntoViewIfNeeded();
    await shot(page, '12-results-response');
    await axe(page, 'results with the response open');

    await detail.getByRole('link', { name: 'Watch the visit’s recording' }).click();
    await page.waitForURL(`${loupe}/sites/${siteId}/recordings/${recordingId}`);
    // The visit began on the home page and ended on /pricing: playing moves from one to the other.
    const frame = page.frameLocator('.replay-screen iframe');
    const heading = async () => (await frame.locator('h1').textContent({ timeout: 500 }).catch(() => '')) ?? '';
    await waitFor(async () => (await heading()) === 'Journey shop', 'the replay starts on the home page', 15000);
    const range = page.getByLabel('Position in the recording');
    const before = Number(await range.inputValue());
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await waitFor(async () => Number(await range.inputValue()) > before, 'the position advances', 10000);
    await waitFor(async () => (await heading()) === 'Pricing', 'the replay reaches the pricing page', 10000);
    await page.getByRole('link', { name: userId, exact: true }).first().waitFor();
    await shot(page, '13-player');
    // The replayed page inside the iframe is recorded content: left out.
    await axe(page, '/recordings/:id', (line) => line.includes('iframe'));
  });

  await step('6. a segment on the user’s email domain: live count 1', async () => {
    await nav('Segments').click();
    await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
    await page.getByRole('link', { name: 'New segment' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New segment' }).waitFor();
    await page.getByLabel('Name').fill(`People at ${domain}`);
    const cond = page.locator('.seg-condition').first();
    await cond.getByLabel('Field').selectOption('attr:email');
    await cond.getByLabel('Operator').selectOption('CONTAINS');
    await cond.getByLabel('Value').fill(`@${domain}`);
    await page.getByText('1 matching user', { exact: true }).waitFor();
    await page.locator('.seg-sample').getByText(userId).waitFor();
    await shot(page, '14-segment');
    await axe(page, '/segments/new');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.waitForURL(/\/segments\/\d+$/);
    const id = page.url().split('/').pop();
    const d = await gql('query($id: ID!) { segment(id: $id) { preview { matchingUsers } } }', { id });
    check(d.segment.preview.matchingUsers === 1, `the saved segment matches one user: ${JSON.stringify(d)}`);
  });

  await step('7. privacy: GDPR lookup by email, delete with the typed confirmation, nothing left', async () => {
    await nav('Privacy').click();
    await page.getByRole('heading', { level: 1, name: 'Privacy' }).waitFor();
    const form = page.locator('#personal-data-title').locator('xpath=ancestor::section[1]');
    await form.getByLabel('Email', { exact: true }).fill(visitorEmail);
    await form.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('heading', { name: 'What Loupe holds' }).waitFor();
    const found = page.getByRole('list', { name: 'Found' });
    const count = async (list, key) => {
      const li = list.locator('li').filter({ hasText: new RegExp(`^${key}: `) });
      return (await li.count()) ? Number(await li.locator('strong').textContent()) : NaN;
    };
    check((await count(found, 'users')) === 1, `found 1 user: ${await found.textContent()}`);
    check((await count(found, 'responses')) === 1, `found 1 response: ${await found.textContent()}`);
    check((await count(found, 'recordings')) >= 1, `found the recording: ${await found.textContent()}`);
    const report = (await page.getByLabel('Report (JSON)').textContent()) ?? '';
    check(report.includes(negativeText), 'the report holds the answer');
    await page.getByRole('heading', { name: 'What Loupe holds' }).scrollIntoViewIfNeeded();
    await shot(page, '15-privacy-report');
    await axe(page, '/privacy with a report');

    await form.getByRole('button', { name: 'Delete everything about this person…' }).click();
    const dialog = page.getByRole('dialog', { name: "Delete this person's data?" });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Delete for good' });
    check(await confirm.isDisabled(), 'deleting waits for the typed confirmation');
    await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
    await shot(page, '16-privacy-delete');
    await axe(page, 'delete confirmation');
    await confirm.click();
    const deleted = page.getByRole('list', { name: 'Deleted' });
    await deleted.waitFor();
    check((await count(deleted, 'responses')) === 1 && (await count(deleted, 'recordings')) >= 1, `deleted: ${await deleted.textContent()}`);

    await form.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('heading', { name: 'What Loupe holds' }).waitFor();
    const again = page.getByRole('list', { name: 'Found' });
    await again.waitFor();
    for (const k of ['users', 'responses', 'recordings']) check((await count(again, k)) === 0, `nothing left (${k}): ${await again.textContent()}`);
    await page.getByRole('table', { name: 'Audit log' }).getByText('Personal data deleted').first().waitFor();
    await shot(page, '17-privacy-after');

    const d = await gql(`query($id: ID!) { responses(surveyId: $id) { totalCount } }`, { id: surveyId });
    check(d.responses.totalCount === 0, `the API has no response left: ${d.responses.totalCount}`);
  });

  check(page.errors.length === 0, `console page errors:\n  ${page.errors.join('\n  ')}`);
} finally {
  await browser.close();
  demo?.close();
  console.log(`journey: ${shots.length} screenshots, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  finish();
}
