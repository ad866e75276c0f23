// Runs the shared survey-logic vectors (tests/vectors/survey-logic.json) against the
// browser port; api/src/domain/surveys/logic_vectors.rs runs the same file against the
// server's rules.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import type { Question } from '../src/common/types';
import { type AnswerValue, type SubmittedAnswer, checkResponse, nextIndex, path, rustDebug, trim } from '../src/surveys/logic';

interface Case {
  name: string;
  questions: Question[];
  answers: SubmittedAnswer[];
  complete: boolean;
  expect: { ok: true; path: string[] } | { ok: false; field: string; message: string };
}

const file = new URL('../../../tests/vectors/survey-logic.json', import.meta.url);
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] };

test('there are at least 40 vectors, each named once', () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
});

for (const c of cases) {
  test(`vector: ${c.name}`, () => {
    const got = checkResponse(c.questions, c.answers, c.complete);
    if (!c.expect.ok) {
      assert.deepEqual(got, { ok: false, field: c.expect.field, message: c.expect.message });
      return;
    }
    assert.ok(got.ok, JSON.stringify(got));
    if (!got.ok) return;
    const values = new Map<number, AnswerValue>(got.answers.map((a) => [a.question_id, a.value]));
    const keys = path(c.questions, values, c.complete).map((i) => c.questions[i].key);
    assert.deepEqual(keys, c.expect.path);
    if (c.complete) {
      // Walking live with nextIndex, as the renderer does, gives the same path.
      const live: string[] = [];
      for (let i = 0; i >= 0; i = nextIndex(c.questions, i, values.get(c.questions[i].id) || null)) {
        if (i >= c.questions.length) break;
        live.push(c.questions[i].key);
      }
      assert.deepEqual(live, c.expect.path);
    }
  });
}

test('rustDebug writes strings as Rust {:?} does', () => {
  assert.equal(rustDebug('a"b\\c\n\t\r\0'), '"a\\"b\\\\c\\n\\t\\r\\0"');
  assert.equal(rustDebug("it's"), '"it\'s"');
  assert.equal(rustDebug('e\u0301\u00a0\u200b\u2028x'), '"e\\u{301}\\u{a0}\\u{200b}\\u{2028}x"');
  assert.equal(rustDebug('\u05e9\u05dc\u05d5\u05dd \u{1F600}'), '"\u05e9\u05dc\u05d5\u05dd \u{1F600}"');
});

test('trim is Rust trim: U+FEFF stays, U+0085 goes', () => {
  assert.equal(trim('\ufeff x \u0085'), '\ufeff x');
  assert.equal(trim('\u3000\u2028 y\u00a0'), 'y');
});
