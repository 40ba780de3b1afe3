/**
 * Synthetic medical providers for the directory subgraph: legal entities, their divisions and
 * their primary-care doctors, shaped after the eHealth data model (docs/domain.md, "Doctor
 * directory").
 *
 * Every record is a pure function of the seed, its index and the collection sizes, which is what
 * makes chunked generation possible: divisions are laid out as contiguous index ranges per legal
 * entity ({@link ProviderLayout}, O(legal entities) memory), so doctors `from … to` can be
 * generated without materialising the divisions, and a chunk holds exactly the records a full
 * run would hold at those indexes.
 *
 * @packageDocumentation
 */

import { isIsoDate } from '@pc/calendar';
import {
  createRandom,
  deterministicUuid,
  edrpouCheckDigit,
  hashString,
  isValidEdrpou,
  permuteIndex,
  pickRegion,
  pickSettlement,
  randomAddress,
  randomFullName,
  randomPointIn,
  randomRnokpp,
  REGIONS,
  settlementPrefix,
  transliterate,
  type GeoPoint,
  type PostalAddress,
  type Random,
  type Region,
  type Settlement,
} from '@pc/fixtures';

// Re-exported so that directory code validating provider codes needs no second import path.
export { edrpouCheckDigit, isValidEdrpou };

/** Specialities that may hold declarations. */
export type Speciality = 'FAMILY_DOCTOR' | 'THERAPIST' | 'PEDIATRICIAN';
/** Qualification category, from BASIC (none yet) through SECOND and FIRST to HIGHEST. */
export type SpecialityLevel = 'BASIC' | 'FIRST' | 'SECOND' | 'HIGHEST';
/** Kind of provider; only PRIMARY_CARE and MSP may take declarations. */
export type LegalEntityType = 'PRIMARY_CARE' | 'MSP' | 'OUTPATIENT';
/** Registration status of a provider. */
export type LegalEntityStatus = 'ACTIVE' | 'SUSPENDED' | 'CLOSED' | 'REORGANIZED';
/** Communal/state property or private. */
export type OwnerPropertyType = 'STATE' | 'PRIVATE';
/** CLINIC (main site), AMBULANT_CLINIC (ambulatory) or FAP (village feldsher-midwife point). */
export type DivisionType = 'CLINIC' | 'AMBULANT_CLINIC' | 'FAP';
/** Whether a division receives patients. */
export type DivisionStatus = 'ACTIVE' | 'INACTIVE';
/** Employment status of a doctor; only APPROVED doctors are listed publicly. */
export type DoctorStatus = 'NEW' | 'APPROVED' | 'DISMISSED';
/** Gender. */
export type Gender = 'MALE' | 'FEMALE';
/** A day of the week, as in eHealth working hours. */
export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';

/** A phone number, `+38` and ten digits. */
export interface ProviderPhone {
  /** MOBILE or LAND_LINE. */
  type: 'MOBILE' | 'LAND_LINE';
  /** `+380XXXXXXXXX`. */
  number: string;
}

/** A medical provider (юридична особа або ФОП). */
export interface GeneratedLegalEntity {
  /** UUID-shaped, from {@link legalEntityId}. */
  id: string;
  /** Full registered name: `КНП "Центр первинної медико-санітарної допомоги №3" Львівської міської ради`. */
  name: string;
  /** Short/public name. */
  shortName: string;
  /** 8-digit EDRPOU with a valid check digit, or a sole proprietor's 10-digit RNOKPP. */
  edrpou: string;
  /** PRIMARY_CARE mostly, some MSP and OUTPATIENT. */
  type: LegalEntityType;
  /** ACTIVE for about 94%. */
  status: LegalEntityStatus;
  /** STATE for communal enterprises, PRIVATE for companies and sole proprietors. */
  ownerPropertyType: OwnerPropertyType;
  /** Contact e-mail. */
  email: string;
  /** A landline, sometimes also a mobile. */
  phones: ProviderPhone[];
  /** Web site, when it has one. */
  website: string | null;
  /** Registered address; the provider's divisions are in the same oblast. */
  address: PostalAddress;
}

/** Opening hours of one weekday (closed days are absent from the list). */
export interface WorkingHours {
  /** The weekday. */
  day: Weekday;
  /** `HH:MM` intervals, in order; two when there is a lunch break. */
  intervals: { start: string; end: string }[];
}

/** A branch of a provider where patients are seen. */
export interface GeneratedDivision {
  /** UUID-shaped, from {@link divisionId}. */
  id: string;
  /** Owner. */
  legalEntityId: string;
  /** Name as shown to patients. */
  name: string;
  /** CLINIC, AMBULANT_CLINIC or FAP. */
  type: DivisionType;
  /** Street address. */
  address: PostalAddress;
  /** Within the built-up area of a real settlement (≤ 3 km for towns, up to 8 km for big cities). */
  location: GeoPoint;
  /** Open days only. */
  workingHours: WorkingHours[];
  /** A landline, sometimes also a mobile. */
  phones: ProviderPhone[];
  /** ACTIVE for about 95%. */
  status: DivisionStatus;
}

/** A doctor's education record. */
export interface DoctorEducation {
  /** University name. */
  institution: string;
  /** EXPERT (спеціаліст, before 2017) or MASTER. */
  degree: 'EXPERT' | 'MASTER';
  /** Graduation date, `YYYY-MM-DD`. */
  graduatedAt: string;
  /** Speciality on the diploma. */
  speciality: string;
}

/** A doctor (an employee of type DOCTOR). */
export interface GeneratedDoctor {
  /** UUID-shaped, from {@link doctorId}. */
  id: string;
  /** Employer. */
  legalEntityId: string;
  /** One or two divisions, all of the employer. */
  divisionIds: string[];
  /** Given name. */
  firstName: string;
  /** Family name. */
  lastName: string;
  /** Patronymic. */
  secondName: string;
  /** Gender; about three in four primary-care doctors are women. */
  gender: Gender;
  /** FAMILY_DOCTOR ~60%, THERAPIST ~25%, PEDIATRICIAN ~15%. */
  speciality: Speciality;
  /** Qualification category, growing with experience. */
  specialityLevel: SpecialityLevel;
  /** Medical university. */
  education: DoctorEducation[];
  /** Job title. */
  position: string;
  /** A sentence about the doctor, in Ukrainian. */
  about: string;
  /** Years of practice. */
  experienceYears: number;
  /** APPROVED ~95%, some NEW and DISMISSED. */
  status: DoctorStatus;
  /** Maximum declarations, by speciality. */
  declarationLimit: number;
}

/** Declaration limits per speciality. */
export type DeclarationLimits = Readonly<Record<Speciality, number>>;

/** The *config* defaults of docs/domain.md: family doctor 1800, therapist 2000, pediatrician 900. */
export const DEFAULT_DECLARATION_LIMITS: DeclarationLimits = {
  FAMILY_DOCTOR: 1800,
  THERAPIST: 2000,
  PEDIATRICIAN: 900,
};

/** The reference date used when none is given, so that output never depends on the clock. */
const DEFAULT_PROVIDERS_TODAY = '2025-01-01';

/** Options shared by the doctor generators. */
export interface DoctorOptions {
  /** Limits per speciality; default {@link DEFAULT_DECLARATION_LIMITS}. */
  declarationLimits?: Partial<DeclarationLimits>;
  /** Date that experience and graduation are counted back from; default {@link DEFAULT_PROVIDERS_TODAY}. */
  today?: string;
}

/** Options of {@link generateProviders}. */
export interface GenerateProvidersOptions extends DoctorOptions {
  /** Seed; equal seeds give equal output. */
  seed: number;
  /** Number of legal entities. */
  legalEntities: number;
  /** Number of divisions; at least `legalEntities` (each has one or more). */
  divisions: number;
  /** Number of doctors. */
  doctors: number;
}

/** What {@link generateProviders} returns. */
export interface GeneratedProviders {
  /** Index `i` has id `legalEntityId(seed, i)`. */
  legalEntities: GeneratedLegalEntity[];
  /** Index `j` has id `divisionId(seed, j)`. */
  divisions: GeneratedDivision[];
  /** Index `k` has id `doctorId(seed, k)`. */
  doctors: GeneratedDoctor[];
}

/** The id of legal entity `index`. */
export function legalEntityId(seed: number, index: number): string {
  return deterministicUuid(`legal-entity:${seed}`, index);
}

/** The id of division `index`. */
export function divisionId(seed: number, index: number): string {
  return deterministicUuid(`division:${seed}`, index);
}

/** The id of doctor `index`. */
export function doctorId(seed: number, index: number): string {
  return deterministicUuid(`doctor:${seed}`, index);
}

// ---------------------------------------------------------------------------------------------
// Legal entities
// ---------------------------------------------------------------------------------------------

// KNP: a communal non-profit enterprise of a town council (most primary care in Ukraine);
// TOV: a private company; FOP: a doctor registered as a sole proprietor.
type Kind = 'KNP_PRIMARY' | 'KNP_OUTPATIENT' | 'TOV' | 'FOP';

const KINDS: readonly (readonly [Kind, number])[] = [
  ['KNP_PRIMARY', 50],
  ['KNP_OUTPATIENT', 7],
  ['TOV', 20],
  ['FOP', 23],
];

const STATUSES: readonly (readonly [LegalEntityStatus, number])[] = [
  ['ACTIVE', 94],
  ['SUSPENDED', 3],
  ['CLOSED', 2],
  ['REORGANIZED', 1],
];

const CLINIC_PREFIXES: readonly string[] = ['Клініка', 'Медичний центр', 'Сімейна клініка', 'Амбулаторія сімейної медицини'];
const CLINIC_BRANDS: readonly string[] = [
  'Оберіг',
  'Верба',
  'Калина',
  'Родина',
  'Лелека',
  'Добробут',
  'Здоровий світ',
  'Ескулап',
  'Джерело',
  'Світанок',
  'Барвінок',
  'Надія',
  'Мрія',
  'Злагода',
  'Гармонія',
  'Турбота',
  'Сімейний лікар',
  'Підкова',
  'Паросток',
  'Берегиня',
  'Медея',
  'Довіра',
  'Астра',
  'Соняшник',
];

// Everything about a legal entity that others need (divisions take its region and settlement,
// the layout its kind), drawn before and independently of its cosmetic fields.
interface LegalEntityProfile {
  kind: Kind;
  region: Region;
  settlement: Settlement;
  // Relative share of the extra divisions this entity runs (0 for a one-site FOP).
  divisionWeight: number;
}

function profileRandom(seed: number, index: number): Random {
  return createRandom(seed).fork(`legal-entity:${index}`).fork('profile');
}

function legalEntityProfile(seed: number, index: number): LegalEntityProfile {
  const random = profileRandom(seed, index);
  const kind = random.weighted(KINDS);
  // The first providers take one region each, so that even a small directory spans the whole
  // country (a weighted draw would leave sparse Luhansk oblast out of most demo-sized runs).
  const region = index < REGIONS.length ? (REGIONS[index] as Region) : pickRegion(random);
  const settlement = pickSettlement(random, region);
  // A city centre of primary care runs a dozen ambulatories; a private clinic two or three.
  const divisionWeight = kind === 'FOP' ? 0 : kind === 'TOV' ? 0.5 + random.next() : kind === 'KNP_OUTPATIENT' ? 1 : 2 + 6 * random.next();
  return { kind, region, settlement, divisionWeight };
}

function slug(text: string): string {
  return transliterate(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function landLine(random: Random, region: Region): ProviderPhone {
  // Subscriber numbers do not start with 0 or 1 (those begin trunk and service codes).
  return { type: 'LAND_LINE', number: `+38${region.phoneCode}${random.int(2, 7)}${random.digits(6)}` };
}

const MOBILE_CODES: readonly string[] = ['50', '63', '66', '67', '68', '73', '93', '95', '96', '97', '98', '99'];

function mobile(random: Random): ProviderPhone {
  return { type: 'MOBILE', number: `+380${random.pick(MOBILE_CODES)}${random.digits(7)}` };
}

function companyCode(seed: number, index: number): string {
  // Company codes of the 2000s–2020s start with 2, 3 or 4. An affine permutation of the index
  // keeps them unique across up to two million providers without a set of issued codes.
  const first7 = String(2_000_000 + permuteIndex(index, 2_000_000, hashString(`edrpou:${seed}`)));
  return `${first7}${edrpouCheckDigit(first7)}`;
}

function generateLegalEntity(seed: number, index: number): GeneratedLegalEntity {
  const profile = legalEntityProfile(seed, index);
  const { kind, region, settlement } = profile;
  const random = createRandom(seed).fork(`legal-entity:${index}`).fork('details');
  const place = `${settlementPrefix(settlement.type)} ${settlement.name}`;

  let name: string;
  let shortName: string;
  let edrpou: string;
  let type: LegalEntityType;
  let email: string;
  let website: string | null;
  switch (kind) {
    case 'KNP_PRIMARY': {
      // Cities with several primary-care centres number them.
      const number = settlement.population > 150 ? ` №${random.int(1, 12)}` : '';
      const centre = random.chance(0.7) ? 'Центр первинної медико-санітарної допомоги' : 'Центр первинної медичної допомоги';
      name = `КНП "${centre}${number}" ${settlement.council}`;
      shortName = `ЦПМСД${number}, ${place}`;
      edrpou = companyCode(seed, index);
      type = 'PRIMARY_CARE';
      const site = `cpmsd${number ? number.slice(2) : ''}-${slug(settlement.name)}`;
      email = `${site}@ukr.net`;
      website = random.chance(0.45) ? `https://${site}.gov.ua` : null;
      break;
    }
    case 'KNP_OUTPATIENT': {
      const centre = random.pick(['Консультативно-діагностичний центр', 'Міська поліклініка', 'Центр спеціалізованої медичної допомоги']);
      const number = centre === 'Міська поліклініка' ? ` №${random.int(1, 9)}` : '';
      name = `КНП "${centre}${number}" ${settlement.council}`;
      shortName = `${centre}${number}, ${place}`;
      edrpou = companyCode(seed, index);
      type = 'OUTPATIENT';
      const site = `${slug(centre)}-${slug(settlement.name)}`;
      email = `${site}@ukr.net`;
      website = random.chance(0.5) ? `https://${site}.gov.ua` : null;
      break;
    }
    case 'TOV': {
      const brand = `${random.pick(CLINIC_PREFIXES)} ${random.pick(CLINIC_BRANDS)}`;
      name = `ТОВ "${brand}"`;
      shortName = brand;
      edrpou = companyCode(seed, index);
      // MSP is the older eHealth type for the same kind of provider; both take declarations.
      type = random.chance(0.6) ? 'PRIMARY_CARE' : 'MSP';
      const domain = `${slug(brand)}-${slug(settlement.name)}.com.ua`;
      email = `info@${domain}`;
      website = random.chance(0.85) ? `https://${domain}` : null;
      break;
    }
    case 'FOP': {
      const gender: Gender = random.chance(0.75) ? 'FEMALE' : 'MALE';
      const owner = randomFullName(random, gender);
      const birthDate = random.date('1960-01-01', '1992-12-31');
      name = `ФОП ${owner.lastName} ${owner.firstName} ${owner.secondName}`;
      shortName = `ФОП ${owner.lastName} ${owner.firstName[0]}. ${owner.secondName[0]}.`;
      // A sole proprietor is registered under the owner's own RNOKPP.
      edrpou = randomRnokpp(random, birthDate, gender);
      type = 'PRIMARY_CARE';
      email = `${slug(owner.firstName)}.${slug(owner.lastName)}.${birthDate.slice(2, 4)}@gmail.com`;
      website = null;
      break;
    }
  }
  const phones = [landLine(random, region)];
  if (random.chance(0.5)) phones.push(mobile(random));
  return {
    id: legalEntityId(seed, index),
    name,
    shortName,
    edrpou,
    type,
    status: random.weighted(STATUSES),
    ownerPropertyType: kind === 'KNP_PRIMARY' || kind === 'KNP_OUTPATIENT' ? 'STATE' : 'PRIVATE',
    email,
    phones,
    website,
    address: randomAddress(random, region, settlement),
  };
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

function checkRange(from: number, to: number): void {
  checkCount('from', from);
  checkCount('to', to);
  if (to < from) throw new RangeError(`to (${to}) must not be less than from (${from})`);
}

/**
 * Legal entities with indexes `from` (inclusive) to `to` (exclusive). A legal entity depends on
 * the seed and its index only.
 *
 * @throws RangeError on a negative or reversed range
 */
export function generateLegalEntities(seed: number, from: number, to: number): GeneratedLegalEntity[] {
  checkRange(from, to);
  const out: GeneratedLegalEntity[] = [];
  for (let i = from; i < to; i++) out.push(generateLegalEntity(seed, i));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Layout: which divisions belong to which legal entity
// ---------------------------------------------------------------------------------------------

/**
 * The assignment of divisions to legal entities: entity `e` owns the contiguous division
 * indexes `[start(e), start(e + 1))`, every entity owns at least one, and larger communal
 * centres own more. Costs O(legalEntities) to build, independent of the number of doctors.
 */
export interface ProviderLayout {
  /** Number of legal entities. */
  readonly legalEntitiesCount: number;
  /** Number of divisions. */
  readonly divisionsCount: number;
  /** Division index range `[start, end)` of legal entity `index`. */
  divisionRange(legalEntityIndex: number): readonly [start: number, end: number];
  /** The legal entity that owns division `index`. */
  legalEntityOf(divisionIndex: number): number;
}

/**
 * Builds the {@link ProviderLayout} for a seed and collection sizes.
 *
 * @throws RangeError when a count is negative, or there are legal entities but fewer divisions
 *   than legal entities (each needs a division), or divisions but no legal entities
 */
export function createProviderLayout(seed: number, legalEntitiesCount: number, divisionsCount: number): ProviderLayout {
  checkCount('legalEntities', legalEntitiesCount);
  checkCount('divisions', divisionsCount);
  if (divisionsCount < legalEntitiesCount) {
    throw new RangeError(`divisions (${divisionsCount}) must be at least legalEntities (${legalEntitiesCount})`);
  }
  if (legalEntitiesCount === 0 && divisionsCount > 0) {
    throw new RangeError('divisions need at least one legal entity');
  }
  const weights = new Float64Array(legalEntitiesCount);
  let totalWeight = 0;
  for (let e = 0; e < legalEntitiesCount; e++) {
    const weight = legalEntityProfile(seed, e).divisionWeight;
    weights[e] = weight;
    totalWeight += weight;
  }
  // Largest-remainder apportionment of the divisions beyond one per entity: exact total,
  // deterministic, and proportional to the weights.
  const extra = divisionsCount - legalEntitiesCount;
  const counts = new Uint32Array(legalEntitiesCount);
  const remainders: { e: number; r: number }[] = [];
  let assigned = 0;
  for (let e = 0; e < legalEntitiesCount; e++) {
    // With only sole proprietors (all weights 0) the extras are shared evenly.
    const share = totalWeight > 0 ? (extra * weights[e]) / totalWeight : extra / legalEntitiesCount;
    const whole = Math.floor(share);
    counts[e] = 1 + whole;
    assigned += whole;
    remainders.push({ e, r: share - whole });
  }
  remainders.sort((a, b) => b.r - a.r || a.e - b.e);
  for (let i = 0; i < extra - assigned; i++) counts[remainders[i].e] += 1;

  const starts = new Uint32Array(legalEntitiesCount + 1);
  for (let e = 0; e < legalEntitiesCount; e++) starts[e + 1] = starts[e] + counts[e];

  return {
    legalEntitiesCount,
    divisionsCount,
    divisionRange(legalEntityIndex: number): readonly [number, number] {
      if (!(legalEntityIndex >= 0 && legalEntityIndex < legalEntitiesCount)) {
        throw new RangeError(`legal entity index ${legalEntityIndex} outside [0, ${legalEntitiesCount})`);
      }
      return [starts[legalEntityIndex], starts[legalEntityIndex + 1]];
    },
    legalEntityOf(divisionIndex: number): number {
      if (!(divisionIndex >= 0 && divisionIndex < divisionsCount)) {
        throw new RangeError(`division index ${divisionIndex} outside [0, ${divisionsCount})`);
      }
      // Binary search for the last start <= divisionIndex.
      let lo = 0;
      let hi = legalEntitiesCount - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid] <= divisionIndex) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Divisions
// ---------------------------------------------------------------------------------------------

const WEEKDAYS: readonly Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];

function hours(days: readonly Weekday[], intervals: readonly (readonly [string, string])[]): WorkingHours[] {
  return days.map((day) => ({ day, intervals: intervals.map(([start, end]) => ({ start, end })) }));
}

function workingHoursFor(random: Random, type: DivisionType, kind: Kind): WorkingHours[] {
  if (type === 'FAP') {
    return hours(WEEKDAYS, [
      random.pick([
        ['08:00', '15:00'],
        ['08:30', '16:00'],
        ['09:00', '15:00'],
      ] as const),
    ]);
  }
  if (type === 'AMBULANT_CLINIC') {
    const weekday = random.chance(0.3)
      ? hours(WEEKDAYS, [
          ['08:00', '12:00'],
          ['13:00', '17:00'],
        ])
      : hours(WEEKDAYS, [
          random.pick([
            ['08:00', '18:00'],
            ['08:00', '17:00'],
            ['08:00', '16:00'],
          ] as const),
        ]);
    return random.chance(0.25) ? [...weekday, ...hours(['SATURDAY'], [['09:00', '13:00']])] : weekday;
  }
  // Main sites keep evening hours; private clinics often work weekends too.
  const result = hours(WEEKDAYS, [
    random.pick([
      ['08:00', '20:00'],
      ['07:30', '19:00'],
      ['08:00', '19:00'],
    ] as const),
  ]);
  const weekend = kind === 'TOV' ? 0.8 : 0.5;
  if (random.chance(weekend)) result.push(...hours(['SATURDAY'], [['09:00', '15:00']]));
  if (kind === 'TOV' && random.chance(0.4)) result.push(...hours(['SUNDAY'], [['10:00', '14:00']]));
  return result;
}

function generateDivision(seed: number, index: number, layout: ProviderLayout): GeneratedDivision {
  const owner = layout.legalEntityOf(index);
  const [start] = layout.divisionRange(owner);
  const position = index - start;
  const profile = legalEntityProfile(seed, owner);
  const random = createRandom(seed).fork(`division:${index}`);

  // The first division is the main site at the registered settlement; a communal centre's other
  // ambulatories and FAPs spread over its oblast (a hromada serves surrounding villages).
  const settlement = position === 0 || profile.kind === 'FOP' || random.chance(0.6) ? profile.settlement : random.pick(profile.region.settlements);
  let type: DivisionType;
  if (position === 0) type = profile.kind === 'FOP' ? 'AMBULANT_CLINIC' : 'CLINIC';
  else type = settlement.type === 'VILLAGE' && random.chance(0.6) ? 'FAP' : 'AMBULANT_CLINIC';

  const place = `${settlementPrefix(settlement.type)} ${settlement.name}`;
  let name: string;
  if (type === 'FAP') name = `Фельдшерсько-акушерський пункт ${place}`;
  else if (profile.kind === 'TOV') name = position === 0 ? `Головне відділення, ${place}` : `Відділення №${position + 1}, ${place}`;
  else if (profile.kind === 'FOP') name = `Кабінет сімейного лікаря, ${place}`;
  else if (profile.kind === 'KNP_OUTPATIENT') name = position === 0 ? `Головний корпус, ${place}` : `Філія №${position}, ${place}`;
  else name = `Амбулаторія загальної практики — сімейної медицини №${position + 1}, ${place}`;

  const phones = [landLine(random, profile.region)];
  if (random.chance(0.4)) phones.push(mobile(random));
  return {
    id: divisionId(seed, index),
    legalEntityId: legalEntityId(seed, owner),
    name,
    type,
    address: randomAddress(random, profile.region, settlement),
    location: randomPointIn(random, settlement),
    workingHours: workingHoursFor(random, type, profile.kind),
    phones,
    status: random.chance(0.95) ? 'ACTIVE' : 'INACTIVE',
  };
}

/**
 * Divisions with indexes `from` (inclusive) to `to` (exclusive) of a run with the given sizes.
 *
 * @param layout - pass one built by {@link createProviderLayout} to skip rebuilding it per chunk
 * @throws RangeError on a bad range or sizes (see {@link createProviderLayout}), or `to > divisionsCount`
 */
export function generateDivisions(
  seed: number,
  from: number,
  to: number,
  divisionsCount: number,
  legalEntitiesCount: number,
  layout: ProviderLayout = createProviderLayout(seed, legalEntitiesCount, divisionsCount),
): GeneratedDivision[] {
  checkRange(from, to);
  if (to > divisionsCount) throw new RangeError(`to (${to}) exceeds divisionsCount (${divisionsCount})`);
  const out: GeneratedDivision[] = [];
  for (let j = from; j < to; j++) out.push(generateDivision(seed, j, layout));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Doctors
// ---------------------------------------------------------------------------------------------

const SPECIALITIES: readonly (readonly [Speciality, number])[] = [
  ['FAMILY_DOCTOR', 60],
  ['THERAPIST', 25],
  ['PEDIATRICIAN', 15],
];

const DOCTOR_STATUSES: readonly (readonly [DoctorStatus, number])[] = [
  ['APPROVED', 95],
  ['NEW', 3],
  ['DISMISSED', 2],
];

const POSITIONS: Readonly<Record<Speciality, string>> = {
  FAMILY_DOCTOR: 'Лікар загальної практики — сімейний лікар',
  THERAPIST: 'Лікар-терапевт дільничний',
  PEDIATRICIAN: 'Лікар-педіатр дільничний',
};

// Medical universities by the ISO code of the region they are in; doctors mostly study nearby.
const UNIVERSITIES: Readonly<Record<string, string>> = {
  'UA-05': 'Вінницький національний медичний університет імені М. І. Пирогова',
  'UA-12': 'Дніпровський державний медичний університет',
  'UA-21': 'Ужгородський національний університет',
  'UA-23': 'Запорізький державний медико-фармацевтичний університет',
  'UA-26': 'Івано-Франківський національний медичний університет',
  'UA-30': 'Національний медичний університет імені О. О. Богомольця',
  'UA-46': 'Львівський національний медичний університет імені Данила Галицького',
  'UA-51': 'Одеський національний медичний університет',
  'UA-53': 'Полтавський державний медичний університет',
  'UA-59': 'Сумський державний університет',
  'UA-61': 'Тернопільський національний медичний університет імені І. Я. Горбачевського',
  'UA-63': 'Харківський національний медичний університет',
  'UA-77': 'Буковинський державний медичний університет',
};
const UNIVERSITY_NAMES: readonly string[] = Object.values(UNIVERSITIES);

// Regions without a medical university send students to the nearest one.
const NEAREST_UNIVERSITY_REGION: Readonly<Record<string, string>> = {
  'UA-07': 'UA-46',
  'UA-14': 'UA-12',
  'UA-18': 'UA-05',
  'UA-32': 'UA-30',
  'UA-35': 'UA-12',
  'UA-09': 'UA-63',
  'UA-48': 'UA-51',
  'UA-56': 'UA-61',
  'UA-65': 'UA-51',
  'UA-68': 'UA-05',
  'UA-71': 'UA-30',
  'UA-74': 'UA-30',
};

const COMMON_INTERESTS: readonly string[] = [
  'Працюю за принципами доказової медицини.',
  'Консультую українською та англійською мовами.',
  'Особливу увагу приділяю профілактиці та вакцинації.',
];
const ADULT_INTERESTS: readonly string[] = [
  'Веду пацієнтів з артеріальною гіпертензією та цукровим діабетом.',
  'Проводжу ЕКГ і спірометрію на прийомі.',
  'Допомагаю пацієнтам кинути курити та змінити спосіб життя.',
  'Маю досвід ведення пацієнтів після COVID-19.',
];
const CHILD_INTERESTS: readonly string[] = [
  'Консультую щодо грудного вигодовування та харчування дітей.',
  'Стежу за розвитком дитини за рекомендаціями ВООЗ.',
  'Веду дітей з алергією та бронхіальною астмою.',
];
// Interests a doctor of each speciality might list; adult topics would be odd for a pediatrician.
const INTERESTS: Readonly<Record<Speciality, readonly string[]>> = {
  FAMILY_DOCTOR: [...COMMON_INTERESTS, ...ADULT_INTERESTS, ...CHILD_INTERESTS],
  THERAPIST: [...COMMON_INTERESTS, ...ADULT_INTERESTS],
  PEDIATRICIAN: [...COMMON_INTERESTS, ...CHILD_INTERESTS],
};

function pluralYears(n: number): string {
  const lastTwo = n % 100;
  const last = n % 10;
  if (lastTwo >= 11 && lastTwo <= 14) return 'років';
  if (last === 1) return 'рік';
  if (last >= 2 && last <= 4) return 'роки';
  return 'років';
}

function aboutText(random: Random, speciality: Speciality, gender: Gender, experienceYears: number): string {
  const who =
    speciality === 'FAMILY_DOCTOR'
      ? 'Приймаю дорослих і дітей'
      : speciality === 'THERAPIST'
        ? 'Приймаю дорослих пацієнтів від 18 років'
        : 'Веду дітей від народження до 18 років';
  const experience =
    experienceYears === 0
      ? `щойно ${gender === 'FEMALE' ? 'завершила' : 'завершив'} інтернатуру`
      : `досвід роботи — ${experienceYears} ${pluralYears(experienceYears)}`;
  return `${who}; ${experience}. ${random.pick(INTERESTS[speciality])}`;
}

function specialityLevelFor(random: Random, experienceYears: number): SpecialityLevel {
  // Categories are earned by attestation: second after ~5 years, first after ~7, highest after ~10.
  if (experienceYears < 5) return 'BASIC';
  if (experienceYears < 7) return random.chance(0.6) ? 'SECOND' : 'BASIC';
  if (experienceYears < 10)
    return random.weighted([
      ['FIRST', 50],
      ['SECOND', 40],
      ['BASIC', 10],
    ] as const);
  return random.weighted([
    ['HIGHEST', 55],
    ['FIRST', 30],
    ['SECOND', 10],
    ['BASIC', 5],
  ] as const);
}

function generateDoctor(seed: number, index: number, layout: ProviderLayout, limits: DeclarationLimits, today: string): GeneratedDoctor {
  const random = createRandom(seed).fork(`doctor:${index}`);
  // Picking a division uniformly makes staff proportional to the number of sites, and the
  // employer follows from the division so the two always agree.
  const division = random.int(0, layout.divisionsCount - 1);
  const owner = layout.legalEntityOf(division);
  const [start, end] = layout.divisionRange(owner);
  const divisionIndexes = [division];
  if (end - start > 1 && random.chance(0.25)) {
    const other = start + ((division - start + random.int(1, end - start - 1)) % (end - start));
    divisionIndexes.push(other);
  }

  const gender: Gender = random.chance(0.77) ? 'FEMALE' : 'MALE';
  const names = randomFullName(random, gender);
  const speciality = random.weighted(SPECIALITIES);
  // Roughly even over a 40-year career, tilted a little towards the young: primary care in
  // Ukraine has many doctors near retirement and a steady intake of family-medicine interns.
  const experienceYears = Math.floor(43 * random.next() ** 1.15);
  const todayYear = Number(today.slice(0, 4));
  // Six years of university, then two or three years of internship before practice starts.
  const graduationYear = todayYear - experienceYears - random.int(2, 3);
  const graduatedAt = `${graduationYear}-06-${String(random.int(20, 30)).padStart(2, '0')}`;
  const regionCode = legalEntityProfile(seed, owner).region.code;
  const localUniversity = UNIVERSITIES[regionCode] ?? UNIVERSITIES[NEAREST_UNIVERSITY_REGION[regionCode] ?? 'UA-30'];
  const institution = localUniversity !== undefined && random.chance(0.75) ? localUniversity : random.pick(UNIVERSITY_NAMES);
  // The 222 "Медицина" speciality replaced "Лікувальна справа" and "Педіатрія" from 2017 graduations.
  const diplomaSpeciality = graduationYear >= 2017 ? 'Медицина' : speciality === 'PEDIATRICIAN' ? 'Педіатрія' : 'Лікувальна справа';

  return {
    id: doctorId(seed, index),
    legalEntityId: legalEntityId(seed, owner),
    divisionIds: divisionIndexes.map((j) => divisionId(seed, j)),
    firstName: names.firstName,
    lastName: names.lastName,
    secondName: names.secondName,
    gender,
    speciality,
    specialityLevel: specialityLevelFor(random, experienceYears),
    education: [
      {
        institution,
        degree: graduationYear >= 2017 ? 'MASTER' : 'EXPERT',
        graduatedAt,
        speciality: diplomaSpeciality,
      },
    ],
    position: POSITIONS[speciality],
    about: aboutText(random, speciality, gender, experienceYears),
    experienceYears,
    status: random.weighted(DOCTOR_STATUSES),
    declarationLimit: limits[speciality],
  };
}

function resolveDoctorOptions(options: DoctorOptions): { limits: DeclarationLimits; today: string } {
  const limits = { ...DEFAULT_DECLARATION_LIMITS, ...options.declarationLimits };
  for (const [speciality, limit] of Object.entries(limits)) {
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new RangeError(`declaration limit of ${speciality} must be a non-negative integer, got ${limit}`);
    }
  }
  const today = options.today ?? DEFAULT_PROVIDERS_TODAY;
  if (!isIsoDate(today)) throw new RangeError(`today must be a YYYY-MM-DD date, got ${today}`);
  return { limits, today };
}

/**
 * Doctors with indexes `from` (inclusive) to `to` (exclusive) of a run with the given sizes:
 * `generateDoctors(seed, 0, n, D, L)` equals the concatenation of any split into chunks.
 *
 * @param options - declaration limits and reference date; `layout` skips rebuilding the layout
 *   for every chunk
 * @throws RangeError on a bad range or sizes (see {@link createProviderLayout}), or doctors
 *   requested with no divisions
 */
export function generateDoctors(
  seed: number,
  from: number,
  to: number,
  divisionsCount: number,
  legalEntitiesCount: number,
  options: DoctorOptions & { layout?: ProviderLayout } = {},
): GeneratedDoctor[] {
  checkRange(from, to);
  const layout = options.layout ?? createProviderLayout(seed, legalEntitiesCount, divisionsCount);
  if (to > from && layout.divisionsCount === 0) throw new RangeError('doctors need at least one division');
  const { limits, today } = resolveDoctorOptions(options);
  const out: GeneratedDoctor[] = [];
  for (let k = from; k < to; k++) out.push(generateDoctor(seed, k, layout, limits, today));
  return out;
}

/**
 * Generates a whole provider directory: `legalEntities` providers spread over all oblasts
 * (the first 25 take one region each, the rest are weighted by population), `divisions` sites (each provider has at least one, all in its
 * oblast) and `doctors` doctors, each working in one or two divisions of one provider.
 *
 * @example
 * const { legalEntities, divisions, doctors } = generateProviders({
 *   seed: 7, legalEntities: 50, divisions: 200, doctors: 1000,
 * });
 * @throws RangeError when a count is negative, `divisions < legalEntities`, or doctors are
 *   requested with no divisions
 */
export function generateProviders(options: GenerateProvidersOptions): GeneratedProviders {
  const { seed } = options;
  const layout = createProviderLayout(seed, options.legalEntities, options.divisions);
  checkCount('doctors', options.doctors);
  return {
    legalEntities: generateLegalEntities(seed, 0, options.legalEntities),
    divisions: generateDivisions(seed, 0, options.divisions, options.divisions, options.legalEntities, layout),
    doctors: generateDoctors(seed, 0, options.doctors, options.divisions, options.legalEntities, {
      declarationLimits: options.declarationLimits,
      today: options.today,
      layout,
    }),
  };
}
