/**
 * Addresses: building numbers, postal codes and the rules of a person's address list.
 *
 * @packageDocumentation
 */
import type { UserError } from '@pc/errors';
import { userError, ValidationCode } from './codes';
import { isBlank, isOneOf, UA_LOWER, UA_UPPER } from './common';
import { ADDRESS_TYPES, SETTLEMENT_TYPES, type AddressInput, type AddressType } from './types';

// Up to four digits not starting with 0, then an optional letter (корпус-style "12А"), then an
// optional fraction "/3" for buildings on a corner of two streets.
const BUILDING = new RegExp(`^[1-9]\\d{0,3}[${UA_UPPER}${UA_LOWER}]?(?:/\\d+)?$`, 'u');

/**
 * Validates a building number: starts with 1–9, up to four digits, an optional Ukrainian letter,
 * an optional `/N` with N digits (e.g. `7`, `12А`, `105/2`, `3б/1`).
 *
 * @param building - the building number as entered
 * @param path - path of the building field
 */
export function validateBuilding(building: string, path: readonly string[]): UserError[] {
  return typeof building === 'string' && BUILDING.test(building) ? [] : [userError(ValidationCode.INVALID_BUILDING, path)];
}

/**
 * Validates a Ukrainian postal code: exactly five digits.
 *
 * @param zip - the postal code as entered
 * @param path - path of the zip field
 */
export function validateZip(zip: string, path: readonly string[]): UserError[] {
  return typeof zip === 'string' && /^\d{5}$/.test(zip) ? [] : [userError(ValidationCode.INVALID_ZIP, path)];
}

/**
 * Validates a person's full address list: known types, exactly one RESIDENCE, each type at most
 * once, a known settlement type, non-empty country / area / settlement, and the building and zip
 * formats when given. An empty string in an optional field counts as given, so blank values are
 * reported rather than stored; clients should send `null` for "none".
 *
 * @param addresses - the addresses as entered
 * @param path - path of the list
 */
export function validateAddresses(addresses: readonly AddressInput[], path: readonly string[]): UserError[] {
  const errors: UserError[] = [];
  const seen = new Set<AddressType>();

  addresses.forEach((address, i) => {
    const at = (field: keyof AddressInput): string[] => [...path, String(i), field];

    if (!isOneOf(ADDRESS_TYPES, address.type)) {
      errors.push(userError(ValidationCode.INVALID_ADDRESS_TYPE, at('type')));
    } else if (seen.has(address.type)) {
      errors.push(userError(ValidationCode.DUPLICATE_ADDRESS_TYPE, at('type')));
    } else {
      seen.add(address.type);
    }

    for (const field of ['country', 'area', 'settlement'] as const) {
      if (isBlank(address[field])) errors.push(userError(ValidationCode.FIELD_REQUIRED, at(field)));
    }
    if (!isOneOf(SETTLEMENT_TYPES, address.settlementType)) {
      errors.push(userError(ValidationCode.INVALID_SETTLEMENT_TYPE, at('settlementType')));
    }
    if (address.building != null) errors.push(...validateBuilding(address.building, at('building')));
    if (address.zip != null) errors.push(...validateZip(address.zip, at('zip')));
  });

  if (!seen.has('RESIDENCE')) errors.push(userError(ValidationCode.RESIDENCE_ADDRESS_REQUIRED, path));
  return errors;
}
