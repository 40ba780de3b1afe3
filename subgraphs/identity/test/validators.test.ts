/**
 * Property tests of the identity validators: generators build values that are valid by
 * construction (independently of the validators' regular expressions), and single targeted
 * mutations of them must be rejected with the expected code and field path.
 */
import fc from 'fast-check';
import { ageOn, isIsoDate } from '@pc/calendar';
import {
  ADDRESS_TYPES,
  type AddressInput,
  type DocumentType,
  type EmergencyContactInput,
  type Gender,
  type PersonDocumentInput,
  type PhoneInput,
  type PhoneType,
  rnokppBirthDate,
  rnokppCheckDigit,
  rnokppGender,
  type SettlementType,
  SETTLEMENT_TYPES,
  type UserError,
  validateAddresses,
  validateBuilding,
  validateDocumentNumber,
  validateDocuments,
  validateEmail,
  validateEmergencyContact,
  validateName,
  validatePhone,
  validatePhones,
  ValidationCode,
  validateTaxId,
  validateTaxIdPresence,
  validateUnzr,
  validateUnzrRequired,
  validateZip,
} from '../src/domain/validators';

// ---------------------------------------------------------------------------------------------
// Helpers and arbitraries
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const TODAY = '2025-06-15';
// Born on or before this day, a person is at least 14 on TODAY.
const FOURTEEN_YEARS_AGO = '2011-06-15';

const codes = (errors: readonly UserError[]): string[] => errors.map((e) => e.code);
const epochDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOfEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const addDays = (iso: string, days: number): string => isoOfEpochDay(epochDay(iso) + days);
const digitString = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** A calendar date in [min, max], both inclusive. */
const dateBetween = (min: string, max: string): fc.Arbitrary<string> => fc.integer({ min: epochDay(min), max: epochDay(max) }).map(isoOfEpochDay);

/** Birth dates the five-digit RNOKPP day count can express, restricted to this and last century. */
const birthDateArb = dateBetween('1900-01-01', TODAY);
const genderArb = fc.constantFrom<Gender>('MALE', 'FEMALE');

const UA_UPPER = [...'АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ'];
const UA_LOWER = UA_UPPER.map((c) => c.toLowerCase());
const RUSSIAN_ONLY = [...'ЫЪЭЁыъэё'];
const LATIN_UPPER = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

/** Replaces the character at `index` (modulo length) of `s` by `c`. */
const replaceAt = (s: string, index: number, c: string): string => {
  const chars = [...s];
  chars[index % chars.length] = c;
  return chars.join('');
};
/** Inserts `c` into `s` at `index` (modulo length + 1). */
const insertAt = (s: string, index: number, c: string): string => {
  const chars = [...s];
  chars.splice(index % (chars.length + 1), 0, c);
  return chars.join('');
};

/** Builds an RNOKPP from its parts; the day count is computed here, not by the module. */
function makeRnokpp(birthDate: string, serial: string, gender: Gender, genderSeed: number): string {
  const days = epochDay(birthDate) - epochDay('1899-12-31');
  const genderDigit = gender === 'MALE' ? [1, 3, 5, 7, 9][genderSeed % 5] : [0, 2, 4, 6, 8][genderSeed % 5];
  const first9 = `${String(days).padStart(5, '0')}${serial}${genderDigit}`;
  return `${first9}${rnokppCheckDigit(first9)}`;
}

const rnokppArb = fc
  .record({ birthDate: birthDateArb, gender: genderArb, serial: digitString(3, 3), seed: fc.nat() })
  .map((r) => ({ ...r, taxId: makeRnokpp(r.birthDate, r.serial, r.gender, r.seed) }));

const compactDate = (iso: string): string => iso.replace(/-/g, '');
const unzrFor = (birthDate: string, tail: string): string => `${compactDate(birthDate)}-${tail}`;

const nameArb: fc.Arbitrary<string> = fc
  .array(fc.string({ unit: fc.constantFrom(...UA_UPPER, ...UA_LOWER), minLength: 1, maxLength: 12 }), {
    minLength: 1,
    maxLength: 4,
  })
  .chain((words) =>
    fc
      .array(fc.constantFrom("'", 'ʼ', '-', ' '), { minLength: words.length - 1, maxLength: words.length - 1 })
      .map((seps) => words.map((w, i) => (i === 0 ? w : `${seps[i - 1]}${w}`)).join('')),
  );

const phoneNumberArb = digitString(10, 10).map((d) => `+38${d}`);
const phoneTypeArb = fc.constantFrom<PhoneType>('MOBILE', 'LAND_LINE');
const phoneArb: fc.Arbitrary<PhoneInput> = fc.record({ type: phoneTypeArb, number: phoneNumberArb });
/** A phone list with distinct types, in any order. */
const phonesArb: fc.Arbitrary<PhoneInput[]> = fc
  .subarray<PhoneType>(['MOBILE', 'LAND_LINE'], { minLength: 1 })
  .chain((types) => fc.tuple(...types.map((type) => phoneNumberArb.map((number) => ({ type, number })))))
  .chain((phones) => fc.shuffledSubarray(phones, { minLength: phones.length, maxLength: phones.length }));

const passportNumberArb = fc.tuple(fc.constantFrom(...UA_UPPER), fc.constantFrom(...UA_UPPER), digitString(6, 6)).map(([a, b, d]) => `${a}${b}${d}`);
const twoLettersArb = fc
  .oneof(fc.tuple(fc.constantFrom(...UA_UPPER), fc.constantFrom(...UA_UPPER)), fc.tuple(fc.constantFrom(...LATIN_UPPER), fc.constantFrom(...LATIN_UPPER)))
  .map(([a, b]) => `${a}${b}`);
const residencePermitNumberArb = fc.oneof(
  fc.tuple(twoLettersArb, digitString(4, 6)).map(([l, d]) => `${l}${d}`),
  digitString(9, 9),
  fc.tuple(twoLettersArb, digitString(5, 5), digitString(5, 5)).map(([l, a, b]) => `${l}${a}/${b}`),
);
const CERTIFICATE_CHARS = [...UA_UPPER, ...LATIN_UPPER, ...'0123456789№/()-'];
const certificateNumberArb = fc.string({ unit: fc.constantFrom(...CERTIFICATE_CHARS), minLength: 2, maxLength: 25 });

const buildingArb = fc
  .tuple(
    fc.constantFrom(...'123456789'),
    digitString(0, 3),
    fc.option(fc.constantFrom(...UA_UPPER, ...UA_LOWER), { nil: '' }),
    fc.option(
      digitString(1, 3).map((n) => `/${n}`),
      { nil: '' },
    ),
  )
  .map((parts) => parts.join(''));
const zipArb = digitString(5, 5);

const addressArb = (type: AddressInput['type']): fc.Arbitrary<AddressInput> =>
  fc.record(
    {
      type: fc.constant(type),
      country: fc.constant('UA'),
      area: fc.constantFrom('Київська', 'Львівська', 'Харківська'),
      region: fc.option(fc.constantFrom('Бучанський', 'Стрийський'), { nil: null }),
      settlement: fc.constantFrom('Київ', 'Ірпінь', 'Стрий'),
      settlementType: fc.constantFrom(...SETTLEMENT_TYPES),
      streetType: fc.option(fc.constantFrom('вулиця', 'проспект'), { nil: null }),
      street: fc.option(fc.constantFrom('Хрещатик', 'Шевченка'), { nil: null }),
      building: fc.option(buildingArb, { nil: null }),
      apartment: fc.option(fc.constantFrom('1', '15', '7а'), { nil: null }),
      zip: fc.option(zipArb, { nil: undefined }),
    },
    { requiredKeys: ['type', 'country', 'area', 'settlement', 'settlementType'] },
  );

/** A valid document list for someone born on `birthDate`, checked on TODAY. */
function validDocumentsArb(birthDate: string): fc.Arbitrary<{ documents: PersonDocumentInput[]; unzr: string }> {
  const issuedAt = dateBetween(birthDate, TODAY);
  const expirationDate = dateBetween(TODAY, '2040-12-31');
  const passport: fc.Arbitrary<PersonDocumentInput> = fc.record({
    type: fc.constant<DocumentType>('PASSPORT'),
    number: passportNumberArb,
    issuedAt,
    issuedBy: fc.constant('Київський РВ ГУ ДМС'),
  });
  const nationalId: fc.Arbitrary<PersonDocumentInput> = fc.record({
    type: fc.constant<DocumentType>('NATIONAL_ID'),
    number: digitString(9, 9),
    issuedAt,
    issuedBy: fc.constant('8032'),
    expirationDate,
  });
  const birthCertificate: fc.Arbitrary<PersonDocumentInput> = fc.record({
    type: fc.constant<DocumentType>('BIRTH_CERTIFICATE'),
    number: certificateNumberArb,
    issuedAt,
    issuedBy: fc.constant('Шевченківський відділ ДРАЦС'),
  });
  const isMinor = birthDate > FOURTEEN_YEARS_AGO;
  return fc
    .record({
      identity: fc.option(fc.oneof(passport, nationalId), { nil: null }),
      certificate: isMinor ? birthCertificate : fc.option(birthCertificate, { nil: null }),
      unzr: digitString(5, 5).map((tail) => unzrFor(birthDate, tail)),
    })
    .chain(({ identity, certificate, unzr }) => {
      const docs = [identity, certificate].filter((d): d is PersonDocumentInput => d !== null);
      return fc.shuffledSubarray(docs, { minLength: docs.length, maxLength: docs.length }).map((documents) => ({ documents, unzr }));
    });
}

const adultBirthDateArb = dateBetween('1930-01-01', FOURTEEN_YEARS_AGO);
const minorBirthDateArb = dateBetween(addDays(FOURTEEN_YEARS_AGO, 1), TODAY);

const passportOn = (issuedAt: string): PersonDocumentInput => ({
  type: 'PASSPORT',
  number: 'КВ123456',
  issuedAt,
  issuedBy: 'Київський РВ',
});
const nationalIdOn = (issuedAt: string, expirationDate?: string): PersonDocumentInput => ({
  type: 'NATIONAL_ID',
  number: '001234567',
  issuedAt,
  issuedBy: '8032',
  expirationDate,
});

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('ageOn', () => {
  it('counts completed years', () => {
    fc.assert(
      fc.property(dateBetween('1900-01-01', '2000-12-31'), fc.integer({ min: 0, max: 120 }), (birth, years) => {
        fc.pre(!birth.endsWith('-02-29'));
        const birthday = `${String(Number(birth.slice(0, 4)) + years).padStart(4, '0')}${birth.slice(4)}`;
        expect(ageOn(birth, birthday)).toBe(years);
        expect(ageOn(birth, addDays(birthday, -1))).toBe(years - 1);
      }),
    );
  });

  it('ages leap-day births on 1 March in common years', () => {
    expect(ageOn('2008-02-29', '2022-02-28')).toBe(13);
    expect(ageOn('2008-02-29', '2022-03-01')).toBe(14);
    expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
  });

  it('rejects malformed dates', () => {
    expect(() => ageOn('2008-02-30', TODAY)).toThrow(RangeError);
    expect(() => ageOn('2008-01-01', '15.06.2025')).toThrow(RangeError);
  });

  it('recognises real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
    expect(isIsoDate('2023-1-01')).toBe(false);
  });
});

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

describe('validateDocumentNumber', () => {
  const path = ['input', 'documents', '0', 'number'];
  const passportLike: DocumentType[] = ['PASSPORT', 'REFUGEE_CERTIFICATE', 'COMPLEMENTARY_PROTECTION_CERTIFICATE'];
  const permitLike: DocumentType[] = ['PERMANENT_RESIDENCE_PERMIT', 'TEMPORARY_CERTIFICATE'];
  const certificateLike: DocumentType[] = ['BIRTH_CERTIFICATE', 'TEMPORARY_PASSPORT'];
  const invalidNumber = [expect.objectContaining({ field: path, code: ValidationCode.INVALID_DOCUMENT_NUMBER })];

  it('accepts two Ukrainian capitals and six digits for passport-like documents', () => {
    fc.assert(
      fc.property(fc.constantFrom(...passportLike), passportNumberArb, (type, number) => {
        expect(validateDocumentNumber(type, number, path)).toEqual([]);
      }),
    );
  });

  it('rejects a Latin or Russian-only letter in a passport series', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...passportLike),
        passportNumberArb,
        fc.constantFrom(...LATIN_UPPER, ...RUSSIAN_ONLY.slice(0, 4)),
        fc.integer({ min: 0, max: 1 }),
        (type, number, letter, at) => {
          expect(validateDocumentNumber(type, replaceAt(number, at, letter), path)).toEqual(invalidNumber);
        },
      ),
    );
  });

  it('rejects a passport number with a digit too few or too many, or a lower-case series', () => {
    fc.assert(
      fc.property(passportNumberArb, fc.boolean(), (number, drop) => {
        const mutated = drop ? number.slice(0, -1) : `${number}0`;
        expect(validateDocumentNumber('PASSPORT', mutated, path)).toEqual(invalidNumber);
        expect(validateDocumentNumber('PASSPORT', number.toLowerCase(), path)).toEqual(invalidNumber);
      }),
    );
  });

  it('accepts exactly nine digits for NATIONAL_ID', () => {
    fc.assert(
      fc.property(digitString(0, 12), (number) => {
        const expected = number.length === 9 ? [] : invalidNumber;
        expect(validateDocumentNumber('NATIONAL_ID', number, path)).toEqual(expected);
      }),
    );
  });

  it('accepts the three residence-permit formats', () => {
    fc.assert(
      fc.property(fc.constantFrom(...permitLike), residencePermitNumberArb, (type, number) => {
        expect(validateDocumentNumber(type, number, path)).toEqual([]);
      }),
    );
    for (const bad of ['AB123', 'AB1234567', '12345678', 'AB12345/1234', 'ab123456', 'AБ123456']) {
      expect(validateDocumentNumber('PERMANENT_RESIDENCE_PERMIT', bad, path)).toEqual(invalidNumber);
    }
  });

  it('accepts 2–25 upper-case letters, digits and № / ( ) - for birth certificates', () => {
    fc.assert(
      fc.property(fc.constantFrom(...certificateLike), certificateNumberArb, (type, number) => {
        expect(validateDocumentNumber(type, number, path)).toEqual([]);
      }),
    );
    expect(validateDocumentNumber('BIRTH_CERTIFICATE', 'І-БК№123456', path)).toEqual([]);
    for (const bad of ['1', 'А'.repeat(26), 'І-бк123456', 'І БК 123456']) {
      expect(validateDocumentNumber('BIRTH_CERTIFICATE', bad, path)).toEqual(invalidNumber);
    }
  });
});

describe('validateDocuments', () => {
  const path = ['input', 'documents'];
  const at = (i: number, field: string): string[] => [...path, String(i), field];

  it('accepts generated valid document sets', () => {
    const personArb = dateBetween('1930-01-01', TODAY).chain((birthDate) => validDocumentsArb(birthDate).map((docs) => ({ birthDate, ...docs })));
    fc.assert(
      fc.property(personArb, ({ birthDate, documents, unzr }) => {
        expect(validateDocuments(documents, { birthDate, today: TODAY, unzr }, path)).toEqual([]);
      }),
    );
  });

  it('allows at most one of PASSPORT and NATIONAL_ID', () => {
    fc.assert(
      fc.property(adultBirthDateArb, fc.boolean(), (birthDate, idFirst) => {
        const issued = addDays(FOURTEEN_YEARS_AGO, 10);
        const pair = [passportOn(issued), nationalIdOn(issued, '2030-01-01')];
        const documents = idFirst ? pair.reverse() : pair;
        expect(validateDocuments(documents, { birthDate, today: TODAY, unzr: unzrFor(birthDate, '00001') }, path)).toEqual([
          expect.objectContaining({ field: at(1, 'type'), code: ValidationCode.MULTIPLE_IDENTITY_DOCUMENTS }),
        ]);
      }),
    );
  });

  it('reports a repeated type as a duplicate, not as a second identity document', () => {
    const docs = [passportOn('2010-01-01'), passportOn('2015-01-01')];
    expect(validateDocuments(docs, { birthDate: '1987-03-12', today: TODAY }, path)).toEqual([
      expect.objectContaining({ field: at(1, 'type'), code: ValidationCode.DUPLICATE_DOCUMENT_TYPE }),
    ]);
  });

  it('reports an issue date before birth', () => {
    fc.assert(
      fc.property(adultBirthDateArb, fc.integer({ min: 1, max: 5000 }), (birthDate, daysBefore) => {
        const documents = [passportOn(addDays(birthDate, -daysBefore))];
        expect(validateDocuments(documents, { birthDate, today: TODAY }, path)).toEqual([
          expect.objectContaining({ field: at(0, 'issuedAt'), code: ValidationCode.DOCUMENT_ISSUED_BEFORE_BIRTH }),
        ]);
      }),
    );
  });

  it('reports an issue date after today', () => {
    fc.assert(
      fc.property(adultBirthDateArb, fc.integer({ min: 1, max: 5000 }), (birthDate, daysAfter) => {
        const documents = [passportOn(addDays(TODAY, daysAfter))];
        expect(codes(validateDocuments(documents, { birthDate, today: TODAY }, path))).toEqual([ValidationCode.DOCUMENT_ISSUED_IN_FUTURE]);
      }),
    );
    expect(validateDocuments([passportOn(TODAY)], { birthDate: '1987-03-12', today: TODAY }, path)).toEqual([]);
  });

  it('requires a birth certificate under 14', () => {
    fc.assert(
      fc.property(minorBirthDateArb, (birthDate) => {
        expect(validateDocuments([], { birthDate, today: TODAY }, path)).toEqual([
          expect.objectContaining({ field: path, code: ValidationCode.BIRTH_CERTIFICATE_REQUIRED }),
        ]);
        expect(validateDocuments([passportOn(TODAY)], { birthDate, today: TODAY }, path)).toEqual([
          expect.objectContaining({ code: ValidationCode.BIRTH_CERTIFICATE_REQUIRED }),
        ]);
      }),
    );
    expect(validateDocuments([], { birthDate: FOURTEEN_YEARS_AGO, today: TODAY }, path)).toEqual([]);
  });

  it('requires an expiration date and a UNZR for NATIONAL_ID', () => {
    const documents = [nationalIdOn('2020-01-01')];
    expect(validateDocuments(documents, { birthDate: '1987-03-12', today: TODAY }, path)).toEqual([
      expect.objectContaining({ field: at(0, 'expirationDate'), code: ValidationCode.EXPIRATION_DATE_REQUIRED }),
      expect.objectContaining({ field: at(0, 'type'), code: ValidationCode.UNZR_REQUIRED }),
    ]);
  });

  it('reports expired documents, but not on the expiry day itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3650 }), (daysAgo) => {
        const documents = [nationalIdOn('2015-01-01', addDays(TODAY, -daysAgo))];
        expect(validateDocuments(documents, { birthDate: '1987-03-12', today: TODAY, unzr: '19870312-00001' }, path)).toEqual([
          expect.objectContaining({ field: at(0, 'expirationDate'), code: ValidationCode.DOCUMENT_EXPIRED }),
        ]);
      }),
    );
    const onTheDay = [nationalIdOn('2015-01-01', TODAY)];
    expect(validateDocuments(onTheDay, { birthDate: '1987-03-12', today: TODAY, unzr: '19870312-00001' }, path)).toEqual([]);
  });

  it('requires type, number, issuedAt and issuedBy, and checks the number and dates', () => {
    const blank: PersonDocumentInput = { type: '' as string as DocumentType, number: ' ', issuedAt: '', issuedBy: '' };
    expect(validateDocuments([blank], { birthDate: '1987-03-12', today: TODAY }, path)).toEqual(
      ['type', 'number', 'issuedAt', 'issuedBy'].map((f) => expect.objectContaining({ field: at(0, f), code: ValidationCode.FIELD_REQUIRED })),
    );
    const malformed: PersonDocumentInput = {
      type: 'PASSPORT',
      number: 'KB123456', // Latin look-alikes
      issuedAt: '2010-02-30',
      issuedBy: 'РВ',
      expirationDate: '31.12.2030',
    };
    expect(validateDocuments([malformed], { birthDate: '1987-03-12', today: TODAY }, path)).toEqual([
      expect.objectContaining({ field: at(0, 'number'), code: ValidationCode.INVALID_DOCUMENT_NUMBER }),
      expect.objectContaining({ field: at(0, 'issuedAt'), code: ValidationCode.INVALID_DATE }),
      expect.objectContaining({ field: at(0, 'expirationDate'), code: ValidationCode.INVALID_DATE }),
    ]);
    const unknown = { ...passportOn('2010-01-01'), type: 'DRIVER_LICENSE' as string as DocumentType };
    expect(codes(validateDocuments([unknown], { birthDate: '1987-03-12', today: TODAY }, path))).toEqual([ValidationCode.INVALID_DOCUMENT_TYPE]);
  });
});

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

describe('error messages', () => {
  it('are short English text with a Ukrainian translation', () => {
    const errors = [
      ...validateTaxId('1', {}, ['a']),
      ...validateUnzr('x', null, ['a']),
      ...validateAddresses([], ['a']),
      ...validateEmergencyContact({ firstName: '', lastName: 'Ы', phones: [] }, ['a']),
    ];
    expect(errors.length).toBeGreaterThan(3);
    for (const e of errors) {
      expect(Object.values(ValidationCode)).toContain(e.code);
      expect(e.message).toMatch(/^[ -~]+ \/ [^a-zA-Z]+/);
    }
  });
});
