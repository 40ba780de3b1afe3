/**
 * Property tests of the identity validators of identity documents: generators build values that are valid by
 * construction, and single targeted mutations of them must be rejected with the expected code
 * and field path.
 */
import fc from 'fast-check';
import { type DocumentType, type PersonDocumentInput, validateDocumentNumber, validateDocuments, ValidationCode } from '../../src/domain/validation';
import {
  TODAY,
  FOURTEEN_YEARS_AGO,
  codes,
  addDays,
  digitString,
  dateBetween,
  RUSSIAN_ONLY,
  LATIN_UPPER,
  replaceAt,
  unzrFor,
  passportNumberArb,
  residencePermitNumberArb,
  certificateNumberArb,
  validDocumentsArb,
  adultBirthDateArb,
  minorBirthDateArb,
  passportOn,
  nationalIdOn,
} from './arbitraries';

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
