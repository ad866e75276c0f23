// The heat layer on a canvas, without a library: each bin stamps a soft radial spot into an
// alpha-only layer (overlapping spots accumulate), then every pixel's alpha is mapped through
// the palette. The scroll map is a vertical gradient of the share of page views reaching
// each depth.
import { colorize, heatColor, palette, stampAlpha } from './lib';

export interface HeatPoint {
  x: number;
  y: number;
  count: number;
}

const PALETTE = palette();

/** A black spot fading to transparent, `r` px in radius, drawn once and stamped many times. */
function spot(r: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = c.height = r * 2;
  const g = c.getContext('2d');
  if (!g) return c;
  const grad = g.createRadialGradient(r, r, 0, r, r, r);
  grad.addColorStop(0, 'rgba(0,0,0,1)');
  grad.addColorStop(0.3, 'rgba(0,0,0,0.75)');
  grad.addColorStop(0.65, 'rgba(0,0,0,0.3)');
  grad.addColorStop(1, 'rgba(0,0,0,0)');
  g.fillStyle = grad;
  g.fillRect(0, 0, r * 2, r * 2);
  return c;
}

/** Sizes the canvas's pixels to its CSS size (capped, so a very long page stays drawable). */
function prepare(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  canvas.width = Math.max(1, Math.round(width));
  canvas.height = Math.max(1, Math.min(16000, Math.round(height)));
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g?.clearRect(0, 0, canvas.width, canvas.height);
  return g;
}

/**
 * Draws `points` (bins' top-left corners in reference px, `bin` px wide) scaled by `scale`
 * onto a canvas of `width` × `height` CSS px.
 */
export function drawHeat(canvas: HTMLCanvasElement, points: readonly HeatPoint[], bin: number, scale: number, width: number, height: number): void {
  const g = prepare(canvas, width, height);
  if (!g || points.length === 0) return;
  const ky = canvas.height / Math.max(1, height);
  const r = Math.max(14, Math.round(bin * scale * 2.2));
  const stamp = spot(r);
  const max = points.reduce((m, p) => Math.max(m, p.count), 0);
  for (const p of points) {
    g.globalAlpha = stampAlpha(p.count, max);
    const cx = (p.x + bin / 2) * scale;
    const cy = (p.y + bin / 2) * scale * ky;
    g.drawImage(stamp, cx - r, cy - r);
  }
  g.globalAlpha = 1;
  const img = g.getImageData(0, 0, canvas.width, canvas.height);
  colorize(img.data, PALETTE);
  g.putImageData(img, 0, 0);
}

/**
 * The scroll map: at each depth (percent of the page) the colour of the share of page views
 * that reached it, hot at the top where everyone is, cold where few get.
 */
export function drawScroll(canvas: HTMLCanvasElement, steps: readonly { depth: number; share: number }[], width: number, height: number): void {
  const g = prepare(canvas, width, height);
  if (!g) return;
  const grad = g.createLinearGradient(0, 0, 0, canvas.height);
  grad.addColorStop(0, heatColor(steps.length ? 1 : 0, PALETTE));
  for (const s of steps) grad.addColorStop(Math.min(1, Math.max(0, s.depth / 100)), heatColor(s.share, PALETTE));
  g.globalAlpha = 0.45;
  g.fillStyle = grad;
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.globalAlpha = 1;
}
