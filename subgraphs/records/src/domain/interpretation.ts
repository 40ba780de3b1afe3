/** How a value reads against its test's reference: what the laboratory's value means. */
export type Interpretation = 'LOW' | 'NORMAL' | 'HIGH' | 'ABNORMAL';

/** A test's reference: a numeric range, or the normal qualitative value. */
export interface Reference {
  low: number | null;
  high: number | null;
  text: string | null;
}

/** A quantitative value as issued: an optional sign, digits, an optional decimal point or comma. */
const NUMBER = /^-?\d{1,9}([.,]\d{1,6})?$/;

/** The number a quantitative value holds (a decimal comma, as Ukrainian laboratories write it, is accepted); null otherwise. */
export function numericValue(value: string): number | null {
  const v = value.trim();
  return NUMBER.test(v) ? Number(v.replace(',', '.')) : null;
}

/** LOW / HIGH outside the range (bounds are normal), NORMAL inside; a qualitative value is NORMAL when it is the normal one, ABNORMAL otherwise. */
export function interpret(value: string, ref: Reference): Interpretation | null {
  if (ref.low === null && ref.high === null) {
    if (ref.text === null) return null;
    return value.trim().toLowerCase() === ref.text.toLowerCase() ? 'NORMAL' : 'ABNORMAL';
  }
  const n = numericValue(value);
  if (n === null) return null;
  if (ref.low !== null && n < ref.low) return 'LOW';
  if (ref.high !== null && n > ref.high) return 'HIGH';
  return 'NORMAL';
}
