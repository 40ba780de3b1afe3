import { userError, type UserError } from '@pc/errors';

/** Stable codes of the records' user errors (clients switch on them; a value never changes once released). */
export const RecordsCode = {
  /** The identity subgraph has no such person. */
  PERSON_NOT_FOUND: 'PERSON_NOT_FOUND',
  /** The author is not an APPROVED doctor of an ACTIVE legal entity. */
  DOCTOR_NOT_ELIGIBLE: 'DOCTOR_NOT_ELIGIBLE',
  /** No such division, or not ACTIVE, or not the doctor's legal entity's. */
  DIVISION_NOT_ELIGIBLE: 'DIVISION_NOT_ELIGIBLE',
  /** Not a date/instant, in the future, or before 1900. */
  DATE_INVALID: 'DATE_INVALID',
  /** An encounter class other than AMB, PHC, HOME, EMER, VR. */
  CLASS_INVALID: 'CLASS_INVALID',
  /** A code not in the shipped list of its system, or a system not allowed here. */
  CODE_NOT_FOUND: 'CODE_NOT_FOUND',
  /** A status not allowed on input (ENTERED_IN_ERROR is set only by markEnteredInError). */
  STATUS_INVALID: 'STATUS_INVALID',
  /** A diagnosis that began after the visit. */
  ONSET_AFTER_ENCOUNTER: 'ONSET_AFTER_ENCOUNTER',
  /** Too many reasons, diagnoses or observations, or the same one twice. */
  LIST_INVALID: 'LIST_INVALID',
  /** No such service in the catalogue. */
  SERVICE_NOT_FOUND: 'SERVICE_NOT_FOUND',
  /** A test that is not one of the service's, or a laboratory report without results. */
  OBSERVATION_INVALID: 'OBSERVATION_INVALID',
  /** A unit other than the catalogue's unit for the test. */
  UNIT_INVALID: 'UNIT_INVALID',
  /** Not a number for a quantitative test, not one of the allowed values for a qualitative one. */
  VALUE_INVALID: 'VALUE_INVALID',
  /** A conclusion longer than 4000 characters. */
  CONCLUSION_INVALID: 'CONCLUSION_INVALID',
  /** No condition, report or encounter with this id recorded by the caller. */
  RECORD_NOT_FOUND: 'RECORD_NOT_FOUND',
  /** Already marked entered in error. */
  ALREADY_ENTERED_IN_ERROR: 'ALREADY_ENTERED_IN_ERROR',
} as const;

/** A records user error code. */
export type RecordsCode = (typeof RecordsCode)[keyof typeof RecordsCode];

const MESSAGES: Record<RecordsCode, string> = {
  PERSON_NOT_FOUND: 'No such person / Особу не знайдено',
  DOCTOR_NOT_ELIGIBLE: 'The doctor may not record medical data / Лікар не може вносити медичні дані',
  DIVISION_NOT_ELIGIBLE: 'The division is not the doctor’s active division / Підрозділ не є активним підрозділом лікаря',
  DATE_INVALID: 'The date is invalid or in the future / Дата некоректна або в майбутньому',
  CLASS_INVALID: 'Unknown encounter class / Невідомий тип взаємодії',
  CODE_NOT_FOUND: 'The code is not in the code list / Коду немає в довіднику',
  STATUS_INVALID: 'This status may not be set here / Цей статус тут не можна встановити',
  ONSET_AFTER_ENCOUNTER: 'The onset is after the visit / Початок пізніше за дату візиту',
  LIST_INVALID: 'Too many items or a duplicate / Забагато елементів або дублікат',
  SERVICE_NOT_FOUND: 'The service is not in the catalogue / Послуги немає в каталозі',
  OBSERVATION_INVALID: 'The test is not part of this service / Показник не належить до послуги',
  UNIT_INVALID: 'The unit is not the catalogue’s / Одиниця не відповідає каталогу',
  VALUE_INVALID: 'The value is not valid for this test / Некоректне значення показника',
  CONCLUSION_INVALID: 'The conclusion is too long / Висновок задовгий',
  RECORD_NOT_FOUND: 'No such record of yours / Запис не знайдено',
  ALREADY_ENTERED_IN_ERROR: 'Already marked entered in error / Вже позначено як помилковий',
};

/** The user error of `code` at `field`. */
export const recordsError = (code: RecordsCode, field: string[]): UserError => userError(field, code, MESSAGES[code]);
