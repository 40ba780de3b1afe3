/**
 * Identity documents: number formats per type and the rules of a person's document list.
 *
 * @packageDocumentation
 */
import { ageOn, isIsoDate } from '@pc/calendar';
import type { UserError } from '@pc/errors';
import { userError, ValidationCode } from './codes';
import { isBlank, isOneOf, PASSPORT_AGE, requireToday, UA_UPPER } from './common';
import { DOCUMENT_TYPES, type DocumentType, type PersonDocumentInput } from './types';
import { validateUnzrRequired } from './unzr';

const TWO_UA_LETTERS = `[${UA_UPPER}]{2}`;
// Residence permits are issued both in Cyrillic and Latin series.
const TWO_LETTERS = `(?:[A-Z]{2}|[${UA_UPPER}]{2})`;

const DOCUMENT_NUMBER: Record<DocumentType, RegExp> = {
  PASSPORT: new RegExp(`^${TWO_UA_LETTERS}\\d{6}$`, 'u'),
  REFUGEE_CERTIFICATE: new RegExp(`^${TWO_UA_LETTERS}\\d{6}$`, 'u'),
  COMPLEMENTARY_PROTECTION_CERTIFICATE: new RegExp(`^${TWO_UA_LETTERS}\\d{6}$`, 'u'),
  NATIONAL_ID: /^\d{9}$/,
  PERMANENT_RESIDENCE_PERMIT: new RegExp(`^(?:${TWO_LETTERS}\\d{4,6}|\\d{9}|${TWO_LETTERS}\\d{5}/\\d{5})$`, 'u'),
  TEMPORARY_CERTIFICATE: new RegExp(`^(?:${TWO_LETTERS}\\d{4,6}|\\d{9}|${TWO_LETTERS}\\d{5}/\\d{5})$`, 'u'),
  // Birth certificates and temporary passports come from many eras and countries (Soviet series
  // such as "І-БК", Roman numerals), so any upper-case Cyrillic or Latin letter is accepted here.
  BIRTH_CERTIFICATE: /^[A-ZА-ЯЁҐЄІЇ0-9№/()-]{2,25}$/u,
  TEMPORARY_PASSPORT: /^[A-ZА-ЯЁҐЄІЇ0-9№/()-]{2,25}$/u,
};

/**
 * Validates a document number against the format of its type:
 * PASSPORT, REFUGEE_CERTIFICATE, COMPLEMENTARY_PROTECTION_CERTIFICATE — two upper-case Ukrainian
 * letters and six digits; NATIONAL_ID — nine digits; PERMANENT_RESIDENCE_PERMIT,
 * TEMPORARY_CERTIFICATE — two letters and 4–6 digits, nine digits, or `LL12345/12345`;
 * BIRTH_CERTIFICATE, TEMPORARY_PASSPORT — 2–25 of upper-case letters, digits and `№ / ( ) -`.
 *
 * @param type - the document type (an unknown type yields `INVALID_DOCUMENT_TYPE`)
 * @param number - the number as entered
 * @param path - path of the number field
 */
export function validateDocumentNumber(type: DocumentType, number: string, path: readonly string[]): UserError[] {
  if (!isOneOf(DOCUMENT_TYPES, type)) return [userError(ValidationCode.INVALID_DOCUMENT_TYPE, path)];
  const ok = typeof number === 'string' && DOCUMENT_NUMBER[type].test(number);
  return ok ? [] : [userError(ValidationCode.INVALID_DOCUMENT_NUMBER, path)];
}

// Document types that always carry an expiry date.
const EXPIRING_TYPES: readonly DocumentType[] = ['NATIONAL_ID'];
// A person holds one primary identity document, either the booklet or the card.
const IDENTITY_TYPES: readonly DocumentType[] = ['PASSPORT', 'NATIONAL_ID'];

/**
 * Validates a person's full document list:
 * required fields, the number format of each type, each type at most once, at most one of
 * PASSPORT / NATIONAL_ID, issue date neither in the future nor before birth, an expiration date
 * for NATIONAL_ID, no expired document, a BIRTH_CERTIFICATE under {@link PASSPORT_AGE}, and a
 * UNZR when a NATIONAL_ID is present.
 *
 * @param documents - the documents as entered
 * @param person - the person's `birthDate` (checks needing it are skipped when it is malformed),
 *   `today`, and the person's `unzr`
 * @param path - path of the list
 * @throws RangeError when `today` is malformed (a server bug, not user input)
 */
export function validateDocuments(
  documents: readonly PersonDocumentInput[],
  person: { birthDate: string; today: string; unzr?: string | null },
  path: readonly string[],
): UserError[] {
  requireToday(person.today);
  const { today } = person;
  const birthDate = isIsoDate(person.birthDate) ? person.birthDate : null;
  const errors: UserError[] = [];
  const seenTypes = new Set<DocumentType>();
  let hasIdentityDocument = false;

  documents.forEach((doc, i) => {
    const at = (field: keyof PersonDocumentInput): string[] => [...path, String(i), field];

    if (isBlank(doc.type)) {
      errors.push(userError(ValidationCode.FIELD_REQUIRED, at('type')));
    } else if (!isOneOf(DOCUMENT_TYPES, doc.type)) {
      errors.push(userError(ValidationCode.INVALID_DOCUMENT_TYPE, at('type')));
    } else if (seenTypes.has(doc.type)) {
      errors.push(userError(ValidationCode.DUPLICATE_DOCUMENT_TYPE, at('type')));
    } else {
      seenTypes.add(doc.type);
      if (IDENTITY_TYPES.includes(doc.type)) {
        if (hasIdentityDocument) {
          errors.push(userError(ValidationCode.MULTIPLE_IDENTITY_DOCUMENTS, at('type')));
        }
        hasIdentityDocument = true;
      }
    }
    const knownType = isOneOf(DOCUMENT_TYPES, doc.type);

    if (isBlank(doc.number)) {
      errors.push(userError(ValidationCode.FIELD_REQUIRED, at('number')));
    } else if (knownType) {
      errors.push(...validateDocumentNumber(doc.type, doc.number, at('number')));
    }

    if (isBlank(doc.issuedAt)) {
      errors.push(userError(ValidationCode.FIELD_REQUIRED, at('issuedAt')));
    } else if (!isIsoDate(doc.issuedAt)) {
      errors.push(userError(ValidationCode.INVALID_DATE, at('issuedAt')));
    } else if (doc.issuedAt > today) {
      errors.push(userError(ValidationCode.DOCUMENT_ISSUED_IN_FUTURE, at('issuedAt')));
    } else if (birthDate !== null && doc.issuedAt < birthDate) {
      errors.push(userError(ValidationCode.DOCUMENT_ISSUED_BEFORE_BIRTH, at('issuedAt')));
    }

    if (isBlank(doc.issuedBy)) errors.push(userError(ValidationCode.FIELD_REQUIRED, at('issuedBy')));

    if (doc.expirationDate == null) {
      if (knownType && EXPIRING_TYPES.includes(doc.type)) {
        errors.push(userError(ValidationCode.EXPIRATION_DATE_REQUIRED, at('expirationDate')));
      }
    } else if (!isIsoDate(doc.expirationDate)) {
      errors.push(userError(ValidationCode.INVALID_DATE, at('expirationDate')));
    } else if (doc.expirationDate < today) {
      errors.push(userError(ValidationCode.DOCUMENT_EXPIRED, at('expirationDate')));
    }
  });

  if (birthDate !== null && ageOn(birthDate, today) < PASSPORT_AGE && !seenTypes.has('BIRTH_CERTIFICATE')) {
    errors.push(userError(ValidationCode.BIRTH_CERTIFICATE_REQUIRED, path));
  }
  errors.push(...validateUnzrRequired(documents, person.unzr, path));
  return errors;
}
