// The survey bundles' size budgets, and the link page's URL parameters (the renderer
// itself is driven in a real browser by the end-to-end tests).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import type { Question } from '../src/common/types';
import { hiddenFrom, prefillFrom } from '../src/surveys/prefill';

const BUDGET = 15 * 1024;

for (const file of ['loupe-surveys.js', 'loupe-link.js']) {
  test(`${file} stays within ${BUDGET} bytes gzipped, without eval or inline styles`, () => {
    const raw = readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
    const gz = gzipSync(raw, { level: 9 }).length;
    console.log(`${file}: ${raw.length} bytes, ${gz} bytes gzip -9 (budget ${BUDGET})`);
    assert.ok(raw.length > 1000, `${file} looks like a placeholder: run npm run build`);
    assert.ok(gz <= BUDGET, `${file} is ${gz} bytes gzipped, over its budget of ${BUDGET}`);
    assert.ok(!/\beval\(|new Function\(|innerHTML|\.style\.cssText|setAttribute\("style"/.test(raw), 'CSP-unsafe code');
  });
}

const q = (key: string, type: Question['type'], extra: Partial<Question> = {}): Question => ({
  id: 1,
  key,
  type,
  prompt: key,
  required: false,
  ...extra,
});

test('prefill types each question from ?q.<key>', () => {
  const params = new URLSearchParams(
    'q.score=9&q.stars=x&q.colours=Red, Teal&q.colours=Green&q.plan=Pro&q.plan=Free&q.note=hi%20there&q.intro=x&q.unknown=1',
  );
  const got = prefillFrom(params, [
    q('score', 'NPS'),
    q('stars', 'RATING', { scale: [1, 5] }),
    q('colours', 'MULTIPLE_CHOICE', { options: ['Red', 'Green'] }),
    q('plan', 'SINGLE_CHOICE', { options: ['Free', 'Pro'] }),
    q('note', 'SHORT_TEXT'),
    q('intro', 'STATEMENT'),
  ]);
  assert.deepEqual(got, { score: 9, colours: ['Red', 'Teal', 'Green'], plan: 'Pro', note: 'hi there' });
});

test('hidden fields are the named parameters only', () => {
  const params = new URLSearchParams('plan=pro&plan=team&utm_source=mail&q.plan=x');
  assert.deepEqual(hiddenFrom(params, ['plan', 'company']), { plan: 'pro' });
});
