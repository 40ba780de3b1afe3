import { userError, type UserError } from '@pc/errors';

/**
 * Stable codes of the declarations' user errors. Clients switch on them, so a value never
 * changes once released; new situations get new codes.
 */
export const DeclarationCode = {
  /** The directory has no such doctor. */
  DOCTOR_NOT_FOUND: 'DOCTOR_NOT_FOUND',
  /** The doctor is not APPROVED or has no speciality that may hold declarations. */
  DOCTOR_NOT_ELIGIBLE: 'DOCTOR_NOT_ELIGIBLE',
  /** The doctor's employer is not ACTIVE. */
  LEGAL_ENTITY_NOT_ACTIVE: 'LEGAL_ENTITY_NOT_ACTIVE',
  /** The doctor's employer is not a primary-care provider (PRIMARY_CARE or MSP). */
  LEGAL_ENTITY_TYPE_NOT_ALLOWED: 'LEGAL_ENTITY_TYPE_NOT_ALLOWED',
  /** The directory has no such division. */
  DIVISION_NOT_FOUND: 'DIVISION_NOT_FOUND',
  /** The division is not ACTIVE. */
  DIVISION_NOT_ACTIVE: 'DIVISION_NOT_ACTIVE',
  /** The division belongs to another legal entity than the doctor's employer. */
  DIVISION_NOT_IN_LEGAL_ENTITY: 'DIVISION_NOT_IN_LEGAL_ENTITY',
  /** The speciality does not fit the person's age (THERAPIST 18+, PEDIATRICIAN under 18). */
  AGE_RULE: 'AGE_RULE',
  /** The person's record is NOT_VERIFIED, which blocks new declarations. */
  PERSON_NOT_VERIFIED: 'PERSON_NOT_VERIFIED',
  /** The person may not sign up alone (a minor without a capacity document, a represented adult). */
  PERSON_NO_CAPACITY: 'PERSON_NO_CAPACITY',
  /** The identity subgraph has no such person. */
  PERSON_NOT_FOUND: 'PERSON_NOT_FOUND',
  /** The doctor's list is full: declarations held plus approved requests reached the limit. */
  DOCTOR_LIMIT_REACHED: 'DOCTOR_LIMIT_REACHED',
  /** No such declaration request. */
  REQUEST_NOT_FOUND: 'REQUEST_NOT_FOUND',
  /** Only an APPROVED request can be signed. */
  REQUEST_NOT_APPROVED: 'REQUEST_NOT_APPROVED',
  /** The request outlived its expiry without a signature. */
  REQUEST_EXPIRED: 'REQUEST_EXPIRED',
  /** The request is already SIGNED, REJECTED, CANCELLED or EXPIRED. */
  REQUEST_NOT_OPEN: 'REQUEST_NOT_OPEN',
  /** No such declaration. */
  DECLARATION_NOT_FOUND: 'DECLARATION_NOT_FOUND',
  /** Only an ACTIVE or PENDING_VERIFICATION declaration can be terminated. */
  DECLARATION_NOT_ACTIVE: 'DECLARATION_NOT_ACTIVE',
  /** A patient ends a declaration only with reason manual_person. */
  INVALID_TERMINATION_REASON: 'INVALID_TERMINATION_REASON',
  /** A required text is empty. */
  REASON_REQUIRED: 'REASON_REQUIRED',
} as const;

/** One of {@link DeclarationCode}. */
export type DeclarationCode = (typeof DeclarationCode)[keyof typeof DeclarationCode];

const MESSAGES: Record<DeclarationCode, string> = {
  DOCTOR_NOT_FOUND: 'No such doctor / Лікаря не знайдено',
  DOCTOR_NOT_ELIGIBLE: 'This doctor cannot accept declarations / Цей лікар не може приймати декларації',
  LEGAL_ENTITY_NOT_ACTIVE: 'The medical provider is not active / Медичний заклад не активний',
  LEGAL_ENTITY_TYPE_NOT_ALLOWED: 'The medical provider does not offer primary care / Заклад не надає первинну допомогу',
  DIVISION_NOT_FOUND: 'No such division / Підрозділ не знайдено',
  DIVISION_NOT_ACTIVE: 'The division is not active / Підрозділ не активний',
  DIVISION_NOT_IN_LEGAL_ENTITY: 'The division does not belong to the doctor’s provider / Підрозділ не належить закладу лікаря',
  AGE_RULE: 'The doctor’s speciality does not fit the patient’s age / Спеціальність лікаря не відповідає віку пацієнта',
  PERSON_NOT_VERIFIED: 'The person’s record failed verification / Дані особи не пройшли верифікацію',
  PERSON_NO_CAPACITY: 'The person may not sign a declaration alone / Особа не може самостійно подати декларацію',
  PERSON_NOT_FOUND: 'No such person / Особу не знайдено',
  DOCTOR_LIMIT_REACHED: 'The doctor’s list is full / Лікар досяг ліміту декларацій',
  REQUEST_NOT_FOUND: 'No such declaration request / Запит на декларацію не знайдено',
  REQUEST_NOT_APPROVED: 'Only an approved request can be signed / Підписати можна лише підтверджений запит',
  REQUEST_EXPIRED: 'The request has expired / Термін дії запиту минув',
  REQUEST_NOT_OPEN: 'The request is already closed / Запит уже закрито',
  DECLARATION_NOT_FOUND: 'No such declaration / Декларацію не знайдено',
  DECLARATION_NOT_ACTIVE: 'Only an active declaration can be terminated / Розірвати можна лише чинну декларацію',
  INVALID_TERMINATION_REASON: 'The reason must be manual_person / Причина має бути manual_person',
  REASON_REQUIRED: 'Give a reason / Вкажіть причину',
};

/** A user error with the standard message of its code. */
export function declarationError(code: DeclarationCode, field: string[]): UserError {
  return userError(field, code, MESSAGES[code]);
}
