import { randomInt } from 'node:crypto';

/**
 * Prescription numbers, `XXXX-XXXX-XXXX` over `0123456789AEHKMPTX` (letters that look the same
 * in Latin and Cyrillic, as in declaration numbers). Random, not sequential: a pharmacist needs
 * the number and the 4-digit code, and a sequence would hand out valid numbers to guess codes
 * for. 18^12 ≈ 1.2e15 numbers, so a collision (refused by the unique index, then retried) is rare.
 */
export const PRESCRIPTION_NUMBER_ALPHABET = '0123456789AEHKMPTX';
/** Matches a well-formed number. */
export const PRESCRIPTION_NUMBER_PATTERN = /^[0-9AEHKMPTX]{4}-[0-9AEHKMPTX]{4}-[0-9AEHKMPTX]{4}$/;

/** A fresh random number. */
export function newPrescriptionNumber(random: (max: number) => number = randomInt): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += PRESCRIPTION_NUMBER_ALPHABET[random(PRESCRIPTION_NUMBER_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/**
 * The number as typed by a person: upper case, Cyrillic look-alikes (А Е Н К М Р Т Х) read as
 * their Latin twins, spaces dropped; null when it cannot be a number.
 */
export function normalisePrescriptionNumber(text: string): string | null {
  const cyrillic: Record<string, string> = { А: 'A', Е: 'E', Н: 'H', К: 'K', М: 'M', Р: 'P', Т: 'T', Х: 'X' };
  const s = text
    .trim()
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/[АЕНКМРТХ]/g, (c) => cyrillic[c]);
  return PRESCRIPTION_NUMBER_PATTERN.test(s) ? s : null;
}

/** A fresh 4-digit verification code. */
export const newVerificationCode = (random: (max: number) => number = randomInt): string => String(random(10_000)).padStart(4, '0');
