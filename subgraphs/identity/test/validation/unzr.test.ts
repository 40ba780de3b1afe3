/**
 * Property tests of the identity validators of UNZR: generators build values that are valid by
 * construction, and single targeted mutations of them must be rejected with the expected code
 * and field path.
 */
import fc from 'fast-check';
import { ValidationCode, validateUnzr, validateUnzrRequired } from '../../src/domain/validation';
import { codes, digitString, birthDateArb, unzrFor, passportOn, nationalIdOn } from './arbitraries';

describe('UNZR', () => {
  const path = ['input', 'unzr'];

  it('accepts the birth date followed by five digits', () => {
    fc.assert(
      fc.property(birthDateArb, digitString(5, 5), (birthDate, tail) => {
        expect(validateUnzr(unzrFor(birthDate, tail), birthDate, path)).toEqual([]);
      }),
    );
  });

  it('reports a date prefix other than the birth date', () => {
    fc.assert(
      fc.property(birthDateArb, birthDateArb, digitString(5, 5), (birthDate, other, tail) => {
        fc.pre(other !== birthDate);
        expect(validateUnzr(unzrFor(other, tail), birthDate, path)).toEqual([
          expect.objectContaining({ field: path, code: ValidationCode.UNZR_BIRTH_DATE_MISMATCH }),
        ]);
      }),
    );
  });

  it('rejects a wrong shape or an impossible date', () => {
    fc.assert(
      fc.property(
        birthDateArb,
        digitString(0, 8).filter((t) => t.length !== 5),
        (birthDate, tail) => {
          expect(codes(validateUnzr(unzrFor(birthDate, tail), birthDate, path))).toEqual([ValidationCode.INVALID_UNZR]);
        },
      ),
    );
    for (const bad of ['19870312_12345', '1987031212345', '19871332-12345', '19870230-12345', '']) {
      expect(codes(validateUnzr(bad, null, path))).toEqual([ValidationCode.INVALID_UNZR]);
    }
  });

  it('is required when a NATIONAL_ID is among the documents', () => {
    const docs = [passportOn('2010-01-01'), nationalIdOn('2020-01-01', '2030-01-01')];
    expect(validateUnzrRequired(docs, null, ['input', 'documents'])).toEqual([
      expect.objectContaining({ field: ['input', 'documents', '1', 'type'], code: ValidationCode.UNZR_REQUIRED }),
    ]);
    expect(validateUnzrRequired(docs, '19870312-01234', ['input', 'documents'])).toEqual([]);
    expect(validateUnzrRequired([passportOn('2010-01-01')], undefined, ['input', 'documents'])).toEqual([]);
  });
});
