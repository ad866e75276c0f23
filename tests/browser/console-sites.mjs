// Console smoke test of the Sites and API keys pages, in Chromium at 1280×720: list, create a
// site, change each settings section, Identify (DPA, secret), the snippet; create an API key
// (secret shown once) and revoke it. Names with markup must render as text. axe on each page.
//
// Needs CONSOLE_URL (the console, e.g. `vite preview` with its proxy and LOUPE_DEV_TOKEN until
// sessions exist) plus LOUPE_URL / LOUPE_TOKEN (lib.mjs) for checking what the API stored.
import { axeViolations, check, consoleSignInFromEnv, finish, gql, launch, loupe, newPage, screenshot, step, waitFor } from './lib.mjs';

const consoleUrl = (process.env.CONSOLE_URL ?? '').replace(/\/$/, '');
if (!consoleUrl) throw new Error('CONSOLE_URL must be set');

const browser = await launch();
const page = await newPage(browser, { viewport: { width: 1280, height: 720 } });
await consoleSignInFromEnv(page, consoleUrl);
const run = Date.now() % 100000;
const keyName = `BI export <b>x</b> ${run}`;
const name = `Shop <img src=x onerror="window.__xss=1"> ${run}`;
let siteId = null;

async function axe(label) {
  const v = await axeViolations(page);
  check(v.length === 0, `axe on ${label}:\n  ${v.join('\n  ')}`);
}

try {
  await step('sites list', async () => {
    await page.goto(consoleUrl + '/sites');
    await page.getByRole('heading', { level: 1, name: 'Sites' }).waitFor();
    await page.locator('table.table tbody tr').first().waitFor();
    check((await page.locator('h1').count()) === 1, 'one h1');
    check(await page.getByRole('navigation', { name: 'Console' }).isVisible(), 'sidebar nav');
    await screenshot(page, 'console-sites');
    await axe('/sites');
  });

  await step('create a site', async () => {
    await page.getByRole('button', { name: 'New site' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New site' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Allowed domains').fill('example.com\n*.example.com');
    await screenshot(page, 'console-sites-create');
    await axe('create site dialog');
    await dialog.getByRole('button', { name: 'Create site' }).click();
    await page.waitForURL(/\/sites\/\d+$/);
    siteId = page.url().split('/').pop();
    // The heading shows the name as typed, markup included (rendered as text).
    await waitFor(async () => (await page.locator('h1').textContent()) === name, 'the name renders as text');
    check((await page.evaluate(() => window.__xss)) === undefined, 'no script ran from the name');
    const snippet = await page.getByLabel('Tag snippet').textContent();
    check(/loupe\.js/.test(snippet ?? ''), 'the snippet is shown');
    await page.getByText('No data yet: paste the snippet and load a page.').waitFor();
    await screenshot(page, 'console-site-settings');
    await axe('/sites/:id');
  });

  await step('general and recording settings save', async () => {
    await page.getByLabel('Keep data for (days)').fill('30');
    await page.getByRole('button', { name: 'Save general' }).click();
    await page.getByText('General saved.').waitFor();
    await page.getByLabel('Record sessions').check();
    await page.getByLabel('Share of visitors recorded (%)').fill('50');
    await page.getByRole('button', { name: 'Save session recording' }).click();
    await page.getByText('Session recording saved.').waitFor();
    await page.getByLabel('Extra patterns to mask in URLs').fill('(unclosed');
    await page.getByRole('button', { name: 'Save consent and urls' }).click();
    await page.getByText('is not a valid regular expression').waitFor();
    const d = await gql(`query($id: ID!) { site(id: $id) { retentionDays recordingEnabled recordingSamplePercent allowedDomains } }`, { id: siteId });
    check(d.site.retentionDays === 30, `retention saved: ${d.site.retentionDays}`);
    check(d.site.recordingEnabled && d.site.recordingSamplePercent === 50, 'recording saved');
    check(d.site.allowedDomains.join() === 'example.com,*.example.com', `domains: ${d.site.allowedDomains}`);
  });

  await step('last data received: the tag sends, "Check again" shows it, and the list too', async () => {
    const r = await fetch(`${loupe}/v1/sites/${siteId}/recordings/s-sites-${run}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://example.com' },
      body: JSON.stringify({ visitor_id: 'v-sites', sequence: 0, events: [{ type: 4, timestamp: Date.now(), data: { href: 'https://example.com/', width: 800, height: 600 } }] }),
    });
    check(r.ok, `a recording batch was accepted: HTTP ${r.status}`);
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByText('The tag works').waitFor();
    const d = await gql(`query($id: ID!) { site(id: $id) { lastDataAt } }`, { id: siteId });
    check(d.site.lastDataAt != null, 'lastDataAt is set');
    // Settings saved before still show (the refetch does not undo them).
    check((await page.getByLabel('Keep data for (days)').inputValue()) === '30', 'the saved retention stays');
    await page.goto(consoleUrl + '/sites');
    const row = page.locator('tr', { hasText: `${run}` }).filter({ has: page.locator(`a[href="/sites/${siteId}"]`) });
    await row.locator('td').nth(5).locator('time').waitFor(); // "Last data": a time, not "No data yet"
    await page.goto(`${consoleUrl}/sites/${siteId}`);
    await page.getByLabel('Tag snippet').waitFor();
  });

  await step('identify: DPA, switch, secret', async () => {
    const dpaButton = page.getByRole('button', { name: 'Review and accept' });
    if (await dpaButton.isVisible()) {
      check(await page.getByLabel('Accept identify calls').isDisabled(), 'Identify locked before the DPA');
      await dpaButton.click();
      await page.getByRole('dialog', { name: 'Data-processing agreement' }).getByRole('button', { name: 'Accept for the organization' }).click();
      await page.getByText('Data-processing agreement accepted.').waitFor();
    }
    await waitFor(async () => !(await page.getByLabel('Accept identify calls').isDisabled()), 'Identify unlocked');
    await page.getByLabel('Accept identify calls').check();
    await page.getByText('Identify turned on.').waitFor();
    await page.getByRole('button', { name: 'Generate identity secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Identity secret' });
    await dialog.waitFor();
    check(((await dialog.getByLabel('Identity secret').textContent()) ?? '').length >= 16, 'the secret is shown');
    await screenshot(page, 'console-site-identity-secret');
    await axe('identity secret dialog');
    await dialog.getByRole('button', { name: 'I have saved it' }).click();
    const d = await gql(`query($id: ID!) { site(id: $id) { identifyEnabled hasIdentitySecret } }`, { id: siteId });
    check(d.site.identifyEnabled && d.site.hasIdentitySecret, 'identify on with a secret');
  });

  await step('api keys: create (secret once), revoke', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.locator('table.table tbody tr').first().waitFor();
    await axe('/api-keys');
    await page.getByRole('button', { name: 'New API key' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.getByLabel('Name').fill(keyName);
    await dialog.getByLabel('Role').selectOption('WRITE');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByRole('dialog', { name: /API key .* created/ });
    await secret.waitFor();
    check(/lps_/.test((await secret.textContent()) ?? ''), 'the secret is shown once');
    await screenshot(page, 'console-api-key-secret');
    await axe('api key secret dialog');
    await secret.getByRole('button', { name: 'I have saved the secret' }).click();
    const row = page.locator('tr', { hasText: keyName });
    await row.waitFor();
    await screenshot(page, 'console-api-keys');
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.getByRole('dialog', { name: /Revoke/ }).getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('Revoked', { exact: true }).waitFor();
  });

  check(page.errors.length === 0, `page errors:\n  ${page.errors.join('\n  ')}`);
} finally {
  await browser.close();
  finish();
}
