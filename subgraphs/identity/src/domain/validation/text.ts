/**
 * Free-text fields (issuing authority, street, apartment, ...): their length.
 *
 * @packageDocumentation
 */
import type { UserError } from '@pc/errors';
import { userError, ValidationCode } from './codes';

/** Default limit of {@link validateTextLength}: what a register field holds (as for names). */
export const TEXT_MAX_LENGTH = 255;

/**
 * Validates the length of a free-text field (issuing authority, street, apartment, ...), counted
 * in Unicode code points so that Cyrillic and emoji count as one character each. The formats of
 * these fields are too varied to check, but an unbounded length would let one request store
 * megabytes in a person's record and in its change history forever.
 *
 * @param value - the text as entered; `null` and `undefined` pass (absence is checked elsewhere)
 * @param path - path of the field
 * @param max - the largest accepted length; default {@link TEXT_MAX_LENGTH}
 */
export function validateTextLength(value: string | null | undefined, path: readonly string[], max: number = TEXT_MAX_LENGTH): UserError[] {
  if (typeof value !== 'string') return [];
  return [...value].length <= max ? [] : [userError(ValidationCode.TEXT_TOO_LONG, path)];
}
