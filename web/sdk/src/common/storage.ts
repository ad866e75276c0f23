// Key-value storage that never throws: localStorage when the browser lets us use it
// (it throws in some privacy modes and sandboxed frames), memory otherwise.

export interface KV {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** Keys that start with `prefix`. */
  keys(prefix: string): string[];
}

/** A KV in memory: the fallback, and what tests use. */
export function memoryKV(): KV {
  const m = new Map<string, string>();
  return {
    get: (k) => (m.has(k) ? (m.get(k) as string) : null),
    set: (k, v) => void m.set(k, v),
    remove: (k) => void m.delete(k),
    keys: (p) => [...m.keys()].filter((k) => k.startsWith(p)),
  };
}

/** Wraps a Storage (`localStorage`); each operation falls back to memory when it throws. */
export function storageKV(get: () => Storage | null | undefined): KV {
  const mem = memoryKV();
  let s: Storage | null = null;
  try {
    s = get() || null;
    if (s) {
      // Safari's old private mode had a storage whose writes throw: test once.
      s.setItem('loupe_probe', '1');
      s.removeItem('loupe_probe');
    }
  } catch {
    s = null;
  }
  if (!s) return mem;
  const st = s;
  return {
    get(k) {
      try {
        return st.getItem(k);
      } catch {
        return mem.get(k);
      }
    },
    set(k, v) {
      try {
        st.setItem(k, v);
      } catch {
        mem.set(k, v);
      }
    },
    remove(k) {
      mem.remove(k);
      try {
        st.removeItem(k);
      } catch {
        /* memory copy already gone */
      }
    },
    keys(p) {
      const out = mem.keys(p);
      try {
        for (let i = 0; i < st.length; i++) {
          const k = st.key(i);
          if (k && k.startsWith(p) && !out.includes(k)) out.push(k);
        }
      } catch {
        /* memory keys only */
      }
      return out;
    },
  };
}

/** The page's localStorage as a KV. */
export function localKV(): KV {
  return storageKV(() => window.localStorage);
}
