// Console accounts in Chromium at 1280×720, against the real server serving the console at /:
// the setup link creates the owner account; cookie flags; sign out; a wrong password; sign in
// (a new session id each time, back to `next`); a cross-site POST carrying the cookie is
// refused (CSRF); two-factor on (recovery codes) and a sign-in with a recovery code; an invite
// accepted in another browser, its role changed; the privacy page's lookup and audit log;
// "sign out everywhere" ends another browser's session; dead links explain themselves.
// axe-core on every page; screenshots of each.
//
// Needs LOUPE_URL (Loupe serving the console) and SETUP_URL (the setup link printed at first
// start). LOUPE_TOKEN is not needed (everything goes through the console).
import { createHmac } from 'node:crypto';

process.env.LOUPE_TOKEN ??= 'unused-by-console-auth';
const { axeViolations, check, finish, launch, loupe, newPage, screenshot, servePages, step, waitFor } = await import('./lib.mjs');

const setupUrl = process.env.SETUP_URL ?? '';
if (!setupUrl) throw new Error('SETUP_URL must be set (the setup link Loupe printed at first start)');

const run = Date.now() % 100000;
const email = `owner${run}@example.com`;
const password = `tidal marble orchard ${run} lantern`;
const inviteeEmail = `reader${run}@example.com`;
const viewport = { width: 1280, height: 720 };

const browser = await launch();
const page = await newPage(browser, { viewport });
const ctx = page.context();

async function axe(p, label) {
  const v = await axeViolations(p);
  check(v.length === 0, `axe on ${label}:\n  ${v.join('\n  ')}`);
}

async function cookies(c = ctx) {
  const all = await c.cookies(loupe);
  return { session: all.find((x) => x.name === 'loupe_session'), csrf: all.find((x) => x.name === 'loupe_csrf') };
}

/** RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret. */
function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function signIn(p, { next = '/account', code } = {}) {
  await p.goto(`${loupe}/signin?next=${encodeURIComponent(next)}`);
  await p.getByRole('heading', { level: 1, name: 'Sign in to Loupe' }).waitFor();
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  if (code) {
    await p.getByLabel('Two-factor code').fill(code);
    await p.getByRole('button', { name: 'Verify and sign in' }).click();
  }
  await p.waitForURL(`${loupe}${next}`);
}

let firstSession = '';
let recovery = [];
let inviteUrl = '';

try {
  await step('setup link: create the owner account', async () => {
    await page.goto(setupUrl);
    await page.getByRole('heading', { level: 1, name: 'Create the owner account' }).waitFor();
    check((await page.locator('h1').count()) === 1, 'one h1 on /setup');
    await screenshot(page, 'console-auth-setup');
    await axe(page, '/setup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Your name (optional)').fill(`Owner <b>${run}</b>`);
    // The server's strength check answers on the password field.
    await page.getByLabel('Password', { exact: true }).fill('password123456');
    await page.getByLabel('Repeat the password').fill('password123456');
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await page.getByText(/too weak|commonly used/i).waitFor();
    await screenshot(page, 'console-auth-setup-weak');
    await axe(page, '/setup with a weak password');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await page.waitForURL(`${loupe}/sites`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    const { session, csrf } = await cookies();
    check(session, 'loupe_session set');
    check(session?.httpOnly === true, 'loupe_session is HttpOnly');
    check(session?.sameSite === 'Lax', `loupe_session SameSite=Lax (${session?.sameSite})`);
    check(csrf && csrf.httpOnly === false, 'loupe_csrf readable by the console');
    check(csrf?.sameSite === 'Strict', `loupe_csrf SameSite=Strict (${csrf?.sameSite})`);
    firstSession = session?.value ?? '';
    // The name renders as text in the header.
    check(((await page.locator('.account-link').textContent()) ?? '').includes(`<b>${run}</b>`), 'the account name renders as text');
  });

  await step('the setup link works once', async () => {
    const other = await newPage(browser, { viewport });
    await other.goto(setupUrl);
    await other.getByRole('heading', { level: 1, name: 'This setup link no longer works' }).waitFor();
    await screenshot(other, 'console-auth-setup-used');
    await axe(other, '/setup (used link)');
    await other.goto(`${loupe}/invite/not-a-real-token`);
    await other.getByRole('heading', { level: 1, name: 'This invite link no longer works' }).waitFor();
    await axe(other, '/invite (unknown link)');
    await other.context().close();
  });

  await step('a cross-site request carrying the cookie is refused', async () => {
    const { csrf } = await cookies();
    const body = JSON.stringify({ query: 'mutation { createInvite(input: {role: ADMIN}) { url } }' });
    // Another origin, even with the right token (a stolen one): refused.
    let r = await ctx.request.post(`${loupe}/graphql`, {
      headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example', 'X-CSRF-Token': csrf?.value ?? '' },
      data: body,
    });
    let j = await r.json();
    check(r.status() === 403 && j.errors?.[0]?.extensions?.code === 'CSRF', `Origin evil.example refused: ${r.status()} ${JSON.stringify(j)}`);
    // Same origin but no token header: refused.
    r = await ctx.request.post(`${loupe}/graphql`, { headers: { 'Content-Type': 'application/json', Origin: loupe }, data: body });
    j = await r.json();
    check(r.status() === 403 && j.errors?.[0]?.extensions?.code === 'CSRF', `no X-CSRF-Token refused: ${r.status()}`);
    // A page of another origin posts a form to /graphql in the signed-in browser.
    const evil = await servePages(
      () => `<!doctype html><html lang="en"><head><title>evil</title></head><body><main>
        <form method="POST" action="${loupe}/graphql" enctype="text/plain">
        <input type="hidden" name='{"query":"mutation { createInvite(input: {role: ADMIN}) { url } }","x":"' value='"}'>
        </form></main></body></html>`,
    );
    try {
      const p = await ctx.newPage();
      await p.goto(evil.origin + '/');
      await Promise.all([p.waitForURL(`${loupe}/graphql`), p.evaluate(() => document.forms[0].submit())]);
      const text = (await p.textContent('body')) ?? '';
      // Refused before anything runs (CSRF, or the JSON-only content type a form cannot send).
      check(/"errors"/.test(text) && !/"data"\s*:\s*\{/.test(text) && !/invite\//.test(text), `cross-site form POST refused: ${text.slice(0, 200)}`);
      await p.close();
    } finally {
      evil.close();
    }
  });

  await step('sign out, then /account asks to sign in', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${loupe}/signin`);
    const { session } = await cookies();
    check(!session || session.value !== firstSession, 'the session cookie is gone after sign-out');
    // The old session id no longer works.
    const r = await fetch(`${loupe}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `loupe_session=${firstSession}`, 'X-CSRF-Token': '1', Origin: loupe },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    const j = await r.json();
    check(j.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' || j.errors?.[0]?.extensions?.code === 'CSRF', `the old session ended: ${JSON.stringify(j)}`);
    await page.goto(`${loupe}/account`);
    await page.waitForURL(`${loupe}/signin?next=%2Faccount`);
    // The console's viewer request that found no session (401) was expected here (its entry
    // lands once the answer's body is read).
    await waitFor(() => page.errors.some((e) => /^HTTP 401/.test(e)), 'the 401 is logged', 3000).catch(() => {});
    page.errors = page.errors.filter((e) => !/401|UNAUTHENTICATED/.test(e));
  });

  await step('a wrong password is refused with a clear message', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password').waitFor();
    await screenshot(page, 'console-auth-signin-wrong');
    await axe(page, '/signin with an error');
    // Throttled: the wait comes from the error's extensions.retryAfter (seconds). Answered by a
    // stub once, so that the real throttle does not lock this account for the rest of the run.
    await page.route(`${loupe}/graphql`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ data: null, errors: [{ message: 'too many attempts', extensions: { code: 'RATE_LIMITED', retryAfter: 599 } }] }),
      }),
      { times: 1 },
    );
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('wait 10 minutes before trying again').waitFor();
  });

  await step('sign in: back to next, a new session id', async () => {
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${loupe}/account`);
    const { session } = await cookies();
    check(session && session.value !== firstSession, 'a new session id at sign-in');
    firstSession = session?.value ?? '';
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByText('This browser').waitFor();
    await screenshot(page, 'console-auth-account');
    await axe(page, '/account');
    // The display name: saved with updateAccount, shown (as text) in the header at once.
    const displayName = 'Ann <b>Owner</b>';
    await page.getByLabel('Display name').fill(displayName);
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Name saved.').waitFor();
    await waitFor(async () => (await page.locator('.account-link').textContent()) === displayName, 'the header shows the new name as text');
    await page.reload();
    await waitFor(async () => (await page.getByLabel('Display name').inputValue()) === displayName, 'the name is stored');
  });

  await step('two-factor: set up, recovery codes, sign in with a recovery code', async () => {
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const key = page.getByRole('button', { name: 'Copy key' });
    await key.waitFor();
    const link = (await page.locator('code.secret').textContent()) ?? '';
    const secret = new URL(link).searchParams.get('secret') ?? '';
    check(secret.length >= 16, `otpauth URI with a secret: ${link}`);
    await screenshot(page, 'console-auth-2fa-setup');
    await axe(page, '/account two-factor setup');
    await page.getByLabel('The 6-digit code your app shows').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByText(/code is not right/).waitFor();
    await page.getByLabel('The 6-digit code your app shows').fill(totp(secret));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save your recovery codes' });
    await dialog.waitFor();
    recovery = (await dialog.locator('.recovery-codes li').allTextContents()).map((s) => s.trim());
    check(recovery.length === 10, `ten recovery codes: ${recovery.length}`);
    await screenshot(page, 'console-auth-2fa-codes');
    await axe(page, 'recovery codes dialog');
    await dialog.getByRole('button', { name: 'I have saved them' }).click();
    await page.locator('#two-factor-title ~ p').getByText('On', { exact: true }).waitFor();
    // Sign out and in again: the second step accepts a recovery code.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${loupe}/signin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Two-factor code').waitFor();
    await screenshot(page, 'console-auth-signin-2fa');
    await axe(page, '/signin second step');
    await page.getByLabel('Two-factor code').fill(recovery[0]);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${loupe}/sites`);
    const { session } = await cookies();
    check(session && session.value !== firstSession, 'a new session id at the two-factor sign-in');
  });

  await step('team: invite someone, they join in another browser, role changed', async () => {
    await page.goto(`${loupe}/team`);
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    await page.locator('table.table tbody tr').first().waitFor();
    await screenshot(page, 'console-auth-team');
    await axe(page, '/team');
    await page.getByRole('button', { name: 'Invite someone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite someone' });
    await dialog.getByLabel('Email (optional)').fill(inviteeEmail);
    await dialog.getByLabel('Role').selectOption('READ');
    await axe(page, 'invite dialog');
    await dialog.getByRole('button', { name: 'Create invite link' }).click();
    const created = page.getByRole('dialog', { name: 'Invite link created' });
    await created.waitFor();
    inviteUrl = ((await created.getByLabel('Invite link').textContent()) ?? '').trim();
    check(/\/invite\/[0-9a-f]{16,}$/.test(inviteUrl), `invite link shown: ${inviteUrl}`);
    await screenshot(page, 'console-auth-invite-created');
    await axe(page, 'invite created dialog');
    await created.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'Pending invites' }).getByText(inviteeEmail).waitFor();

    const b = await newPage(browser, { viewport });
    await b.goto(loupe + new URL(inviteUrl).pathname);
    await b.getByRole('heading', { level: 1, name: /^Join / }).waitFor();
    await screenshot(b, 'console-auth-invite');
    await axe(b, '/invite/:token');
    check((await b.getByLabel('Email').inputValue()) === inviteeEmail, 'the invite’s email is filled in');
    await b.getByLabel('Password', { exact: true }).fill(password + ' reader');
    await b.getByLabel('Repeat the password').fill(password + ' reader');
    await b.getByRole('button', { name: 'Create account and join' }).click();
    await b.waitForURL(`${loupe}/sites`);
    // A READ member sees the team without admin controls.
    await b.goto(`${loupe}/team`);
    await b.locator('table.table tbody tr').nth(1).waitFor();
    check((await b.getByRole('button', { name: 'Invite someone' }).count()) === 0, 'READ: no invite button');
    check((await b.getByRole('button', { name: /^Remove / }).count()) === 0, 'READ: no remove buttons');
    await b.goto(`${loupe}/privacy`);
    await b.getByText('Only admins handle privacy requests').waitFor();
    await b.context().close();

    await page.reload();
    const row = page.locator('tr', { hasText: inviteeEmail });
    await row.waitFor();
    await row.getByLabel(`Role of ${inviteeEmail}`).selectOption('WRITE');
    await page.getByRole('dialog', { name: 'Change the role?' }).getByRole('button', { name: 'Change role' }).click();
    await page.getByText(`${inviteeEmail} is now write.`).waitFor();
    await waitFor(async () => (await row.getByLabel(`Role of ${inviteeEmail}`).inputValue()) === 'WRITE', 'role shows WRITE');
    // The only admin cannot remove themselves (the button is off, the API refuses anyway).
    check(await page.getByRole('button', { name: `Remove ${email}` }).isDisabled(), 'the last admin cannot be removed');
  });

  await step('privacy: lookup by email and the audit log', async () => {
    await page.goto(`${loupe}/privacy`);
    await page.getByRole('heading', { level: 1, name: 'Privacy' }).waitFor();
    await page.getByRole('table', { name: 'Audit log' }).waitFor();
    await axe(page, '/privacy');
    await page.getByLabel('Email', { exact: true }).fill('nobody@example.com');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('heading', { name: 'What Loupe holds' }).waitFor();
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.getByText('Personal data looked up').first().waitFor();
    await page.getByLabel('Text to purge').fill(`reset_token=${run}`);
    await page.locator('#purge-urls-title ~ form').getByRole('button', { name: 'Purge…' }).click();
    await page.getByRole('dialog', { name: 'Purge this text from stored URLs?' }).getByRole('button', { name: 'Purge' }).click();
    await page.getByRole('list', { name: 'Changed' }).waitFor();
    await audit.getByText('URLs purged').first().waitFor();
    check((await audit.getByText(email).count()) > 0, 'audit entries name the member by email');
    await screenshot(page, 'console-auth-privacy');
    await axe(page, '/privacy with a report');
  });

  await step('sign out everywhere ends another browser’s session', async () => {
    const other = await newPage(browser, { viewport });
    await signIn(other, { next: '/account', code: recovery[1] });
    await page.goto(`${loupe}/account`);
    await waitFor(async () => (await page.getByRole('table', { name: 'Signed-in browsers' }).locator('tbody tr').count()) >= 2, 'two sessions listed');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere?' });
    await axe(page, 'sign out everywhere dialog');
    await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${loupe}/signin`);
    await other.reload();
    await other.waitForURL(`${loupe}/signin?next=%2Faccount`);
    await other.context().close();
  });

  // The only failed loads expected: none on the main page (the refused requests above ran
  // outside it).
  check(page.errors.length === 0, `page errors:\n  ${page.errors.join('\n  ')}`);
} finally {
  await browser.close();
  finish();
}
