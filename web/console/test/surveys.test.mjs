import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const m = await importTs('src/pages/surveys/model.ts');
const r = await importTs('src/pages/results/lib.ts');

function survey() {
  const d = m.emptyDraft('SURVEY');
  const q1 = { ...d.questions[0], key: 'q1', prompt: 'How likely…?' };
  const q2 = { ...m.newQuestion('SINGLE_CHOICE', [q1]), prompt: 'Why?', options: ['Price', 'Speed'] };
  const q3 = { ...m.newQuestion('LONG_TEXT', [q1, q2]), prompt: 'Tell us more' };
  q1.logic = [{ uid: 'r1', operator: 'LESS_THAN', value: '', values: [], number: '7', goTo: 'q3' }];
  q2.logic = [{ uid: 'r2', operator: 'EQUALS', value: 'Price', values: [], number: '', goTo: null }];
  return { ...d, name: 'NPS', questions: [q1, q2, q3] };
}

test('keys are fresh and renaming carries the rules that point at a key', () => {
  const d = survey();
  assert.deepEqual(d.questions.map((q) => q.key), ['q1', 'q2', 'q3']);
  const renamed = m.renameKey(d.questions, 2, 'more');
  assert.equal(renamed[0].logic[0].goTo, 'more');
  const removed = m.removeQuestion(d.questions, 2);
  assert.equal(removed.length, 2);
  assert.equal(removed[0].logic.length, 0, 'the rule to the removed question goes');
});

test('the path view names every branch and every path', () => {
  const d = survey();
  const b = m.branches(d.questions, 0);
  assert.deepEqual(b, [
    { when: 'if score is below 7', to: 2 },
    { when: 'otherwise', to: 1 },
  ]);
  const { paths } = m.allPaths(d.questions);
  assert.deepEqual(paths.map(m.pathText), [
    'Q1 → if score is below 7 → Q3 → End',
    'Q1 → otherwise → Q2 → if answer is “Price” → End',
    'Q1 → otherwise → Q2 → otherwise → Q3 → End',
  ]);
});

test('inputs carry only the settings of each type', () => {
  const d = survey();
  const f = m.surveyFields(d);
  assert.equal(f.questions[0].options, undefined);
  assert.deepEqual(f.questions[0].logic, [{ operator: 'LESS_THAN', goTo: 'q3', number: 7 }]);
  assert.deepEqual(f.questions[1].options, ['Price', 'Speed']);
  assert.deepEqual(f.questions[1].logic, [{ operator: 'EQUALS', goTo: null, value: 'Price' }]);
  assert.equal(f.questions[2].scaleMax, undefined);
  assert.equal(f.targeting.samplingPercent, 100);
  assert.equal(f.thankYou, null);
});

test('checks before saving point at the server field names', () => {
  const d = survey();
  d.name = ' ';
  d.questions[1].options = ['Price', 'Price '];
  d.questions[0].logic[0].goTo = 'q1';
  d.targeting.samplingPercent = '120';
  const p = m.checkDraft(d);
  assert.ok(p.name);
  assert.ok(p['questions[1].options[1]']);
  assert.match(p['questions[0].logic[0]'], /forward/);
  assert.ok(p['targeting.samplingPercent']);
  assert.equal(m.problemAt(p, 'questions[1].options', true), p['questions[1].options[1]']);
  assert.equal(m.problemAt(p, 'questions[1].options'), undefined);
});

test('operators follow the question type', () => {
  assert.deepEqual(m.operatorsFor('STATEMENT'), ['ALWAYS']);
  assert.ok(m.operatorsFor('NPS').includes('LESS_THAN'));
  assert.ok(!m.operatorsFor('SHORT_TEXT').includes('ONE_OF'));
  assert.ok(!m.operatorsFor('SINGLE_CHOICE').includes('CONTAINS'));
});

test('the preview widget is the tag wire shape', () => {
  const w = m.toWidget(survey());
  assert.equal(w.kind, 'survey');
  assert.deepEqual(w.questions[0].scale, [0, 10]);
  assert.deepEqual(w.questions[0].logic, [{ operator: 'LESS_THAN', number: 7, go_to: 'q3' }]);
  assert.deepEqual(w.questions[1].options, ['Price', 'Speed']);
});

test('a survey from the API round-trips through the draft', () => {
  const api = {
    kind: 'SURVEY',
    name: 'S',
    thankYou: null,
    distribution: 'SITE',
    hiddenFields: [],
    questions: [
      { id: '7', key: 'a', type: 'RATING', prompt: 'Rate', required: true, options: [], allowOther: false, scaleMax: 7, lowLabel: 'Bad', highLabel: null, displayStyle: 'STARS', logic: [] },
    ],
    targeting: { urlRules: [{ kind: 'CONTAINS', value: '/x', exclude: true }], devices: ['mobile'], samplingPercent: 50, startsAt: null, endsAt: null, frequency: 'ONCE', segmentId: null },
  };
  const f = m.surveyFields(m.draftFromSurvey(api));
  assert.deepEqual(f.questions[0], {
    id: '7',
    key: 'a',
    type: 'RATING',
    prompt: 'Rate',
    required: true,
    logic: [],
    scaleMax: 7,
    displayStyle: 'STARS',
    lowLabel: 'Bad',
    highLabel: null,
  });
  assert.deepEqual(f.targeting, { urlRules: [{ kind: 'CONTAINS', value: '/x', exclude: true }], devices: ['mobile'], samplingPercent: 50, startsAt: null, endsAt: null, frequency: 'ONCE', segmentId: null });
});

test('results: filter input, buckets, NPS, answers', () => {
  const f = { ...r.emptyFilter(), from: '2025-03-01', to: '2025-03-01', country: 'fr', questionId: '3', operator: 'ANSWERED' };
  const i = r.filterInput(f);
  assert.equal(new Date(i.to) - new Date(i.from), 24 * 3600 * 1000, 'the day is inclusive');
  assert.equal(i.country, 'FR');
  assert.deepEqual(i.answers, [{ questionId: '3', operator: 'ANSWERED', value: null }]);
  assert.equal(r.filterInput({ ...r.emptyFilter(), questionId: '3', operator: 'EQUALS', value: ' ' }).answers, undefined);
  assert.equal(r.activeFilters(f), 4);
  const b = r.buckets('2025-01-01T00:00:00.000Z', '2025-01-09T00:00:00.000Z', 8);
  assert.equal(b.length, 8);
  assert.equal(b[0].from, '2025-01-01T00:00:00.000Z');
  assert.equal(b[0].to, '2025-01-02T00:00:00.000Z');
  assert.equal(b[7].to, '2025-01-09T00:00:00.000Z');
  assert.equal(r.npsScore(5, 3, 2), 30);
  assert.equal(r.npsScore(0, 0, 0), null);
  assert.equal(r.answerText(['A', 'B'], 'C'), 'A, B, Other: C');
  assert.equal(r.answerText(null), '(skipped)');
  assert.equal(r.exportName('attachment; filename="survey-3-responses.csv"', '3', 'csv'), 'survey-3-responses.csv');
  assert.equal(r.exportName('attachment; filename="../../x"', '3', 'jsonl'), 'survey-3-responses.jsonl');
});
