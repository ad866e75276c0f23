// A hosted link survey in real Chromium: the page /s/{token}?q.nps=8&plan=pro (served by
// Loupe with its own strict CSP) presets the NPS answer from the URL, the visitor answers
// the rest, and the stored response has every answer and the hidden field plan=pro.
// axe-core checks the page; a screenshot goes to target/screenshots/.
//
// Run by tests/api/browser_tag.rs (link_*) with SURVEY_ID and LINK_URL.

import {
  answersByKey, axeViolations, check, finish, launch, loupe, newPage, questionIds, responses, screenshot, step, waitFor,
} from './lib.mjs';

const SURVEY = process.env.SURVEY_ID;
// The link is printed with the server's public URL; the test server listens elsewhere.
const link = loupe + new URL(process.env.LINK_URL).pathname;
const browser = await launch();

await step('a link survey with a prefilled answer and a hidden field', async () => {
  const page = await newPage(browser, {
    viewport: { width: 800, height: 800 },
    init: () => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    },
  });
  await page.goto(`${link}?q.nps=8&plan=pro&utm=ignored`);
  const main = page.locator('#loupe-link');
  await main.locator('#lp-prompt').filter({ hasText: 'How likely' }).waitFor();
  check(await main.getByRole('radio', { name: '8', exact: true }).isChecked(), 'q.nps=8 presets 8');
  const axe = await axeViolations(page);
  check(axe.length === 0, `axe-core on the link page: ${axe.join(' ;; ')}`);
  await screenshot(page, 'link-survey-desktop');
  await main.getByRole('button', { name: 'Next' }).click();

  await main.locator('#lp-prompt').filter({ hasText: 'Why?' }).waitFor();
  await main.getByRole('textbox').fill('Fast and clear');
  await main.getByRole('button', { name: 'Next' }).click();

  await main.locator('#lp-prompt').filter({ hasText: 'Team size' }).waitFor();
  await main.locator('label', { hasText: '2-10' }).click();
  await main.getByRole('button', { name: 'Submit' }).click();
  await main.getByRole('status').waitFor();

  const all = await waitFor(async () => {
    const r = await responses(SURVEY);
    return r.length && r[0].isComplete ? r : null;
  }, 'a complete response');
  check(all.length === 1, `one response: ${JSON.stringify(all)}`);
  const got = answersByKey(all[0], await questionIds(SURVEY));
  check(JSON.stringify(got) === JSON.stringify({ nps: 8, why: 'Fast and clear', size: '2-10' }), `answers ${JSON.stringify(got)}`);
  check(JSON.stringify(all[0].hiddenFields) === '{"plan":"pro"}', `hidden fields ${JSON.stringify(all[0].hiddenFields)}`);
  const csp = await page.evaluate(() => window.__csp);
  check(csp.length === 0, `CSP violations on the link page: ${JSON.stringify(csp)}`);
  check(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
  await page.context().close();
});

await browser.close();
finish();
