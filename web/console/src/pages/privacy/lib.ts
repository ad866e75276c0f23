// Pure helpers of the privacy page (unit-tested in test/admin.test.mjs).

const ACTIONS: Record<string, string> = {
  LOOKUP: 'Personal data looked up',
  DELETE: 'Personal data deleted',
  PURGE_URLS: 'URLs purged',
  PURGE_TIME_RANGE: 'Time range purged',
  RETENTION: 'Old recordings deleted (retention)',
  WEBHOOK_DISABLED: 'Webhook endpoint turned off',
  SIGN_IN: 'Signed in',
  SIGN_OUT_EVERYWHERE: 'Signed out everywhere',
  PASSWORD_CHANGED: 'Password changed',
  TWO_FACTOR_ENABLED: 'Two-factor turned on',
  TWO_FACTOR_DISABLED: 'Two-factor turned off',
  INVITE_CREATED: 'Invite created',
  INVITE_REVOKED: 'Invite withdrawn',
  INVITE_ACCEPTED: 'Invite accepted',
  MEMBER_UPDATED: 'Member changed',
  MEMBER_REMOVED: 'Member removed',
};

/** "PURGE_URLS" → "URLs purged"; unknown codes read as words ("NEW_THING" → "New thing"). */
export function actionLabel(action: string): string {
  return ACTIONS[action] ?? action.charAt(0) + action.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** `{ recording_chunks: 2, responses: 0 }` → "recording chunks: 2, responses: 0". */
export function countsText(counts: unknown, accounts?: ReadonlyMap<string, string>): string {
  if (counts == null || typeof counts !== 'object' || Array.isArray(counts)) return counts == null ? '' : JSON.stringify(counts);
  return Object.entries(counts as Record<string, unknown>)
    .map(([k, v]) => {
      const label = k.replace(/_/g, ' ');
      if (k === 'account_id' && accounts?.has(String(v))) return `account: ${accounts.get(String(v))}`;
      return `${label}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
    })
    .join(', ');
}

/** The numbers of a lookup, deletion or purge answer (`counts` or the top level). */
export function countEntries(result: unknown): [string, number][] {
  const obj = result as Record<string, unknown> | null;
  const src = obj && typeof obj.counts === 'object' && obj.counts ? (obj.counts as Record<string, unknown>) : obj;
  if (!src || typeof src !== 'object') return [];
  return Object.entries(src)
    .filter((e): e is [string, number] => typeof e[1] === 'number')
    .map(([k, v]) => [k.replace(/_/g, ' '), v]);
}

/** A `datetime-local` value (the viewer's zone) as RFC 3339 UTC; null when empty or invalid. */
export function localToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** "a@b.c" or "user 42 on site 1" lists, for confirmations. */
export function subjectText(email: string, users: readonly { siteName: string; userId: string }[]): string {
  const parts = [email ? email : '', ...users.map((u) => `user “${u.userId}” on ${u.siteName}`)].filter(Boolean);
  return parts.join(' and ');
}
