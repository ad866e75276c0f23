import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const r = await importTs('src/pages/segments/rule.ts');
const attrs = new Map([['spend', 'NUMBER'], ['plan', 'STRING'], ['trial', 'BOOLEAN'], ['since', 'DATE']]);

test('operators follow the attribute type (the server table)', () => {
  const ops = (f) => r.operatorsFor(f, attrs).map((o) => o.value);
  assert.deepEqual(ops('attr:trial'), ['IS_TRUE', 'IS_FALSE', 'IS_SET', 'IS_NOT_SET']);
  assert.ok(ops('attr:spend').includes('BETWEEN') && !ops('attr:spend').includes('CONTAINS'));
  assert.ok(ops('attr:plan').includes('STARTS_WITH') && ops('attr:plan').includes('NOT_IN'));
  assert.ok(ops('attr:since').includes('WITHIN_LAST_DAYS'));
  assert.ok(!ops('visit:SESSIONS').includes('IS_SET'), 'sessions always exist');
  assert.deepEqual(ops('visit:DEVICE'), ['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'IS_SET', 'IS_NOT_SET']);
});

test('JSON round trip of nested groups, typed values, and kept unknown conditions', () => {
  const json = {
    and: [
      { attribute: 'spend', operator: 'BETWEEN', value: [10, 200] },
      { attribute: 'plan', operator: 'IN', value: ['pro', 'team'] },
      { or: [
        { visit: 'COUNTRY', operator: 'EQUALS', value: 'FR' },
        { responded: { survey_id: 3, within_days: 30 } },
        { answer: { question_id: 9, operator: 'LTE', value: 6 } },
        { sentiment: { question_id: null, value: 'NEGATIVE' } },
        { attribute: 'since', operator: 'WITHIN_LAST_DAYS', value: 7 },
        { attribute: 'trial', operator: 'IS_TRUE' },
      ] },
    ],
  };
  const tree = r.fromJson(json, attrs);
  assert.deepEqual(r.toJson(tree, attrs), json);
  assert.equal(r.problems(tree, attrs).size, 0);
  const single = r.fromJson({ attribute: 'spend', operator: 'GT', value: 5 }, attrs);
  assert.deepEqual(r.toJson(single, attrs), { and: [{ attribute: 'spend', operator: 'GT', value: 5 }] });
});

test('problems: empty values, reversed ranges, empty groups, unknown attributes', () => {
  const c = (field, operator, value = '', value2 = '') => ({ kind: 'cond', id: Math.random(), field, operator, value, value2 });
  assert.match(r.conditionProblem(c('attr:spend', 'GT', 'abc'), attrs), /number/);
  assert.match(r.conditionProblem(c('attr:spend', 'BETWEEN', '5', '1'), attrs), /above/);
  assert.match(r.conditionProblem(c('attr:plan', 'IN', ' , '), attrs), /one or more/);
  assert.match(r.conditionProblem(c('visit:COUNTRY', 'EQUALS', 'France'), attrs), /two-letter/);
  assert.match(r.conditionProblem(c('attr:gone', 'EQUALS', 'x'), attrs), /gone/);
  assert.equal(r.conditionProblem(c('attr:trial', 'IS_FALSE'), attrs), null);
  const empty = r.newGroup('and', [r.newGroup('or', [])]);
  assert.equal(r.problems(empty, attrs).size, 1);
});

test('a server error path points at its condition', () => {
  const tree = r.fromJson({ and: [{ attribute: 'spend', operator: 'GT', value: 1 }, { or: [{ attribute: 'plan', operator: 'EQUALS', value: 'x' }] }] }, attrs);
  const inner = tree.children[1].children[0];
  assert.equal(r.nodeForField(tree, 'rule.and[1].or[0].value'), inner.id);
  assert.equal(r.nodeForField(tree, 'rule.and[0].operator'), tree.children[0].id);
  assert.equal(r.nodeForField(tree, 'name'), null);
  const removed = r.replace(tree, inner.id, null);
  assert.equal(removed.children[1].children.length, 0);
});
