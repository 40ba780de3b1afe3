/**
 * Helpers the subject validators share.
 *
 * @packageDocumentation
 */
import { isIsoDate } from '@pc/calendar';

/**
 * Age at which a Ukrainian gets a passport (booklet or ID card) and an RNOKPP becomes
 * expected. Statutory, unlike the configurable legal-capacity ages of the cabinet's access rules.
 */
export const PASSPORT_AGE = 14;

// `today` comes from server code, never from the client, so a malformed one is a bug to surface
// loudly rather than a user error.
export function requireToday(today: string): void {
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
}

/** True for a missing, empty or whitespace-only value. */
export function isBlank(value: string | null | undefined): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

/** True when `value` is one of `values`. */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

// Upper-case letters of the Ukrainian alphabet. The range А-Щ skips Ъ and Ы; Ь, Ю, Я are listed
// to skip Э; Ё lies outside the range. Russian-only letters are a classic sign of a mistyped or
// copied-from-Russian-document value, and the register rejects them.
export const UA_UPPER = 'А-ЩЬЮЯҐЄІЇ';
export const UA_LOWER = 'а-щьюяґєії';
