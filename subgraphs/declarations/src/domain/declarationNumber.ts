/**
 * The eHealth declaration number, `0001-XXXX-XXXX`: a database sequence value written in base 18
 * over `0123456789AEHKMPTX`. Those letters look the same in Latin and Cyrillic, so a number read
 * aloud, printed or typed on either keyboard layout stays the same number.
 */

/** The 18 digits, in order of value. */
export const DECLARATION_NUMBER_ALPHABET = '0123456789AEHKMPTX';
/** The fixed first block of every number. */
export const DECLARATION_NUMBER_PREFIX = '0001';
const BASE = BigInt(DECLARATION_NUMBER_ALPHABET.length);
const DIGITS = 8;
/** Numbers in the eight-digit space: 18^8 ≈ 1.1e10, far above the ~40 million people in Ukraine. */
export const DECLARATION_NUMBER_CAPACITY = BASE ** BigInt(DIGITS);

/** Matches a well-formed number. */
export const DECLARATION_NUMBER_PATTERN = /^0001-[0-9AEHKMPTX]{4}-[0-9AEHKMPTX]{4}$/;

/**
 * Writes a sequence value as a declaration number.
 *
 * @param value - a positive sequence value (pg returns bigint as a string, hence the union)
 * @throws RangeError when the value is not a positive integer below {@link DECLARATION_NUMBER_CAPACITY}
 */
export function formatDeclarationNumber(value: bigint | number | string): string {
  let n = BigInt(value);
  if (n <= 0n || n >= DECLARATION_NUMBER_CAPACITY) throw new RangeError(`declaration number out of range: ${value}`);
  let digits = '';
  for (let i = 0; i < DIGITS; i++) {
    digits = DECLARATION_NUMBER_ALPHABET[Number(n % BASE)] + digits;
    n /= BASE;
  }
  return `${DECLARATION_NUMBER_PREFIX}-${digits.slice(0, 4)}-${digits.slice(4)}`;
}

/**
 * The sequence value of a declaration number (the inverse of {@link formatDeclarationNumber}).
 *
 * @throws RangeError when the text is not a well-formed number
 */
export function parseDeclarationNumber(text: string): bigint {
  if (!DECLARATION_NUMBER_PATTERN.test(text)) throw new RangeError(`not a declaration number: ${text}`);
  let n = 0n;
  for (const ch of text.slice(5).replace('-', '')) n = n * BASE + BigInt(DECLARATION_NUMBER_ALPHABET.indexOf(ch));
  return n;
}
