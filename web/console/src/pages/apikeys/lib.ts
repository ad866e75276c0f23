import type { Role } from '../../gql/graphql';

export type KeyStatus = 'Active' | 'Revoked' | 'Expired';

/** Revoked wins over expired; `now` in ms. */
export function keyStatus(k: { revokedAt?: string | null; expiresAt: string }, now: number): KeyStatus {
  if (k.revokedAt) return 'Revoked';
  return Date.parse(k.expiresAt) <= now ? 'Expired' : 'Active';
}

export const ROLE_HINTS: Record<Role, string> = {
  READ: 'Can read surveys, responses, recordings and users; changes nothing.',
  WRITE: 'Can also create and change surveys, segments and response tags.',
  ADMIN: 'Can do everything: sites, API keys, privacy requests and purges. Give it sparingly.',
};
