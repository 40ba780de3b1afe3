/**
 * A small hand-made directory whose every row is chosen to make one search rule visible:
 * look-alike names for prefix and typo matching, doctors hidden by each listing rule, places a
 * known distance apart. Tests assert exact result sets against it.
 */
import { deterministicUuid, edrpouCheckDigit } from '@pc/fixtures';
import type { DivisionStatus, DoctorStatus, LegalEntityStatus, Speciality } from '../../src/domain/model';
import type { DivisionInput, DoctorInput, LegalEntityInput, ProviderBatch } from '../../src/services/ProviderStore';

const id = (n: number): string => deterministicUuid('directory-test', n);

/** Legal entities. */
export const LE = { kyiv: id(1), lviv: id(2), suspended: id(3) } as const;
/** Divisions: `kyivMain` and `brovary` (~19 km apart), `kyivClosed` inactive, Lviv ones ~470 km west. */
export const DIV = {
  kyivMain: id(11),
  kyivClosed: id(12),
  brovary: id(13),
  lvivMain: id(14),
  stryi: id(15),
  suspendedKyiv: id(16),
} as const;

/** Coordinates of the divisions. */
export const AT = {
  kyivMain: { latitude: 50.4475, longitude: 30.5224 },
  kyivClosed: { latitude: 50.4352, longitude: 30.5174 },
  brovary: { latitude: 50.511, longitude: 30.7909 },
  lvivMain: { latitude: 49.8397, longitude: 24.0297 },
  stryi: { latitude: 49.2561, longitude: 23.8497 },
  suspendedKyiv: { latitude: 50.45, longitude: 30.5 },
} as const;

/** Doctors, by what they demonstrate. */
export const DOC = {
  shevchenkoOlena: id(101), // listed, FAMILY, Київ
  shevchukAndrii: id(102), // listed, THERAPIST, Київ + Бровари
  kovalenkoMariia: id(103), // listed, PEDIATRICIAN, Бровари
  ivanenkoIhor: id(104), // listed, FAMILY, Львів
  yakovenkoSofiia: id(105), // listed, FAMILY, Стрий, hyphenated first name
  marianenkoYuliia: id(106), // listed, THERAPIST, Львів, apostrophe; full (not accepting)
  shevchenkoDismissed: id(107), // DISMISSED
  shevchenkoClosedDivision: id(108), // APPROVED but only at an INACTIVE division
  shevchenkoSuspendedEntity: id(109), // APPROVED at an active division of a SUSPENDED legal entity
  shevchenkoNew: id(110), // NEW
} as const;

/** The doctors that must never be listed, whatever the filter. */
export const HIDDEN = [DOC.shevchenkoDismissed, DOC.shevchenkoClosedDivision, DOC.shevchenkoSuspendedEntity, DOC.shevchenkoNew];

/** Ids of the 24 extra Kyiv family doctors (three share one full name, to exercise the id tie-breaker). */
export const EXTRA = Array.from({ length: 24 }, (_, i) => id(200 + i));

const edrpou = (n: number): string => {
  const first7 = String(3_100_000 + n);
  return `${first7}${edrpouCheckDigit(first7)}`;
};

function legalEntity(i: string, n: number, status: LegalEntityStatus, area: string, settlement: string): LegalEntityInput {
  return {
    id: i,
    name: `КНП "Центр первинної медико-санітарної допомоги №${n}"`,
    shortName: `ЦПМСД №${n}`,
    publicName: null,
    edrpou: edrpou(n),
    type: 'PRIMARY_CARE',
    status,
    ownerPropertyType: 'STATE',
    address: {
      type: 'REGISTRATION',
      country: 'UA',
      area,
      region: null,
      settlement,
      settlementType: 'CITY',
      streetType: 'вул.',
      street: 'Соборна',
      building: '1',
      apartment: null,
      zip: '01001',
    },
    phones: [],
    email: null,
    website: null,
  };
}

function division(
  i: string,
  le: string,
  name: string,
  status: DivisionStatus,
  area: string,
  settlement: string,
  at: { latitude: number; longitude: number },
): DivisionInput {
  return {
    id: i,
    legalEntityId: le,
    name,
    type: 'AMBULANT_CLINIC',
    status,
    country: 'UA',
    area,
    region: null,
    settlement,
    settlementType: 'CITY',
    streetType: 'вул.',
    street: 'Шевченка',
    building: '5',
    zip: '01001',
    ...at,
    workingHours: [
      {
        day: 'WEDNESDAY',
        intervals: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
      { day: 'MONDAY', intervals: [{ start: '08:00', end: '17:00' }] },
    ],
    phones: [{ type: 'LAND_LINE', number: '+380441234567' }],
    email: null,
  };
}

function doctor(
  i: string,
  [lastName, firstName, secondName]: [string, string, string | null],
  speciality: Speciality,
  le: string,
  divisionIds: string[],
  status: DoctorStatus = 'APPROVED',
): DoctorInput {
  return {
    id: i,
    legalEntityId: le,
    divisionIds,
    firstName,
    lastName,
    secondName,
    gender: 'FEMALE',
    speciality,
    specialityLevel: 'FIRST',
    specialities: [{ speciality, level: 'FIRST', main: true, attestationYear: 2021 }],
    position: 'Лікар',
    about: null,
    experienceYears: 10,
    education: [],
    qualifications: [],
    status,
  };
}

const EXTRA_NAMES: [string, string, string][] = [
  ['Ткаченко', 'Анна', 'Іванівна'],
  ['Ткаченко', 'Анна', 'Іванівна'],
  ['Ткаченко', 'Анна', 'Іванівна'],
  ['Бойко', 'Ганна', 'Олегівна'],
  ['Ґудзь', 'Галина', 'Петрівна'],
  ['Гнатюк', 'Ірина', 'Романівна'],
  ['Єременко', 'Олена', 'Ігорівна'],
  ['Ейсмонт', 'Лідія', 'Юріївна'],
  ['Ільченко', 'Ольга', 'Михайлівна'],
  ['Їжакевич', 'Дарина', 'Андріївна'],
  ['Яременко', 'Ніна', 'Василівна'],
  ['Щербак', 'Тетяна', 'Ігорівна'],
  ['Юрченко', 'Леся', 'Богданівна'],
  ['Ярош', 'Віра', 'Степанівна'],
  ['Петрук', 'Надія', 'Іванівна'],
  ['Литвин', 'Катерина', 'Юріївна'],
  ['Мазур', 'Світлана', 'Олександрівна'],
  ['Остапчук', 'Людмила', 'Петрівна'],
  ['Дзюба', 'Інна', 'Федорівна'],
  ['Зозуля', 'Раїса', 'Миколаївна'],
  ['Чумак', 'Уляна', 'Тарасівна'],
  ['Вовк', 'Христина', 'Ярославівна'],
  ['Сорока', 'Зоряна', 'Ігорівна'],
  ['Аврамчук', 'Алла', 'Борисівна'],
];

/** The whole small directory. */
export function smallDirectory(): ProviderBatch {
  return {
    legalEntities: [
      legalEntity(LE.kyiv, 1, 'ACTIVE', 'м. Київ', 'Київ'),
      legalEntity(LE.lviv, 2, 'ACTIVE', 'Львівська область', 'Львів'),
      legalEntity(LE.suspended, 3, 'SUSPENDED', 'м. Київ', 'Київ'),
    ],
    divisions: [
      division(DIV.kyivMain, LE.kyiv, 'Амбулаторія №1', 'ACTIVE', 'м. Київ', 'Київ', AT.kyivMain),
      division(DIV.kyivClosed, LE.kyiv, 'Амбулаторія №2', 'INACTIVE', 'м. Київ', 'Київ', AT.kyivClosed),
      division(DIV.brovary, LE.kyiv, 'Амбулаторія №3', 'ACTIVE', 'Київська область', 'Бровари', AT.brovary),
      division(DIV.lvivMain, LE.lviv, 'Амбулаторія №1', 'ACTIVE', 'Львівська область', 'Львів', AT.lvivMain),
      division(DIV.stryi, LE.lviv, 'Амбулаторія №2', 'ACTIVE', 'Львівська область', 'Стрий', AT.stryi),
      division(DIV.suspendedKyiv, LE.suspended, 'Амбулаторія', 'ACTIVE', 'м. Київ', 'Київ', AT.suspendedKyiv),
    ],
    doctors: [
      doctor(DOC.shevchenkoOlena, ['Шевченко', 'Олена', 'Петрівна'], 'FAMILY_DOCTOR', LE.kyiv, [DIV.kyivMain]),
      doctor(DOC.shevchukAndrii, ['Шевчук', 'Андрій', 'Іванович'], 'THERAPIST', LE.kyiv, [DIV.kyivMain, DIV.brovary]),
      doctor(DOC.kovalenkoMariia, ['Коваленко', 'Марія', 'Степанівна'], 'PEDIATRICIAN', LE.kyiv, [DIV.brovary]),
      doctor(DOC.ivanenkoIhor, ['Іваненко', 'Ігор', 'Олегович'], 'FAMILY_DOCTOR', LE.lviv, [DIV.lvivMain]),
      doctor(DOC.yakovenkoSofiia, ['Яковенко', 'Софія-Марія', 'Тарасівна'], 'FAMILY_DOCTOR', LE.lviv, [DIV.stryi]),
      doctor(DOC.marianenkoYuliia, ['Марʼяненко', 'Юлія', 'Василівна'], 'THERAPIST', LE.lviv, [DIV.lvivMain]),
      doctor(DOC.shevchenkoDismissed, ['Шевченко', 'Петро', 'Іванович'], 'FAMILY_DOCTOR', LE.kyiv, [DIV.kyivMain], 'DISMISSED'),
      doctor(DOC.shevchenkoClosedDivision, ['Шевченко', 'Ірина', 'Андріївна'], 'FAMILY_DOCTOR', LE.kyiv, [DIV.kyivClosed]),
      doctor(DOC.shevchenkoSuspendedEntity, ['Шевченко', 'Оксана', 'Іванівна'], 'FAMILY_DOCTOR', LE.suspended, [DIV.suspendedKyiv]),
      doctor(DOC.shevchenkoNew, ['Шевченко', 'Галина', null], 'FAMILY_DOCTOR', LE.kyiv, [DIV.kyivMain], 'NEW'),
      ...EXTRA.map((i, n) => doctor(i, EXTRA_NAMES[n], 'FAMILY_DOCTOR', LE.kyiv, [DIV.kyivMain])),
    ],
  };
}

/** Every doctor that is listed (approved, active division, active legal entity). */
export const LISTED = [DOC.shevchenkoOlena, DOC.shevchukAndrii, DOC.kovalenkoMariia, DOC.ivanenkoIhor, DOC.yakovenkoSofiia, DOC.marianenkoYuliia, ...EXTRA];
