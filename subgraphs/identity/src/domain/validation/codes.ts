/**
 * Codes and messages of validation user errors.
 *
 * @packageDocumentation
 */
// One problem with a mutation input, returned in a payload's `userErrors`: the shared shape of
// `@pc/errors` (`field` is the path into the mutation arguments, `code` one of
// {@link ValidationCode}, `message` English text followed by Ukrainian after " / ").
import type { UserError } from '@pc/errors';

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

/** The user error of `code` on `field`, with the code's message. */
export function userError(code: ValidationCode, field: readonly string[]): UserError {
  return { field: [...field], code, message: MESSAGES[code] };
}
