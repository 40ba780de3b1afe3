/**
 * Property tests of the identity validators of phones, e-mail and the emergency contact: generators build values that are valid by
 * construction, and single targeted mutations of them must be rejected with the expected code
 * and field path.
 */
import fc from 'fast-check';
import {
  type EmergencyContactInput,
  type PhoneType,
  validateEmail,
  validateEmergencyContact,
  validatePhone,
  validatePhones,
  ValidationCode,
} from '../../src/domain/validation';
import { codes, RUSSIAN_ONLY, nameArb, phoneNumberArb, phoneTypeArb, phoneArb, phonesArb } from './arbitraries';

describe('phones', () => {
  const path = ['input', 'phones'];

  it('accepts +38 followed by ten digits', () => {
    fc.assert(fc.property(phoneArb, (phone) => expect(validatePhone(phone, [...path, '0'])).toEqual([])));
  });

  it('rejects a number with a digit missing', () => {
    fc.assert(
      fc.property(phoneArb, fc.integer({ min: 3, max: 12 }), (phone, drop) => {
        const number = phone.number.slice(0, drop) + phone.number.slice(drop + 1);
        expect(validatePhones([{ ...phone, number }], path)).toEqual([
          expect.objectContaining({ field: ['input', 'phones', '0', 'number'], code: ValidationCode.INVALID_PHONE }),
        ]);
      }),
    );
  });

  it('rejects other common spellings', () => {
    for (const number of ['380501234567', '+380 50 123 45 67', '+3805012345678', '+48501234567', '+38050123456a']) {
      expect(codes(validatePhone({ type: 'MOBILE', number }, path))).toEqual([ValidationCode.INVALID_PHONE]);
    }
    expect(codes(validatePhone({ type: 'FAX' as string as PhoneType, number: '+380501234567' }, path))).toEqual([ValidationCode.INVALID_PHONE_TYPE]);
  });

  it('accepts lists with distinct types', () => {
    fc.assert(fc.property(phonesArb, (phones) => expect(validatePhones(phones, path)).toEqual([])));
  });

  it('reports the second phone of a type', () => {
    fc.assert(
      fc.property(phoneTypeArb, phoneNumberArb, phoneNumberArb, (type, a, b) => {
        expect(
          validatePhones(
            [
              { type, number: a },
              { type, number: b },
            ],
            path,
          ),
        ).toEqual([expect.objectContaining({ field: ['input', 'phones', '1', 'type'], code: ValidationCode.DUPLICATE_PHONE_TYPE })]);
      }),
    );
  });
});

describe('validateEmail', () => {
  const path = ['input', 'email'];

  it('accepts ordinary addresses', () => {
    for (const email of ['patient@example.com', 'o.shevchenko+ehealth@mail.gov.ua', 'a_b-c@sub-domain.example.org']) {
      expect(validateEmail(email, path)).toEqual([]);
    }
  });

  it('accepts simple generated addresses', () => {
    const label = fc.string({ unit: fc.constantFrom(...'abcxyz019'), minLength: 1, maxLength: 10 });
    const tld = fc.string({ unit: fc.constantFrom(...'abcdefuk'), minLength: 2, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), fc.array(label, { minLength: 1, maxLength: 3 }), tld, (local, domain, top) => {
        expect(validateEmail(`${local.join('.')}@${domain.join('.')}.${top}`, path)).toEqual([]);
      }),
    );
  });

  it('rejects malformed addresses', () => {
    for (const email of [
      '',
      'plain',
      '@example.com',
      'a@b',
      'a@@b.com',
      '.a@b.com',
      'a.@b.com',
      'a..b@c.com',
      'a b@c.com',
      'a@-b.com',
      'a@b..com',
      'a@b.c0m',
      'a@b.com.',
      `${'a'.repeat(65)}@b.com`,
    ]) {
      expect(codes(validateEmail(email, path))).toEqual([ValidationCode.INVALID_EMAIL]);
    }
  });
});

describe('validateEmergencyContact', () => {
  const path = ['input', 'emergencyContact'];
  const contactArb: fc.Arbitrary<EmergencyContactInput> = fc.record({
    firstName: nameArb,
    lastName: nameArb,
    secondName: fc.option(nameArb, { nil: null }),
    phones: phonesArb,
  });

  it('accepts valid names with at least one phone', () => {
    fc.assert(fc.property(contactArb, (c) => expect(validateEmergencyContact(c, path)).toEqual([])));
  });

  it('requires a phone', () => {
    fc.assert(
      fc.property(contactArb, (c) => {
        expect(validateEmergencyContact({ ...c, phones: [] }, path)).toEqual([
          expect.objectContaining({ field: [...path, 'phones'], code: ValidationCode.EMERGENCY_CONTACT_PHONE_REQUIRED }),
        ]);
      }),
    );
  });

  it('reports bad names and phones at their paths', () => {
    fc.assert(
      fc.property(contactArb, fc.constantFrom(...RUSSIAN_ONLY), (c, letter) => {
        const phones = [{ ...c.phones[0], number: c.phones[0].number.slice(0, -1) }];
        expect(validateEmergencyContact({ ...c, firstName: `${c.firstName}${letter}`, phones }, path)).toEqual([
          expect.objectContaining({ field: [...path, 'firstName'], code: ValidationCode.INVALID_NAME }),
          expect.objectContaining({ field: [...path, 'phones', '0', 'number'], code: ValidationCode.INVALID_PHONE }),
        ]);
      }),
    );
  });
});
