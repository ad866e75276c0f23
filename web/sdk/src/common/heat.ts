// Heatmaps without recording: the core tag collects clicks (document coordinates, the
// clicked element's selector, rage and dead clicks), sampled mouse moves, the deepest
// scroll and the page sizes of each page view, and posts them to
// `{base}/v1/sites/{site}/heatmap` every ~10 s and when the page is hidden. No DOM content
// leaves the page: selectors are tag, id, classes and positions only.
//
// The rules are the server's (api/src/domain/heatmaps/): the selector format of
// selector.rs (rrweb's snapshot with slimDOM, so <script> elements do not count as
// siblings), rage runs of metadata::rage_runs, the dead-click window and the move sample.

const FLUSH_MS = 10000;
const DEAD_MS = 1000;
const MOVE_MS = 100;
const RAGE_MS = 1000;
const RAGE_PX = 30;
const RAGE_MIN = 3;
/** Per request, well under the server's bounds and keepalive's 64 KB. */
const MAX_CLICKS = 200;
const MAX_MOVES = 600;
const MAX_SELECTOR = 512;

const ident = (s: string) => s.length <= 64 && /^[A-Za-z_-][A-Za-z0-9_-]*$/.test(s);
/** Three or more digits: a generated name that changes between builds. */
const generated = (s: string) => (s.match(/[0-9]/g) || []).length >= 3;
const counted = (e: Element) => e.localName !== 'script';

/** The element's own step and whether it anchors the path (a usable id). */
export function stepOf(tag: string, id: string | null, cls: string | null): [string, boolean] {
  tag = tag.toLowerCase();
  const i = (id || '').trim();
  if (i && ident(i) && !generated(i)) return [`${tag}#${i}`, true];
  const classes = (cls || '')
    .split(/[\t\n\f\r ]+/)
    .filter((c) => c && ident(c) && !generated(c))
    .slice(0, 3);
  return [[tag, ...classes].join('.'), false];
}

const stepOfEl = (e: Element) => stepOf(e.localName || e.tagName, e.getAttribute('id'), e.getAttribute('class'));

/** The stable selector of an element, as the server builds it from a snapshot. */
export function selectorOf(el: Element): string | null {
  const steps: string[] = [];
  let len = 0;
  for (let e: Element | null = el; e && e.localName !== 'html'; e = e.parentElement) {
    let [s, anchor] = stepOfEl(e);
    if (!anchor && e.parentElement && e.parentElement.localName !== 'html') {
      const sibs = Array.prototype.filter.call(e.parentElement.children, counted) as Element[];
      if (sibs.filter((x) => !stepOfEl(x)[1] && stepOfEl(x)[0] === s).length > 1) s += `:nth-child(${sibs.indexOf(e) + 1})`;
    }
    if (!/^[a-z0-9_-]/.test(s) || len + s.length + 3 > MAX_SELECTOR) break;
    len += s.length + 3;
    steps.unshift(s);
    if (anchor) break;
  }
  return steps.length ? steps.join(' > ') : null;
}

interface Click {
  x: number;
  y: number;
  cx: number;
  cy: number;
  t: number;
  selector: string | null;
  changed: boolean;
  rage: boolean;
  sent: boolean;
}

/** The index of each rage run's first click (the server's rule). */
export function rageRuns(c: Array<{ t: number; cx: number; cy: number }>): number[] {
  const runs: number[] = [];
  let i = 0;
  while (i < c.length) {
    let j = i + 1;
    while (j < c.length && c[j].t - c[i].t <= RAGE_MS && Math.hypot(c[j].cx - c[i].cx, c[j].cy - c[i].cy) <= RAGE_PX) j++;
    if (j - i >= RAGE_MIN) {
      runs.push(i);
      i = j;
    } else i++;
  }
  return runs;
}

export interface Heat {
  /** The URL may have changed (SPA navigation): a new page view when its path did. */
  nav(): void;
  stop(): void;
}

export function startHeat(url: string): Heat {
  const d = document;
  const root = d.documentElement;
  const now = () => Date.now();
  const keepalive = typeof Request === 'function' && 'keepalive' in Request.prototype;
  let page = '';
  let start = 0;
  let seq = 0;
  let clicks: Click[] = [];
  let moves: Array<{ x: number; y: number }> = [];
  let lastMove = 0;
  let maxScroll = 0;
  let prevScroll = 0;
  let dirty = false;

  const pageOf = () => location.href.replace(/[?#].*$/, '');
  const docH = () => Math.max(root.scrollHeight, d.body ? d.body.scrollHeight : 0);
  const depth = () => {
    const h = docH();
    if (h > 0) maxScroll = Math.max(maxScroll, Math.min(1, (scrollY + innerHeight) / h));
  };
  const begin = () => {
    page = location.href;
    start = now();
    seq = 0;
    clicks = [];
    moves = [];
    maxScroll = prevScroll = 0;
    dirty = true;
    depth();
  };

  /** Sends what is settled (every click when the page view ends). */
  function flush(all: boolean): void {
    depth();
    const runs = rageRuns(clicks);
    for (const i of runs) clicks[i].rage = true;
    const t = now();
    const ready = clicks.filter((c) => !c.sent && (all || t - c.t > DEAD_MS)).slice(0, MAX_CLICKS);
    if (!ready.length && !moves.length && !dirty && maxScroll <= prevScroll) return;
    for (const c of ready) c.sent = true;
    const body = JSON.stringify({
      page: {
        url: page,
        viewport_width: innerWidth || root.clientWidth || 1,
        viewport_height: innerHeight || root.clientHeight || 1,
        doc_width: Math.max(root.scrollWidth, d.body ? d.body.scrollWidth : 0),
        doc_height: docH(),
      },
      seq: seq++,
      clicks: ready.map((c) => {
        const o: Record<string, unknown> = { x: Math.round(c.x), y: Math.round(c.y), t: c.t - start };
        if (c.selector) o.selector = c.selector;
        if (c.rage) o.rage = true;
        if (!c.changed && t - c.t > DEAD_MS) o.dead = true;
        return o;
      }),
      moves: moves.splice(0, MAX_MOVES),
      max_scroll: maxScroll,
      prev_scroll: prevScroll,
    });
    prevScroll = maxScroll;
    dirty = false;
    // Clicks older than a rage run are final: only the recent ones are kept for it.
    clicks = clicks.filter((c) => !c.sent || t - c.t <= RAGE_MS);
    try {
      if (keepalive || typeof navigator.sendBeacon !== 'function') {
        fetch(url, { method: 'POST', keepalive: true, credentials: 'include', mode: 'cors', headers: { 'Content-Type': 'text/plain' }, body }).catch(() => {});
      } else navigator.sendBeacon(url, body);
    } catch {
      /* never into the page */
    }
  }

  const onClick = (e: Event) => {
    const m = e as MouseEvent;
    const path = m.composedPath ? m.composedPath() : [];
    const target = (path[0] || m.target) as Element;
    if (clicks.length >= 4 * MAX_CLICKS) return;
    clicks.push({
      x: m.clientX + scrollX,
      y: m.clientY + scrollY,
      cx: m.clientX,
      cy: m.clientY,
      t: now(),
      selector: target && target.nodeType === 1 ? selectorOf(target) : null,
      changed: false,
      rage: false,
      sent: false,
    });
  };
  const onMove = (e: Event) => {
    const m = e as MouseEvent;
    const t = now();
    if (t - lastMove < MOVE_MS || moves.length >= MAX_MOVES) return;
    lastMove = t;
    moves.push({ x: Math.round(m.clientX + scrollX), y: Math.round(m.clientY + scrollY) });
  };
  const onHide = () => flush(true);
  const onVisibility = () => {
    if (d.visibilityState === 'hidden') flush(true);
  };
  const observer =
    typeof MutationObserver === 'function'
      ? new MutationObserver(() => {
          const t = now();
          for (const c of clicks) if (t - c.t <= DEAD_MS) c.changed = true;
        })
      : null;
  if (observer) observer.observe(d, { childList: true, subtree: true, attributes: true, characterData: true });
  const opts = { capture: true, passive: true };
  addEventListener('click', onClick, opts);
  addEventListener('mousemove', onMove, opts);
  addEventListener('scroll', depth, opts);
  addEventListener('pagehide', onHide, opts);
  d.addEventListener('visibilitychange', onVisibility, opts);
  const timer = setInterval(() => flush(false), FLUSH_MS);
  begin();
  let path = pageOf();

  return {
    nav() {
      if (pageOf() === path) return;
      path = pageOf();
      flush(true);
      begin();
    },
    stop() {
      clearInterval(timer);
      if (observer) observer.disconnect();
      removeEventListener('click', onClick, opts);
      removeEventListener('mousemove', onMove, opts);
      removeEventListener('scroll', depth, opts);
      removeEventListener('pagehide', onHide, opts);
      d.removeEventListener('visibilitychange', onVisibility, opts);
      clicks = [];
      moves = [];
    },
  };
}
