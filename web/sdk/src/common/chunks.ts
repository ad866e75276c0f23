// Lazily loaded parts of the tag. Each chunk is its own IIFE file next to loupe.js; it
// registers itself on `window.__loupe.chunks[name]` and the tag waits for that. A plain
// `<script src>` keeps the tag working under a strict Content-Security-Policy.

/** The one global the tag keeps besides `window.loupe`. */
export interface LoupeGlobal {
  /** Origin loupe.js was served from, e.g. `https://loupe.example`. */
  base?: string;
  /** Folder loupe.js was loaded from (ends with `/`); chunks load from there. Default `{base}/v1/`. */
  dir?: string;
  /** Set by the tag once it runs, so a second copy of loupe.js on the page stays idle. */
  tag?: boolean;
  chunks: Record<string, unknown>;
  /** Callers waiting for a chunk to register: [resolve, reject]. */
  waiting: Record<string, Array<[(api: unknown) => void, (e: Error) => void]>>;
}

declare global {
  interface Window {
    __loupe?: LoupeGlobal;
  }
}

export function loupeGlobal(): LoupeGlobal {
  const w = window;
  const g = (w.__loupe = w.__loupe || ({} as LoupeGlobal));
  g.chunks = g.chunks || {};
  g.waiting = g.waiting || {};
  return g;
}

/** Called by a chunk when its file runs. */
export function registerChunk(name: string, api: unknown): void {
  const g = loupeGlobal();
  g.chunks[name] = api;
  const waiting = g.waiting[name] || [];
  delete g.waiting[name];
  for (const [resolve] of waiting) resolve(api);
}

/** The file a chunk is served as, under `{base}/v1/`. */
const FILES: Record<string, string> = { recorder: 'loupe-recorder.js', surveys: 'loupe-surveys.js' };

/** Loads a chunk once (later calls share the same script) and resolves with what it registered. */
export function loadChunk<T>(name: string): Promise<T> {
  const g = loupeGlobal();
  if (name in g.chunks) return Promise.resolve(g.chunks[name] as T);
  return new Promise<T>((resolve, reject) => {
    const list = g.waiting[name];
    g.waiting[name] = (list || []).concat([[resolve as (api: unknown) => void, reject]]);
    if (list) return; // already loading
    const s = document.createElement('script');
    s.async = true;
    s.src = (g.dir || `${g.base || ''}/v1/`) + (FILES[name] || `loupe-${name}.js`);
    s.onerror = () => {
      const all = g.waiting[name] || [];
      delete g.waiting[name];
      s.remove();
      for (const [, fail] of all) fail(new Error(`loupe: could not load ${s.src}`));
    };
    (document.head || document.documentElement).appendChild(s);
  });
}
