import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const lib = await importTs('src/pages/heatmaps/lib.ts');

test('heatmap state: address round trip, defaults left out, bad values ignored', () => {
  const s = lib.stateFromQuery({ url: 'https://shop.example/pricing', device: 'mobile', kind: 'scroll', days: '7', segment: '12' });
  assert.deepEqual(s, { url: 'https://shop.example/pricing', device: 'mobile', kind: 'scroll', days: 7, segment: '12' });
  assert.equal(lib.queryFromState(s), '?url=https%3A%2F%2Fshop.example%2Fpricing&device=mobile&kind=scroll&days=7&segment=12');
  assert.deepEqual(lib.stateFromQuery(Object.fromEntries(new URLSearchParams(lib.queryFromState(s).slice(1)))), s);
  const d = lib.stateFromQuery({ device: 'watch', kind: 'x', days: '3', segment: 'x1' });
  assert.deepEqual(d, { url: '', device: 'desktop', kind: 'clicks', days: 30, segment: '' });
  assert.equal(lib.queryFromState(d), '');
});

test('range starts at local midnight, stable within a day', () => {
  const a = lib.rangeStart(7, new Date(2025, 2, 10, 9, 30));
  const b = lib.rangeStart(7, new Date(2025, 2, 10, 23, 59));
  assert.equal(a, b);
  assert.equal(new Date(a).getTime(), new Date(2025, 2, 4).getTime());
});

test('page height: document, else the lowest point, else the fold', () => {
  assert.equal(lib.pageHeight(3600, [], 20, 720), 3600);
  assert.equal(lib.pageHeight(0, [{ y: 1180 }, { y: 200 }], 20, 720), 1200);
  assert.equal(lib.pageHeight(0, [], 20, 900), 900);
  assert.equal(lib.pageHeight(0, [], 20, null), 800);
});

test('fit scale never enlarges', () => {
  assert.equal(lib.fitScale(640, 1280), 0.5);
  assert.equal(lib.fitScale(900, 375), 1);
  assert.equal(lib.fitScale(0, 1280), 1);
});

test('palette goes cold to hot; colorize maps alpha to colour and opacity', () => {
  const pal = lib.palette();
  assert.equal(pal.length, 768);
  assert.deepEqual([...pal.slice(0, 3)], [0, 40, 255]);
  assert.deepEqual([...pal.slice(255 * 3)], [230, 20, 20]);
  assert.equal(lib.heatColor(1, pal), 'rgb(230, 20, 20)');
  const px = new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128]);
  lib.colorize(px, pal, 210);
  assert.deepEqual([...px.slice(0, 4)], [0, 0, 0, 0], 'transparent stays transparent');
  assert.deepEqual([...px.slice(4, 8)], [230, 20, 20, 210], 'hottest: red, most opaque');
  assert.equal(px[11], 210);
  const faint = new Uint8ClampedArray([0, 0, 0, 20]);
  lib.colorize(faint, pal, 210);
  assert.equal(faint[3], 44, 'faint heat fades out');
});

test('stamps: relative to the densest bin, never invisible', () => {
  assert.equal(lib.stampAlpha(3, 3), 1);
  assert.equal(lib.stampAlpha(1, 100), 0.08);
  assert.equal(lib.stampAlpha(1, 0), 0);
});

test('scroll labels at each 10 %, page paths', () => {
  const steps = Array.from({ length: 20 }, (_, i) => ({ depth: (i + 1) * 5, share: 1 - i / 20 }));
  assert.deepEqual(lib.scrollLabels(steps).map((s) => s.depth), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  assert.equal(lib.pagePath('https://shop.example/pricing'), '/pricing');
  assert.equal(lib.pagePath('not a url'), 'not a url');
});
