// Console smoke test of Heatmaps, in Chromium at 1280×720 under the console's CSP: a pricing
// page is rendered here, serialised as an rrweb full snapshot, and six desktop sessions on it
// click known elements (live, dead, a rage burst), move and scroll through the public
// recording endpoint. Then each kind of map must render over the rebuilt page (canvas not
// empty), the element list must name the clicked elements with the counts sent, the scroll
// map must give its percentages (as the API does), a page without snapshot is drawn blank,
// and a site without data says what to do. axe on each kind; screenshots of each kind.
//
// Needs CONSOLE_URL (the console), LOUPE_URL / LOUPE_TOKEN (lib.mjs) for seeding and checks.
import { axeViolations, check, consoleSignInFromEnv, finish, gql, launch, loupe, newPage, screenshot, step, waitFor } from './lib.mjs';

const consoleUrl = (process.env.CONSOLE_URL ?? '').replace(/\/$/, '');
if (!consoleUrl) throw new Error('CONSOLE_URL must be set');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36';
const PRICING = 'https://shop.example/pricing';
const DOCS = 'https://shop.example/docs';
const run = Date.now() % 100000;

const PAGE_HTML = `<!doctype html><html lang="en"><head><title>Pricing · Acme</title><style>
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2433; background: #fff; }
.top { display: flex; align-items: center; justify-content: space-between; height: 72px; padding: 0 64px; border-bottom: 1px solid #e5e8ee; }
.logo { font-weight: 800; font-size: 22px; color: #4b3fd6; }
#menu a { margin-left: 32px; color: #39425a; text-decoration: none; font-size: 16px; }
#menu a.login { padding: 8px 18px; border: 1px solid #c9cfdb; border-radius: 6px; }
.hero { text-align: center; padding: 72px 64px 56px; background: linear-gradient(180deg, #f3f1ff, #fff); }
.hero h1 { font-size: 46px; margin: 0 0 16px; }
.hero p { font-size: 19px; color: #55607a; margin: 0 0 32px; }
.cta { font-size: 18px; padding: 16px 34px; border: 0; border-radius: 8px; background: #4b3fd6; color: #fff; font-weight: 700; }
.secondary { margin-left: 18px; font-size: 17px; color: #4b3fd6; }
.plans { display: flex; gap: 28px; justify-content: center; padding: 40px 64px 56px; }
.plan { width: 330px; border: 1px solid #dfe3ea; border-radius: 14px; padding: 28px; position: relative; }
.plan.pro { border: 2px solid #4b3fd6; box-shadow: 0 10px 30px rgba(75, 63, 214, 0.15); }
.plan h2 { margin: 0 0 8px; font-size: 24px; }
.price { font-size: 42px; font-weight: 800; margin: 8px 0 16px; }
.price small { font-size: 16px; color: #6b7489; font-weight: 400; }
.plan ul { padding-left: 20px; line-height: 2; color: #3c465e; min-height: 160px; }
.choose { width: 100%; padding: 13px; font-size: 16px; border-radius: 8px; border: 1px solid #4b3fd6; background: #fff; color: #4b3fd6; font-weight: 700; }
.pro .choose { background: #4b3fd6; color: #fff; }
#popular-badge { position: absolute; top: -14px; right: 24px; background: #ffb020; color: #3a2700; font-size: 13px; font-weight: 700; padding: 4px 12px; border-radius: 20px; }
.coupon { max-width: 760px; margin: 0 auto 56px; padding: 24px 28px; background: #f6f7fb; border-radius: 12px; display: flex; align-items: center; gap: 14px; }
.coupon label { font-weight: 600; }
.coupon input { flex: 1; padding: 12px; font-size: 16px; border: 1px solid #c9cfdb; border-radius: 6px; }
#apply-coupon { padding: 12px 26px; font-size: 16px; border-radius: 6px; border: 0; background: #1d2433; color: #fff; }
.faq { max-width: 760px; margin: 0 auto; padding: 0 0 40px; }
.faq h2 { font-size: 30px; }
.faq h3 { font-size: 19px; margin: 28px 0 6px; }
.faq p { color: #55607a; line-height: 1.6; margin: 0; }
footer { margin-top: 40px; padding: 48px 64px; background: #1d2433; color: #aab3c5; font-size: 15px; }
</style></head><body>
<header class="top"><div class="logo">Acme Analytics</div><nav id="menu"><a href="/features">Features</a><a href="/pricing">Pricing</a><a id="docs-link" href="/docs">Docs</a><a class="login" href="/login">Log in</a></nav></header>
<section class="hero"><h1>Simple pricing for growing teams</h1><p>Start free for 14 days. No credit card needed. Cancel any time.</p><button id="start-trial" class="cta">Start free trial</button><a class="secondary" href="/demo">Book a demo →</a></section>
<section class="plans">
<div class="plan"><h2>Starter</h2><div class="price">$0 <small>/ month</small></div><ul><li>1 site</li><li>1,000 sessions a month</li><li>7 days of history</li></ul><button id="choose-starter" class="choose">Choose Starter</button></div>
<div class="plan pro"><span id="popular-badge">Most popular</span><h2>Pro</h2><div class="price">$29 <small>/ month</small></div><ul><li>5 sites</li><li>50,000 sessions a month</li><li>Heatmaps and surveys</li><li>1 year of history</li></ul><button id="choose-pro" class="choose">Choose Pro</button></div>
<div class="plan"><h2>Business</h2><div class="price">$99 <small>/ month</small></div><ul><li>Unlimited sites</li><li>500,000 sessions a month</li><li>SSO and audit log</li><li>Priority support</li></ul><button id="choose-business" class="choose">Choose Business</button></div>
</section>
<section class="coupon"><label for="code">Coupon code</label><input id="code" placeholder="SPRING25"><button id="apply-coupon">Apply</button></section>
<section class="faq"><h2>Questions</h2>
<h3>Can I change plans later?</h3><p>Yes: upgrade or downgrade at any time, and we prorate the difference to the day.</p>
<h3>What counts as a session?</h3><p>One visit of one visitor, however many pages it spans, until 30 minutes without activity.</p>
<h3>Do you offer discounts for non-profits?</h3><p>We do: write to us from your organisation's address and we will set it up.</p>
<h3>Where is my data stored?</h3><p>On your own server: Loupe is self-hosted, so your visitors' data never leaves it.</p>
</section>
<footer>© Acme Analytics · Terms · Privacy · Status</footer>
</body></html>`;

const TARGETS = ['#docs-link', '#start-trial', '#choose-starter', '#choose-pro', '#choose-business', '#popular-badge', '#apply-coupon'];

/** Renders the page at 1280×720 and serialises it like rrweb: the snapshot, node ids and target boxes. */
async function capture(browser) {
  const p = await newPage(browser, { viewport: { width: 1280, height: 720 } });
  await p.setContent(PAGE_HTML);
  const out = await p.evaluate((targets) => {
    let next = 1;
    const ids = new Map();
    const ser = (n) => {
      if (n.nodeType === 3) return { type: 3, textContent: n.textContent, id: ++next };
      const attributes = {};
      for (const a of n.attributes) attributes[a.name] = a.value;
      const id = ++next;
      ids.set(n, id);
      if (n.tagName === 'STYLE') return { type: 2, tagName: 'style', attributes: { _cssText: n.textContent }, childNodes: [], id };
      return { type: 2, tagName: n.tagName.toLowerCase(), attributes, childNodes: [...n.childNodes].filter((c) => c.nodeType === 1 || c.nodeType === 3).map(ser), id };
    };
    const doctype = { type: 1, name: 'html', publicId: '', systemId: '', id: ++next };
    const html = ser(document.documentElement);
    const boxes = {};
    for (const t of targets) {
      const el = document.querySelector(t);
      const r = el.getBoundingClientRect();
      boxes[t] = { id: ids.get(el), x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2 + window.scrollY) };
    }
    return { node: { type: 0, id: 1, childNodes: [doctype, html] }, boxes, height: document.documentElement.scrollHeight };
  }, TARGETS);
  await p.context().close();
  return out;
}

/**
 * One session's events after its snapshot batch: the visitor's actions at 2 s apart, each
 * click preceded by a scroll that brings its element into the 720 px viewport; live clicks
 * are followed by a DOM change, dead ones by none within 1 s; moves on the way.
 */
function actions(t0, plan, page, expected) {
  const ev = [];
  let t = t0;
  let scrollY = 0;
  let pointer = { x: 640, y: 300 };
  const maxScroll = page.height - 720;
  const scrollTo = (y) => {
    const v = Math.max(0, Math.min(maxScroll, Math.round(y)));
    if (v === scrollY) return;
    scrollY = v;
    ev.push({ type: 3, timestamp: (t += 300), data: { source: 3, id: 1, x: 0, y: v } });
  };
  const moveTo = (x, y) => {
    for (let k = 1; k <= 6; k++) {
      const px = Math.round(pointer.x + ((x - pointer.x) * k) / 6);
      const py = Math.round(pointer.y + ((y - pointer.y) * k) / 6);
      ev.push({ type: 3, timestamp: (t += 150), data: { source: 1, positions: [{ x: px, y: py, id: 1, timeOffset: 0 }] } });
    }
    pointer = { x, y };
  };
  const mutation = (at) => ev.push({ type: 3, timestamp: at, data: { source: 0, texts: [], attributes: [], removes: [], adds: [] } });
  const count = (kind, target, n = 1) => (expected[kind][target] = (expected[kind][target] ?? 0) + n);
  for (const [what, target] of plan) {
    if (what === 'scroll') {
      scrollTo(target);
      t += 1500;
      continue;
    }
    const box = page.boxes[target];
    scrollTo(box.y - 300);
    const vy = box.y - scrollY;
    moveTo(box.x, vy);
    if (what === 'rage') {
      for (let k = 0; k < 4; k++) ev.push({ type: 3, timestamp: (t += 150), data: { source: 2, type: 2, id: box.id, x: box.x + k, y: vy + k } });
      mutation(t + 300);
      count('clicks', target, 4);
      count('rage', target);
    } else {
      ev.push({ type: 3, timestamp: (t += 200), data: { source: 2, type: 2, id: box.id, x: box.x, y: vy } });
      count('clicks', target);
      if (what === 'dead') count('dead', target);
      else mutation(t + 300);
    }
    t += 2000;
  }
  moveTo(640, 200);
  ev.push({ type: 3, timestamp: (t += 3000), data: { source: 1, positions: [{ x: 640, y: 210, id: 1, timeOffset: 0 }] } });
  return ev;
}

const PLANS = [
  [['click', '#start-trial'], ['click', '#docs-link']],
  [['click', '#docs-link'], ['click', '#start-trial'], ['dead', '#popular-badge'], ['click', '#choose-pro']],
  [['click', '#start-trial'], ['dead', '#popular-badge'], ['click', '#choose-business'], ['click', '#choose-pro'], ['scroll', 1500]],
  [['click', '#start-trial'], ['dead', '#popular-badge'], ['click', '#choose-pro'], ['rage', '#apply-coupon'], ['scroll', 99999]],
  [['click', '#start-trial'], ['click', '#choose-pro'], ['rage', '#apply-coupon']],
  [['click', '#start-trial'], ['click', '#choose-starter'], ['scroll', 99999]],
];

async function post(path, body) {
  const r = await fetch(loupe + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'https://shop.example', 'User-Agent': DESKTOP_UA },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
}

const HEATMAP = `query($s: ID!, $u: String!, $k: HeatmapKind!) { heatmap(siteId: $s, url: $u, device: DESKTOP, kind: $k) {
  pageViews clicks points { count } elements { selector clicks share } scroll { depth share } averageFold } }`;

const browser = await launch();
const page = await newPage(browser, { viewport: { width: 1280, height: 720 } });
await consoleSignInFromEnv(page, consoleUrl);
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

/** A screenshot for the README at 1280×960 (the checks run at 1280×720). */
async function shoot(name) {
  await page.setViewportSize({ width: 1280, height: 960 });
  await page.waitForTimeout(150);
  await screenshot(page, name);
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** Pixels of the heat layer that are not transparent. */
const paintedPixels = () =>
  page.evaluate(() => {
    const c = document.querySelector('canvas.hm-heat');
    if (!c || c.width < 2) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });

/** The element list as { selector: [count, share text] }. */
const elementRows = () =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('table.hm-elements tbody tr')].map((tr) => {
        const td = tr.querySelectorAll('td');
        return [td[0].textContent.trim(), [Number(td[1].textContent.replace(/\D/g, '')), td[2].textContent.trim()]];
      }),
    ),
  );

/** Waits for the map of `kind` to be drawn (its query answered, the layer painted). */
async function showKind(label) {
  await page.getByRole('group', { name: 'Map' }).getByRole('button', { name: label, exact: true }).click();
  await waitFor(async () => (await page.getByRole('group', { name: 'Map' }).getByRole('button', { name: label, exact: true }).getAttribute('aria-pressed')) === 'true', `${label} pressed`);
  await waitFor(async () => (await page.locator('.hm-body[aria-busy="false"]').count()) === 1, `${label}: the heatmap loaded`);
}

/** The rows whose selector names `target` (an id), with the expected counts. */
function checkElements(rows, expected, kind) {
  for (const [target, n] of Object.entries(expected)) {
    const hit = Object.entries(rows).find(([sel]) => sel.includes(target));
    check(hit, `${kind}: the element list names ${target} (rows: ${Object.keys(rows).join(', ')})`);
    if (hit) check(hit[1][0] === n, `${kind}: ${target} has ${n} (shows ${hit[1][0]})`);
  }
  check(Object.keys(rows).length === Object.keys(expected).length, `${kind}: ${Object.keys(expected).length} elements listed (${Object.keys(rows).length})`);
}

let siteId;
const expected = { clicks: {}, rage: {}, dead: {} };
// Sessions 3 and 4 are of visitors on the Pro plan (the segment step).
const PRO = [3, 4];
const expectedPro = { clicks: {}, rage: {}, dead: {} };
try {
  await step('seed a site: six desktop sessions on /pricing, one on /docs without snapshot', async () => {
    try {
      await gql('mutation { acceptDataProcessingAgreement { id } }');
    } catch {
      /* already accepted */
    }
    siteId = (await gql('mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }', { i: { name: `Acme ${run}`, allowedDomains: ['shop.example'] } })).createSite.id;
    await gql('mutation($id: ID!, $i: UpdateSiteInput!) { updateSite(id: $id, input: $i) { id } }', {
      id: siteId,
      i: { recordingEnabled: true, recordingSamplePercent: 100, heatmapsEnabled: true, identifyEnabled: true },
    });
    const shot = await capture(browser);
    const now = Date.now();
    for (const [i, plan] of PLANS.entries()) {
      const t = now - 3600e3 + i * 120e3;
      const session = `hm-${run}-${i}`;
      await post(`/v1/sites/${siteId}/recordings/${session}/events`, {
        visitor_id: `v-${i}`,
        sequence: 0,
        events: [
          { type: 4, timestamp: t, data: { href: `${PRICING}?utm_source=ad${i}`, width: 1280, height: 720 } },
          { type: 2, timestamp: t + 1, data: { node: shot.node, initialOffset: { left: 0, top: 0 } } },
          { type: 5, timestamp: t + 2, data: { tag: 'loupe-page-size', payload: { width: 1280, height: shot.height } } },
        ],
      });
      await post(`/v1/sites/${siteId}/recordings/${session}/events`, { visitor_id: `v-${i}`, sequence: 1, events: actions(t + 1000, plan, shot, expected) });
      if (PRO.includes(i)) actions(t + 1000, plan, shot, expectedPro);
      await post(`/v1/sites/${siteId}/identify`, { visitor_id: `v-${i}`, user_id: `u-${run}-${i}`, attributes: { plan: PRO.includes(i) ? 'pro' : 'starter' } });
    }
    await gql('mutation($i: CreateSegmentInput!) { createSegment(input: $i) { id } }', {
      i: { siteId, name: 'Pro customers', rule: { and: [{ attribute: 'plan', operator: 'EQUALS', value: 'pro' }] } },
    });
    // /docs: clicks and a page size, but no snapshot was ever stored for it.
    const t = now - 1800e3;
    await post(`/v1/sites/${siteId}/recordings/hm-${run}-docs/events`, {
      visitor_id: 'v-docs',
      sequence: 0,
      events: [
        { type: 4, timestamp: t, data: { href: DOCS, width: 1280, height: 720 } },
        { type: 5, timestamp: t + 2, data: { tag: 'loupe-page-size', payload: { width: 1280, height: 1600 } } },
        ...[200, 260, 320, 900].map((x, k) => ({ type: 3, timestamp: t + 1000 + k * 2000, data: { source: 2, type: 2, id: 1, x, y: 150 + k * 40 } })),
        { type: 3, timestamp: t + 12000, data: { source: 1, positions: [{ x: 10, y: 10, id: 1, timeOffset: 0 }] } },
      ],
    });
    const h = (await gql(HEATMAP, { s: siteId, u: PRICING, k: 'CLICK' })).heatmap;
    check(h.pageViews === PLANS.length, `the API counts ${PLANS.length} page views (${h.pageViews})`);
  });

  await step('clicks: the page rebuilt under the CSP, heat over it, elements with their counts', async () => {
    await page.goto(`${consoleUrl}/sites/${siteId}/heatmaps`);
    await page.getByRole('heading', { level: 1, name: 'Heatmaps' }).waitFor();
    check((await page.locator('h1').count()) === 1, 'one h1');
    check((await page.getByRole('link', { name: 'Heatmaps' }).getAttribute('aria-current')) === 'page', 'the nav marks Heatmaps');
    const pick = page.getByLabel('Page', { exact: true });
    await waitFor(async () => (await pick.inputValue()) === PRICING, 'the most visited page is picked');
    const options = await pick.locator('option').allTextContents();
    check(options[0].startsWith('/pricing') && options[0].includes('6 views'), `pricing first with its views: ${options.join(' | ')}`);
    await waitFor(async () => (await page.locator('.hm-body[aria-busy="false"]').count()) === 1, 'the heatmap loaded');
    // The page itself, rebuilt in a sandboxed iframe (no scripts), with its content.
    const frame = page.locator('.hm-page iframe');
    await frame.waitFor();
    check((await frame.getAttribute('sandbox')) === 'allow-same-origin', 'the iframe is sandboxed without scripts');
    await waitFor(async () => ((await page.frameLocator('.hm-page iframe').locator('h1').textContent({ timeout: 1000 }).catch(() => '')) ?? '').includes('Simple pricing'), 'the snapshot is rebuilt');
    await waitFor(async () => (await paintedPixels()) > 500, 'the click heat layer is drawn');
    const canvasLabel = await page.locator('canvas.hm-heat').getAttribute('aria-label');
    check(/Clicks heatmap of \/pricing on desktop/.test(canvasLabel ?? ''), `the canvas is labelled: ${canvasLabel}`);
    checkElements(await elementRows(), expected.clicks, 'clicks');
    const total = Object.values(expected.clicks).reduce((a, b) => a + b, 0);
    check((await page.locator('.hm-summary').textContent()).includes(`${total} clicks`), `the summary says ${total} clicks`);
    // Hovering a row outlines its element on the page.
    await page.locator('table.hm-elements button', { hasText: 'start-trial' }).hover();
    await waitFor(async () => (await page.locator('.hm-outline').count()) === 1, 'the hovered element is outlined');
    await page.mouse.move(5, 5);
    await shoot('console-heatmaps-clicks');
    await axe('heatmaps (clicks)');
  });

  await step('rage clicks and dead clicks', async () => {
    await showKind('Rage clicks');
    check(page.url().includes('kind=rage'), 'the kind is in the address');
    await waitFor(async () => (await paintedPixels()) > 100, 'the rage layer is drawn');
    checkElements(await elementRows(), expected.rage, 'rage');
    // A click pins the outline of its element.
    await page.locator('table.hm-elements button', { hasText: 'apply-coupon' }).click();
    await waitFor(async () => (await page.locator('.hm-outline').count()) === 1, 'the pinned element is outlined');
    await page.mouse.move(5, 5);
    check((await page.locator('.hm-outline').count()) === 1, 'the outline stays while pinned');
    await shoot('console-heatmaps-rage');
    await axe('heatmaps (rage)');
    await showKind('Dead clicks');
    await waitFor(async () => (await paintedPixels()) > 100, 'the dead layer is drawn');
    checkElements(await elementRows(), expected.dead, 'dead');
    await shoot('console-heatmaps-dead');
    await axe('heatmaps (dead)');
  });

  await step('moves', async () => {
    await showKind('Moves');
    await waitFor(async () => (await paintedPixels()) > 2000, 'the move layer is drawn');
    const h = (await gql(HEATMAP, { s: siteId, u: PRICING, k: 'MOVE' })).heatmap;
    const n = h.points.reduce((a, p) => a + p.count, 0);
    check(n > 0 && (await page.locator('.hm-side-intro').textContent()).includes(`${n.toLocaleString('en-US')} mouse position`), `the side says the ${n} positions`);
    await shoot('console-heatmaps-moves');
    await axe('heatmaps (moves)');
  });

  await step('scroll: the gradient, percentages at each 10 % and the average fold', async () => {
    await showKind('Scroll');
    await waitFor(async () => (await paintedPixels()) > 10000, 'the scroll map is drawn');
    const api = (await gql(HEATMAP, { s: siteId, u: PRICING, k: 'SCROLL' })).heatmap;
    const rows = await page.locator('table.hm-scroll tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    const want = api.scroll.filter((s) => s.depth % 10 === 0).map((s) => [`${s.depth}%`, `${Math.round(s.share * 100)}%`]);
    check(JSON.stringify(rows) === JSON.stringify(want), `the scroll table is the API's: ${JSON.stringify(rows)} vs ${JSON.stringify(want)}`);
    check(rows[0]?.[1] === '100%', 'everyone sees the first 10 %');
    check(Number(rows[rows.length - 1]?.[1].replace('%', '')) < 100, 'not everyone reaches the bottom');
    check((await page.locator('.hm-depth').count()) === 10, 'a label at each 10 % on the map');
    check((await page.locator('.hm-fold').count()) === 1 && api.averageFold === 720, `the average fold line (${api.averageFold})`);
    check((await page.locator('.hm-fold-text').textContent()).includes('720 px'), 'the fold in text');
    await shoot('console-heatmaps-scroll');
    await axe('heatmaps (scroll)');
  });

  await step('a segment: only its visitors\' sessions, and what the map was computed from', async () => {
    await showKind('Clicks');
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: 'Pro customers' });
    await waitFor(async () => page.url().includes('segment='), 'the segment is in the address');
    await waitFor(async () => (await page.locator('.hm-note', { hasText: 'Pro customers' }).count()) === 1, 'the sample note');
    const note = await page.locator('.hm-note', { hasText: 'Pro customers' }).textContent();
    check(note.includes(`${PRO.length} recorded sessions`), `the note counts the sessions: ${note}`);
    await waitFor(async () => (await page.locator('.hm-body[aria-busy="false"]').count()) === 1, 'the segment heatmap loaded');
    await waitFor(async () => (await paintedPixels()) > 100, 'the segment heat layer is drawn');
    checkElements(await elementRows(), expectedPro.clicks, 'clicks (Pro customers)');
    check((await page.locator('.hm-summary').textContent()).includes(`${PRO.length} page views`), 'the summary counts the segment\'s page views');
    await shoot('console-heatmaps-segment');
    await axe('heatmaps (segment)');
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: 'Every visitor' });
    await waitFor(async () => (await page.locator('.hm-note', { hasText: 'Pro customers' }).count()) === 0, 'back to every visitor');
  });

  await step('a page without snapshot: heat over a blank page; another device: no data', async () => {
    await page.getByLabel('Page', { exact: true }).selectOption(DOCS);
    await showKind('Clicks');
    await waitFor(async () => (await page.locator('.hm-note').textContent({ timeout: 1000 }).catch(() => '')).includes('No snapshot'), 'the no-snapshot note');
    check((await page.locator('.hm-page iframe').count()) === 0 && (await page.locator('.hm-blank').count()) === 1, 'a blank page');
    await waitFor(async () => (await paintedPixels()) > 100, 'the heat over the blank page');
    check((await page.locator('.hm-summary').textContent()).includes('1,280 × 1,600'), 'the document size');
    await shoot('console-heatmaps-no-snapshot');
    await axe('heatmaps (no snapshot)');
    await page.getByRole('group', { name: 'Device' }).getByRole('button', { name: 'Mobile' }).click();
    await waitFor(async () => (await page.locator('.hm-note').textContent({ timeout: 1000 }).catch(() => '')).includes('No page views'), 'no data on mobile');
  });

  await step('a site without data says what to do', async () => {
    const empty = (await gql('mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }', { i: { name: `Empty ${run}`, allowedDomains: ['empty.example'] } })).createSite.id;
    await page.goto(`${consoleUrl}/sites/${empty}/heatmaps`);
    await page.getByRole('heading', { name: 'No heatmap data yet' }).waitFor();
    check(/turn on recording or heatmaps for this site/i.test(await page.locator('.empty').textContent()), 'the empty state says what to do');
    await axe('heatmaps (empty)');
  });

  check(cspErrors.length === 0, `no CSP violations: ${cspErrors.join(' | ')}`);
  const errors = page.errors.filter((e) => !/Content Security Policy/i.test(e));
  check(errors.length === 0, `no page errors: ${errors.join(' | ')}`);
} finally {
  await browser.close();
}
finish();
