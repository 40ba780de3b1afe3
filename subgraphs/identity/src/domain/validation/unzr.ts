/**
 * UNZR, the record number of the demographic register.
 *
 * @packageDocumentation
 */
import { isIsoDate } from '@pc/calendar';
import type { UserError } from '@pc/errors';
import { userError, ValidationCode } from './codes';
import { isBlank } from './common';
import type { PersonDocumentInput } from './types';

const UNZR = /^(\d{4})(\d{2})(\d{2})-\d{5}$/;

/**
 * Validates a UNZR (`YYYYMMDD-NNNNN`, record number of the demographic register) and that its
 * date part is the person's birth date.
 *
 * @param unzr - the UNZR as entered
 * @param birthDate - the person's birth date; when missing or malformed the comparison is skipped
 * @param path - path of the UNZR field
 */
export function validateUnzr(unzr: string, birthDate: string | null | undefined, path: readonly string[]): UserError[] {
  const m = UNZR.exec(unzr);
  const encoded = m ? `${m[1]}-${m[2]}-${m[3]}` : null;
  if (encoded === null || !isIsoDate(encoded)) return [userError(ValidationCode.INVALID_UNZR, path)];
  if (isIsoDate(birthDate) && encoded !== birthDate) {
    return [userError(ValidationCode.UNZR_BIRTH_DATE_MISMATCH, path)];
  }
  return [];
}

/**
 * A NATIONAL_ID card is issued together with a register record, so the person must have a UNZR
 * once such a card is among the documents.
 *
 * @param documents - the documents as entered
 * @param unzr - the person's UNZR, if any
 * @param path - path of the documents list; the error is reported on the NATIONAL_ID's `type`
 */
export function validateUnzrRequired(
  documents: readonly Pick<PersonDocumentInput, 'type'>[],
  unzr: string | null | undefined,
  path: readonly string[],
): UserError[] {
  if (!isBlank(unzr)) return [];
  const index = documents.findIndex((d) => d.type === 'NATIONAL_ID');
  return index < 0 ? [] : [userError(ValidationCode.UNZR_REQUIRED, [...path, String(index), 'type'])];
}
