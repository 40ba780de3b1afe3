import { REGIONS } from '@pc/fixtures';
import {
  createProviderLayout,
  DEFAULT_DECLARATION_LIMITS,
  divisionId,
  doctorId,
  edrpouCheckDigit,
  generateDivisions,
  generateDoctors,
  generateLegalEntities,
  generateProviders,
  isValidEdrpou,
  legalEntityId,
  type GeneratedProviders,
} from '../src/seed/generateProviders';

const SIZES = { seed: 11, legalEntities: 400, divisions: 1_500, doctors: 6_000 };

// Rules restated from docs/domain.md so that the generator is checked against the specification.
const NAME = /^[А-ЩЬЮЯҐЄІЇа-щьюяґєії'ʼ\- ]+$/u;
const FORBIDDEN = /[ЫЪЭЁыъэё]/u;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PHONE = /^\+38\d{10}$/;
const BUILDING = /^[1-9]\d{0,3}[А-ЩЬЮЯҐЄІЇа-щьюяґєії]?(?:\/\d+)?$/u;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const inUkraine = (lat: number, lon: number): boolean => lat >= 44 && lat <= 52.5 && lon >= 22 && lon <= 40.5;

// The official EDRPOU rule, written out independently of the implementation under test.
function edrpouOk(code: string): boolean {
  const n = Number(code);
  const base = n < 30_000_000 || n > 60_000_000 ? [1, 2, 3, 4, 5, 6, 7] : [7, 1, 2, 3, 4, 5, 6];
  const rem = (shift: number): number => base.reduce((s, w, i) => s + (w + shift) * Number(code[i]), 0) % 11;
  let r = rem(0);
  if (r === 10) r = rem(2);
  if (r === 10) r = 0;
  return r === Number(code[7]);
}

function rnokppOk(code: string): boolean {
  const weights = [-1, 5, 7, 9, 4, 6, 10, 5, 7];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(code[i]), 0);
  return (((sum % 11) + 11) % 11) % 10 === Number(code[9]);
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length / items.length;
}

describe('generateProviders', () => {
  let providers: GeneratedProviders;

  beforeAll(() => {
    providers = generateProviders(SIZES);
  });

  it('generates the requested numbers of records', () => {
    expect(providers.legalEntities).toHaveLength(SIZES.legalEntities);
    expect(providers.divisions).toHaveLength(SIZES.divisions);
    expect(providers.doctors).toHaveLength(SIZES.doctors);
  });

  it('is deterministic: the same seed gives the same directory, another seed another', () => {
    const small = { seed: 3, legalEntities: 30, divisions: 80, doctors: 200 };
    expect(generateProviders(small)).toEqual(generateProviders(small));
    const other = generateProviders({ ...small, seed: 4 });
    expect(other.doctors.map((d) => d.lastName)).not.toEqual(generateProviders(small).doctors.map((d) => d.lastName));
  });

  it('generates the same records in chunks as in one run', () => {
    const { seed, legalEntities, divisions, doctors } = SIZES;
    expect(generateLegalEntities(seed, 100, 150)).toEqual(providers.legalEntities.slice(100, 150));
    expect(generateDivisions(seed, 700, 760, divisions, legalEntities)).toEqual(providers.divisions.slice(700, 760));
    const layout = createProviderLayout(seed, legalEntities, divisions);
    const chunks = [
      ...generateDoctors(seed, 0, 2_000, divisions, legalEntities, { layout }),
      ...generateDoctors(seed, 2_000, doctors, divisions, legalEntities),
    ];
    expect(chunks).toEqual(providers.doctors);
  });

  it('derives ids from the seed and index', () => {
    const all = [
      ...providers.legalEntities.map((e, i) => [e.id, legalEntityId(SIZES.seed, i)] as const),
      ...providers.divisions.map((v, j) => [v.id, divisionId(SIZES.seed, j)] as const),
      ...providers.doctors.map((d, k) => [d.id, doctorId(SIZES.seed, k)] as const),
    ];
    expect(all.filter(([id, expected]) => id !== expected || !UUID_V4.test(id))).toEqual([]);
    expect(new Set(all.map(([id]) => id)).size).toBe(all.length);
  });

  it('gives every legal entity a valid, unique EDRPOU (or a sole proprietor RNOKPP)', () => {
    const bad = providers.legalEntities.filter((e) =>
      e.edrpou.length === 8 ? !edrpouOk(e.edrpou) || !isValidEdrpou(e.edrpou) : !(/^\d{10}$/.test(e.edrpou) && rnokppOk(e.edrpou)),
    );
    expect(bad.map((e) => e.edrpou)).toEqual([]);
    expect(new Set(providers.legalEntities.map((e) => e.edrpou)).size).toBe(SIZES.legalEntities);
    const soleProprietors = providers.legalEntities.filter((e) => e.edrpou.length === 10);
    expect(soleProprietors.length).toBeGreaterThan(0);
    expect(soleProprietors.every((e) => e.name.startsWith('ФОП ') && e.ownerPropertyType === 'PRIVATE')).toBe(true);
    expect(edrpouCheckDigit('3131671')).toBe(8);
  });

  it('mixes provider types and statuses in the documented proportions', () => {
    const entities = providers.legalEntities;
    expect(share(entities, (e) => e.type === 'PRIMARY_CARE')).toBeGreaterThan(0.7);
    expect(entities.some((e) => e.type === 'MSP')).toBe(true);
    expect(entities.some((e) => e.type === 'OUTPATIENT')).toBe(true);
    const active = share(entities, (e) => e.status === 'ACTIVE');
    expect(active).toBeGreaterThan(0.88);
    expect(active).toBeLessThan(0.99);
    expect(new Set(entities.map((e) => e.ownerPropertyType))).toEqual(new Set(['STATE', 'PRIVATE']));
    for (const e of entities) {
      expect(e.phones.every((p) => PHONE.test(p.number))).toBe(true);
      expect(e.email).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$/);
      if (e.website !== null) expect(e.website).toMatch(/^https:\/\/[a-z0-9.-]+$/);
    }
  });

  it('gives every legal entity at least one division, all in its own oblast', () => {
    const entityById = new Map(providers.legalEntities.map((e) => [e.id, e]));
    const owners = new Set(providers.divisions.map((v) => v.legalEntityId));
    expect(owners.size).toBe(SIZES.legalEntities);
    const strays = providers.divisions.filter((v) => entityById.get(v.legalEntityId)?.address.area !== v.address.area);
    expect(strays.map((v) => v.id)).toEqual([]);
  });

  it('puts every division at a real settlement, inside Ukraine, near that settlement', () => {
    const settlementsByArea = new Map(REGIONS.map((r) => [r.name, r.settlements]));
    const problems = providers.divisions.flatMap((v) => {
      const s = settlementsByArea.get(v.address.area)?.find((x) => x.name === v.address.settlement);
      const out: string[] = [];
      if (!s) return [`${v.id}: unknown settlement ${v.address.settlement}`];
      if (s.type !== v.address.settlementType) out.push(`${v.id}: settlement type`);
      if (!inUkraine(v.location.latitude, v.location.longitude)) out.push(`${v.id}: outside Ukraine`);
      // Within the settlement radius (≤ 8 km); degrees are converted roughly, with slack.
      const dLat = (v.location.latitude - s.latitude) * 111.32;
      const dLon = (v.location.longitude - s.longitude) * 111.32 * Math.cos((s.latitude * Math.PI) / 180);
      if (Math.hypot(dLat, dLon) > s.radiusKm + 0.05) out.push(`${v.id}: too far from ${s.name}`);
      if (!BUILDING.test(v.address.building)) out.push(`${v.id}: building ${v.address.building}`);
      if (!/^\d{5}$/.test(v.address.zip)) out.push(`${v.id}: zip ${v.address.zip}`);
      if (v.type === 'FAP' && s.type !== 'VILLAGE') out.push(`${v.id}: FAP outside a village`);
      return out;
    });
    expect(problems).toEqual([]);
    // Spread over every oblast and Kyiv.
    expect(new Set(providers.divisions.map((v) => v.address.area)).size).toBe(REGIONS.length);
  });

  it('gives divisions sensible working hours and mostly ACTIVE status', () => {
    const problems = providers.divisions.flatMap((v) => {
      if (v.workingHours.length === 0) return [`${v.id}: never open`];
      const days = v.workingHours.map((h) => h.day);
      if (new Set(days).size !== days.length) return [`${v.id}: repeated day`];
      return v.workingHours.flatMap((h) =>
        h.intervals.flatMap((i) => (HHMM.test(i.start) && HHMM.test(i.end) && i.start < i.end ? [] : [`${v.id}: ${i.start}-${i.end}`])),
      );
    });
    expect(problems).toEqual([]);
    expect(providers.divisions.some((v) => v.workingHours.every((h) => h.day !== 'SUNDAY'))).toBe(true);
    const active = share(providers.divisions, (v) => v.status === 'ACTIVE');
    expect(active).toBeGreaterThan(0.9);
    expect(active).toBeLessThan(0.99);
    expect(new Set(providers.divisions.map((v) => v.type))).toEqual(new Set(['CLINIC', 'AMBULANT_CLINIC', 'FAP']));
  });

  it("keeps every doctor's divisions within the doctor's legal entity", () => {
    const ownerOf = new Map(providers.divisions.map((v) => [v.id, v.legalEntityId]));
    const bad = providers.doctors.filter(
      (d) =>
        d.divisionIds.length < 1 ||
        d.divisionIds.length > 2 ||
        new Set(d.divisionIds).size !== d.divisionIds.length ||
        d.divisionIds.some((id) => ownerOf.get(id) !== d.legalEntityId),
    );
    expect(bad.map((d) => d.id)).toEqual([]);
    expect(providers.doctors.some((d) => d.divisionIds.length === 2)).toBe(true);
  });

  it('uses only allowed letters in doctor names', () => {
    const bad = providers.doctors.flatMap((d) => [d.firstName, d.lastName, d.secondName]).filter((n) => !NAME.test(n) || FORBIDDEN.test(n));
    expect(bad).toEqual([]);
  });

  it('mixes specialities, statuses and limits as documented', () => {
    const doctors = providers.doctors;
    const family = share(doctors, (d) => d.speciality === 'FAMILY_DOCTOR');
    const therapist = share(doctors, (d) => d.speciality === 'THERAPIST');
    const pediatrician = share(doctors, (d) => d.speciality === 'PEDIATRICIAN');
    expect(family).toBeGreaterThan(0.55);
    expect(family).toBeLessThan(0.65);
    expect(therapist).toBeGreaterThan(0.2);
    expect(therapist).toBeLessThan(0.3);
    expect(pediatrician).toBeGreaterThan(0.11);
    expect(pediatrician).toBeLessThan(0.19);
    expect(share(doctors, (d) => d.status === 'APPROVED')).toBeGreaterThan(0.92);
    expect(new Set(doctors.map((d) => d.status))).toEqual(new Set(['APPROVED', 'NEW', 'DISMISSED']));
    expect(new Set(doctors.map((d) => d.specialityLevel))).toEqual(new Set(['BASIC', 'FIRST', 'SECOND', 'HIGHEST']));
    expect(doctors.filter((d) => d.declarationLimit !== DEFAULT_DECLARATION_LIMITS[d.speciality])).toEqual([]);
    const problems = doctors.flatMap((d) => {
      const e = d.education[0];
      if (!e || e.graduatedAt >= '2025-01-01' || e.institution.length === 0) return [`${d.id}: education`];
      if (d.experienceYears < 0 || d.experienceYears > 45) return [`${d.id}: experience ${d.experienceYears}`];
      return d.about.length > 20 ? [] : [`${d.id}: about`];
    });
    expect(problems).toEqual([]);
  });

  it('takes declaration limits from the options', () => {
    const doctors = generateDoctors(1, 0, 300, 20, 5, { declarationLimits: { FAMILY_DOCTOR: 1500 } });
    expect(doctors.filter((d) => d.speciality === 'FAMILY_DOCTOR').every((d) => d.declarationLimit === 1500)).toBe(true);
    expect(doctors.filter((d) => d.speciality === 'PEDIATRICIAN').every((d) => d.declarationLimit === 900)).toBe(true);
  });

  it('rejects impossible sizes', () => {
    expect(() => generateProviders({ seed: 1, legalEntities: 10, divisions: 5, doctors: 0 })).toThrow(RangeError);
    expect(() => generateProviders({ seed: 1, legalEntities: 0, divisions: 0, doctors: 5 })).toThrow(RangeError);
    expect(() => generateDoctors(1, 5, 2, 10, 3)).toThrow(RangeError);
    expect(generateProviders({ seed: 1, legalEntities: 0, divisions: 0, doctors: 0 })).toEqual({
      legalEntities: [],
      divisions: [],
      doctors: [],
    });
  });

  it('lays divisions out as contiguous ranges that cover every index once', () => {
    const layout = createProviderLayout(5, 50, 333);
    let next = 0;
    for (let e = 0; e < 50; e++) {
      const [start, end] = layout.divisionRange(e);
      expect(start).toBe(next);
      expect(end).toBeGreaterThan(start);
      for (let j = start; j < end; j++) expect(layout.legalEntityOf(j)).toBe(e);
      next = end;
    }
    expect(next).toBe(333);
  });
});
