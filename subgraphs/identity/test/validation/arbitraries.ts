/**
 * Generators and helpers of the validation property tests: values valid by construction,
 * built independently of the validators' regular expressions.
 */
import fc from 'fast-check';
import {
  type AddressInput,
  type DocumentType,
  type Gender,
  type PersonDocumentInput,
  type PhoneInput,
  type PhoneType,
  rnokppCheckDigit,
  SETTLEMENT_TYPES,
  type UserError,
} from '../../src/domain/validation';

export const DAY_MS = 86_400_000;
export const TODAY = '2025-06-15';
// Born on or before this day, a person is at least 14 on TODAY.
export const FOURTEEN_YEARS_AGO = '2011-06-15';

export const codes = (errors: readonly UserError[]): string[] => errors.map((e) => e.code);
export const epochDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
export const isoOfEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const addDays = (iso: string, days: number): string => isoOfEpochDay(epochDay(iso) + days);
export const digitString = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** A calendar date in [min, max], both inclusive. */
export const dateBetween = (min: string, max: string): fc.Arbitrary<string> => fc.integer({ min: epochDay(min), max: epochDay(max) }).map(isoOfEpochDay);

/** Birth dates the five-digit RNOKPP day count can express, restricted to this and last century. */
export const birthDateArb = dateBetween('1900-01-01', TODAY);
export const genderArb = fc.constantFrom<Gender>('MALE', 'FEMALE');

export const UA_UPPER = [...'АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ'];
export const UA_LOWER = UA_UPPER.map((c) => c.toLowerCase());
export const RUSSIAN_ONLY = [...'ЫЪЭЁыъэё'];
export const LATIN_UPPER = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

/** Replaces the character at `index` (modulo length) of `s` by `c`. */
export const replaceAt = (s: string, index: number, c: string): string => {
  const chars = [...s];
  chars[index % chars.length] = c;
  return chars.join('');
};
/** Inserts `c` into `s` at `index` (modulo length + 1). */
export const insertAt = (s: string, index: number, c: string): string => {
  const chars = [...s];
  chars.splice(index % (chars.length + 1), 0, c);
  return chars.join('');
};

/** Builds an RNOKPP from its parts; the day count is computed here, not by the module. */
export function makeRnokpp(birthDate: string, serial: string, gender: Gender, genderSeed: number): string {
  const days = epochDay(birthDate) - epochDay('1899-12-31');
  const genderDigit = gender === 'MALE' ? [1, 3, 5, 7, 9][genderSeed % 5] : [0, 2, 4, 6, 8][genderSeed % 5];
  const first9 = `${String(days).padStart(5, '0')}${serial}${genderDigit}`;
  return `${first9}${rnokppCheckDigit(first9)}`;
}

export const rnokppArb = fc
  .record({ birthDate: birthDateArb, gender: genderArb, serial: digitString(3, 3), seed: fc.nat() })
  .map((r) => ({ ...r, taxId: makeRnokpp(r.birthDate, r.serial, r.gender, r.seed) }));

export const compactDate = (iso: string): string => iso.replace(/-/g, '');
export const unzrFor = (birthDate: string, tail: string): string => `${compactDate(birthDate)}-${tail}`;

export const nameArb: fc.Arbitrary<string> = fc
  .array(fc.string({ unit: fc.constantFrom(...UA_UPPER, ...UA_LOWER), minLength: 1, maxLength: 12 }), {
    minLength: 1,
    maxLength: 4,
  })
  .chain((words) =>
    fc
      .array(fc.constantFrom("'", 'ʼ', '-', ' '), { minLength: words.length - 1, maxLength: words.length - 1 })
      .map((seps) => words.map((w, i) => (i === 0 ? w : `${seps[i - 1]}${w}`)).join('')),
  );

export const phoneNumberArb = digitString(10, 10).map((d) => `+38${d}`);
export const phoneTypeArb = fc.constantFrom<PhoneType>('MOBILE', 'LAND_LINE');
export const phoneArb: fc.Arbitrary<PhoneInput> = fc.record({ type: phoneTypeArb, number: phoneNumberArb });
/** A phone list with distinct types, in any order. */
export const phonesArb: fc.Arbitrary<PhoneInput[]> = fc
  .subarray<PhoneType>(['MOBILE', 'LAND_LINE'], { minLength: 1 })
  .chain((types) => fc.tuple(...types.map((type) => phoneNumberArb.map((number) => ({ type, number })))))
  .chain((phones) => fc.shuffledSubarray(phones, { minLength: phones.length, maxLength: phones.length }));

export const passportNumberArb = fc.tuple(fc.constantFrom(...UA_UPPER), fc.constantFrom(...UA_UPPER), digitString(6, 6)).map(([a, b, d]) => `${a}${b}${d}`);
export const twoLettersArb = fc
  .oneof(fc.tuple(fc.constantFrom(...UA_UPPER), fc.constantFrom(...UA_UPPER)), fc.tuple(fc.constantFrom(...LATIN_UPPER), fc.constantFrom(...LATIN_UPPER)))
  .map(([a, b]) => `${a}${b}`);
export const residencePermitNumberArb = fc.oneof(
  fc.tuple(twoLettersArb, digitString(4, 6)).map(([l, d]) => `${l}${d}`),
  digitString(9, 9),
  fc.tuple(twoLettersArb, digitString(5, 5), digitString(5, 5)).map(([l, a, b]) => `${l}${a}/${b}`),
);
export const CERTIFICATE_CHARS = [...UA_UPPER, ...LATIN_UPPER, ...'0123456789№/()-'];
export const certificateNumberArb = fc.string({ unit: fc.constantFrom(...CERTIFICATE_CHARS), minLength: 2, maxLength: 25 });

export const buildingArb = fc
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
export const zipArb = digitString(5, 5);

export const addressArb = (type: AddressInput['type']): fc.Arbitrary<AddressInput> =>
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
export function validDocumentsArb(birthDate: string): fc.Arbitrary<{ documents: PersonDocumentInput[]; unzr: string }> {
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

export const adultBirthDateArb = dateBetween('1930-01-01', FOURTEEN_YEARS_AGO);
export const minorBirthDateArb = dateBetween(addDays(FOURTEEN_YEARS_AGO, 1), TODAY);

export const passportOn = (issuedAt: string): PersonDocumentInput => ({
  type: 'PASSPORT',
  number: 'КВ123456',
  issuedAt,
  issuedBy: 'Київський РВ',
});
export const nationalIdOn = (issuedAt: string, expirationDate?: string): PersonDocumentInput => ({
  type: 'NATIONAL_ID',
  number: '001234567',
  issuedAt,
  issuedBy: '8032',
  expirationDate,
});
