// Pure helpers of the sign-in, setup, invite and account pages (unit-tested in test/admin.test.mjs).

/**
 * Where to go after signing in: `next` when it is a path of this console, else /sites.
 * Refuses other origins ("//evil.example", "https://…", "/\\evil") so the link cannot be used
 * to send someone elsewhere after they typed their password.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/sites';
  if (/[\u0000-\u001f]/.test(next)) return '/sites';
  const path = next.split(/[?#]/)[0]!;
  if (path === '/signin' || path === '/setup' || path.startsWith('/invite/')) return '/sites';
  return next;
}

/** "about 10 minutes", "45 seconds". */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const min = Math.ceil(seconds / 60);
  return `${min} minute${min === 1 ? '' : 's'}`;
}

/** A TOTP secret in groups of four, easier to type: "ABCD EFGH IJ". */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** The text file of recovery codes offered for download. */
export function recoveryCodesFile(email: string, codes: readonly string[], when: Date): string {
  return [
    `Loupe recovery codes for ${email}`,
    `Created ${when.toISOString()}. Each code works once, instead of a code from your authenticator app.`,
    '',
    ...codes,
    '',
  ].join('\n');
}

/** Client-side checks before the server's own (length, strength): an error message or null. */
export function passwordProblem(password: string, confirm: string): string | null {
  if (password.length < 10) return 'Use at least 10 characters.';
  if (password !== confirm) return 'The two passwords differ.';
  return null;
}

export const PASSWORD_HINT = 'At least 10 characters. A few unrelated words are strong and easy to remember.';
