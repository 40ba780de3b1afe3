/**
 * Property tests of the identity validators of addresses: generators build values that are valid by
 * construction, and single targeted mutations of them must be rejected with the expected code
 * and field path.
 */
import fc from 'fast-check';
import {
  ADDRESS_TYPES,
  type AddressInput,
  type SettlementType,
  validateAddresses,
  validateBuilding,
  ValidationCode,
  validateZip,
} from '../../src/domain/validation';
import { codes, digitString, buildingArb, zipArb, addressArb } from './arbitraries';

describe('addresses', () => {
  const path = ['input', 'addresses'];

  it('accepts generated building numbers', () => {
    fc.assert(fc.property(buildingArb, (b) => expect(validateBuilding(b, path)).toEqual([])));
    for (const b of ['1', '12А', '105/2', '3б/1', '9999']) expect(validateBuilding(b, path)).toEqual([]);
  });

  it('rejects mutated building numbers', () => {
    fc.assert(
      fc.property(buildingArb, fc.constantFrom('leadingZero', 'fiveDigits', 'latin', 'russian', 'emptyFraction'), (b, how) => {
        const digits = b.match(/^\d+/)?.[0] ?? '';
        const rest = b.slice(digits.length);
        const mutated = {
          leadingZero: `0${b}`,
          fiveDigits: `${digits.padEnd(5, '1')}${rest}`,
          latin: `${digits}A${rest.replace(/^[^/]/, '')}`,
          russian: `${digits}Ы${rest.replace(/^[^/]/, '')}`,
          emptyFraction: `${b.split('/')[0]}/`,
        }[how];
        expect(codes(validateBuilding(mutated, path))).toEqual([ValidationCode.INVALID_BUILDING]);
      }),
    );
  });

  it('accepts five-digit zips only', () => {
    fc.assert(fc.property(zipArb, (zip) => expect(validateZip(zip, path)).toEqual([])));
    fc.assert(
      fc.property(
        digitString(0, 8).filter((z) => z.length !== 5),
        (zip) => {
          expect(codes(validateZip(zip, path))).toEqual([ValidationCode.INVALID_ZIP]);
        },
      ),
    );
    expect(codes(validateZip('0100A', path))).toEqual([ValidationCode.INVALID_ZIP]);
  });

  it('accepts one RESIDENCE with an optional REGISTRATION, in any order', () => {
    const listArb = fc.tuple(addressArb('RESIDENCE'), fc.option(addressArb('REGISTRATION'), { nil: null })).chain(([r, g]) => {
      const list = g ? [r, g] : [r];
      return fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length });
    });
    fc.assert(fc.property(listArb, (list) => expect(validateAddresses(list, path)).toEqual([])));
  });

  it('reports a second RESIDENCE', () => {
    fc.assert(
      fc.property(addressArb('RESIDENCE'), addressArb('RESIDENCE'), (a, b) => {
        expect(validateAddresses([a, b], path)).toEqual([
          expect.objectContaining({ field: [...path, '1', 'type'], code: ValidationCode.DUPLICATE_ADDRESS_TYPE }),
        ]);
      }),
    );
  });

  it('requires a RESIDENCE', () => {
    fc.assert(
      fc.property(addressArb('REGISTRATION'), (g) => {
        expect(validateAddresses([g], path)).toEqual([expect.objectContaining({ field: path, code: ValidationCode.RESIDENCE_ADDRESS_REQUIRED })]);
      }),
    );
    expect(codes(validateAddresses([], path))).toEqual([ValidationCode.RESIDENCE_ADDRESS_REQUIRED]);
  });

  it('checks the fields of each address', () => {
    const bad: AddressInput = {
      type: 'RESIDENCE',
      country: 'UA',
      area: ' ',
      settlement: '',
      settlementType: 'TOWN' as string as SettlementType,
      building: '0',
      zip: '1234',
    };
    expect(validateAddresses([bad], path)).toEqual([
      expect.objectContaining({ field: [...path, '0', 'area'], code: ValidationCode.FIELD_REQUIRED }),
      expect.objectContaining({ field: [...path, '0', 'settlement'], code: ValidationCode.FIELD_REQUIRED }),
      expect.objectContaining({ field: [...path, '0', 'settlementType'], code: ValidationCode.INVALID_SETTLEMENT_TYPE }),
      expect.objectContaining({ field: [...path, '0', 'building'], code: ValidationCode.INVALID_BUILDING }),
      expect.objectContaining({ field: [...path, '0', 'zip'], code: ValidationCode.INVALID_ZIP }),
    ]);
    const unknownType = { ...bad, type: 'WORK' as string as AddressInput['type'] };
    expect(codes(validateAddresses([unknownType], path))).toContain(ValidationCode.INVALID_ADDRESS_TYPE);
    expect(ADDRESS_TYPES).toEqual(['RESIDENCE', 'REGISTRATION']);
  });
});
