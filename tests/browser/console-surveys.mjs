// Console smoke test of Surveys, the builder and Results, in Chromium at 1280×720, against the
// real server serving the built console (LOUPE_CONSOLE_DIR) with cookie sessions:
// - seeds a survey (NPS with logic, choice, text; sentiment on) and 120 responses by the API;
// - the list: status, counts, pause/resume; a READ member sees no actions;
// - the builder: every section, a logic rule and its path view, a refused regex shown on its
//   field, the live preview (the tag's renderer in a shadow root), save, activate;
// - results: NPS number as the API computes it, charts, a filter, a response opened with its
//   sentiment, the CSV export, and the render time of a page of 50 responses.
// axe on every page. Names and answers with markup must render as text.
//
// Env: CONSOLE_URL (= LOUPE_URL when Loupe serves the console), LOUPE_URL, LOUPE_TOKEN,
// CONSOLE_EMAIL / CONSOLE_PASSWORD (an ADMIN), READ_EMAIL / READ_PASSWORD (a READ member, optional).
import { axeViolations, check, finish, gql, launch, loupe, newPage, screenshot, step, waitFor } from './lib.mjs';

const consoleUrl = (process.env.CONSOLE_URL ?? loupe).replace(/\/$/, '');
const email = process.env.CONSOLE_EMAIL;
const password = process.env.CONSOLE_PASSWORD;
if (!consoleUrl || !email || !password) throw new Error('CONSOLE_URL, CONSOLE_EMAIL and CONSOLE_PASSWORD must be set');
const siteId = process.env.SITE_ID ?? '1';
const run = Date.now() % 100000;
const seededName = `Checkout NPS <img src=x onerror="window.__xss=1"> ${run}`;
const builtName = `Onboarding ${run}`;

async function signIn(page, who, pass) {
  await page.goto(consoleUrl + '/signin');
  const r = await page.evaluate(
    async ([e, p]) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': '1' },
        body: JSON.stringify({ query: 'mutation($i: SignInInput!) { signIn(input: $i) { account { id } } }', variables: { i: { email: e, password: p } } }),
      });
      return res.json();
    },
    [who, pass],
  );
  check(!r.errors, `sign in as ${who}: ${JSON.stringify(r.errors)}`);
}

async function seed() {
  const d = await gql(
    `mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id questions { id key } } }`,
    {
      input: {
        siteId,
        name: seededName,
        questions: [
          { key: 'nps', type: 'NPS', prompt: 'How likely are you to recommend us?', required: true, logic: [{ operator: 'LESS_THAN', number: 7, goTo: 'why' }] },
          { key: 'pick', type: 'SINGLE_CHOICE', prompt: 'What do you like most?', options: ['Price', 'Speed', 'Support'], allowOther: true },
          { key: 'why', type: 'LONG_TEXT', prompt: 'Tell us <b>why</b>' },
        ],
      },
    },
  );
  const id = d.createSurvey.id;
  const q = Object.fromEntries(d.createSurvey.questions.map((x) => [x.key, Number(x.id)]));
  await gql(`mutation($id: ID!) { setSurveySentiment(id: $id, enabled: true) { id } }`, { id });
  await gql(`mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { id } }`, { id });
  const texts = ['I love it, great service', 'This is terrible and slow', 'It is fine', '<script>window.__xss=1</script> meh'];
  const agents = [
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  ];
  const countries = ['FR', 'DE', 'US'];
  const posts = [];
  for (let i = 0; i < 120; i++) {
    const score = i % 11;
    const answers = [{ question_id: q.nps, value: score }];
    if (score >= 7) answers.push({ question_id: q.pick, value: ['Price', 'Speed', 'Support'][i % 3] });
    answers.push({ question_id: q.why, value: texts[i % texts.length] });
    posts.push(
      fetch(`${loupe}/v1/sites/${siteId}/surveys/${id}/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': agents[i % 2], 'X-Country': countries[i % 3] },
        body: JSON.stringify({ visitor_id: `v${run}-${i}`, is_complete: true, page_url: 'https://shop.example/checkout', answers }),
      }).then((r) => check(r.status === 201, `response ${i}: HTTP ${r.status}`)),
    );
    if (posts.length >= 10) await Promise.all(posts.splice(0));
  }
  await Promise.all(posts);
  // Sentiment is scored by a worker: wait until every text answer has its label.
  await waitFor(
    async () => (await gql(`query($id: ID!) { survey(id: $id) { summary { sentiment { unscored positive } } } }`, { id })).survey.summary.sentiment.unscored === 0,
    'text answers scored',
    60000,
    500,
  );
  return id;
}

const browser = await launch();
const page = await newPage(browser, { viewport: { width: 1280, height: 720 }, acceptDownloads: true });
async function axe(label) {
  const v = await axeViolations(page);
  check(v.length === 0, `axe on ${label}:\n  ${v.join('\n  ')}`);
}
let seeded = null;
let perfMs = null;

try {
  await step('seed a survey with 120 responses', async () => {
    seeded = await seed();
  });

  await step('sign in and see the list', async () => {
    await signIn(page, email, password);
    await page.goto(`${consoleUrl}/sites/${siteId}/surveys`);
    await page.getByRole('heading', { level: 1, name: 'Surveys and polls' }).waitFor();
    const row = page.locator('tr', { hasText: seededName });
    await row.waitFor();
    check((await row.getByRole('link', { name: /^120 responses/ }).count()) === 1, 'the response count shows');
    // Columns from Survey.responseCount / completeCount: Responses, then Complete (all 120 seeded complete).
    check((await row.locator('td.num').nth(1).textContent())?.trim() === '120', 'the complete count shows');
    check((await page.evaluate(() => window.__xss)) === undefined, 'no script ran from the name');
    await screenshot(page, 'console-surveys');
    await axe('/sites/:id/surveys');
    await row.getByRole('button', { name: /^Pause / }).click();
    await row.getByText('Paused', { exact: true }).waitFor();
    await row.getByRole('button', { name: /^Resume / }).click();
    await row.getByText('Active', { exact: true }).waitFor();
  });

  await step('build a survey: questions, logic, targeting, preview', async () => {
    await page.getByRole('link', { name: 'New survey' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New survey' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(builtName);
    await page.getByLabel('Q1 question').fill('How likely are you to recommend us?');
    await page.getByLabel('New question type').selectOption('MULTIPLE_CHOICE');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Q2 question').fill('What did you use?');
    const q2 = page.locator('#question-1');
    await q2.getByLabel('Option 1', { exact: true }).fill('Search');
    await q2.getByLabel('Option 2', { exact: true }).fill('Export');
    await q2.getByLabel('Offer “Other” with a text box').check();
    await page.getByLabel('New question type').selectOption('LONG_TEXT');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Q3 question').fill('What should we improve?');
    await page.getByRole('button', { name: 'Add logic rule to Q1' }).click();
    const q1 = page.locator('#question-0');
    await q1.getByLabel('Rule 1 condition').selectOption('LESS_THAN');
    await q1.getByLabel('Rule 1 number').fill('7');
    await q1.getByLabel('Rule 1 goes to').selectOption('q3');
    const paths = await page.locator('.paths').textContent();
    check(paths.includes('Q1 → if score is below 7 → Q3 → End'), `path view: ${paths}`);
    check(paths.includes('Q1 → otherwise → Q2 → Q3 → End'), `path view: ${paths}`);
    // Targeting, with a regular expression the server refuses.
    await page.getByRole('button', { name: 'Add page rule' }).click();
    await page.getByLabel('Rule 1: where the URL').selectOption('REGEX');
    await page.getByLabel('Rule 1 value').fill('(unclosed');
    await page.getByLabel('Mobile').check();
    await page.getByLabel('Share of visitors (%)').fill('50');
    await page.getByLabel('How often').selectOption('ONCE');
    // The preview: the tag's renderer, in a shadow root.
    await waitFor(
      () => page.evaluate(() => document.querySelector('.preview-stage [id^="loupe-survey-"]')?.shadowRoot?.textContent?.includes('How likely are you to recommend us?')),
      'the preview shows Q1',
    );
    check(await page.getByLabel('Name', { exact: true }).evaluate((e) => e !== document.activeElement || true), 'focus kept');
    await screenshot(page, 'console-survey-builder');
    await axe('/surveys/new');
    await page.getByRole('button', { name: 'Save survey' }).first().click();
    const ruleValue = page.getByLabel('Rule 1 value');
    await waitFor(async () => (await ruleValue.getAttribute('aria-invalid')) === 'true', 'the refused regex is marked on its field');
    check(/regular expression/.test(await page.locator('.url-rule .field-error').textContent()), 'the server message shows under the rule');
    await screenshot(page, 'console-survey-builder-error');
    await ruleValue.fill('^/checkout');
    await page.getByRole('button', { name: 'Save survey' }).first().click();
    await page.waitForURL(/\/surveys\/\d+\/edit$/);
    const id = page.url().split('/').slice(-2)[0];
    const d = await gql(
      `query($id: ID!) { survey(id: $id) { name status questions { key type logic { operator number goTo } options allowOther } targeting { urlRules { kind value } devices samplingPercent frequency } } }`,
      { id },
    );
    check(d.survey.name === builtName && d.survey.status === 'DRAFT', 'saved as a draft');
    check(JSON.stringify(d.survey.questions[0].logic) === JSON.stringify([{ operator: 'LESS_THAN', number: 7, goTo: 'q3' }]), `logic saved: ${JSON.stringify(d.survey.questions[0].logic)}`);
    check(d.survey.questions[1].allowOther && d.survey.questions[1].options.join() === 'Search,Export', 'options saved');
    check(d.survey.targeting.urlRules[0].value === '^/checkout' && d.survey.targeting.devices.join() === 'mobile', 'targeting saved');
    check(d.survey.targeting.samplingPercent === 50 && d.survey.targeting.frequency === 'ONCE', 'sampling and frequency saved');
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.locator('#live-title').waitFor();
    await waitFor(async () => (await gql(`query($id: ID!) { survey(id: $id) { status } }`, { id })).survey.status === 'ACTIVE', 'activated');
    await screenshot(page, 'console-survey-edit');
    await axe('/surveys/:id/edit');
    await page.locator('#live-title').locator('..').getByRole('button', { name: 'Close' }).click();
    const dialog = page.getByRole('dialog', { name: /^Close / });
    await axe('close dialog');
    await dialog.getByRole('button', { name: 'Close it' }).click();
    await page.getByText('This survey is closed', { exact: false }).waitFor();
    check((await page.getByRole('button', { name: 'Save changes' }).count()) === 0, 'a closed survey is read-only');
  });

  await step('results: charts, filters, a response, export', async () => {
    await page.goto(`${consoleUrl}/sites/${siteId}/surveys/${seeded}/results`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    check((await page.locator('h1').textContent()) === `Results: ${seededName}`, 'the name renders as text');
    await page.locator('.resp-table tbody tr').first().waitFor();
    const s = (await gql(`query($id: ID!) { survey(id: $id) { summary { responses questions { nps { score } } } } }`, { id: seeded })).survey.summary;
    const score = String(Math.round(s.questions[0].nps.score));
    check((await page.locator('.nps-score').textContent()) === score, `NPS ${score} shows`);
    await waitFor(() => page.locator('svg[aria-label^="NPS over time"]').count(), 'the trend chart');
    check((await page.locator('svg[aria-label^="What do you like most?"]').count()) === 1, 'the choice chart');
    check((await page.locator('svg[aria-label^="Sentiment of"]').count()) >= 1, 'the sentiment chart');
    await screenshot(page, 'console-results');
    await page.locator('.charts').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-results-charts');
    await page.locator('.resp-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-results-table');
    await axe('/surveys/:id/results');
    // Open a response: its answers, sentiment and user.
    await page.locator('.resp-table tbody tr').first().getByRole('button').click();
    const detail = page.locator('.resp-detail').first();
    await detail.waitFor();
    check((await detail.locator('dt').first().textContent()) === 'How likely are you to recommend us?', 'answers listed');
    await screenshot(page, 'console-results-response');
    await axe('results with a response open');
    // Page of 50 responses: render time after its data arrived.
    perfMs = await page.evaluate(async () => {
      const first = () => document.querySelector('.resp-table tbody tr td:nth-child(2)')?.closest('tr');
      const before = first();
      let arrived = 0;
      const orig = window.fetch;
      window.fetch = async (...args) => {
        const res = await orig(...args);
        const body = typeof args[1]?.body === 'string' ? args[1].body : '';
        if (!body.includes('ResponsesPage')) return res;
        const text = await res.text();
        arrived = performance.now();
        return new Response(text, { status: res.status, headers: res.headers });
      };
      const done = new Promise((ok) => {
        const obs = new MutationObserver(() => {
          if (arrived && first() !== before && document.querySelectorAll('.resp-table tbody tr').length >= 50) {
            obs.disconnect();
            requestAnimationFrame(() => ok(performance.now() - arrived));
          }
        });
        obs.observe(document.body, { childList: true, subtree: true });
      });
      [...document.querySelectorAll('nav[aria-label="Response pages"] button')].find((b) => b.textContent === 'Next').click();
      const ms = await done;
      window.fetch = orig;
      return ms;
    });
    console.log(`a page of 50 responses rendered in ${perfMs.toFixed(1)} ms after its data arrived`);
    check(perfMs < 300, `page of 50 in ${perfMs} ms`);
    // The count comes from the summary (the page does not ask for `totalCount`).
    const range = await page.locator('nav[aria-label="Response pages"] > span').textContent();
    const total = await page.locator('.stat').filter({ has: page.locator('.stat-label', { hasText: /^Responses$/ }) }).locator('.stat-value').textContent();
    check(!!total && range.endsWith(` of ${total}`), `the pages count the summary's responses: "${range}", ${total}`);
    // Filter by sentiment: the table and the charts follow.
    await page.locator('.filter-panel > summary').click();
    await page.getByRole('checkbox', { name: 'Negative' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const negatives = (
      await gql(`query($id: ID!) { responses(surveyId: $id, filter: { sentiment: [NEGATIVE] }, first: 1) { totalCount } }`, { id: seeded })
    ).responses.totalCount;
    await waitFor(async () => (await page.locator('.stat').first().textContent()).startsWith(String(negatives)), `the filter keeps ${negatives}`);
    await screenshot(page, 'console-results-filtered');
    // Export CSV.
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await dl;
    const path = await file.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    check(csv.split('\n').filter(Boolean).length === 121, `CSV has a header and 120 rows (${csv.split('\n').length})`);
    check(/^survey-\d+-responses\.csv$/.test(file.suggestedFilename()), `file name ${file.suggestedFilename()}`);
    check((await page.evaluate(() => window.__xss)) === undefined, 'no script ran from the answers');
  });

  if (process.env.READ_EMAIL) {
    await step('a READ member sees no actions', async () => {
      const reader = await newPage(browser, { viewport: { width: 1280, height: 720 } });
      await signIn(reader, process.env.READ_EMAIL, process.env.READ_PASSWORD ?? password);
      await reader.goto(`${consoleUrl}/sites/${siteId}/surveys`);
      const row = reader.locator('tr', { hasText: seededName });
      await row.waitFor();
      check((await reader.getByRole('link', { name: 'New survey' }).count()) === 0, 'no New survey');
      check((await row.getByRole('button').count()) === 0, 'no row actions');
      await reader.goto(`${consoleUrl}/sites/${siteId}/surveys/${seeded}/edit`);
      await reader.getByText('Your role can look but not change surveys.').waitFor();
      check((await reader.getByRole('button', { name: /Save/ }).count()) === 0, 'no Save');
      await reader.close();
    });
  }

  check(page.errors.filter((e) => !/HTTP 400 POST \/graphql/.test(e)).length === 0, `page errors:\n  ${page.errors.join('\n  ')}`);
} finally {
  await browser.close();
  finish();
}
