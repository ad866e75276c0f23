// loupe.js, the browser tag. See web/sdk/README.md for the contract. Everything runs inside
// try/catch: the tag never throws into the host page, and with Do Not Track, Global Privacy
// Control or an opt-out it makes no request at all.
import { loadChunk, loupeGlobal } from './common/chunks';
import { inSample } from './common/hash';
import { type Heat, startHeat } from './common/heat';
import { getJSON, postJSON, siteUrl } from './common/http';
import { randomId } from './common/ids';
import {
  CONSENT_KEY,
  OPT_OUT_KEY,
  type PrivacyState,
  mayFetchConfig,
  maySend,
  optOutCookie,
  readSignals,
} from './common/privacy';
import { Session, visitorId } from './common/session';
import { localKV } from './common/storage';
import { makeApi, replay } from './common/stub';
import type { RecorderChunk, Recording, SiteConfig, SurveysChunk, Widget, WidgetsResponse } from './common/types';

type Loupe = ((...args: unknown[]) => void) & { q?: unknown };

const warned: Record<string, 1> = {};
/** One console warning per kind of problem, never an exception. */
function warn(kind: string, detail?: unknown): void {
  if (warned[kind]) return;
  warned[kind] = 1;
  try {
    console.warn(`loupe: ${kind}`, detail === undefined ? '' : detail);
  } catch {
    /* no console */
  }
}

/** Resolves once the page has a <body>: a tag pasted in <head> may hear back from Loupe
 * while a blocking script further down still holds the parser. */
function bodyReady(): Promise<unknown> {
  return document.body || document.readyState !== 'loading'
    ? Promise.resolve()
    : new Promise((ok) => document.addEventListener('DOMContentLoaded', ok, { once: true }));
}

const ACTIVITY = ['mousedown', 'keydown', 'touchstart', 'scroll', 'pointermove'];

function boot(): void {
  const w = window as unknown as Window & { loupe?: Loupe; doNotTrack?: string };
  const g = loupeGlobal();
  if (g.tag) return; // a second copy of loupe.js on the page
  g.tag = true;

  const script = (document.currentScript ||
    document.querySelector('script[data-site][src*="loupe"]') ||
    document.querySelector('script[data-site]')) as HTMLScriptElement | null;
  const site = Number(script && script.getAttribute('data-site'));
  const stub = w.loupe;
  const queued = stub && stub.q;

  if (!script || !(site > 0) || !script.src || typeof fetch !== 'function') {
    if (script && !(site > 0)) warn('data-site is missing or not a number');
    w.loupe = makeApi(() => {}, () => {});
    return;
  }
  const src = new URL(script.src, location.href);
  const base = (g.base = src.origin);
  g.dir = src.href.replace(/[?#].*$/, '').replace(/[^/]*$/, '');

  const kv = localKV();
  const privacy: PrivacyState = {
    signals: readSignals(navigator as Navigator & { globalPrivacyControl?: boolean }, w, kv, document.cookie),
    attrRequiresConsent: script.hasAttribute('data-require-consent'),
    consent: kv.get(CONSENT_KEY) === '1',
  };

  let config: SiteConfig | null = null;
  let configLoading = false;
  let started = false;
  let visitor = '';
  let session: Session | null = null;
  let recording: Recording | null = null;
  let recorderLoading = false;
  let heat: Heat | null = null;
  /** Custom events sent while the recorder chunk loads. */
  let early: Array<[string, unknown]> = [];
  let pendingIdentify: unknown[] | null = null;

  // Widgets: one on screen at a time, each shown once per page view (URL).
  let pageUrl = '';
  let shown: Record<number, 1> = {};
  let onScreen = false;
  let widgetAsk = 0;

  const allowed = () => maySend(privacy);

  function evaluate(): void {
    if (!mayFetchConfig(privacy)) return;
    if (!config) {
      if (configLoading) return;
      configLoading = true;
      getJSON<SiteConfig>(siteUrl(base, site, 'config'))
        .then((c) => {
          config = c;
          privacy.configRequiresConsent = !!(c && c.require_consent);
          if (!allowed()) early = []; // consent first: events from before it are not kept
          evaluate();
        })
        .catch((e) => warn('could not load the site config', e))
        .then(() => {
          configLoading = false;
        });
      return;
    }
    if (allowed() && !started) start();
  }

  function start(): void {
    started = true;
    if (!session) {
      visitor = visitorId(kv, () => randomId());
      session = new Session(kv, Date.now, () => randomId());
      session.id();
      const touch = () => {
        try {
          if (started && session) session.touch();
        } catch {
          /* never into the page */
        }
      };
      for (const t of ACTIVITY) addEventListener(t, touch, { capture: true, passive: true });
      const nav = () =>
        setTimeout(() => {
          if (heat) heat.nav();
          checkWidgets(false);
        }, 0);
      for (const m of ['pushState', 'replaceState'] as const) {
        const orig = history[m];
        history[m] = function (this: History, ...a: Parameters<History['pushState']>) {
          const r = orig.apply(this, a);
          nav();
          return r;
        };
      }
      addEventListener('popstate', nav);
      addEventListener('hashchange', nav);
    }
    checkWidgets(false);
    startRecording();
    startHeatmaps();
    if (pendingIdentify) {
      const args = pendingIdentify;
      pendingIdentify = null;
      identify(args);
    }
  }

  function stop(): void {
    started = false;
    early = [];
    if (heat) heat.stop();
    heat = null;
    if (recording) {
      try {
        recording.stop();
      } catch (e) {
        warn('recorder failed to stop', e);
      }
      recording = null;
    }
  }

  /** Resolves once the page's `load` has fired and the main thread is idle (≤ 2 s later). */
  function afterLoad(): Promise<void> {
    return new Promise((done) => {
      const idle = () => {
        const ric = (window as Window & { requestIdleCallback?: (f: () => void, o: { timeout: number }) => number })
          .requestIdleCallback;
        if (typeof ric === 'function') ric(() => done(), { timeout: 2000 });
        else setTimeout(done, 1);
      };
      if (document.readyState === 'complete') idle();
      else addEventListener('load', idle, { once: true });
    });
  }

  function startRecording(): void {
    const r = config && config.recording;
    if (recording || recorderLoading) return;
    if (!r || !r.enabled || !inSample(site, visitor, r.sample_percent)) {
      early = []; // this page is not recorded: events kept while that was unknown go
      return;
    }
    recorderLoading = true;
    // rrweb's first full snapshot is one synchronous walk of the DOM (tens of ms on a big
    // page): it waits until the page has loaded and the main thread is idle.
    afterLoad()
      .then(() => loadChunk<RecorderChunk>('recorder'))
      .then((api) => {
        if (!allowed() || !started || recording || !session) return;
        const s = session;
        recording = api.start({ base, site, visitorId: visitor, sessionId: () => s.id(), maskAllText: !!r.mask_all_text });
        for (const [name, props] of early) recording.addCustomEvent(name, props);
      })
      .catch((e) => warn('could not start recording', e))
      .then(() => {
        recorderLoading = false;
        early = [];
      });
  }

  /** Heatmaps without recording: on when the site has them and this visitor is not
   *  recorded (the recording's events feed the same heatmaps on the server). */
  function startHeatmaps(): void {
    const r = config && config.recording;
    if (heat || !config || !config.heatmaps || (r && r.enabled && inSample(site, visitor, r.sample_percent))) return;
    try {
      heat = startHeat(siteUrl(base, site, 'heatmap'));
    } catch (e) {
      warn('could not start heatmaps', e);
    }
  }

  function checkWidgets(force: boolean): void {
    if (!allowed() || !started) return;
    const url = location.href;
    if (url === pageUrl && !force) return;
    if (url !== pageUrl) shown = {};
    pageUrl = url;
    if (session) session.touch();
    const ask = ++widgetAsk;
    getJSON<WidgetsResponse>(
      `${siteUrl(base, site, 'widgets')}?visitor_id=${encodeURIComponent(visitor)}&url=${encodeURIComponent(url)}`,
    )
      .then((res) => {
        if (ask !== widgetAsk || onScreen || !allowed()) return;
        const list: Widget[] = (res && res.widgets) || [];
        const next = list.filter((x) => x && !shown[x.id])[0];
        if (next && config) show(next, config);
      })
      .catch((e) => warn('could not load widgets', e));
  }

  function show(widget: Widget, cfg: SiteConfig): void {
    shown[widget.id] = 1;
    onScreen = true;
    Promise.all([loadChunk<SurveysChunk>('surveys'), bodyReady()])
      .then(([api]) =>
        api.render(widget, {
          base,
          site,
          visitorId: visitor,
          pageUrl: () => location.href,
          // Only while tracking is allowed: under an opt-out nothing is sent anyway.
          sessionId: () => (session && allowed() ? session.id() : ''),
          theme: cfg.theme,
          onDone() {
            onScreen = false;
            checkWidgets(true);
          },
        }),
      )
      .catch((e) => {
        onScreen = false;
        warn('could not show a survey', e);
      });
  }

  function identify(args: unknown[]): void {
    const [userId, attributes, opts] = args as [unknown, unknown, { userHash?: unknown } | undefined];
    if ((typeof userId !== 'string' && typeof userId !== 'number') || userId === '') {
      warn('identify needs a user id (string)');
      return;
    }
    if (!allowed() || !started) {
      pendingIdentify = args; // sent once consent (or the config) allows it
      return;
    }
    const payload: Record<string, unknown> = {
      visitor_id: visitor,
      user_id: String(userId),
      attributes: attributes && typeof attributes === 'object' ? attributes : {},
    };
    if (opts && opts.userHash != null) payload.user_hash = String(opts.userHash);
    postJSON(siteUrl(base, site, 'identify'), payload)
      .then(() => checkWidgets(true))
      .catch((e) => warn('identify failed', e));
  }

  function setOptOut(on: boolean): void {
    if (on) kv.set(OPT_OUT_KEY, '1');
    else kv.remove(OPT_OUT_KEY);
    try {
      document.cookie = optOutCookie(on, location.protocol === 'https:');
    } catch {
      /* cookies disabled */
    }
    privacy.signals.optedOut = on;
    if (on) {
      stop();
      pendingIdentify = null;
      for (const k of kv.keys('loupe_pending:')) kv.remove(k);
    } else evaluate();
  }

  function handle(args: unknown[]): void {
    const cmd = args[0];
    if (cmd === 'identify') identify(args.slice(1));
    else if (cmd === 'event') {
      const name = args[1];
      if (typeof name !== 'string' || !name) return warn('event needs a name (string)');
      if (recording) {
        if (allowed()) recording.addCustomEvent(name, args[2]);
        return;
      }
      // Kept while the recorder loads, or while the settings that say whether (and with
      // what consent) this page records have not arrived: calls queued before the tag
      // loaded come that early. Nothing leaves the page unless recording starts.
      const unknown = !config && mayFetchConfig(privacy);
      if ((recorderLoading || unknown) && early.length < 50) early.push([name, args[2]]);
    } else if (cmd === 'optOut') setOptOut(true);
    else if (cmd === 'optIn') setOptOut(false);
    else if (cmd === 'consent') {
      privacy.consent = !!args[1];
      if (privacy.consent) kv.set(CONSENT_KEY, '1');
      else kv.remove(CONSENT_KEY);
      if (privacy.consent) evaluate();
      else if (!allowed()) {
        stop();
        pendingIdentify = null;
      }
    } else warn(`unknown command ${String(cmd)}`);
  }

  const onError = (e: unknown) => warn('internal error', e);
  w.loupe = makeApi(handle, onError);
  replay(queued, handle, onError);
  evaluate();
}

try {
  boot();
} catch (e) {
  warn('internal error', e);
}
