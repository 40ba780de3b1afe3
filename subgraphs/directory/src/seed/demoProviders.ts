/**
 * The hand-written part of the demo directory: the `doctor` persona of @pc/demo and a few
 * colleagues with fixed ids, so that other domains' demos and tests can name them. The bulk of
 * the demo set comes from the generator (see seedDemo.ts).
 *
 * @packageDocumentation
 */
import { DEMO_PERSONAS } from '@pc/demo';
import { deterministicUuid, edrpouCheckDigit } from '@pc/fixtures';
import type { WorkingHoursDay } from '../domain/model';
import type { DivisionInput, DoctorInput, LegalEntityInput, ProviderBatch } from '../services/ProviderStore';

const id = (n: number): string => deterministicUuid('demo-directory', n);

/**
 * Fixed ids of the hand-written demo records. The persona's employer and division are ACTIVE
 * and PRIMARY_CARE, in Kyiv; the dismissed doctor and the inactive division exist so that the
 * listing rules can be seen (they never appear in search).
 */
export const DEMO_DIRECTORY = {
  /** КНП "ЦПМСД №1" of Kyiv: ACTIVE, PRIMARY_CARE. */
  legalEntityId: id(1),
  /** Its ambulatory on Хрещатик: ACTIVE; the persona, the therapist and the pediatrician work here. */
  divisionId: id(2),
  /** Its second ambulatory, INACTIVE (closed for renovation). */
  inactiveDivisionId: id(3),
  /** The `doctor` persona: an APPROVED FAMILY_DOCTOR accepting patients. */
  doctorId: DEMO_PERSONAS.doctor.id,
  /** An APPROVED THERAPIST (adults only). */
  therapistId: id(10),
  /** An APPROVED PEDIATRICIAN (under 18 only). */
  pediatricianId: id(11),
  /** A DISMISSED family doctor: resolvable by reference (history), never listed. */
  dismissedDoctorId: id(12),
} as const;

const first7 = '3810412';
const WEEKDAY_HOURS: WorkingHoursDay[] = (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((day) => ({
  day,
  intervals: [{ start: '08:00', end: '20:00' }],
}));

const legalEntity: LegalEntityInput = {
  id: DEMO_DIRECTORY.legalEntityId,
  name: 'КНП "Центр первинної медико-санітарної допомоги №1" Печерського району м. Києва',
  shortName: 'ЦПМСД №1 Печерського району',
  publicName: 'ЦПМСД №1, м. Київ',
  edrpou: `${first7}${edrpouCheckDigit(first7)}`,
  type: 'PRIMARY_CARE',
  status: 'ACTIVE',
  ownerPropertyType: 'STATE',
  address: {
    type: 'REGISTRATION',
    country: 'UA',
    area: 'м. Київ',
    region: null,
    settlement: 'Київ',
    settlementType: 'CITY',
    streetType: 'вул.',
    street: 'Хрещатик',
    building: '10',
    apartment: null,
    zip: '01001',
  },
  phones: [{ type: 'LAND_LINE', number: '+380442790000' }],
  email: 'cpmsd1-pechersk@ukr.net',
  website: 'https://cpmsd1-pechersk.gov.ua',
};

const kyivDivision = (
  divisionId: string,
  name: string,
  status: 'ACTIVE' | 'INACTIVE',
  street: string,
  building: string,
  latitude: number,
  longitude: number,
): DivisionInput => ({
  id: divisionId,
  legalEntityId: DEMO_DIRECTORY.legalEntityId,
  name,
  type: 'AMBULANT_CLINIC',
  status,
  country: 'UA',
  area: 'м. Київ',
  region: null,
  settlement: 'Київ',
  settlementType: 'CITY',
  streetType: 'вул.',
  street,
  building,
  zip: '01001',
  latitude,
  longitude,
  workingHours: [...WEEKDAY_HOURS, { day: 'SATURDAY', intervals: [{ start: '09:00', end: '14:00' }] }],
  phones: [{ type: 'LAND_LINE', number: '+380442790011' }],
  email: null,
});

const divisions: DivisionInput[] = [
  kyivDivision(DEMO_DIRECTORY.divisionId, 'Амбулаторія загальної практики — сімейної медицини №1, м. Київ', 'ACTIVE', 'Хрещатик', '10', 50.4475, 30.5224),
  kyivDivision(
    DEMO_DIRECTORY.inactiveDivisionId,
    'Амбулаторія загальної практики — сімейної медицини №2, м. Київ',
    'INACTIVE',
    'Велика Васильківська',
    '45',
    50.4352,
    30.5174,
  ),
];

type DoctorCore = Pick<DoctorInput, 'id' | 'lastName' | 'firstName' | 'secondName' | 'gender' | 'speciality' | 'status' | 'divisionIds'> & {
  position: string;
  experienceYears: number;
  about: string;
};

const doctor = (d: DoctorCore): DoctorInput => ({
  ...d,
  legalEntityId: DEMO_DIRECTORY.legalEntityId,
  specialityLevel: d.experienceYears >= 10 ? 'HIGHEST' : 'FIRST',
  specialities: [{ speciality: d.speciality, level: d.experienceYears >= 10 ? 'HIGHEST' : 'FIRST', main: true, attestationYear: 2022 }],
  education: [
    {
      institution: 'Національний медичний університет імені О. О. Богомольця',
      city: 'Київ',
      degree: 'EXPERT',
      speciality: d.speciality === 'PEDIATRICIAN' ? 'Педіатрія' : 'Лікувальна справа',
      graduationYear: 2024 - d.experienceYears - 3,
    },
  ],
  qualifications: [
    {
      type: 'INTERNSHIP',
      institution: 'Національний університет охорони здоровʼя України імені П. Л. Шупика',
      speciality: d.position,
      year: 2024 - d.experienceYears,
    },
  ],
});

const doctors: DoctorInput[] = [
  doctor({
    id: DEMO_DIRECTORY.doctorId,
    lastName: 'Мельник',
    firstName: 'Ірина',
    secondName: 'Василівна',
    gender: 'FEMALE',
    speciality: 'FAMILY_DOCTOR',
    status: 'APPROVED',
    divisionIds: [DEMO_DIRECTORY.divisionId, DEMO_DIRECTORY.inactiveDivisionId],
    position: 'Лікар загальної практики — сімейний лікар',
    experienceYears: 14,
    about: 'Приймаю дорослих і дітей; досвід роботи — 14 років. Працюю за принципами доказової медицини.',
  }),
  doctor({
    id: DEMO_DIRECTORY.therapistId,
    lastName: 'Бондаренко',
    firstName: 'Олег',
    secondName: 'Миколайович',
    gender: 'MALE',
    speciality: 'THERAPIST',
    status: 'APPROVED',
    divisionIds: [DEMO_DIRECTORY.divisionId],
    position: 'Лікар-терапевт дільничний',
    experienceYears: 8,
    about: 'Приймаю дорослих пацієнтів від 18 років; досвід роботи — 8 років.',
  }),
  doctor({
    id: DEMO_DIRECTORY.pediatricianId,
    lastName: 'Кравченко',
    firstName: 'Наталія',
    secondName: 'Петрівна',
    gender: 'FEMALE',
    speciality: 'PEDIATRICIAN',
    status: 'APPROVED',
    divisionIds: [DEMO_DIRECTORY.divisionId],
    position: 'Лікар-педіатр дільничний',
    experienceYears: 11,
    about: 'Веду дітей від народження до 18 років; досвід роботи — 11 років.',
  }),
  doctor({
    id: DEMO_DIRECTORY.dismissedDoctorId,
    lastName: 'Гончаренко',
    firstName: 'Віктор',
    secondName: 'Іванович',
    gender: 'MALE',
    speciality: 'FAMILY_DOCTOR',
    status: 'DISMISSED',
    divisionIds: [DEMO_DIRECTORY.divisionId],
    position: 'Лікар загальної практики — сімейний лікар',
    experienceYears: 30,
    about: 'Звільнений; декларації з ним лишаються в історії пацієнтів.',
  }),
];

/** The hand-written demo providers, ready for {@link ProviderStore.insert}. */
export const demoProviders = (): ProviderBatch => ({ legalEntities: [legalEntity], divisions, doctors });
