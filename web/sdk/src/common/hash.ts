// Stable, cheap hashing for sampling decisions.

/** 32-bit FNV-1a over UTF-16 code units (for the ASCII ids hashed here, the same as over bytes). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Whether a visitor is recorded on a site: the same answer on every page load. */
export function inSample(site: number, visitorId: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  if (percent >= 100) return true;
  return fnv1a32(`${site}:${visitorId}`) % 100 < percent;
}
