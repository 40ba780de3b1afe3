import type { DataSource } from 'typeorm';
import { DEMO_PERSONAS } from '@pc/demo';
import type { Logger } from '@pc/logging';
import type { Address, ConfidantPerson, EmergencyContact, PersonDocument, Phone } from '../domain/personData';
import type { Person } from '../entities/Person';
import { insertPersonRows, seedPersons, type PersonRow } from './seedPersons';

/** A valid RNOKPP for a birth date and gender (checksum per domain.md), deterministic by `serial`. */
export function demoTaxId(birthDate: string, gender: 'MALE' | 'FEMALE', serial: number): string {
  const days = Math.round((Date.parse(`${birthDate}T00:00:00Z`) - Date.parse('1899-12-31T00:00:00Z')) / 86_400_000);
  const genderDigit = gender === 'MALE' ? 1 : 2;
  const first9 = `${String(days).padStart(5, '0')}${String(serial % 1000).padStart(3, '0')}${genderDigit}`;
  const weights = [-1, 5, 7, 9, 4, 6, 10, 5, 7];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first9[i]), 0);
  return `${first9}${(((sum % 11) + 11) % 11) % 10}`;
}

/** Seed of the generated people the demo adds around the personas. */
const DEMO_GENERATED_SEED = 20_260_101;
/** How many generated people the demo adds. */
export const DEMO_GENERATED_COUNT = 300;

/** The stored fields of a demo persona (everything but the bookkeeping columns). */
export type DemoPerson = Omit<Person, 'version' | 'createdAt' | 'updatedAt'>;

const address = (a: Omit<Address, 'settlementId' | 'region'> & Partial<Pick<Address, 'settlementId' | 'region'>>): Address => ({
  region: null,
  settlementId: null,
  ...a,
});
const mobile = (number: string): Phone => ({ type: 'MOBILE', number });
const landLine = (number: string): Phone => ({ type: 'LAND_LINE', number });

const patientBirth = '1985-04-12';
const teenBirth = '2011-03-15';
const teenCertificate: PersonDocument = {
  type: 'BIRTH_CERTIFICATE',
  number: 'І-ЖТ482913',
  issuedAt: '2011-03-24',
  issuedBy: 'Відділ ДРАЦС Житомирського міського управління юстиції',
  expirationDate: null,
};
const teenMother: ConfidantPerson = {
  relationType: 'PRIMARY',
  personId: null,
  firstName: 'Оксана',
  lastName: 'Бондар',
  secondName: 'Василівна',
  birthDate: '1983-07-02',
  gender: 'FEMALE',
  taxId: demoTaxId('1983-07-02', 'FEMALE', 204),
  phones: [mobile('+380674518833')],
  // Parents represent a child until the child turns 18.
  relationshipDocument: {
    type: 'BIRTH_CERTIFICATE',
    number: teenCertificate.number,
    issuedAt: teenCertificate.issuedAt,
    issuedBy: teenCertificate.issuedBy,
    activeTo: '2029-03-14',
  },
};
const representedSon: ConfidantPerson = {
  relationType: 'PRIMARY',
  personId: null,
  firstName: 'Іван',
  lastName: 'Гнатюк',
  secondName: 'Петрович',
  birthDate: '1975-06-11',
  gender: 'MALE',
  taxId: demoTaxId('1975-06-11', 'MALE', 305),
  phones: [mobile('+380982217745')],
  // Guardianship over an adult of limited capacity, by a court decision without an end date.
  relationshipDocument: {
    type: 'COURT_DECISION',
    number: '127/4521/23',
    issuedAt: '2023-09-12',
    issuedBy: 'Вінницький міський суд Вінницької області',
    activeTo: null,
  },
};
const parentBirth = '1988-02-09';
const childBirth = '2019-05-20';
const childCertificate: PersonDocument = {
  type: 'BIRTH_CERTIFICATE',
  number: 'І-КИ571204',
  issuedAt: '2019-05-31',
  issuedBy: 'Шевченківський відділ ДРАЦС у місті Києві',
  expirationDate: null,
};
/** The `parent` persona as the child's confidant: names the parent's own record, so the parent may act. */
const childMother: ConfidantPerson = {
  relationType: 'PRIMARY',
  personId: DEMO_PERSONAS.parent.id,
  firstName: 'Ірина',
  lastName: 'Мельник',
  secondName: 'Олегівна',
  birthDate: parentBirth,
  gender: 'FEMALE',
  taxId: demoTaxId(parentBirth, 'FEMALE', 406),
  phones: [mobile('+380937712288')],
  // A parent's relationship ends the day before the child turns 14.
  relationshipDocument: {
    type: 'BIRTH_CERTIFICATE',
    number: childCertificate.number,
    issuedAt: childCertificate.issuedAt,
    issuedBy: childCertificate.issuedBy,
    activeTo: '2033-05-19',
  },
};
const kyivHome = address({
  type: 'RESIDENCE',
  country: 'UA',
  area: 'м. Київ',
  settlement: 'Київ',
  settlementType: 'CITY',
  streetType: 'вул.',
  street: 'Січових Стрільців',
  building: '21',
  apartment: '9',
  zip: '04053',
});
const contactOf = (c: ConfidantPerson): EmergencyContact => ({ firstName: c.firstName, lastName: c.lastName, secondName: c.secondName, phones: c.phones });

/** `parent` and `child` (7, no declaration): the parent represents the child by the birth certificate. */
const DEMO_PERSONS_REPRESENTATION: readonly DemoPerson[] = [
  {
    id: DEMO_PERSONAS.parent.id,
    firstName: childMother.firstName,
    lastName: childMother.lastName,
    secondName: childMother.secondName,
    birthDate: parentBirth,
    birthCountry: 'Україна',
    birthSettlement: 'Київ',
    gender: 'FEMALE',
    taxId: childMother.taxId,
    noTaxId: false,
    unzr: '19880209-00412',
    email: 'iryna.melnyk@example.com',
    phones: childMother.phones,
    documents: [{ type: 'NATIONAL_ID', number: '005519274', issuedAt: '2020-03-11', issuedBy: '8031', expirationDate: '2030-03-11' }],
    addresses: [kyivHome],
    emergencyContact: null,
    confidantPersons: [],
    legalCapacityDocument: null,
    authenticationMethod: 'OTP',
    preferredWayOfCommunication: 'PHONE',
    verificationStatus: 'VERIFIED',
  },
  {
    id: DEMO_PERSONAS.child.id,
    firstName: 'Софія',
    lastName: 'Мельник',
    secondName: 'Андріївна',
    birthDate: childBirth,
    birthCountry: 'Україна',
    birthSettlement: 'Київ',
    gender: 'FEMALE',
    taxId: demoTaxId(childBirth, 'FEMALE', 407),
    noTaxId: false,
    unzr: null,
    email: null,
    phones: [],
    documents: [childCertificate],
    addresses: [kyivHome],
    emergencyContact: contactOf(childMother),
    confidantPersons: [childMother],
    legalCapacityDocument: null,
    authenticationMethod: 'THIRD_PERSON',
    preferredWayOfCommunication: null,
    verificationStatus: 'VERIFIED',
  },
];

/**
 * The patient personas of @pc/demo, complete: what the acceptance checks and the README
 * walk-through rely on. `patient` may edit; `teen` (15, no capacity document) and `represented`
 * (an adult under guardianship) may only read; `other` is a second adult.
 */
export const DEMO_PERSONS: readonly DemoPerson[] = [
  {
    id: DEMO_PERSONAS.patient.id,
    firstName: 'Олена',
    lastName: 'Коваленко',
    secondName: 'Петрівна',
    birthDate: patientBirth,
    birthCountry: 'Україна',
    birthSettlement: 'Полтава',
    gender: 'FEMALE',
    taxId: demoTaxId(patientBirth, 'FEMALE', 100),
    noTaxId: false,
    unzr: '19850412-00318',
    email: 'olena.kovalenko@example.com',
    phones: [mobile('+380501234567'), landLine('+380442345678')],
    documents: [{ type: 'NATIONAL_ID', number: '004512389', issuedAt: '2019-08-20', issuedBy: '8036', expirationDate: '2029-08-20' }],
    addresses: [
      address({
        type: 'RESIDENCE',
        country: 'UA',
        area: 'м. Київ',
        settlement: 'Київ',
        settlementType: 'CITY',
        streetType: 'вул.',
        street: 'Антоновича',
        building: '48а',
        apartment: '15',
        zip: '03150',
      }),
      address({
        type: 'REGISTRATION',
        country: 'UA',
        area: 'Полтавська',
        region: 'Полтавський',
        settlement: 'Полтава',
        settlementType: 'CITY',
        streetType: 'вул.',
        street: 'Соборності',
        building: '12',
        apartment: '7',
        zip: '36000',
      }),
    ],
    emergencyContact: { firstName: 'Петро', lastName: 'Коваленко', secondName: 'Іванович', phones: [mobile('+380672113344')] },
    confidantPersons: [],
    legalCapacityDocument: null,
    authenticationMethod: 'OTP',
    preferredWayOfCommunication: 'PHONE',
    verificationStatus: 'VERIFIED',
  },
  {
    id: DEMO_PERSONAS.other.id,
    firstName: 'Андрій',
    lastName: 'Шевчук',
    secondName: 'Іванович',
    birthDate: '1979-09-30',
    birthCountry: 'Україна',
    birthSettlement: 'Львів',
    gender: 'MALE',
    taxId: demoTaxId('1979-09-30', 'MALE', 101),
    noTaxId: false,
    unzr: null,
    email: 'andrii.shevchuk@example.com',
    phones: [mobile('+380931234567')],
    documents: [
      {
        type: 'PASSPORT',
        number: 'КА123456',
        issuedAt: '1996-10-15',
        issuedBy: 'Шевченківський РВ ЛМУ ГУМВС України у Львівській області',
        expirationDate: null,
      },
    ],
    addresses: [
      address({
        type: 'RESIDENCE',
        country: 'UA',
        area: 'Львівська',
        region: 'Львівський',
        settlement: 'Львів',
        settlementType: 'CITY',
        streetType: 'вул.',
        street: 'Шептицького',
        building: '9',
        apartment: '3',
        zip: '79016',
      }),
    ],
    emergencyContact: null,
    confidantPersons: [],
    legalCapacityDocument: null,
    authenticationMethod: 'OTP',
    preferredWayOfCommunication: 'EMAIL',
    verificationStatus: 'VERIFIED',
  },
  {
    id: DEMO_PERSONAS.teen.id,
    firstName: 'Марія',
    lastName: 'Бондар',
    secondName: 'Андріївна',
    birthDate: teenBirth,
    birthCountry: 'Україна',
    birthSettlement: 'Житомир',
    gender: 'FEMALE',
    taxId: demoTaxId(teenBirth, 'FEMALE', 102),
    noTaxId: false,
    unzr: '20110315-00527',
    email: null,
    phones: [mobile('+380661234567')],
    documents: [teenCertificate, { type: 'NATIONAL_ID', number: '017733402', issuedAt: '2025-04-02', issuedBy: '1810', expirationDate: '2035-04-02' }],
    addresses: [
      address({
        type: 'RESIDENCE',
        country: 'UA',
        area: 'Житомирська',
        region: 'Житомирський',
        settlement: 'Житомир',
        settlementType: 'CITY',
        streetType: 'вул.',
        street: 'Пирогова',
        building: '31',
        apartment: '54',
        zip: '10001',
      }),
    ],
    emergencyContact: contactOf(teenMother),
    confidantPersons: [teenMother],
    legalCapacityDocument: null,
    authenticationMethod: 'OTP',
    preferredWayOfCommunication: 'PHONE',
    verificationStatus: 'VERIFIED',
  },
  {
    id: DEMO_PERSONAS.represented.id,
    firstName: 'Петро',
    lastName: 'Гнатюк',
    secondName: 'Степанович',
    birthDate: '1950-01-20',
    birthCountry: 'Україна',
    birthSettlement: 'Вінниця',
    gender: 'MALE',
    taxId: demoTaxId('1950-01-20', 'MALE', 103),
    noTaxId: false,
    unzr: null,
    email: null,
    phones: [landLine('+380432551234')],
    documents: [
      { type: 'PASSPORT', number: 'АВ654321', issuedAt: '1997-05-14', issuedBy: 'Ленінський РВ ВМУ УМВС України у Вінницькій області', expirationDate: null },
    ],
    addresses: [
      address({
        type: 'RESIDENCE',
        country: 'UA',
        area: 'Вінницька',
        region: 'Вінницький',
        settlement: 'Вінниця',
        settlementType: 'CITY',
        streetType: 'вул.',
        street: 'Замкова',
        building: '5',
        apartment: null,
        zip: '21050',
      }),
    ],
    emergencyContact: contactOf(representedSon),
    confidantPersons: [representedSon],
    legalCapacityDocument: null,
    authenticationMethod: 'THIRD_PERSON',
    preferredWayOfCommunication: 'PHONE',
    verificationStatus: 'VERIFIED',
  },
  // The `parent` and `child` personas (docs/representatives.md): the parent acts for the child.
  ...DEMO_PERSONS_REPRESENTATION,
];

/** A person in the shape of an `identity.person` row (seeds and test fixtures share it). */
export const demoPersonRow = (p: DemoPerson): PersonRow => ({
  id: p.id,
  first_name: p.firstName,
  last_name: p.lastName,
  second_name: p.secondName,
  birth_date: p.birthDate,
  birth_country: p.birthCountry,
  birth_settlement: p.birthSettlement,
  gender: p.gender,
  tax_id: p.taxId,
  no_tax_id: p.noTaxId,
  unzr: p.unzr,
  email: p.email,
  phones: p.phones,
  documents: p.documents,
  addresses: p.addresses,
  emergency_contact: p.emergencyContact,
  confidant_persons: p.confidantPersons,
  legal_capacity_document: p.legalCapacityDocument,
  authentication_method: p.authenticationMethod,
  preferred_way_communication: p.preferredWayOfCommunication,
  verification_status: p.verificationStatus,
});

/**
 * Writes the demo personas and a few hundred generated people. Idempotent: rows whose id exists
 * are left as they are, so changes made through the demo survive a restart on the same data
 * directory.
 */
export async function seedDemo(ds: DataSource, log: Logger): Promise<void> {
  const personas = await insertPersonRows(ds, DEMO_PERSONS.map(demoPersonRow));
  const { inserted } = await seedPersons(ds, { count: DEMO_GENERATED_COUNT, seed: DEMO_GENERATED_SEED });
  log.info({ personas, generated: inserted }, 'identity demo data ready');
}
