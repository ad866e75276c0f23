// The heatmap rules of the core tag against the server's (api/src/domain/heatmaps/
// selector.rs steps, recordings/metadata.rs rage runs): the same cases, the same answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rageRuns, stepOf } from '../src/common/heat';

test('selector steps: usable ids anchor, generated names and bad classes are left out', () => {
  const cases: Array<[string, string | null, string | null, string, boolean]> = [
    ['BUTTON', 'buy', 'btn', 'button#buy', true],
    ['div', ' menu ', null, 'div#menu', true],
    ['div', 'ember123', 'card big', 'div.card.big', false],
    ['div', null, 'a  b\tc d', 'div.a.b.c', false],
    ['span', null, 'css-1x9f3a ok 9bad', 'span.ok', false],
    ['a', 'has space', 'link', 'a.link', false],
    ['svg', null, null, 'svg', false],
  ];
  for (const [tag, id, cls, step, anchor] of cases) assert.deepEqual(stepOf(tag, id, cls), [step, anchor], `${tag} ${id} ${cls}`);
});

test('rage runs: 3 clicks within 1 s and 30 px, each run once', () => {
  const c = (t: number, x: number) => ({ t, cx: x, cy: 100 });
  assert.deepEqual(rageRuns([c(0, 10), c(300, 12), c(600, 15)]), [0]);
  assert.deepEqual(rageRuns([c(0, 10), c(300, 12)]), []);
  assert.deepEqual(rageRuns([c(0, 10), c(600, 12), c(1200, 15)]), []);
  assert.deepEqual(rageRuns([c(0, 10), c(100, 80), c(200, 150)]), []);
  assert.deepEqual(rageRuns([0, 1, 2, 3, 4, 5, 6].map((i) => c(i * 100, 10))), [0]);
  const two = [0, 1, 2].map((i) => c(i * 100, 10)).concat([0, 1, 2].map((i) => c(5000 + i * 100, 500)));
  assert.deepEqual(rageRuns(two), [0, 3]);
});
