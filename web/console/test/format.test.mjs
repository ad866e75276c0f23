import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const f = await importTs('src/format.ts');
const at = '2025-03-12T23:30:00Z';

test('dates are shown in the given time zone', () => {
  assert.equal(f.formatDate(at, { timeZone: 'UTC', locale: 'en-GB' }), '12 Mar 2025');
  // Same instant, already the next day in Tokyo.
  assert.equal(f.formatDate(at, { timeZone: 'Asia/Tokyo', locale: 'en-GB' }), '13 Mar 2025');
  assert.match(f.formatDateTime(at, { timeZone: 'America/New_York', locale: 'en-GB' }), /12 Mar 2025.*19:30/);
});

test('missing or invalid dates show a dash', () => {
  assert.equal(f.formatDateTime(null), '—');
  assert.equal(f.formatDate('not a date'), '—');
  assert.equal(f.formatRelative(undefined), '—');
});

test('relative times pick the largest sensible unit', () => {
  const now = Date.parse(at);
  const cases = [
    [now - 10_000, 'now'],
    [now - 5 * 60_000, '5 minutes ago'],
    [now - 3 * 3600_000, '3 hours ago'],
    [now - 24 * 3600_000, 'yesterday'],
    [now + 2 * 24 * 3600_000, 'in 2 days'],
    [now - 400 * 24 * 3600_000, 'last year'],
  ];
  for (const [t, want] of cases) assert.equal(f.formatRelative(t, now, 'en'), want);
});

test('numbers, percentages, durations', () => {
  assert.equal(f.formatNumber(1234567, 'en-US'), '1,234,567');
  assert.equal(f.formatNumber(null), '—');
  assert.equal(f.formatPercent(42.456, 1, 'en-US'), '42.5%');
  assert.equal(f.formatDuration(3_000), '0:03');
  assert.equal(f.formatDuration(247_000), '4:07');
  assert.equal(f.formatDuration(3_909_000), '1:05:09');
  assert.equal(f.plural(1, 'response', undefined, 'en'), '1 response');
  assert.equal(f.plural(3, 'reply', 'replies', 'en'), '3 replies');
});
