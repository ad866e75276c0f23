// The Heatmaps page's pure parts: its state in the address, the date range, the palette and
// the colouring of the accumulated heat (tested in test/heatmaps.test.mjs, no DOM needed).
import type { HeatmapDevice, HeatmapKind } from '../../gql/graphql';

export type DeviceKey = 'desktop' | 'tablet' | 'mobile';
export type KindKey = 'clicks' | 'rage' | 'dead' | 'moves' | 'scroll';

export const DEVICES: { key: DeviceKey; api: HeatmapDevice; label: string; width: number }[] = [
  { key: 'desktop', api: 'DESKTOP', label: 'Desktop', width: 1280 },
  { key: 'tablet', api: 'TABLET', label: 'Tablet', width: 768 },
  { key: 'mobile', api: 'MOBILE', label: 'Mobile', width: 375 },
];

export const KINDS: { key: KindKey; api: HeatmapKind; label: string; noun: string }[] = [
  { key: 'clicks', api: 'CLICK', label: 'Clicks', noun: 'clicks' },
  { key: 'rage', api: 'RAGE_CLICK', label: 'Rage clicks', noun: 'rage clicks' },
  { key: 'dead', api: 'DEAD_CLICK', label: 'Dead clicks', noun: 'dead clicks' },
  { key: 'moves', api: 'MOVE', label: 'Moves', noun: 'mouse positions' },
  { key: 'scroll', api: 'SCROLL', label: 'Scroll', noun: 'page views' },
];

export const RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
] as const;

export interface HeatState {
  url: string; // '' = the most visited page
  device: DeviceKey;
  kind: KindKey;
  days: number;
  segment: string; // '' = every visitor
}

/** The page's state from the address (`?url=…&device=…&kind=…&days=…&segment=…`), defaults filled in. */
export function stateFromQuery(q: Record<string, string | undefined>): HeatState {
  const device = DEVICES.find((d) => d.key === q.device)?.key ?? 'desktop';
  const kind = KINDS.find((k) => k.key === q.kind)?.key ?? 'clicks';
  const days = RANGES.find((r) => String(r.days) === q.days)?.days ?? 30;
  const segment = /^[0-9]{1,18}$/.test(q.segment ?? '') ? (q.segment as string) : '';
  return { url: q.url ?? '', device, kind, days, segment };
}

/** The query string of a state; defaults are left out so plain links stay short. */
export function queryFromState(s: HeatState): string {
  const p = new URLSearchParams();
  if (s.url) p.set('url', s.url);
  if (s.device !== 'desktop') p.set('device', s.device);
  if (s.kind !== 'clicks') p.set('kind', s.kind);
  if (s.days !== 30) p.set('days', String(s.days));
  if (s.segment) p.set('segment', s.segment);
  const text = p.toString();
  return text ? `?${text}` : '';
}

/**
 * The start of a range of `days` days ending today, at the viewer's local midnight: stable
 * within a day, so the queries' variables do not change between renders.
 */
export function rangeStart(days: number, now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return d.toISOString();
}

/** The drawn height of the page: its document height, else what the points reach. */
export function pageHeight(documentHeight: number, points: readonly { y: number }[], binSize: number, fold: number | null | undefined): number {
  if (documentHeight > 0) return documentHeight;
  const lowest = points.reduce((m, p) => Math.max(m, p.y + binSize), 0);
  return Math.max(lowest, Math.round(fold ?? 0), 800);
}

/** The display scale of a page `width` px wide in a box `box` px wide (never enlarged). */
export function fitScale(box: number, width: number): number {
  if (width <= 0 || box <= 0) return 1;
  return Math.min(1, box / width);
}

type Rgb = [number, number, number];
/** Cold to hot: blue, cyan, green, yellow, red. */
const STOPS: [number, Rgb][] = [
  [0, [0, 40, 255]],
  [0.35, [0, 190, 255]],
  [0.55, [0, 220, 90]],
  [0.75, [255, 230, 0]],
  [1, [230, 20, 20]],
];

/** 256 RGB colours, index = heat (0–255), interpolated between the stops. */
export function palette(): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 1;
    while (k < STOPS.length - 1 && STOPS[k][0] < t) k++;
    const [t0, c0] = STOPS[k - 1];
    const [t1, c1] = STOPS[k];
    const f = t1 === t0 ? 0 : Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(c0[c] + (c1[c] - c0[c]) * f);
  }
  return out;
}

/** The colour (`rgb(…)`) of a heat between 0 and 1. */
export function heatColor(t: number, pal: Uint8ClampedArray = palette()): string {
  const i = Math.round(Math.min(1, Math.max(0, t)) * 255) * 3;
  return `rgb(${pal[i]}, ${pal[i + 1]}, ${pal[i + 2]})`;
}

/**
 * Colours an accumulated alpha layer in place (RGBA pixels, as from getImageData): each
 * pixel's alpha picks its colour from the palette; its opacity rises with the heat up to
 * `maxAlpha` (0–255), so the edges of a spot fade out and faint heat stays see-through.
 */
export function colorize(pixels: Uint8ClampedArray, pal: Uint8ClampedArray, maxAlpha = 210): void {
  for (let i = 0; i < pixels.length; i += 4) {
    const a = pixels[i + 3];
    if (a === 0) continue;
    const j = a * 3;
    pixels[i] = pal[j];
    pixels[i + 1] = pal[j + 1];
    pixels[i + 2] = pal[j + 2];
    pixels[i + 3] = Math.min(maxAlpha, a * 2.2);
  }
}

/** How strongly one bin is stamped: its count against the densest bin, never invisible. */
export function stampAlpha(count: number, max: number): number {
  if (max <= 0) return 0;
  return Math.min(1, Math.max(0.08, count / max));
}

/** The scroll steps at each 10 % (5 % steps come from the API), with 0 % = everyone. */
export function scrollLabels(steps: readonly { depth: number; share: number }[]): { depth: number; share: number }[] {
  return steps.filter((s) => s.depth % 10 === 0).map((s) => ({ depth: s.depth, share: s.share }));
}

/** "/pricing" of "https://shop.example/pricing" (the whole text when it is no URL). */
export function pagePath(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}
