/**
 * Synthetic people for the identity subgraph: demo data, load tests and property tests.
 *
 * Every person is a pure function of `(seed, index, today)`: a chunk generated with an `offset`
 * holds exactly the people a full run would hold at those indexes, so millions can be streamed
 * into the database in parallel chunks without keeping them in memory, and demo personas stay
 * the same across restarts.
 *
 * The data obeys the eHealth person rules of docs/domain.md (RNOKPP checksum, date and gender
 * digit; UNZR with a NATIONAL_ID; a birth certificate under 14; one RESIDENCE address; …) so
 * that a generated record survives the same validation a patient's edit goes through. The
 * checks are computed here and in `@pc/fixtures`, not borrowed from the identity validators,
 * so the validators' tests can use this data as an independent oracle.
 *
 * Known approximation: RNOKPP and UNZR serials are random per birth date, so in a very large
 * run a few people share one (about N² / 7·10⁸ pairs of RNOKPP for N people) — as a few do in
 * the real register. Ids and document numbers are unique by construction.
 *
 * @packageDocumentation
 */

import { addDays, addYears, ageOn, isIsoDate, maxDate, minDate } from '@pc/calendar';
import {
  createRandom,
  deterministicUuid,
  hashString,
  lastNameFor,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  patronymic,
  permuteIndex,
  pickRegion,
  pickSettlement,
  randomAddress,
  randomFullName,
  randomRnokpp,
  transliterate,
  unzrFor,
  FEMALE_FIRST_NAMES,
  type PostalAddress,
  type Random,
  type Region,
} from '@pc/fixtures';

/** Gender as recorded in the demographic register. */
export type Gender = 'MALE' | 'FEMALE';
/** Kind of a phone; a person has at most one of each. */
export type PhoneType = 'MOBILE' | 'LAND_LINE';
/** Document types the generator issues (a subset of the eHealth list). */
export type DocumentType = 'PASSPORT' | 'NATIONAL_ID' | 'BIRTH_CERTIFICATE';
/** RESIDENCE (exactly one) or REGISTRATION. */
export type AddressType = 'RESIDENCE' | 'REGISTRATION';
/** How the person proves identity when signing in or approving requests. */
export type AuthenticationMethod = 'OTP' | 'OFFLINE' | 'THIRD_PERSON';
/** The channel the person prefers for notifications. */
export type CommunicationChannel = 'EMAIL' | 'PHONE';
/** Verification of the record against the state registers. */
export type VerificationStatus = 'VERIFICATION_NEEDED' | 'IN_REVIEW' | 'NOT_VERIFIED' | 'VERIFIED' | 'CHANGES_NEEDED';
/** PRIMARY (exactly one) or SECONDARY legal representative. */
export type ConfidantRelationType = 'PRIMARY' | 'SECONDARY';

/** A phone number, `+38` and ten digits. */
export interface GeneratedPhone {
  /** MOBILE or LAND_LINE. */
  type: PhoneType;
  /** `+380XXXXXXXXX`. */
  number: string;
}

/** An identity document. */
export interface GeneratedDocument {
  /** Document type. */
  type: DocumentType;
  /** Series and number in the format of the type. */
  number: string;
  /** `YYYY-MM-DD`, not before birth and not after `today`. */
  issuedAt: string;
  /** Issuing authority: an office name, or the four-digit authority code of an ID card. */
  issuedBy: string;
  /** `YYYY-MM-DD`; set (and in the future) for NATIONAL_ID only. */
  expirationDate: string | null;
}

/** An address of the person. */
export interface GeneratedAddress extends PostalAddress {
  /** RESIDENCE or REGISTRATION. */
  type: AddressType;
}

/** Whom to call in an emergency. */
export interface GeneratedEmergencyContact {
  /** Given name. */
  firstName: string;
  /** Family name. */
  lastName: string;
  /** Patronymic. */
  secondName: string | null;
  /** One MOBILE phone. */
  phones: GeneratedPhone[];
}

/** A legal representative (a parent, for the minors generated here). */
export interface GeneratedConfidantPerson {
  /** PRIMARY or SECONDARY. */
  relationType: ConfidantRelationType;
  /** Given name. */
  firstName: string;
  /** Family name. */
  lastName: string;
  /** Patronymic. */
  secondName: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** Gender. */
  gender: Gender;
  /** The representative's RNOKPP. */
  taxId: string;
  /** One MOBILE phone. */
  phones: GeneratedPhone[];
  /** The document proving the relationship: the child's birth certificate. */
  documentsRelationship: GeneratedDocument[];
}

/** One generated person; field names follow `Person` in docs/api.md. */
export interface GeneratedPerson {
  /** UUID-shaped, from {@link personId}. */
  id: string;
  /** Given name. */
  firstName: string;
  /** Family name in the form for the gender. */
  lastName: string;
  /** Patronymic; null for a small share of people, as in the register. */
  secondName: string | null;
  /** `YYYY-MM-DD`; ages 0–95 on `today`. */
  birthDate: string;
  /** Country of birth. */
  birthCountry: string;
  /** Settlement of birth. */
  birthSettlement: string;
  /** MALE or FEMALE. */
  gender: Gender;
  /** RNOKPP consistent with birth date and gender; null with `noTaxId` or for many children. */
  taxId: string | null;
  /** True when the person refused a tax number; `taxId` is then null. */
  noTaxId: boolean;
  /** `YYYYMMDD-NNNNN`, present exactly when a NATIONAL_ID is among the documents. */
  unzr: string | null;
  /** E-mail, for about 60% of people. */
  email: string | null;
  /** MOBILE first, then LAND_LINE; each at most once. */
  phones: GeneratedPhone[];
  /** PASSPORT or NATIONAL_ID for adults, NATIONAL_ID at 14–17, BIRTH_CERTIFICATE under 14. */
  documents: GeneratedDocument[];
  /** Exactly one RESIDENCE, sometimes a REGISTRATION. */
  addresses: GeneratedAddress[];
  /** For about 70% of people. */
  emergencyContact: GeneratedEmergencyContact | null;
  /** Parents of minors (under 18): one PRIMARY, sometimes a SECONDARY; empty for adults. */
  confidantPersons: GeneratedConfidantPerson[];
  /** OTP (has a mobile), OFFLINE, or THIRD_PERSON under 14. */
  authenticationMethod: AuthenticationMethod;
  /** EMAIL only when an e-mail exists, PHONE only when a phone exists. */
  preferredWayOfCommunication: CommunicationChannel | null;
  /** Mostly VERIFIED. */
  verificationStatus: VerificationStatus;
}

/** Options of {@link generatePersons} and {@link iteratePersons}. */
export interface GeneratePersonsOptions {
  /** Seed; equal seeds give equal people. */
  seed: number;
  /** How many people. */
  count: number;
  /** Index of the first person; default 0. Person `i` is the same whatever chunk holds it. */
  offset?: number;
  /** The date ages, issue dates and expiry dates are relative to, `YYYY-MM-DD`; 2016-01-11 or later. */
  today: string;
}

/** Mobile operator codes (Kyivstar, Vodafone, lifecell, 3mob) after `+380`. */
export const MOBILE_OPERATOR_CODES: readonly string[] = ['50', '63', '66', '67', '68', '73', '93', '95', '96', '97', '98', '99'];

// Age structure of Ukraine's population (share per band, %), roughly the 2021 estimate.
// Bands end at 13 and 17 so that the document rules' thresholds fall on band edges.
const AGE_BANDS: readonly (readonly [minAge: number, maxAge: number, weight: number])[] = [
  [0, 4, 4.6],
  [5, 9, 5.4],
  [10, 13, 4.4],
  [14, 17, 4.0],
  [18, 24, 6.6],
  [25, 29, 5.6],
  [30, 34, 7.6],
  [35, 39, 7.9],
  [40, 44, 7.2],
  [45, 49, 6.9],
  [50, 54, 6.4],
  [55, 59, 6.9],
  [60, 64, 6.6],
  [65, 69, 6.1],
  [70, 74, 4.3],
  [75, 79, 2.6],
  [80, 84, 2.5],
  [85, 89, 1.1],
  [90, 95, 0.3],
];

// Booklet passports were issued by independent Ukraine from 1994 until ID cards replaced them.
const FIRST_PASSPORT_DAY = '1994-01-01';
const LAST_PASSPORT_DAY = '2016-01-10';
const FIRST_ID_CARD_DAY = '2016-01-11';
// The age at which the paper booklet was issued, and the age for the first ID card.
const PASSPORT_BOOKLET_AGE = 16;
const ID_CARD_AGE = 14;
const ADULT_AGE = 18;
const ID_CARD_VALIDITY_YEARS = 10;

// Letters seen in booklet series (КА, СН, ВМ, …); Ь, Й and the like never appear there.
const PASSPORT_SERIES_LETTERS: readonly string[] = [...'АВЕІКМНОРСТХЮЯ'];

const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 50],
  ['ukr.net', 30],
  ['i.ua', 6],
  ['outlook.com', 6],
  ['meta.ua', 4],
  ['icloud.com', 4],
];

const VERIFICATION_STATUSES: readonly (readonly [VerificationStatus, number])[] = [
  ['VERIFIED', 92],
  ['VERIFICATION_NEEDED', 4],
  ['IN_REVIEW', 2],
  ['CHANGES_NEEDED', 1],
  ['NOT_VERIFIED', 1],
];
// Document-scan (OFFLINE) sign-ups wait for a registrar, so more of them are not yet verified.
const OFFLINE_VERIFICATION_STATUSES: readonly (readonly [VerificationStatus, number])[] = [
  ['VERIFIED', 75],
  ['VERIFICATION_NEEDED', 14],
  ['IN_REVIEW', 6],
  ['CHANGES_NEEDED', 3],
  ['NOT_VERIFIED', 2],
];

/**
 * The id of person `index` for `seed`, the same as `generatePersons(...)[index].id`; lets other
 * subgraphs' seeds reference people without generating them.
 */
export function personId(seed: number, index: number): string {
  return deterministicUuid(`person:${seed}`, index);
}

// Everything that depends only on (seed, today), computed once per run instead of per person.
interface Context {
  seed: number;
  today: string;
  root: Random;
  salt: number;
  bands: readonly (readonly [readonly [from: string, to: string], number])[];
}

function createContext(seed: number, today: string): Context {
  if (!isIsoDate(today)) throw new RangeError(`today must be a YYYY-MM-DD date, got ${today}`);
  if (today < FIRST_ID_CARD_DAY) throw new RangeError(`today must be ${FIRST_ID_CARD_DAY} or later, got ${today}`);
  const bands = AGE_BANDS.map(([minAge, maxAge, weight]) => [[addDays(addYears(today, -(maxAge + 1)), 1), addYears(today, -minAge)] as const, weight] as const);
  return { seed, today, root: createRandom(seed), salt: hashString(`persons:${seed}`), bands };
}

function femaleShare(age: number): number {
  // Women outlive men by about ten years in Ukraine, so the share of women grows with age.
  if (age < ADULT_AGE) return 0.486;
  if (age < 60) return 0.51;
  if (age < 75) return 0.58;
  return 0.68;
}

function mobilePhone(random: Random): GeneratedPhone {
  return { type: 'MOBILE', number: `+380${random.pick(MOBILE_OPERATOR_CODES)}${random.digits(7)}` };
}

function landLine(random: Random, region: Region): GeneratedPhone {
  // Subscriber numbers do not start with 0 or 1 (those begin trunk and service codes).
  return { type: 'LAND_LINE', number: `+38${region.phoneCode}${random.int(2, 7)}${random.digits(6)}` };
}

// Names come from fixed lists, so each is transliterated once per process instead of per person.
const slugCache = new Map<string, string>();
function slug(name: string): string {
  let cached = slugCache.get(name);
  if (cached === undefined) {
    cached = transliterate(name)
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '');
    slugCache.set(name, cached);
  }
  return cached;
}

function emailFor(random: Random, firstName: string, lastName: string, birthDate: string): string {
  const first = slug(firstName);
  const last = slug(lastName);
  const separator = random.pick(['.', '_', '']);
  const base = random.chance(0.3) ? `${first[0] ?? 'x'}${separator}${last}` : `${first}${separator}${last}`;
  const roll = random.next();
  const suffix = roll < 0.35 ? birthDate.slice(2, 4) : roll < 0.55 ? String(random.int(1, 999)) : '';
  return `${base}${suffix}@${random.weighted(EMAIL_DOMAINS)}`;
}

function birthCertificate(random: Random, ctx: Context, index: number, birthDate: string, region: Region): GeneratedDocument {
  // Series: a Roman numeral in Cyrillic letters and two letters of the registry office's region;
  // no space, because the eHealth number rule has none.
  const numeral = random.chance(0.9) ? 'І' : 'ІІ';
  const serial = String(permuteIndex(index, 1_000_000, ctx.salt ^ 0x0b1)).padStart(6, '0');
  return {
    type: 'BIRTH_CERTIFICATE',
    number: `${numeral}-${region.documentSeries}${serial}`,
    issuedAt: minDate(ctx.today, addDays(birthDate, random.int(2, 30))),
    issuedBy: `Відділ ДРАЦС ${region.locative}`,
    expirationDate: null,
  };
}

function identityDocument(random: Random, ctx: Context, index: number, birthDate: string, age: number, region: Region): GeneratedDocument {
  const passportFrom = maxDate(addYears(birthDate, PASSPORT_BOOKLET_AGE), FIRST_PASSPORT_DAY);
  const passportTo = minDate(ctx.today, LAST_PASSPORT_DAY);
  // Older people mostly kept their booklets; ID cards are exchanged on loss or by choice.
  const keepsBooklet = passportFrom <= passportTo && age >= ADULT_AGE && random.chance(age >= 45 ? 0.8 : 0.6);
  if (keepsBooklet) {
    const issuedAt = random.date(passportFrom, passportTo);
    const series = `${random.pick(PASSPORT_SERIES_LETTERS)}${random.pick(PASSPORT_SERIES_LETTERS)}`;
    return {
      type: 'PASSPORT',
      number: `${series}${String(permuteIndex(index, 1_000_000, ctx.salt ^ 0x9a5)).padStart(6, '0')}`,
      issuedAt,
      // The migration service took passports over from the police at the end of 2012.
      issuedBy: `${issuedAt < '2012-11-01' ? 'РВ ГУМВС України' : 'ГУ ДМС України'} ${region.locative}`,
      expirationDate: null,
    };
  }
  // An ID card is valid for ten years, so a person who holds a current one got it within the
  // last ten years, after turning 14 and after the cards were introduced.
  const from = maxDate(maxDate(addYears(birthDate, ID_CARD_AGE), FIRST_ID_CARD_DAY), addDays(addYears(ctx.today, -ID_CARD_VALIDITY_YEARS), 1));
  const issuedAt = random.date(from, ctx.today);
  return {
    type: 'NATIONAL_ID',
    number: String(permuteIndex(index, 1_000_000_000, ctx.salt ^ 0x1dc)).padStart(9, '0'),
    issuedAt,
    // ID cards name the issuing office by a four-digit code whose first two digits are the region's.
    issuedBy: `${region.koatuu}${random.digits(2)}`,
    expirationDate: addYears(issuedAt, ID_CARD_VALIDITY_YEARS),
  };
}

function parent(
  random: Random,
  gender: Gender,
  family: { lastName: string; fatherName: string },
  childBirthDate: string,
  relationType: ConfidantRelationType,
  certificate: GeneratedDocument,
): GeneratedConfidantPerson {
  const ageAtBirth = gender === 'FEMALE' ? random.int(19, 38) : random.int(21, 42);
  const birthDate = addDays(addYears(childBirthDate, -ageAtBirth), -random.int(0, 364));
  const firstName = gender === 'MALE' ? family.fatherName : random.pick(FEMALE_FIRST_NAMES);
  return {
    relationType,
    firstName,
    lastName: lastNameFor(family.lastName, gender),
    secondName: patronymic(random.pick(MALE_FIRST_NAMES), gender),
    birthDate,
    gender,
    taxId: randomRnokpp(random, birthDate, gender),
    phones: [mobilePhone(random)],
    documentsRelationship: [certificate],
  };
}

function generateOne(ctx: Context, index: number): GeneratedPerson {
  const own = ctx.root.fork(`person:${index}`);
  // Separate streams per aspect keep, say, a new address rule from reshuffling everyone's names.
  const core = own.fork('core');
  const places = own.fork('places');
  const docs = own.fork('documents');
  const contacts = own.fork('contacts');
  const family = own.fork('family');

  const [from, to] = core.weighted(ctx.bands);
  const birth = core.date(from, to);
  const age = ageOn(birth, ctx.today);
  const gender: Gender = core.chance(femaleShare(age)) ? 'FEMALE' : 'MALE';
  const familyName = core.pick(LAST_NAMES);
  const fatherName = core.pick(MALE_FIRST_NAMES);
  const names = randomFullName(core, gender, { lastName: familyName, fatherName });
  const secondName = core.chance(0.985) ? names.secondName : null;

  const region = pickRegion(places);
  const settlement = pickSettlement(places, region);
  const birthRegion = places.chance(age < ADULT_AGE ? 0.9 : 0.7) ? region : pickRegion(places);
  const birthSettlement = pickSettlement(places, birthRegion);
  const addresses: GeneratedAddress[] = [{ type: 'RESIDENCE', ...randomAddress(places, region, settlement) }];
  if (places.chance(0.3)) {
    // Registration ("propiska") is often still at the parents' home in the birthplace.
    const [regRegion, regSettlement] = places.chance(0.5) ? [region, settlement] : [birthRegion, birthSettlement];
    addresses.push({ type: 'REGISTRATION', ...randomAddress(places, regRegion, regSettlement) });
  }

  const documents: GeneratedDocument[] = [];
  const certificate = age < ADULT_AGE ? birthCertificate(docs, ctx, index, birth, birthRegion) : null;
  if (age < ID_CARD_AGE && certificate) documents.push(certificate);
  else documents.push(identityDocument(docs, ctx, index, birth, age, region));
  const unzr = documents.some((d) => d.type === 'NATIONAL_ID') ? unzrFor(birth, permuteIndex(index, 10_000, ctx.salt ^ 0x52)) : null;

  // Refusing a tax number is rare; many young children have simply not been given one yet,
  // which the rules allow under 14.
  const noTaxId = docs.chance(0.02);
  const hasTaxId = !noTaxId && (age >= ID_CARD_AGE || docs.chance(0.6));
  const taxId = hasTaxId ? randomRnokpp(docs, birth, gender) : null;

  const mobileChance = age < 10 ? 0 : age < ID_CARD_AGE ? 0.6 : age < 75 ? 0.96 : 0.7;
  const landLineChance = age < ID_CARD_AGE ? 0 : age >= 60 ? 0.35 : 0.08;
  const phones: GeneratedPhone[] = [];
  if (contacts.chance(mobileChance)) phones.push(mobilePhone(contacts));
  if (contacts.chance(landLineChance)) phones.push(landLine(contacts, region));
  const hasMobile = phones.some((p) => p.type === 'MOBILE');

  const emailChance = age < 10 ? 0.05 : age < ID_CARD_AGE ? 0.4 : age < ADULT_AGE ? 0.55 : age < 65 ? 0.75 : 0.35;
  const email = contacts.chance(emailChance) ? emailFor(contacts, names.firstName, names.lastName, birth) : null;

  const authenticationMethod: AuthenticationMethod = age < ID_CARD_AGE ? 'THIRD_PERSON' : hasMobile && contacts.chance(0.9) ? 'OTP' : 'OFFLINE';
  let preferredWayOfCommunication: CommunicationChannel | null = null;
  if (email !== null && hasMobile) preferredWayOfCommunication = contacts.chance(0.35) ? 'EMAIL' : 'PHONE';
  else if (email !== null) preferredWayOfCommunication = 'EMAIL';
  else if (phones.length > 0) preferredWayOfCommunication = 'PHONE';

  const confidantPersons: GeneratedConfidantPerson[] = [];
  if (certificate) {
    const familyNames = { lastName: familyName, fatherName };
    const primaryGender: Gender = family.chance(0.65) ? 'FEMALE' : 'MALE';
    confidantPersons.push(parent(family, primaryGender, familyNames, birth, 'PRIMARY', certificate));
    if (family.chance(0.4)) {
      const secondaryGender: Gender = primaryGender === 'FEMALE' ? 'MALE' : 'FEMALE';
      confidantPersons.push(parent(family, secondaryGender, familyNames, birth, 'SECONDARY', certificate));
    }
  }

  let emergencyContact: GeneratedEmergencyContact | null = null;
  if (family.chance(0.7)) {
    const guardian = confidantPersons[0];
    if (guardian) {
      emergencyContact = {
        firstName: guardian.firstName,
        lastName: guardian.lastName,
        secondName: guardian.secondName,
        phones: guardian.phones.map((p) => ({ ...p })),
      };
    } else {
      // Adults usually name a spouse, parent or grown child, who often shares the surname.
      const contactGender: Gender = family.chance(0.6) ? 'FEMALE' : 'MALE';
      const contact = randomFullName(family, contactGender, family.chance(0.55) ? { lastName: familyName } : {});
      emergencyContact = { ...contact, phones: [mobilePhone(family)] };
    }
  }

  const verificationStatus = family.weighted(authenticationMethod === 'OFFLINE' ? OFFLINE_VERIFICATION_STATUSES : VERIFICATION_STATUSES);

  return {
    id: personId(ctx.seed, index),
    firstName: names.firstName,
    lastName: names.lastName,
    secondName,
    birthDate: birth,
    birthCountry: 'Україна',
    birthSettlement: birthSettlement.name,
    gender,
    taxId,
    noTaxId,
    unzr,
    email,
    phones,
    documents,
    addresses,
    emergencyContact,
    confidantPersons,
    authenticationMethod,
    preferredWayOfCommunication,
    verificationStatus,
  };
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Streams people `offset … offset + count − 1` one at a time, so a seed run of millions holds
 * one person in memory at a time.
 *
 * @throws RangeError when `count` or `offset` is not a non-negative integer, or `today` is not a
 *   date on or after 2016-01-11 (the first ID card)
 */
export function* iteratePersons(options: GeneratePersonsOptions): Generator<GeneratedPerson, void, undefined> {
  const offset = options.offset ?? 0;
  checkCount('count', options.count);
  checkCount('offset', offset);
  const ctx = createContext(options.seed, options.today);
  for (let index = offset; index < offset + options.count; index++) yield generateOne(ctx, index);
}

/**
 * Generates `count` people starting at index `offset` (default 0).
 *
 * @example
 * const people = generatePersons({ seed: 1, count: 100, today: '2025-06-01' });
 * const tail = generatePersons({ seed: 1, count: 50, offset: 50, today: '2025-06-01' });
 * // tail[0] deep-equals people[50]
 * @throws RangeError as {@link iteratePersons}
 */
export function generatePersons(options: GeneratePersonsOptions): GeneratedPerson[] {
  return Array.from(iteratePersons(options));
}

/**
 * Person `index` alone: what `generatePersons({ seed, count: 1, offset: index, today })[0]` returns.
 * Handy for demo personas chosen by index.
 */
export function generatePerson(seed: number, index: number, today: string): GeneratedPerson {
  checkCount('index', index);
  return generateOne(createContext(seed, today), index);
}
