import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const api = await importTs('src/api.ts');

test('the CSRF header is the loupe_csrf cookie, or "1" without one', () => {
  assert.equal(api.csrfToken('a=1; loupe_csrf=abc%3D; b=2'), 'abc=');
  assert.equal(api.csrfToken('loupe_csrf_other=x'), '1');
  assert.equal(api.csrfToken('loupe_csrf=plain; __Host-loupe_csrf=secure'), 'secure');
  assert.equal(api.csrfToken(''), '1');
});

test('GraphQL errors become ApiError with code and field', () => {
  const e = api.toApiError(200, { errors: [{ message: 'too short', extensions: { code: 'BAD_USER_INPUT', field: 'password' } }] });
  assert.ok(e instanceof api.ApiError);
  assert.equal(e.code, 'BAD_USER_INPUT');
  assert.equal(e.field, 'password');
  assert.equal(e.message, 'too short');
  const r = api.toApiError(429, null, '7');
  assert.equal(r.code, 'RATE_LIMITED');
  assert.equal(r.retryAfter, 7);
  // The GraphQL error's extensions.retryAfter (seconds) wins over the header.
  const g = api.toApiError(200, { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfter: 599 } }] }, '5');
  assert.equal(g.code, 'RATE_LIMITED');
  assert.equal(g.retryAfter, 599);
  assert.equal(api.toApiError(403, { error: 'csrf', message: 'bad token' }).code, 'CSRF');
  assert.equal(api.toApiError(502, null).code, 'HTTP_502');
});

test('sign-in redirect keeps where the viewer was, but not for public pages', () => {
  assert.equal(api.signInUrl('/sites/3?x=1'), '/signin?next=%2Fsites%2F3%3Fx%3D1');
  assert.equal(api.signInUrl('/'), '/signin');
  assert.equal(api.signInUrl('/invite/abc'), '/signin');
  assert.ok(api.isPublicPath('/setup'));
  assert.ok(!api.isPublicPath('/sites'));
});
