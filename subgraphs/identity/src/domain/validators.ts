/**
 * Input validators for the identity (personal data) mutations.
 *
 * Every validator is a pure function: no I/O, no clock, no exceptions for bad user input. The
 * current date is always a `today` parameter so the same input gives the same answer in tests,
 * in replays and across time zones. Each returns a list of {@link UserError}s, empty when the
 * input is valid, so a resolver can concatenate the lists of all fields and report every
 * problem at once instead of making the patient fix them one round-trip at a time.
 *
 * Path convention (`path` argument):
 * - a validator of one scalar (`validateName`, `validateTaxId`, `validateZip`, ...) receives the
 *   full path of that scalar and reports on exactly that path;
 * - a validator of an object (`validatePhone`, `validateEmergencyContact`) receives the path of
 *   the object and reports on `[...path, fieldName]`;
 * - a validator of a list (`validatePhones`, `validateDocuments`, `validateAddresses`) receives
 *   the path of the list, reports element problems on `[...path, index, fieldName]` and
 *   whole-list problems (a missing RESIDENCE, a missing birth certificate) on `path` itself.
 *
 * Dates are `YYYY-MM-DD` strings. Once checked for shape and calendar validity they compare
 * correctly as strings, which is why no `Date` objects leak out of this module.
 *
 * Rules come from the eHealth (ЕСОЗ) person validation; see docs/domain.md, "Person".
 *
 * @packageDocumentation
 */

// One problem with a mutation input, returned in a payload's `userErrors`: the shared shape of
// `@pc/errors` (`field` is the path into the mutation arguments, `code` one of
// {@link ValidationCode}, `message` English text followed by Ukrainian after " / ").
import { ageOn, fromEpochDay, isIsoDate, toEpochDay } from '@pc/calendar';
import type { UserError } from '@pc/errors';
export type { UserError };

// ---------------------------------------------------------------------------------------------
// Enums (string unions). The arrays exist so that runtime membership checks and the GraphQL
// enum definitions can share one list with the types.
// ---------------------------------------------------------------------------------------------

/** All values of {@link Gender}. */
export const GENDERS = ['MALE', 'FEMALE'] as const;
/** Person's gender as recorded in the demographic register. */
export type Gender = (typeof GENDERS)[number];

/** All values of {@link PhoneType}. */
export const PHONE_TYPES = ['MOBILE', 'LAND_LINE'] as const;
/** Kind of a phone number; a person has at most one of each. */
export type PhoneType = (typeof PHONE_TYPES)[number];

/** All values of {@link AddressType}. */
export const ADDRESS_TYPES = ['RESIDENCE', 'REGISTRATION'] as const;
/** Kind of an address: where the person lives, and where they are officially registered. */
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** All values of {@link SettlementType}. */
export const SETTLEMENT_TYPES = ['CITY', 'TOWNSHIP', 'VILLAGE', 'SETTLEMENT'] as const;
/** Kind of a settlement (місто, смт, село, селище). */
export type SettlementType = (typeof SETTLEMENT_TYPES)[number];

/** All values of {@link DocumentType}. */
export const DOCUMENT_TYPES = [
  'PASSPORT',
  'NATIONAL_ID',
  'BIRTH_CERTIFICATE',
  'TEMPORARY_PASSPORT',
  'PERMANENT_RESIDENCE_PERMIT',
  'TEMPORARY_CERTIFICATE',
  'REFUGEE_CERTIFICATE',
  'COMPLEMENTARY_PROTECTION_CERTIFICATE',
] as const;
/**
 * Kind of an identity document. `PASSPORT` is the booklet passport, `NATIONAL_ID` the
 * biometric ID card; a person holds at most one of the two.
 */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// Input shapes (mirror the GraphQL inputs of docs/api.md; nullable GraphQL fields may arrive as
// `null` or be omitted, hence `?: T | null`).
// ---------------------------------------------------------------------------------------------

/** GraphQL `PhoneInput`. */
export interface PhoneInput {
  /** MOBILE or LAND_LINE. */
  type: PhoneType;
  /** `+38` followed by ten digits. */
  number: string;
}

/** GraphQL `AddressInput`. */
export interface AddressInput {
  /** RESIDENCE or REGISTRATION. */
  type: AddressType;
  /** Country code or name; required. */
  country: string;
  /** Oblast; required. */
  area: string;
  /** Raion. */
  region?: string | null;
  /** Settlement name; required. */
  settlement: string;
  /** CITY, TOWNSHIP, VILLAGE or SETTLEMENT. */
  settlementType: SettlementType;
  /** Street type (вулиця, проспект, ...). */
  streetType?: string | null;
  /** Street name. */
  street?: string | null;
  /** Building number, see {@link validateBuilding}. */
  building?: string | null;
  /** Apartment number; free text. */
  apartment?: string | null;
  /** Postal code, five digits. */
  zip?: string | null;
}

/** GraphQL `PersonDocumentInput`. */
export interface PersonDocumentInput {
  /** Kind of the document; decides the number format. */
  type: DocumentType;
  /** Series and number, see {@link validateDocumentNumber}. */
  number: string;
  /** Issue date, `YYYY-MM-DD`. */
  issuedAt: string;
  /** Issuing authority. */
  issuedBy: string;
  /** Expiry date, `YYYY-MM-DD`; required for NATIONAL_ID. */
  expirationDate?: string | null;
}

/** GraphQL `EmergencyContactInput`. */
export interface EmergencyContactInput {
  /** Given name. */
  firstName: string;
  /** Family name. */
  lastName: string;
  /** Patronymic. */
  secondName?: string | null;
  /** At least one phone. */
  phones: PhoneInput[];
}

// ---------------------------------------------------------------------------------------------
// Codes and messages
// ---------------------------------------------------------------------------------------------

/**
 * Stable codes of validation user errors. Clients switch on these, so a value must never change
 * once released; add new codes instead.
 */
export const ValidationCode = {
  /** A required field is missing, empty or only whitespace. */
  FIELD_REQUIRED: 'FIELD_REQUIRED',
  /** A date is not a real calendar date in `YYYY-MM-DD` form. */
  INVALID_DATE: 'INVALID_DATE',
  /** A name has a character outside the Ukrainian alphabet, apostrophe, hyphen and space, has no letter, or is longer than 255 characters. */
  INVALID_NAME: 'INVALID_NAME',
  /** A phone number is not `+38` followed by ten digits. */
  INVALID_PHONE: 'INVALID_PHONE',
  /** A phone type is neither MOBILE nor LAND_LINE. */
  INVALID_PHONE_TYPE: 'INVALID_PHONE_TYPE',
  /** Two phones of the same type in one list. */
  DUPLICATE_PHONE_TYPE: 'DUPLICATE_PHONE_TYPE',
  /** An e-mail address is malformed. */
  INVALID_EMAIL: 'INVALID_EMAIL',
  /** An RNOKPP is not ten digits, is all zeros, or fails its checksum. */
  INVALID_TAX_ID: 'INVALID_TAX_ID',
  /** The birth date encoded in the RNOKPP (first five digits) differs from the person's birth date. */
  TAX_ID_BIRTH_DATE_MISMATCH: 'TAX_ID_BIRTH_DATE_MISMATCH',
  /** The gender encoded in the RNOKPP (ninth digit) differs from the person's gender. */
  TAX_ID_GENDER_MISMATCH: 'TAX_ID_GENDER_MISMATCH',
  /** A person aged 14 or older who has not refused an RNOKPP must give one. */
  TAX_ID_REQUIRED: 'TAX_ID_REQUIRED',
  /** An RNOKPP was given although the person refused one (`noTaxId`). */
  TAX_ID_NOT_ALLOWED: 'TAX_ID_NOT_ALLOWED',
  /** A UNZR is not `YYYYMMDD-NNNNN` with a real date. */
  INVALID_UNZR: 'INVALID_UNZR',
  /** The date part of the UNZR differs from the person's birth date. */
  UNZR_BIRTH_DATE_MISMATCH: 'UNZR_BIRTH_DATE_MISMATCH',
  /** A NATIONAL_ID document is present but the person has no UNZR. */
  UNZR_REQUIRED: 'UNZR_REQUIRED',
  /** A document type is not one of {@link DOCUMENT_TYPES}. */
  INVALID_DOCUMENT_TYPE: 'INVALID_DOCUMENT_TYPE',
  /** A document number does not match the format of its type. */
  INVALID_DOCUMENT_NUMBER: 'INVALID_DOCUMENT_NUMBER',
  /** Two documents of the same type. */
  DUPLICATE_DOCUMENT_TYPE: 'DUPLICATE_DOCUMENT_TYPE',
  /** Both a PASSPORT and a NATIONAL_ID; a person holds only one of them. */
  MULTIPLE_IDENTITY_DOCUMENTS: 'MULTIPLE_IDENTITY_DOCUMENTS',
  /** A document's issue date is after today. */
  DOCUMENT_ISSUED_IN_FUTURE: 'DOCUMENT_ISSUED_IN_FUTURE',
  /** A document's issue date is before the person's birth date. */
  DOCUMENT_ISSUED_BEFORE_BIRTH: 'DOCUMENT_ISSUED_BEFORE_BIRTH',
  /** A document type that always expires (NATIONAL_ID) lacks an expiration date. */
  EXPIRATION_DATE_REQUIRED: 'EXPIRATION_DATE_REQUIRED',
  /** A document's expiration date is before today. */
  DOCUMENT_EXPIRED: 'DOCUMENT_EXPIRED',
  /** A person under 14 needs a BIRTH_CERTIFICATE among the documents. */
  BIRTH_CERTIFICATE_REQUIRED: 'BIRTH_CERTIFICATE_REQUIRED',
  /** An address type is neither RESIDENCE nor REGISTRATION. */
  INVALID_ADDRESS_TYPE: 'INVALID_ADDRESS_TYPE',
  /** A settlement type is not CITY, TOWNSHIP, VILLAGE or SETTLEMENT. */
  INVALID_SETTLEMENT_TYPE: 'INVALID_SETTLEMENT_TYPE',
  /** A building number does not match the building format. */
  INVALID_BUILDING: 'INVALID_BUILDING',
  /** A postal code is not five digits. */
  INVALID_ZIP: 'INVALID_ZIP',
  /** The address list has no RESIDENCE address. */
  RESIDENCE_ADDRESS_REQUIRED: 'RESIDENCE_ADDRESS_REQUIRED',
  /** Two addresses of the same type. */
  DUPLICATE_ADDRESS_TYPE: 'DUPLICATE_ADDRESS_TYPE',
  /** An emergency contact has no phone. */
  EMERGENCY_CONTACT_PHONE_REQUIRED: 'EMERGENCY_CONTACT_PHONE_REQUIRED',
  /** A free-text field (issuing authority, street, apartment, ...) is longer than its limit. */
  TEXT_TOO_LONG: 'TEXT_TOO_LONG',
  /** The preferred channel of communication names a contact the person does not have (EMAIL without an e-mail, PHONE without a phone). */
  PREFERRED_CHANNEL_UNAVAILABLE: 'PREFERRED_CHANNEL_UNAVAILABLE',
} as const;

/** Union of the values of {@link ValidationCode}. */
export type ValidationCode = (typeof ValidationCode)[keyof typeof ValidationCode];

// One message per code keeps the texts consistent and lets clients that prefer their own
// wording ignore `message` entirely and key on `code`.
const MESSAGES: Record<ValidationCode, string> = {
  FIELD_REQUIRED: 'This field is required / Це поле обовʼязкове',
  INVALID_DATE: 'Invalid date, expected YYYY-MM-DD / Некоректна дата, очікується РРРР-ММ-ДД',
  INVALID_NAME:
    'Use Ukrainian letters, apostrophe, hyphen and space, up to 255 characters / Використовуйте українські літери, апостроф, дефіс і пробіл, до 255 символів',
  INVALID_PHONE: 'Phone must be +38 followed by 10 digits / Телефон має бути у форматі +38 і 10 цифр',
  INVALID_PHONE_TYPE: 'Unknown phone type / Невідомий тип телефону',
  DUPLICATE_PHONE_TYPE: 'Only one phone of each type / Лише один телефон кожного типу',
  INVALID_EMAIL: 'Invalid e-mail address / Некоректна адреса електронної пошти',
  INVALID_TAX_ID: 'Invalid RNOKPP / Некоректний РНОКПП',
  TAX_ID_BIRTH_DATE_MISMATCH: 'RNOKPP does not match the birth date / РНОКПП не відповідає даті народження',
  TAX_ID_GENDER_MISMATCH: 'RNOKPP does not match the gender / РНОКПП не відповідає статі',
  TAX_ID_REQUIRED: 'RNOKPP is required / РНОКПП обовʼязковий',
  TAX_ID_NOT_ALLOWED: 'RNOKPP must be empty when the person refused it / РНОКПП не вказується, якщо особа від нього відмовилася',
  INVALID_UNZR: 'UNZR must be YYYYMMDD-NNNNN / УНЗР має бути у форматі РРРРММДД-NNNNN',
  UNZR_BIRTH_DATE_MISMATCH: 'UNZR does not match the birth date / УНЗР не відповідає даті народження',
  UNZR_REQUIRED: 'UNZR is required for an ID card / Для ID-картки потрібен УНЗР',
  INVALID_DOCUMENT_TYPE: 'Unknown document type / Невідомий тип документа',
  INVALID_DOCUMENT_NUMBER: 'Invalid document number for this type / Некоректний номер документа для цього типу',
  DUPLICATE_DOCUMENT_TYPE: 'Only one document of each type / Лише один документ кожного типу',
  MULTIPLE_IDENTITY_DOCUMENTS: 'Only one of passport or ID card / Лише один із документів: паспорт або ID-картка',
  DOCUMENT_ISSUED_IN_FUTURE: 'Issue date is in the future / Дата видачі в майбутньому',
  DOCUMENT_ISSUED_BEFORE_BIRTH: 'Issue date is before the birth date / Дата видачі раніше дати народження',
  EXPIRATION_DATE_REQUIRED: 'Expiration date is required / Дата закінчення дії обовʼязкова',
  DOCUMENT_EXPIRED: 'The document has expired / Строк дії документа минув',
  BIRTH_CERTIFICATE_REQUIRED: 'A birth certificate is required under 14 / До 14 років потрібне свідоцтво про народження',
  INVALID_ADDRESS_TYPE: 'Unknown address type / Невідомий тип адреси',
  INVALID_SETTLEMENT_TYPE: 'Unknown settlement type / Невідомий тип населеного пункту',
  INVALID_BUILDING: 'Invalid building number / Некоректний номер будинку',
  INVALID_ZIP: 'Postal code must be 5 digits / Поштовий індекс має містити 5 цифр',
  RESIDENCE_ADDRESS_REQUIRED: 'Exactly one residence address is required / Потрібна одна адреса проживання',
  DUPLICATE_ADDRESS_TYPE: 'Only one address of each type / Лише одна адреса кожного типу',
  EMERGENCY_CONTACT_PHONE_REQUIRED: 'The emergency contact needs a phone / Контактна особа повинна мати телефон',
  TEXT_TOO_LONG: 'The text is too long / Текст задовгий',
  PREFERRED_CHANNEL_UNAVAILABLE:
    'Add this contact before choosing it as the preferred channel / Спершу додайте цей контакт, потім оберіть його способом звʼязку',
};

function userError(code: ValidationCode, field: readonly string[]): UserError {
  return { field: [...field], code, message: MESSAGES[code] };
}

/**
 * Age at which a Ukrainian gets a passport (booklet or ID card) and an RNOKPP becomes
 * expected. Statutory, unlike the configurable legal-capacity ages of the cabinet's access rules.
 */
export const PASSPORT_AGE = 14;

// ---------------------------------------------------------------------------------------------
// Dates (calendar arithmetic is @pc/calendar's)
// ---------------------------------------------------------------------------------------------

// `today` comes from server code, never from the client, so a malformed one is a bug to surface
// loudly rather than a user error.
function requireToday(today: string): void {
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function isBlank(value: string | null | undefined): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

// Upper-case letters of the Ukrainian alphabet. The range А-Щ skips Ъ and Ы; Ь, Ю, Я are listed
// to skip Э; Ё lies outside the range. Russian-only letters are a classic sign of a mistyped or
// copied-from-Russian-document value, and the register rejects them.
const UA_UPPER = 'А-ЩЬЮЯҐЄІЇ';
const UA_LOWER = 'а-щьюяґєії';

// ---------------------------------------------------------------------------------------------
// RNOKPP (tax id)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// UNZR
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Names, phones, e-mail
// ---------------------------------------------------------------------------------------------

const NAME_CHARS = new RegExp(`^[${UA_UPPER}${UA_LOWER}'ʼ\\- ]+$`, 'u');
const NAME_LETTER = new RegExp(`[${UA_UPPER}${UA_LOWER}]`, 'u');
const NAME_MAX_LENGTH = 255;

/**
 * Validates a person name (first, last or patronymic): Ukrainian letters, apostrophe (ʼ or '),
 * hyphen and space, 1 to 255 characters, at least one letter.
 *
 * @param value - the name as entered
 * @param path - path of the name field
 */
export function validateName(value: string, path: readonly string[]): UserError[] {
  const ok = typeof value === 'string' && [...value].length <= NAME_MAX_LENGTH && NAME_CHARS.test(value) && NAME_LETTER.test(value);
  return ok ? [] : [userError(ValidationCode.INVALID_NAME, path)];
}

const PHONE_NUMBER = /^\+38\d{10}$/;

/**
 * Validates one phone: a known type and a number `+38` followed by ten digits.
 *
 * @param phone - the phone as entered
 * @param path - path of the phone object; errors go to `[...path, 'type' | 'number']`
 */
export function validatePhone(phone: PhoneInput, path: readonly string[]): UserError[] {
  const errors: UserError[] = [];
  if (!isOneOf(PHONE_TYPES, phone.type)) {
    errors.push(userError(ValidationCode.INVALID_PHONE_TYPE, [...path, 'type']));
  }
  if (typeof phone.number !== 'string' || !PHONE_NUMBER.test(phone.number)) {
    errors.push(userError(ValidationCode.INVALID_PHONE, [...path, 'number']));
  }
  return errors;
}

/**
 * Validates a phone list: every phone, and each type at most once (the second and later phones
 * of a type are the ones reported).
 *
 * @param phones - the phones as entered
 * @param path - path of the list
 */
export function validatePhones(phones: readonly PhoneInput[], path: readonly string[]): UserError[] {
  const errors: UserError[] = [];
  const seen = new Set<string>();
  phones.forEach((phone, i) => {
    const at = [...path, String(i)];
    errors.push(...validatePhone(phone, at));
    if (isOneOf(PHONE_TYPES, phone.type)) {
      if (seen.has(phone.type)) errors.push(userError(ValidationCode.DUPLICATE_PHONE_TYPE, [...at, 'type']));
      seen.add(phone.type);
    }
  });
  return errors;
}

// Deliberately simpler than RFC 5322: quoted local parts and IP-literal domains are legal but
// never used by patients, and accepting them would only let typos through.
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Validates an e-mail address: `local@domain`, a dotted local part without empty segments, a
 * domain of at least two DNS labels with an alphabetic top-level label, at most 254 characters.
 *
 * @param email - the address as entered
 * @param path - path of the e-mail field
 */
export function validateEmail(email: string, path: readonly string[]): UserError[] {
  const invalid = [userError(ValidationCode.INVALID_EMAIL, path)];
  if (typeof email !== 'string' || email.length > 254) return invalid;
  const at = email.lastIndexOf('@');
  if (at < 1) return invalid;
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const tld = labels[labels.length - 1] ?? '';
  const ok =
    local.length <= 64 && EMAIL_LOCAL.test(local) && labels.length >= 2 && labels.every((label) => EMAIL_LABEL.test(label)) && /^[A-Za-z]{2,}$/.test(tld);
  return ok ? [] : invalid;
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------

// Up to four digits not starting with 0, then an optional letter (корпус-style "12А"), then an
// optional fraction "/3" for buildings on a corner of two streets.
const BUILDING = new RegExp(`^[1-9]\\d{0,3}[${UA_UPPER}${UA_LOWER}]?(?:/\\d+)?$`, 'u');

/**
 * Validates a building number: starts with 1–9, up to four digits, an optional Ukrainian letter,
 * an optional `/N` with N digits (e.g. `7`, `12А`, `105/2`, `3б/1`).
 *
 * @param building - the building number as entered
 * @param path - path of the building field
 */
export function validateBuilding(building: string, path: readonly string[]): UserError[] {
  return typeof building === 'string' && BUILDING.test(building) ? [] : [userError(ValidationCode.INVALID_BUILDING, path)];
}

/**
 * Validates a Ukrainian postal code: exactly five digits.
 *
 * @param zip - the postal code as entered
 * @param path - path of the zip field
 */
export function validateZip(zip: string, path: readonly string[]): UserError[] {
  return typeof zip === 'string' && /^\d{5}$/.test(zip) ? [] : [userError(ValidationCode.INVALID_ZIP, path)];
}

/**
 * Validates a person's full address list: known types, exactly one RESIDENCE, each type at most
 * once, a known settlement type, non-empty country / area / settlement, and the building and zip
 * formats when given. An empty string in an optional field counts as given, so blank values are
 * reported rather than stored; clients should send `null` for "none".
 *
 * @param addresses - the addresses as entered
 * @param path - path of the list
 */
export function validateAddresses(addresses: readonly AddressInput[], path: readonly string[]): UserError[] {
  const errors: UserError[] = [];
  const seen = new Set<AddressType>();

  addresses.forEach((address, i) => {
    const at = (field: keyof AddressInput): string[] => [...path, String(i), field];

    if (!isOneOf(ADDRESS_TYPES, address.type)) {
      errors.push(userError(ValidationCode.INVALID_ADDRESS_TYPE, at('type')));
    } else if (seen.has(address.type)) {
      errors.push(userError(ValidationCode.DUPLICATE_ADDRESS_TYPE, at('type')));
    } else {
      seen.add(address.type);
    }

    for (const field of ['country', 'area', 'settlement'] as const) {
      if (isBlank(address[field])) errors.push(userError(ValidationCode.FIELD_REQUIRED, at(field)));
    }
    if (!isOneOf(SETTLEMENT_TYPES, address.settlementType)) {
      errors.push(userError(ValidationCode.INVALID_SETTLEMENT_TYPE, at('settlementType')));
    }
    if (address.building != null) errors.push(...validateBuilding(address.building, at('building')));
    if (address.zip != null) errors.push(...validateZip(address.zip, at('zip')));
  });

  if (!seen.has('RESIDENCE')) errors.push(userError(ValidationCode.RESIDENCE_ADDRESS_REQUIRED, path));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Emergency contact
// ---------------------------------------------------------------------------------------------

/**
 * Validates an emergency contact: valid first and last names (patronymic when given), and a
 * non-empty phone list that passes {@link validatePhones}.
 *
 * @param contact - the contact as entered
 * @param path - path of the contact object
 */
export function validateEmergencyContact(contact: EmergencyContactInput, path: readonly string[]): UserError[] {
  const errors: UserError[] = [...validateName(contact.firstName, [...path, 'firstName']), ...validateName(contact.lastName, [...path, 'lastName'])];
  if (contact.secondName != null) errors.push(...validateName(contact.secondName, [...path, 'secondName']));
  const phonesPath = [...path, 'phones'];
  if (!Array.isArray(contact.phones) || contact.phones.length === 0) {
    errors.push(userError(ValidationCode.EMERGENCY_CONTACT_PHONE_REQUIRED, phonesPath));
  } else {
    errors.push(...validatePhones(contact.phones, phonesPath));
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Free text and contact preferences
// ---------------------------------------------------------------------------------------------

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

/** All values of {@link CommunicationChannel}. */
export const COMMUNICATION_CHANNELS = ['EMAIL', 'PHONE'] as const;
/** How the person prefers to be contacted (`preferred_way_communication`). */
export type CommunicationChannel = (typeof COMMUNICATION_CHANNELS)[number];

/**
 * The preferred channel must be one the person can be reached on: EMAIL needs an e-mail address
 * and PHONE at least one phone, both as they will be after the update (the caller merges the
 * input with the stored record first, so omitting an unchanged e-mail is not an error).
 *
 * @param contacts - the resulting channel, e-mail and phones
 * @param path - path of the preferred-channel field
 */
export function validatePreferredChannel(
  contacts: {
    preferredWayOfCommunication: CommunicationChannel | null | undefined;
    email: string | null | undefined;
    phones: readonly PhoneInput[];
  },
  path: readonly string[],
): UserError[] {
  const channel = contacts.preferredWayOfCommunication;
  const missing = (channel === 'EMAIL' && isBlank(contacts.email)) || (channel === 'PHONE' && contacts.phones.length === 0);
  return missing ? [userError(ValidationCode.PREFERRED_CHANNEL_UNAVAILABLE, path)] : [];
}
