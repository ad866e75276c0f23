// Pure helpers of the sites pages (unit-tested in test/sites.test.mjs).
import type { Plan } from '../../gql/graphql';

/** A textarea with one entry a line → the trimmed, non-empty, de-duplicated entries. */
export function parseLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const v = line.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

export function joinLines(values: readonly string[]): string {
  return values.join('\n');
}

/** Plans that include the Identify API. */
export const IDENTIFY_PLANS: readonly Plan[] = ['BUSINESS', 'SCALE'];

/**
 * Why Identify cannot be turned on, in plain words (empty when it can). Turning it off is
 * always allowed.
 */
export function identifyBlockers(plan: Plan, dpaAcceptedAt: string | null | undefined): string[] {
  const out: string[] = [];
  if (!IDENTIFY_PLANS.includes(plan))
    out.push(`Your organization's plan is ${planName(plan)}; Identify needs the Business or Scale plan.`);
  if (!dpaAcceptedAt) out.push('An admin must first accept the data-processing agreement (below).');
  return out;
}

export function planName(plan: Plan): string {
  return plan.charAt(0) + plan.slice(1).toLowerCase();
}

/** A whole number within [min, max], or an error message. */
export function parseIntIn(text: string, min: number, max: number, what: string): number | string {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return `${what} must be a whole number.`;
  const n = Number(t);
  if (n < min || n > max) return `${what} must be between ${min} and ${max}.`;
  return n;
}

/** `#rrggbb` or empty (the default). */
export function isHexColor(v: string): boolean {
  return v === '' || /^#[0-9a-fA-F]{6}$/.test(v);
}
