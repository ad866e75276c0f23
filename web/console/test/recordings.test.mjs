import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const tl = await importTs('src/pages/player/timeline.ts');
const lib = await importTs('src/pages/recordings/lib.ts');

const click = (t, x = 10, y = 10) => ({ type: 3, timestamp: t, data: { source: 2, type: 2, id: 5, x, y } });
const move = (t) => ({ type: 3, timestamp: t, data: { source: 1, positions: [] } });

test('rage clicks: 3 within 1 s and 30 px make one marker; spread or slow clicks do not', () => {
  const at = (xs) => xs.map(([t, x, y]) => ({ at: t, x, y }));
  assert.deepEqual(tl.rageClicks(at([[0, 0, 0], [300, 5, 5], [600, 10, 0], [900, 0, 10]])), [{ kind: 'rage', at: 0, detail: '4' }]);
  assert.equal(tl.rageClicks(at([[0, 0, 0], [300, 100, 0], [600, 200, 0]])).length, 0, 'too far apart');
  assert.equal(tl.rageClicks(at([[0, 0, 0], [600, 0, 0], [1200, 0, 0]])).length, 0, 'too slow');
  assert.equal(tl.rageClicks(at([[0, 0, 0], [100, 0, 0], [200, 0, 0], [5000, 0, 0], [5100, 0, 0], [5200, 0, 0]])).length, 2, 'two bursts');
});

test('timeline: page views at their snapshot, clicks, rage, inactivity, replayable', () => {
  const events = [
    { type: 4, timestamp: 1000, data: { href: 'https://x.example/a?q=1', width: 800, height: 600 } },
    { type: 2, timestamp: 1005, data: {} },
    move(1500),
    click(2000),
    move(30000), // 28 s without activity before this
    click(30100), click(30200), click(30300),
    { type: 4, timestamp: 40000, data: { href: 'https://x.example/b' } },
    { type: 2, timestamp: 40020, data: {} },
  ];
  const t = tl.buildTimeline(events);
  assert.equal(t.duration, 39020);
  assert.ok(t.replayable);
  const kinds = t.markers.map((m) => `${m.kind}@${m.at}`);
  assert.deepEqual(kinds, ['page@5', 'click@1000', 'rage@29100', 'click@29100', 'click@29200', 'click@29300', 'page@39020']);
  assert.deepEqual(t.inactive, [[1000, 29000]]);
  assert.equal(tl.shortUrl('https://x.example/a?q=1'), '/a?q=1');
  assert.equal(tl.buildTimeline([{ type: 4, timestamp: 1, data: {} }]).replayable, false);
  assert.equal(tl.buildTimeline([]).duration, 0);
});

test('filters round-trip through the address and build the API filter', () => {
  const f = lib.formFromQuery({ rage: 'yes', user: 'u-1', order: 'LONGEST', min: '30', response: 'maybe', country: 'fr' });
  assert.equal(f.rage, 'yes');
  assert.equal(f.response, '', 'unknown tri-state dropped');
  assert.equal(f.order, 'LONGEST');
  assert.equal(lib.queryFromForm(f), '?min=30&country=fr&user=u-1&rage=yes&order=LONGEST');
  assert.equal(lib.queryFromForm(lib.EMPTY_FORM), '');
  const { filter, errors } = lib.buildFilter(f);
  assert.deepEqual(errors, {});
  assert.deepEqual(filter, { minDurationSeconds: 30, country: 'FR', userId: 'u-1', hasRageClicks: true });
  const bad = lib.buildFilter({ ...lib.EMPTY_FORM, minSeconds: '10', maxSeconds: '5', country: 'France', from: '2025-03-10', to: '2025-03-01' });
  assert.deepEqual(Object.keys(bad.errors).sort(), ['country', 'maxSeconds', 'to']);
  const day = lib.buildFilter({ ...lib.EMPTY_FORM, from: '2025-03-10', to: '2025-03-10' }).filter;
  assert.equal(new Date(day.to).getTime() - new Date(day.from).getTime() >= 23 * 3600e3, true, 'the "to" day is included');
  assert.equal(lib.recordingUserId({ userId: 'u-1', attributes: {} }), 'u-1');
  assert.equal(lib.recordingUserId(null), null);
});
