// Heatmaps through loupe.js in real Chromium. A demo page with the snippet; playwright
// clicks known buttons (3 × "Add", 2 × a button that does nothing — dead clicks — and a
// burst of 5 on a third — one rage run), moves the mouse and scrolls to the bottom; then
// the `heatmap` query names those elements with the right counts.
//
// HEAT_MODE=tag: the site has heatmaps on and recording off, so the core tag sends the
// clicks itself (POST …/heatmap); every request is watched: no recorder, no rrweb batch,
// no page text. A Do Not Track visitor sends nothing at all.
// HEAT_MODE=recording: recording is on, so the recorder's rrweb batches feed the same
// heatmaps on the server, and the tag sends no heatmap batch of its own: the selectors
// must be the same as in tag mode.
//
// Run by tests/api/browser_tag.rs (heatmaps_*).

import {
  check, finish, gql, launch, newPage, servePages, sleep, snippet, step, trackLoupe, waitFor,
} from './lib.mjs';

const MODE = process.env.HEAT_MODE ?? 'tag';
const HEADING = 'Heading-text-5531';
const LABEL = 'Add-plan-7781';
const tag = await snippet();
const page = (head) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plans</title>${head}</head>
<body><main><h1>${HEADING}</h1>
<section class="plans">
  <button class="cta" type="button" onclick="this.textContent='${LABEL} ' + (window.n = (window.n || 0) + 1)">${LABEL}</button>
  <button class="cta" type="button">Does nothing</button>
  <button id="rage" type="button" onclick="this.dataset.n = String(Number(this.dataset.n || 0) + 1)">Rage</button>
</section>
<div style="height: 3000px"></div><a id="leave" href="/bye">Leave</a></main></body></html>`;
const pages = await servePages((path) => {
  if (path === '/heat') return page(tag);
  if (path === '/bye') return page('');
  return null;
});
const browser = await launch();

const ADD = 'body > main > section.plans > button.cta:nth-child(1)';
const NOTHING = 'body > main > section.plans > button.cta:nth-child(2)';
const RAGE = 'button#rage';

async function visit(p, seen) {
  await p.goto(pages.origin + '/heat');
  if (MODE === 'recording') await waitFor(() => seen.some((r) => r.path === '/v1/loupe-recorder.js'), 'the recorder is loaded');
  else await waitFor(() => seen.some((r) => r.path === '/v1/sites/1/config'), 'the config is loaded');
  await sleep(1000);
  for (let i = 0; i < 3; i++) {
    await p.click('button.cta >> nth=0');
    await sleep(600); // 3 clicks 600 ms apart: not a rage run
  }
  for (let i = 0; i < 2; i++) {
    await p.click('button.cta >> nth=1');
    await sleep(1200);
  }
  await p.click('#rage', { clickCount: 1 });
  for (let i = 0; i < 4; i++) await p.click('#rage', { delay: 10 });
  for (let i = 0; i < 5; i++) {
    await p.mouse.move(100 + i * 50, 100 + i * 20);
    await sleep(150);
  }
  await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await sleep(1500);
}

async function heatmap(url, kind) {
  const d = await gql(`query($url: String!, $kind: HeatmapKind!) { heatmap(siteId: "1", url: $url, device: DESKTOP, kind: $kind) {
    pageViews clicks elements { selector clicks } scroll { depth share } } }`, { url, kind });
  return d.heatmap;
}
const counts = (h) => Object.fromEntries(h.elements.map((e) => [e.selector, e.clicks]));

let url = '';
await step(`${MODE}: a visitor clicks, rages, moves and scrolls`, async () => {
  const p = await newPage(browser, { viewport: { width: 1280, height: 720 } });
  const seen = trackLoupe(p);
  await visit(p, seen);
  if (MODE === 'tag') {
    // The timed flush (every ~10 s) is watched; leaving sends the rest on pagehide.
    await waitFor(() => seen.some((r) => r.path === '/v1/sites/1/heatmap'), 'a heatmap batch', 15000);
  }
  await p.click('#leave');
  await p.waitForURL('**/bye');
  await sleep(1000);
  const posts = seen.filter((r) => r.method === 'POST').map((r) => r.path);
  console.log(`POSTs: ${JSON.stringify(posts)}`);
  if (MODE === 'tag') {
    check(!seen.some((r) => r.path.includes('/recordings/') || r.path === '/v1/loupe-recorder.js'), `heatmap-only mode loaded the recorder or sent rrweb: ${JSON.stringify(seen.map((r) => r.path))}`);
    for (const r of seen.filter((r) => r.path.endsWith('/heatmap'))) {
      const body = r.body || '';
      for (const text of [HEADING, LABEL, 'Does nothing', 'Rage', '<']) check(!body.includes(text), `a heatmap batch carried page content "${text}": ${body.slice(0, 300)}`);
      const parsed = JSON.parse(body);
      check(Object.keys(parsed).sort().join() === 'clicks,max_scroll,moves,page,prev_scroll,seq', `batch fields: ${Object.keys(parsed)}`);
    }
  } else {
    check(!posts.some((p) => p.endsWith('/heatmap')), 'with recording on, the tag sends no heatmap batch of its own');
    check(posts.some((p) => p.includes('/recordings/')), 'recording batches were sent');
  }
  check(p.errors.length === 0, `page errors: ${p.errors.join('; ')}`);
  await p.context().close();
});

await step(`${MODE}: the heatmap names the clicked elements with their counts`, async () => {
  const pagesList = await waitFor(async () => {
    const d = await gql('{ heatmapPages(siteId: "1") { url pageViews clicks } }');
    return d.heatmapPages.find((x) => x.clicks >= 11) ? d.heatmapPages : null;
  }, 'the page with its 11 clicks', 15000);
  check(pagesList.length === 1 && pagesList[0].url === `${pages.origin}/heat`, `one page, scrubbed: ${JSON.stringify(pagesList)}`);
  url = pagesList[0].url;
  const click = await heatmap(url, 'CLICK');
  console.log(JSON.stringify({ mode: MODE, click }));
  check(click.pageViews === 1 && click.clicks === 11, `one page view, 11 clicks (the last on the leave link): ${JSON.stringify(click)}`);
  const c = counts(click);
  check(c[ADD] === 3 && c[NOTHING] === 2 && c[RAGE] === 5 && c['a#leave'] === 1, `elements: ${JSON.stringify(c)}`);
  const rage = await heatmap(url, 'RAGE_CLICK');
  check(JSON.stringify(counts(rage)) === JSON.stringify({ [RAGE]: 1 }), `one rage run on #rage: ${JSON.stringify(rage.elements)}`);
  const dead = counts(await heatmap(url, 'DEAD_CLICK'));
  console.log(`dead clicks: ${JSON.stringify(dead)}`);
  if (MODE === 'tag') check(JSON.stringify(dead) === JSON.stringify({ [NOTHING]: 2 }), `dead clicks only on the button that does nothing: ${JSON.stringify(dead)}`);
  // Recording path: judged per rrweb batch (a click under 1 s before its batch ends is not),
  // so its dead counts depend on where the batches split; not asserted.
  if (MODE === 'tag') {
    const scroll = await heatmap(url, 'SCROLL');
    const bottom = scroll.scroll.find((s) => s.depth === 100);
    check(bottom && bottom.share === 1, `the page view reached the bottom: ${JSON.stringify(scroll.scroll)}`);
  }
});

if (MODE === 'tag') {
  await step('Do Not Track: no heatmap batch, nothing beyond loupe.js', async () => {
    const p = await newPage(browser, {
      viewport: { width: 1280, height: 720 },
      init: () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1', configurable: true }),
    });
    const seen = trackLoupe(p);
    await p.goto(pages.origin + '/heat');
    await sleep(800);
    await p.click('button.cta >> nth=0');
    await p.click('#rage');
    await sleep(11000); // past a timed flush
    await p.click('#leave');
    await p.waitForURL('**/bye');
    await sleep(800);
    const beyond = seen.filter((r) => !(r.method === 'GET' && r.path === '/v1/loupe.js')).map((r) => `${r.method} ${r.path}`);
    check(beyond.length === 0, `DNT: requests ${JSON.stringify(beyond)}`);
    const click = await heatmap(url, 'CLICK');
    check(click.pageViews === 1 && click.clicks === 11, `nothing more stored: ${JSON.stringify(click)}`);
    await p.context().close();
  });
}

await browser.close();
pages.close();
finish();
