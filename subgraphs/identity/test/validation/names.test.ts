/**
 * Property tests of the identity validators of person names: generators build values that are valid by
 * construction, and single targeted mutations of them must be rejected with the expected code
 * and field path.
 */
import fc from 'fast-check';
import { validateName, ValidationCode } from '../../src/domain/validation';
import { codes, RUSSIAN_ONLY, insertAt, nameArb } from './arbitraries';

describe('validateName', () => {
  const path = ['input', 'emergencyContact', 'firstName'];

  it('accepts Ukrainian names', () => {
    for (const name of ['Олександр', "Мар'яна", 'Марʼяна', 'Ковальчук-Шевченко', 'Ґудзь', 'Їжакевич', 'де Ла Рош', 'Є']) {
      expect(validateName(name, path)).toEqual([]);
    }
  });

  it('accepts any name built from the Ukrainian alphabet and separators', () => {
    fc.assert(fc.property(nameArb, (name) => expect(validateName(name, path)).toEqual([])));
  });

  it('rejects a Russian-only letter anywhere', () => {
    fc.assert(
      fc.property(nameArb, fc.constantFrom(...RUSSIAN_ONLY), fc.nat(), (name, letter, at) => {
        expect(validateName(insertAt(name, at, letter), path)).toEqual([expect.objectContaining({ field: path, code: ValidationCode.INVALID_NAME })]);
      }),
    );
  });

  it('rejects Latin letters, digits and other punctuation', () => {
    fc.assert(
      fc.property(nameArb, fc.constantFrom(...'AaIiOo0.,_’"'), fc.nat(), (name, c, at) => {
        expect(codes(validateName(insertAt(name, at, c), path))).toEqual([ValidationCode.INVALID_NAME]);
      }),
    );
  });

  it('requires a letter and at most 255 characters', () => {
    for (const bad of ['', ' ', '-', "'", 'ʼ - ', 'Я'.repeat(256)]) {
      expect(codes(validateName(bad, path))).toEqual([ValidationCode.INVALID_NAME]);
    }
    expect(validateName('Я'.repeat(255), path)).toEqual([]);
  });
});
