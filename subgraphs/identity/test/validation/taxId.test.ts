/**
 * Property tests of the identity validators of RNOKPP (tax id): generators build values that are valid by
 * construction, and single targeted mutations of them must be rejected with the expected code
 * and field path.
 */
import fc from 'fast-check';
import {
  type Gender,
  rnokppBirthDate,
  rnokppCheckDigit,
  rnokppGender,
  ValidationCode,
  validateTaxId,
  validateTaxIdPresence,
} from '../../src/domain/validation';
import {
  TODAY,
  FOURTEEN_YEARS_AGO,
  codes,
  addDays,
  digitString,
  birthDateArb,
  makeRnokpp,
  rnokppArb,
  adultBirthDateArb,
  minorBirthDateArb,
} from './arbitraries';

describe('RNOKPP', () => {
  const path = ['input', 'taxId'];

  it('accepts a known real-shaped number and decodes it', () => {
    expect(rnokppCheckDigit('318471069')).toBe(1);
    expect(rnokppBirthDate('3184710691')).toBe('1987-03-12');
    expect(rnokppGender('3184710691')).toBe('MALE');
    expect(validateTaxId('3184710691', { birthDate: '1987-03-12', gender: 'MALE' }, path)).toEqual([]);
  });

  it('treats a negative weighted sum with a non-negative modulo', () => {
    // Only the first weight is negative: 1·(−1) = −1 ≡ 10 (mod 11), folded to 0.
    expect(rnokppCheckDigit('100000000')).toBe(0);
    expect(validateTaxId('1000000000', {}, path)).toEqual([]);
  });

  it('rejects malformed numbers with INVALID_TAX_ID only', () => {
    for (const bad of ['', '318471069', '31847106911', '318471069a', '0000000000', ' 3184710691']) {
      expect(validateTaxId(bad, { birthDate: '1987-03-12', gender: 'MALE' }, path)).toEqual([
        { field: path, code: ValidationCode.INVALID_TAX_ID, message: expect.stringContaining(' / ') },
      ]);
    }
    expect(() => rnokppCheckDigit('12345678')).toThrow(RangeError);
  });

  it('accepts every number built for a birth date and gender, and decodes them back', () => {
    fc.assert(
      fc.property(rnokppArb, ({ taxId, birthDate, gender }) => {
        expect(validateTaxId(taxId, { birthDate, gender }, path)).toEqual([]);
        expect(rnokppBirthDate(taxId)).toBe(birthDate);
        expect(rnokppGender(taxId)).toBe(gender);
      }),
    );
  });

  it('has exactly one valid check digit for every nine-digit prefix', () => {
    fc.assert(
      fc.property(
        digitString(9, 9).filter((p) => p !== '000000000'),
        (first9) => {
          const valid = [...'0123456789'].filter((d) => validateTaxId(`${first9}${d}`, {}, path).length === 0);
          expect(valid).toEqual([String(rnokppCheckDigit(first9))]);
        },
      ),
    );
  });

  it('rejects a changed check digit with INVALID_TAX_ID', () => {
    fc.assert(
      fc.property(rnokppArb, fc.integer({ min: 1, max: 9 }), ({ taxId, birthDate, gender }, shift) => {
        const mutated = taxId.slice(0, 9) + String((Number(taxId[9]) + shift) % 10);
        expect(codes(validateTaxId(mutated, { birthDate, gender }, path))).toEqual([ValidationCode.INVALID_TAX_ID]);
      }),
    );
  });

  it('reports a date part that disagrees with the birth date', () => {
    fc.assert(
      fc.property(rnokppArb, birthDateArb, ({ taxId, birthDate, gender }, otherDate) => {
        fc.pre(otherDate !== birthDate);
        expect(validateTaxId(taxId, { birthDate: otherDate, gender }, path)).toEqual([
          expect.objectContaining({ field: path, code: ValidationCode.TAX_ID_BIRTH_DATE_MISMATCH }),
        ]);
      }),
    );
  });

  it('reports a gender digit of the other gender', () => {
    fc.assert(
      fc.property(rnokppArb, ({ taxId, birthDate, gender, serial, seed }) => {
        const other: Gender = gender === 'MALE' ? 'FEMALE' : 'MALE';
        expect(codes(validateTaxId(taxId, { birthDate, gender: other }, path))).toEqual([ValidationCode.TAX_ID_GENDER_MISMATCH]);
        // Same person, but the number was issued with the other parity (and a matching checksum).
        const flipped = makeRnokpp(birthDate, serial, other, seed);
        expect(codes(validateTaxId(flipped, { birthDate, gender }, path))).toEqual([ValidationCode.TAX_ID_GENDER_MISMATCH]);
      }),
    );
  });

  it('skips comparisons it has no data for', () => {
    expect(validateTaxId('3184710691', { birthDate: 'unknown', gender: null }, path)).toEqual([]);
  });
});

describe('validateTaxIdPresence', () => {
  const path = ['input'];
  const field = ['input', 'taxId'];

  it('forbids a tax id when the person refused one', () => {
    expect(validateTaxIdPresence({ taxId: '3184710691', noTaxId: true, birthDate: '1987-03-12', today: TODAY }, path)).toEqual([
      expect.objectContaining({ field, code: ValidationCode.TAX_ID_NOT_ALLOWED }),
    ]);
    expect(validateTaxIdPresence({ taxId: null, noTaxId: true, birthDate: '1987-03-12', today: TODAY }, path)).toEqual([]);
  });

  it('requires a tax id from 14 unless refused', () => {
    fc.assert(
      fc.property(adultBirthDateArb, fc.constantFrom(null, undefined, '', '  '), (birthDate, taxId) => {
        expect(validateTaxIdPresence({ taxId, noTaxId: false, birthDate, today: TODAY }, path)).toEqual([
          expect.objectContaining({ field, code: ValidationCode.TAX_ID_REQUIRED }),
        ]);
        expect(validateTaxIdPresence({ taxId, noTaxId: true, birthDate, today: TODAY }, path)).toEqual([]);
      }),
    );
  });

  it('does not require a tax id under 14', () => {
    fc.assert(
      fc.property(minorBirthDateArb, (birthDate) => {
        expect(validateTaxIdPresence({ taxId: null, birthDate, today: TODAY }, path)).toEqual([]);
      }),
    );
  });

  it('switches on the fourteenth birthday', () => {
    const input = { taxId: null, birthDate: FOURTEEN_YEARS_AGO };
    expect(validateTaxIdPresence({ ...input, today: addDays(TODAY, -1) }, path)).toEqual([]);
    expect(codes(validateTaxIdPresence({ ...input, today: TODAY }, path))).toEqual([ValidationCode.TAX_ID_REQUIRED]);
  });

  it('throws on a malformed today, which is a server bug', () => {
    expect(() => validateTaxIdPresence({ taxId: null, birthDate: '1987-03-12', today: '2025-6-15' }, path)).toThrow(RangeError);
  });
});
