import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const lib = await importTs('src/pages/sites/lib.ts');

test('one entry a line: trimmed, no blanks, no duplicates', () => {
  assert.deepEqual(lib.parseLines(' example.com \r\n\n*.example.com\nexample.com\n  '), ['example.com', '*.example.com']);
  assert.deepEqual(lib.parseLines(''), []);
  assert.equal(lib.joinLines(['a', 'b']), 'a\nb');
});

test('Identify needs plan BUSINESS or SCALE and the DPA', () => {
  assert.deepEqual(lib.identifyBlockers('SCALE', '2025-01-01T00:00:00Z'), []);
  assert.equal(lib.identifyBlockers('BUSINESS', null).length, 1);
  const both = lib.identifyBlockers('PLUS', null);
  assert.equal(both.length, 2);
  assert.match(both[0], /Plus.*Business or Scale/);
});

test('whole numbers within a range', () => {
  assert.equal(lib.parseIntIn('30', 1, 3650, 'Retention'), 30);
  assert.match(lib.parseIntIn('0', 1, 3650, 'Retention'), /between 1 and 3650/);
  assert.match(lib.parseIntIn('1.5', 1, 3650, 'Retention'), /whole number/);
  assert.match(lib.parseIntIn('', 0, 100, 'Sampling'), /whole number/);
});

test('theme colours are #rrggbb or empty', () => {
  assert.ok(lib.isHexColor('#12abEF'));
  assert.ok(lib.isHexColor(''));
  assert.ok(!lib.isHexColor('red'));
  assert.ok(!lib.isHexColor('#fff'));
});

const keys = await importTs('src/pages/apikeys/lib.ts');

test('API key status: revoked, expired or active', () => {
  const now = Date.parse('2025-06-01T00:00:00Z');
  assert.equal(keys.keyStatus({ revokedAt: '2025-01-01T00:00:00Z', expiresAt: '2024-01-01T00:00:00Z' }, now), 'Revoked');
  assert.equal(keys.keyStatus({ revokedAt: null, expiresAt: '2025-05-31T23:59:59Z' }, now), 'Expired');
  assert.equal(keys.keyStatus({ expiresAt: '2026-01-01T00:00:00Z' }, now), 'Active');
});
