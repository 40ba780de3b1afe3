/**
 * RNOKPP (the tax id): checksum, the birth date and gender it encodes, and when one is required.
 *
 * @packageDocumentation
 */
import { ageOn, fromEpochDay, isIsoDate, toEpochDay } from '@pc/calendar';
import type { UserError } from '@pc/errors';
import { userError, ValidationCode } from './codes';
import { isBlank, PASSPORT_AGE, requireToday } from './common';
import type { Gender } from './types';

const RNOKPP_WEIGHTS = [-1, 5, 7, 9, 4, 6, 10, 5, 7] as const;
// Day 1 of the RNOKPP date count is 1900-01-01.
const RNOKPP_EPOCH = toEpochDay('1899-12-31');

/**
 * Check digit (tenth digit) of an RNOKPP from its first nine digits.
 *
 * The weighted sum can be negative (only the first weight is), so the remainder is taken as a
 * non-negative mathematical modulo before folding 10 to 0.
 *
 * @param first9 - exactly nine digits
 * @throws RangeError when `first9` is not nine digits
 */
export function rnokppCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new RangeError('rnokppCheckDigit needs exactly nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * RNOKPP_WEIGHTS[i];
  return (((sum % 11) + 11) % 11) % 10;
}

function isWellFormedRnokpp(taxId: string): boolean {
  return /^\d{10}$/.test(taxId) && taxId !== '0000000000' && rnokppCheckDigit(taxId.slice(0, 9)) === Number(taxId[9]);
}

/**
 * Birth date encoded in an RNOKPP: its first five digits count days since 1899-12-31.
 *
 * @param taxId - ten digits (the checksum is not checked here)
 * @returns `YYYY-MM-DD`, or `null` when `taxId` is not ten digits
 */
export function rnokppBirthDate(taxId: string): string | null {
  if (!/^\d{10}$/.test(taxId)) return null;
  return fromEpochDay(RNOKPP_EPOCH + Number(taxId.slice(0, 5)));
}

/**
 * Gender encoded in an RNOKPP: the ninth digit is odd for men and even for women.
 *
 * @param taxId - ten digits (the checksum is not checked here)
 * @returns the gender, or `null` when `taxId` is not ten digits
 */
export function rnokppGender(taxId: string): Gender | null {
  if (!/^\d{10}$/.test(taxId)) return null;
  return Number(taxId[8]) % 2 === 1 ? 'MALE' : 'FEMALE';
}

/**
 * Validates an RNOKPP and its agreement with the person's birth date and gender.
 *
 * A malformed RNOKPP yields only `INVALID_TAX_ID`, because comparing the dates of a mistyped
 * number would add noise, not information. A missing or malformed `birthDate` skips the date
 * comparison (the birth date's own validator reports it); a missing `gender` skips the gender one.
 *
 * @param taxId - the RNOKPP as entered
 * @param person - the person's birth date (`YYYY-MM-DD`) and gender
 * @param path - path of the tax id field
 */
export function validateTaxId(taxId: string, person: { birthDate?: string | null; gender?: Gender | null }, path: readonly string[]): UserError[] {
  if (!isWellFormedRnokpp(taxId)) return [userError(ValidationCode.INVALID_TAX_ID, path)];
  const errors: UserError[] = [];
  if (isIsoDate(person.birthDate) && rnokppBirthDate(taxId) !== person.birthDate) {
    errors.push(userError(ValidationCode.TAX_ID_BIRTH_DATE_MISMATCH, path));
  }
  if (person.gender != null && rnokppGender(taxId) !== person.gender) {
    errors.push(userError(ValidationCode.TAX_ID_GENDER_MISMATCH, path));
  }
  return errors;
}

/**
 * Checks whether an RNOKPP must, may or must not be present: refusing one (`noTaxId`) forbids a
 * value, and from {@link PASSPORT_AGE} on a person who has not refused needs one. Does not check
 * the format; combine with {@link validateTaxId}.
 *
 * @param input - `taxId` and `noTaxId` as entered, the person's `birthDate`, and `today`
 * @param path - path of the object holding `taxId`; errors are reported on `[...path, 'taxId']`
 * @throws RangeError when `today` is malformed (a server bug, not user input)
 */
export function validateTaxIdPresence(
  input: { taxId?: string | null; noTaxId?: boolean | null; birthDate: string; today: string },
  path: readonly string[],
): UserError[] {
  requireToday(input.today);
  const field = [...path, 'taxId'];
  const hasTaxId = !isBlank(input.taxId);
  if (input.noTaxId === true) {
    return hasTaxId ? [userError(ValidationCode.TAX_ID_NOT_ALLOWED, field)] : [];
  }
  if (!hasTaxId && isIsoDate(input.birthDate) && ageOn(input.birthDate, input.today) >= PASSPORT_AGE) {
    return [userError(ValidationCode.TAX_ID_REQUIRED, field)];
  }
  return [];
}
