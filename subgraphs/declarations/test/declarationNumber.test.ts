import fc from 'fast-check';
import { DECLARATION_NUMBER_CAPACITY, DECLARATION_NUMBER_PATTERN, formatDeclarationNumber, parseDeclarationNumber } from '../src/domain/declarationNumber';

describe('declaration number', () => {
  it('writes sequence values in base 18 over 0123456789AEHKMPTX, as 0001-XXXX-XXXX', () => {
    expect(formatDeclarationNumber(1)).toBe('0001-0000-0001');
    expect(formatDeclarationNumber(17)).toBe('0001-0000-000X');
    expect(formatDeclarationNumber(18)).toBe('0001-0000-0010');
    expect(formatDeclarationNumber(18 ** 4)).toBe('0001-0001-0000');
    expect(formatDeclarationNumber('123456789')).toBe('0001-03E6-0P89'); // pg returns bigint as a string
    expect(formatDeclarationNumber(DECLARATION_NUMBER_CAPACITY - 1n)).toBe('0001-XXXX-XXXX');
  });

  it('refuses values outside the eight-digit space', () => {
    expect(() => formatDeclarationNumber(0)).toThrow(RangeError);
    expect(() => formatDeclarationNumber(DECLARATION_NUMBER_CAPACITY)).toThrow(RangeError);
  });

  it('round-trips and keeps the format for every value (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: DECLARATION_NUMBER_CAPACITY - 1n }), (n) => {
        const text = formatDeclarationNumber(n);
        return DECLARATION_NUMBER_PATTERN.test(text) && parseDeclarationNumber(text) === n;
      }),
    );
  });

  it('uses only letters that read the same in Latin and Cyrillic', () => {
    expect(formatDeclarationNumber(DECLARATION_NUMBER_CAPACITY - 1n).replace(/[-0-9]/g, '')).toMatch(/^[AEHKMPTX]+$/);
    expect(() => parseDeclarationNumber('0001-000B-0000')).toThrow(RangeError);
  });
});
