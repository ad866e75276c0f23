// Random ids for visitors and sessions.

/** Session ids and visitor ids the server accepts. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** `bytes` random bytes as base64url (16 bytes: 22 characters). */
export function randomId(bytes = 16): string {
  const a = new Uint8Array(bytes);
  const c = typeof crypto !== 'undefined' ? crypto : undefined;
  if (c && c.getRandomValues) c.getRandomValues(a);
  else for (let i = 0; i < bytes; i++) a[i] = (Math.random() * 256) | 0;
  let s = '';
  for (let i = 0; i < bytes; i++) s += String.fromCharCode(a[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
