import fc from 'fast-check';
import { PrescriptionCode } from '../src/domain/codes';
import { encodeSortKeyCursor, readSortKeyCursor } from '@pc/graphql-kit';
import {
  PRESCRIPTION_NUMBER_ALPHABET,
  PRESCRIPTION_NUMBER_PATTERN,
  newPrescriptionNumber,
  newVerificationCode,
  normalisePrescriptionNumber,
} from '../src/domain/prescriptionNumber';
import { dispensable } from '../src/services/DispenseService';

const LATIN_TO_CYRILLIC: Record<string, string> = { A: 'А', E: 'Е', H: 'Н', K: 'К', M: 'М', P: 'Р', T: 'Т', X: 'Х' };

describe('prescription numbers and codes', () => {
  it('draws well-formed numbers and 4-digit codes', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), (draws) => {
        let i = 0;
        const number = newPrescriptionNumber((max) => draws[i++] % max);
        expect(number).toMatch(PRESCRIPTION_NUMBER_PATTERN);
        expect(newVerificationCode((max) => draws[0] % max)).toMatch(/^\d{4}$/);
      }),
    );
    expect(newPrescriptionNumber(() => PRESCRIPTION_NUMBER_ALPHABET.length - 1)).toBe('XXXX-XXXX-XXXX');
  });

  it('reads a number as a person types it: lower case, Cyrillic look-alikes, spaces; refuses anything else', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(17), { minLength: 12, maxLength: 12 }), fc.boolean(), (digits, cyrillic) => {
        let i = 0;
        const number = newPrescriptionNumber(() => digits[i++]);
        let typed = number.toLowerCase();
        if (cyrillic) typed = number.replace(/[AEHKMPTX]/g, (c) => LATIN_TO_CYRILLIC[c]).toLowerCase();
        expect(normalisePrescriptionNumber(` ${typed.replace('-', ' - ')} `)).toBe(number);
      }),
    );
    for (const bad of ['', '0000-0000-000', '0000-0000-0000-0000', 'BBBB-0000-0000', '0000_0000_0000']) expect(normalisePrescriptionNumber(bad)).toBeNull();
  });

  it('cursors round-trip and refuse another list’s or tampered ones', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const id = '0b5c6a3e-1f2d-4c8b-9a7e-3d2f1e0c9b8a';
    const cursor = encodeSortKeyCursor('prescriptions', at, id);
    expect(readSortKeyCursor(cursor, 'prescriptions')).toEqual({ at: at.toISOString(), id });
    expect(() => readSortKeyCursor(cursor, 'encounters')).toThrow();
    for (const bad of ['', 'v1.', 'v2.abc', cursor.slice(0, -2)]) expect(() => readSortKeyCursor(bad, 'prescriptions')).toThrow();
  });
});

describe('what may be dispensed', () => {
  const day = '2026-03-10';
  const row = { status: 'ACTIVE' as const, validFrom: '2026-03-01', validTo: '2026-03-30', quantity: 3, dispensedQuantity: 1 };
  it.each([
    ['what is left', row, 2, null],
    ['on the first day', { ...row, validFrom: day }, 1, null],
    ['on the last day', { ...row, validTo: day }, 1, null],
    ['more than is left', row, 3, PrescriptionCode.QUANTITY_EXCEEDS_REMAINING],
    ['the day after the last', { ...row, validTo: '2026-03-09' }, 1, PrescriptionCode.PRESCRIPTION_EXPIRED],
    ['before the first day', { ...row, validFrom: '2026-03-11' }, 1, PrescriptionCode.PRESCRIPTION_NOT_YET_VALID],
    ['a completed one', { ...row, status: 'COMPLETED' as const, dispensedQuantity: 3 }, 1, PrescriptionCode.PRESCRIPTION_COMPLETED],
    ['an expired one', { ...row, status: 'EXPIRED' as const }, 1, PrescriptionCode.PRESCRIPTION_EXPIRED],
    ['a rejected one', { ...row, status: 'REJECTED' as const }, 1, PrescriptionCode.PRESCRIPTION_NOT_ACTIVE],
  ])('%s', (_what, r, quantity, code) => {
    expect(dispensable(r, day, quantity)?.code ?? null).toBe(code);
  });
});
