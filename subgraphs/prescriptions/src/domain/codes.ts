import { userError, type UserError } from '@pc/errors';

/**
 * Stable codes of the prescriptions' user errors. Clients switch on them, so a value never
 * changes once released; new situations get new codes.
 */
export const PrescriptionCode = {
  /** The identity subgraph has no such person. */
  PERSON_NOT_FOUND: 'PERSON_NOT_FOUND',
  /** The person's record is not VERIFIED. */
  PERSON_NOT_VERIFIED: 'PERSON_NOT_VERIFIED',
  /** The prescriber is not an APPROVED doctor of an ACTIVE legal entity. */
  DOCTOR_NOT_ELIGIBLE: 'DOCTOR_NOT_ELIGIBLE',
  /** No such division, or not ACTIVE, or not the prescriber's legal entity's. */
  DIVISION_NOT_ELIGIBLE: 'DIVISION_NOT_ELIGIBLE',
  /** The medication is not in the catalogue. */
  MEDICATION_NOT_FOUND: 'MEDICATION_NOT_FOUND',
  /** Quantity below 1 or above the catalogue's maximum for the medication. */
  QUANTITY_INVALID: 'QUANTITY_INVALID',
  /** The dosage instruction is empty or too long. */
  DOSAGE_INSTRUCTION_INVALID: 'DOSAGE_INSTRUCTION_INVALID',
  /** validFrom is in the past or more than the allowed days ahead. */
  VALID_FROM_INVALID: 'VALID_FROM_INVALID',
  /** No such active reimbursement program. */
  PROGRAM_NOT_FOUND: 'PROGRAM_NOT_FOUND',
  /** The program does not cover this medication. */
  MEDICATION_NOT_IN_PROGRAM: 'MEDICATION_NOT_IN_PROGRAM',
  /** A reimbursed prescription needs an active declaration between the doctor and the person. */
  NO_ACTIVE_DECLARATION: 'NO_ACTIVE_DECLARATION',
  /** No such prescription (or not the caller's to change). */
  PRESCRIPTION_NOT_FOUND: 'PRESCRIPTION_NOT_FOUND',
  /** Only an ACTIVE prescription can be rejected or dispensed. */
  PRESCRIPTION_NOT_ACTIVE: 'PRESCRIPTION_NOT_ACTIVE',
  /** The prescription was already fully dispensed. */
  PRESCRIPTION_COMPLETED: 'PRESCRIPTION_COMPLETED',
  /** The prescription's validity ended. */
  PRESCRIPTION_EXPIRED: 'PRESCRIPTION_EXPIRED',
  /** The prescription's validity has not begun. */
  PRESCRIPTION_NOT_YET_VALID: 'PRESCRIPTION_NOT_YET_VALID',
  /** The verification code does not match the number. */
  VERIFICATION_CODE_INVALID: 'VERIFICATION_CODE_INVALID',
  /** Too many wrong codes in a row: the code is refused for a while, the right one too. */
  VERIFICATION_LOCKED: 'VERIFICATION_LOCKED',
  /** More than the quantity left to dispense. */
  QUANTITY_EXCEEDS_REMAINING: 'QUANTITY_EXCEEDS_REMAINING',
  /** A required text is empty. */
  REASON_REQUIRED: 'REASON_REQUIRED',
} as const;

/** One of {@link PrescriptionCode}. */
export type PrescriptionCode = (typeof PrescriptionCode)[keyof typeof PrescriptionCode];

const MESSAGES: Record<PrescriptionCode, string> = {
  PERSON_NOT_FOUND: 'No such person / Особу не знайдено',
  PERSON_NOT_VERIFIED: 'The person’s record is not verified / Дані особи не верифіковано',
  DOCTOR_NOT_ELIGIBLE: 'This doctor cannot prescribe / Цей лікар не може виписувати рецепти',
  DIVISION_NOT_ELIGIBLE: 'The division is not an active division of the doctor’s provider / Підрозділ не є чинним підрозділом закладу лікаря',
  MEDICATION_NOT_FOUND: 'No such medication in the catalogue / Лікарського засобу немає в довіднику',
  QUANTITY_INVALID: 'The quantity is out of range / Кількість поза допустимими межами',
  DOSAGE_INSTRUCTION_INVALID: 'Give a dosage instruction (up to 1000 characters) / Вкажіть спосіб застосування (до 1000 символів)',
  VALID_FROM_INVALID: 'The start date must be today or within 7 days / Дата початку має бути сьогодні або протягом 7 днів',
  PROGRAM_NOT_FOUND: 'No such reimbursement program / Програму реімбурсації не знайдено',
  MEDICATION_NOT_IN_PROGRAM: 'The program does not cover this medication / Програма не покриває цей лікарський засіб',
  NO_ACTIVE_DECLARATION: 'A reimbursed prescription needs your active declaration with the patient / Для реімбурсації потрібна чинна декларація з пацієнтом',
  PRESCRIPTION_NOT_FOUND: 'No such prescription / Рецепт не знайдено',
  PRESCRIPTION_NOT_ACTIVE: 'The prescription is not active / Рецепт не чинний',
  PRESCRIPTION_COMPLETED: 'The prescription was already dispensed / Рецепт уже погашено',
  PRESCRIPTION_EXPIRED: 'The prescription has expired / Термін дії рецепта минув',
  PRESCRIPTION_NOT_YET_VALID: 'The prescription is not valid yet / Рецепт ще не чинний',
  VERIFICATION_CODE_INVALID: 'The verification code is wrong / Невірний код підтвердження',
  VERIFICATION_LOCKED: 'Too many wrong codes; try again later / Забагато невірних кодів; спробуйте пізніше',
  QUANTITY_EXCEEDS_REMAINING: 'More than is left to dispense / Більше, ніж залишилось відпустити',
  REASON_REQUIRED: 'Give a reason / Вкажіть причину',
};

/** A user error with the standard message of its code. */
export function prescriptionError(code: PrescriptionCode, field: string[]): UserError {
  return userError(field, code, MESSAGES[code]);
}
