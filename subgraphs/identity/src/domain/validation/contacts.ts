/**
 * Contacts: phones, e-mail, the preferred channel and the emergency contact.
 *
 * @packageDocumentation
 */
import type { UserError } from '@pc/errors';
import { userError, ValidationCode } from './codes';
import { isBlank, isOneOf } from './common';
import { validateName } from './names';
import { PHONE_TYPES, type CommunicationChannel, type EmergencyContactInput, type PhoneInput } from './types';

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
