import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const lib = await importTs('src/pages/signin/lib.ts');

test('next: only this console’s paths', () => {
  assert.equal(lib.safeNext('/sites/2/surveys?x=1'), '/sites/2/surveys?x=1');
  assert.equal(lib.safeNext(null), '/sites');
  assert.equal(lib.safeNext('//evil.example/x'), '/sites');
  assert.equal(lib.safeNext('/\\evil.example'), '/sites');
  assert.equal(lib.safeNext('https://evil.example'), '/sites');
  assert.equal(lib.safeNext('javascript:alert(1)'), '/sites');
  assert.equal(lib.safeNext('/signin?next=/x'), '/sites');
  assert.equal(lib.safeNext('/invite/abc'), '/sites');
});

test('rate limit wait from the error', () => {
  assert.equal(lib.waitText(599), '10 minutes');
  assert.equal(lib.waitText(1), '1 second');
  assert.equal(lib.waitText(60), '1 minute');
});

test('secret grouped in fours, recovery file, password checks', () => {
  assert.equal(lib.groupSecret('L2CM46M5QLR2XSXHP4'), 'L2CM 46M5 QLR2 XSXH P4');
  const f = lib.recoveryCodesFile('a@x.example', ['aaaa-bbbb', 'cccc-dddd'], new Date('2025-01-01T00:00:00Z'));
  assert.match(f, /a@x\.example/);
  assert.match(f, /\naaaa-bbbb\ncccc-dddd\n/);
  assert.equal(lib.passwordProblem('short', 'short'), 'Use at least 10 characters.');
  assert.equal(lib.passwordProblem('long enough pw', 'long enough pX'), 'The two passwords differ.');
  assert.equal(lib.passwordProblem('long enough pw', 'long enough pw'), null);
});

const privacy = await importTs('src/pages/privacy/lib.ts');

test('audit actions and counts read as words', () => {
  assert.equal(privacy.actionLabel('PURGE_URLS'), 'URLs purged');
  assert.equal(privacy.actionLabel('SOMETHING_NEW'), 'Something new');
  assert.equal(privacy.countsText({ recording_chunks: 2, responses: 0 }), 'recording chunks: 2, responses: 0');
  assert.equal(privacy.countsText({ account_id: 4, role: 'READ' }, new Map([['4', 'b@x.example']])), 'account: b@x.example, role: READ');
  assert.equal(privacy.countsText(null), '');
});

test('counts of a report, local time to ISO', () => {
  assert.deepEqual(privacy.countEntries({ counts: { users: 1, survey_displays: 3 }, users: [] }), [['users', 1], ['survey displays', 3]]);
  assert.deepEqual(privacy.countEntries({ recordings: 2, responses: 0 }), [['recordings', 2], ['responses', 0]]);
  assert.equal(privacy.localToIso(''), null);
  assert.equal(privacy.localToIso('nonsense'), null);
  assert.match(privacy.localToIso('2025-03-01T10:00'), /^2025-03-01T\d\d:00:00\.000Z$/);
  assert.equal(privacy.subjectText('a@b.c', [{ siteName: 'Shop', userId: '42' }]), 'a@b.c and user “42” on Shop');
});
