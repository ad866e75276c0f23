// What the tag may send. Do Not Track, Global Privacy Control and the first-party opt-out
// block everything; consent, where required, holds everything back until given.
import type { KV } from './storage';

export const OPT_OUT_KEY = 'loupe_opt_out';
export const CONSENT_KEY = 'loupe_consent';

export interface Signals {
  dnt: boolean;
  gpc: boolean;
  optedOut: boolean;
}

interface NavLike {
  doNotTrack?: string | null;
  globalPrivacyControl?: boolean;
}

/** Reads the browser's signals and the first-party opt-out (storage or cookie). */
export function readSignals(nav: NavLike, win: { doNotTrack?: string | null }, kv: KV, cookie: string): Signals {
  const dnt = (v: unknown) => v === '1' || v === 'yes';
  return {
    dnt: dnt(nav.doNotTrack) || dnt(win.doNotTrack),
    gpc: nav.globalPrivacyControl === true,
    optedOut: kv.get(OPT_OUT_KEY) === '1' || /(?:^|;\s*)loupe_opt_out=1(?:;|$)/.test(cookie),
  };
}

export interface PrivacyState {
  signals: Signals;
  /** `data-require-consent` on the script tag: not even the config is fetched before consent. */
  attrRequiresConsent: boolean;
  /** The site's `require_consent`; undefined until the config is loaded. */
  configRequiresConsent?: boolean;
  consent: boolean;
}

export function blocked(s: Signals): boolean {
  return s.dnt || s.gpc || s.optedOut;
}

/** Whether the config may be fetched. */
export function mayFetchConfig(p: PrivacyState): boolean {
  return !blocked(p.signals) && (!p.attrRequiresConsent || p.consent);
}

/** Whether anything beyond the config (widgets, identify, recordings) may be sent. */
export function maySend(p: PrivacyState): boolean {
  return mayFetchConfig(p) && p.configRequiresConsent !== undefined && (!p.configRequiresConsent || p.consent);
}

/** Cookie strings that set and clear the first-party opt-out cookie (two years). */
export function optOutCookie(on: boolean, secure: boolean): string {
  const tail = `; path=/; SameSite=Lax${secure ? '; Secure' : ''}`;
  return on ? `${OPT_OUT_KEY}=1; max-age=63072000${tail}` : `${OPT_OUT_KEY}=; max-age=0${tail}`;
}
