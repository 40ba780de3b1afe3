import { addDays, addYears, ageOn } from '@pc/calendar';
import { REGIONS } from '@pc/fixtures';
import { generatePerson, generatePersons, iteratePersons, MOBILE_OPERATOR_CODES, personId, type GeneratedPerson } from '../src/seed/generatePersons';

const TODAY = '2025-06-01';

// Rules of docs/domain.md, restated here rather than imported so that the generator is checked
// against the specification and not against another implementation.
const NAME = /^[А-ЩЬЮЯҐЄІЇа-щьюяґєії'ʼ\- ]+$/u;
const FORBIDDEN = /[ЫЪЭЁыъэё]/u;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PASSPORT = /^[А-ЩЬЮЯҐЄІЇ]{2}\d{6}$/u;
const BIRTH_CERTIFICATE = /^[A-ZА-ЩЬЮЯҐЄІЇ0-9№/()-]{2,25}$/u;
const BUILDING = /^[1-9]\d{0,3}[А-ЩЬЮЯҐЄІЇа-щьюяґєії]?(?:\/\d+)?$/u;
const PHONE = /^\+38\d{10}$/;
const EMAIL = /^[a-z0-9._-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

function rnokppChecksumOk(taxId: string): boolean {
  const weights = [-1, 5, 7, 9, 4, 6, 10, 5, 7];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(taxId[i]), 0);
  return (((sum % 11) + 11) % 11) % 10 === Number(taxId[9]);
}

function share(people: readonly GeneratedPerson[], predicate: (p: GeneratedPerson) => boolean): number {
  return people.filter(predicate).length / people.length;
}

function allNames(p: GeneratedPerson): string[] {
  const names = [p.firstName, p.lastName, p.secondName ?? 'А'];
  if (p.emergencyContact) names.push(p.emergencyContact.firstName, p.emergencyContact.lastName, p.emergencyContact.secondName ?? 'А');
  for (const c of p.confidantPersons) names.push(c.firstName, c.lastName, c.secondName);
  return names;
}

describe('generatePersons', () => {
  let people: GeneratedPerson[];

  beforeAll(() => {
    // Also the "10,000 people in well under a second" check: it only has to finish.
    people = generatePersons({ seed: 2025, count: 10_000, today: TODAY });
  });

  it('generates the requested number of people', () => {
    expect(people).toHaveLength(10_000);
  });

  it('is deterministic: equal options give equal people, another seed other people', () => {
    const a = generatePersons({ seed: 7, count: 300, today: TODAY });
    const b = generatePersons({ seed: 7, count: 300, today: TODAY });
    expect(a).toEqual(b);
    const c = generatePersons({ seed: 8, count: 300, today: TODAY });
    expect(c.map((p) => p.id)).not.toEqual(a.map((p) => p.id));
    expect(c.map((p) => p.lastName)).not.toEqual(a.map((p) => p.lastName));
  });

  it('gives person i the same data whatever chunk or entry point produces it', () => {
    const whole = people.slice(0, 200);
    const tail = generatePersons({ seed: 2025, count: 100, offset: 100, today: TODAY });
    expect(tail).toEqual(whole.slice(100));
    expect([...iteratePersons({ seed: 2025, count: 200, today: TODAY })]).toEqual(whole);
    expect(generatePerson(2025, 137, TODAY)).toEqual(whole[137]);
    expect(personId(2025, 137)).toBe(whole[137]?.id);
  });

  it('streams without holding people in memory', () => {
    let count = 0;
    let last: GeneratedPerson | undefined;
    for (const p of iteratePersons({ seed: 1, count: 10_000, offset: 1_000_000, today: TODAY })) {
      count++;
      last = p;
    }
    expect(count).toBe(10_000);
    expect(last?.id).toBe(personId(1, 1_009_999));
  });

  it('rejects bad options', () => {
    expect(() => generatePersons({ seed: 1, count: -1, today: TODAY })).toThrow(RangeError);
    expect(() => generatePersons({ seed: 1, count: 1, offset: 0.5, today: TODAY })).toThrow(RangeError);
    expect(() => generatePersons({ seed: 1, count: 1, today: '2025-02-30' })).toThrow(RangeError);
    expect(() => generatePersons({ seed: 1, count: 1, today: '2015-01-01' })).toThrow(RangeError);
  });

  // Per-person checks collect violations and assert once: a failure then lists every offending
  // person, and 10,000 people do not cost 10,000 expect() calls per rule.
  function violations(check: (p: GeneratedPerson) => string[]): string[] {
    return people.flatMap((p) => check(p).map((problem) => `${p.id}: ${problem}`)).slice(0, 20);
  }

  it('gives unique UUID-shaped ids', () => {
    expect(new Set(people.map((p) => p.id)).size).toBe(people.length);
    expect(violations((p) => (UUID_V4.test(p.id) ? [] : [p.id]))).toEqual([]);
  });

  it('uses only allowed letters in every name', () => {
    expect(violations((p) => allNames(p).filter((n) => !NAME.test(n) || FORBIDDEN.test(n)))).toEqual([]);
  });

  it('spreads ages from 0 to 95 with a realistic shape', () => {
    const ages = people.map((p) => ageOn(p.birthDate, TODAY));
    expect(Math.min(...ages)).toBe(0);
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(90);
    expect(Math.max(...ages)).toBeLessThanOrEqual(95);
    const minors = ages.filter((a) => a < 18).length / ages.length;
    expect(minors).toBeGreaterThan(0.12);
    expect(minors).toBeLessThan(0.25);
    const women = share(people, (p) => p.gender === 'FEMALE');
    expect(women).toBeGreaterThan(0.48);
    expect(women).toBeLessThan(0.6);
    expect(violations((p) => (p.gender === 'MALE' || p.gender === 'FEMALE' ? [] : [p.gender]))).toEqual([]);
  });

  it('keeps every RNOKPP consistent with checksum, birth date and gender', () => {
    const checked = violations((p) => {
      if (p.taxId === null) return [];
      const problems: string[] = [];
      if (!/^\d{10}$/.test(p.taxId)) problems.push(`taxId ${p.taxId} is not ten digits`);
      if (!rnokppChecksumOk(p.taxId)) problems.push(`taxId ${p.taxId} checksum`);
      if (addDays('1899-12-31', Number(p.taxId.slice(0, 5))) !== p.birthDate) problems.push(`taxId ${p.taxId} date vs ${p.birthDate}`);
      if (Number(p.taxId[8]) % 2 !== (p.gender === 'MALE' ? 1 : 0)) problems.push(`taxId ${p.taxId} gender digit vs ${p.gender}`);
      return problems;
    });
    expect(checked).toEqual([]);
    expect(share(people, (p) => p.taxId !== null)).toBeGreaterThan(0.85);
  });

  it('follows the tax-number presence rules', () => {
    expect(
      violations((p) => {
        if (p.noTaxId && p.taxId !== null) return ['noTaxId with a taxId'];
        if (ageOn(p.birthDate, TODAY) >= 14 && !p.noTaxId && p.taxId === null) return ['14+ without taxId'];
        return [];
      }),
    ).toEqual([]);
    const refused = share(people, (p) => p.noTaxId);
    expect(refused).toBeGreaterThan(0.01);
    expect(refused).toBeLessThan(0.035);
  });

  it('gives a UNZR with the birth date exactly to NATIONAL_ID holders', () => {
    expect(
      violations((p) => {
        const hasCard = p.documents.some((d) => d.type === 'NATIONAL_ID');
        if ((p.unzr !== null) !== hasCard) return [`unzr ${p.unzr} with card=${hasCard}`];
        if (p.unzr === null) return [];
        if (!/^\d{8}-\d{5}$/.test(p.unzr)) return [`unzr ${p.unzr} format`];
        const date = `${p.unzr.slice(0, 4)}-${p.unzr.slice(4, 6)}-${p.unzr.slice(6, 8)}`;
        return date === p.birthDate ? [] : [`unzr ${p.unzr} vs ${p.birthDate}`];
      }),
    ).toEqual([]);
  });

  it('issues the documents the age calls for, with valid numbers and dates', () => {
    const checked = violations((p) => {
      const problems: string[] = [];
      const age = ageOn(p.birthDate, TODAY);
      const types = p.documents.map((d) => d.type);
      if (new Set(types).size !== types.length) problems.push(`duplicate types ${types}`);
      if (age < 14 && types.join() !== 'BIRTH_CERTIFICATE') problems.push(`under 14 with ${types}`);
      if (age >= 14 && age < 18 && types.join() !== 'NATIONAL_ID') problems.push(`14-17 with ${types}`);
      if (age >= 18 && types.join() !== 'PASSPORT' && types.join() !== 'NATIONAL_ID') problems.push(`adult with ${types}`);
      for (const d of p.documents) {
        if (d.issuedAt < p.birthDate || d.issuedAt > TODAY) problems.push(`${d.type} issued ${d.issuedAt}`);
        if (d.issuedBy.length === 0) problems.push(`${d.type} without issuer`);
        if (d.type === 'PASSPORT') {
          if (!PASSPORT.test(d.number)) problems.push(`passport ${d.number}`);
          if (d.issuedAt < addYears(p.birthDate, 16)) problems.push(`passport before 16: ${d.issuedAt}`);
          if (d.expirationDate !== null) problems.push('passport with expiry');
        } else if (d.type === 'NATIONAL_ID') {
          if (!/^\d{9}$/.test(d.number)) problems.push(`ID card ${d.number}`);
          if (d.issuedAt < addYears(p.birthDate, 14)) problems.push(`ID card before 14: ${d.issuedAt}`);
          if (d.expirationDate !== addYears(d.issuedAt, 10)) problems.push(`ID card expiry ${d.expirationDate}`);
          if (!(d.expirationDate !== null && d.expirationDate > TODAY)) problems.push(`ID card expired ${d.expirationDate}`);
        } else if (!BIRTH_CERTIFICATE.test(d.number)) {
          problems.push(`birth certificate ${d.number}`);
        }
      }
      return problems;
    });
    expect(checked).toEqual([]);
    expect(share(people, (p) => p.documents.some((d) => d.type === 'PASSPORT'))).toBeGreaterThan(0.2);
    expect(share(people, (p) => p.documents.some((d) => d.type === 'NATIONAL_ID'))).toBeGreaterThan(0.2);
  });

  it('never repeats a document number', () => {
    const numbers = people.flatMap((p) => p.documents.map((d) => `${d.type}:${d.number}`));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('has valid phones, at most one of each type, with real mobile operator codes', () => {
    expect(
      violations((p) => {
        const problems: string[] = [];
        const types = p.phones.map((ph) => ph.type);
        if (new Set(types).size !== types.length) problems.push(`duplicate phone types ${types}`);
        for (const ph of p.phones) {
          if (!PHONE.test(ph.number)) problems.push(`phone ${ph.number}`);
          if (ph.type === 'MOBILE' && !MOBILE_OPERATOR_CODES.includes(ph.number.slice(4, 6))) problems.push(`operator ${ph.number}`);
        }
        return problems;
      }),
    ).toEqual([]);
  });

  it('gives about 60% of people a well-formed e-mail', () => {
    const withEmail = share(people, (p) => p.email !== null);
    expect(withEmail).toBeGreaterThan(0.5);
    expect(withEmail).toBeLessThan(0.7);
    expect(violations((p) => (p.email === null || EMAIL.test(p.email) ? [] : [p.email]))).toEqual([]);
  });

  it('has exactly one RESIDENCE address in a real settlement of the named oblast', () => {
    const settlementsByArea = new Map(REGIONS.map((r) => [r.name, r.settlements]));
    expect(
      violations((p) => {
        const problems: string[] = [];
        if (p.addresses.filter((a) => a.type === 'RESIDENCE').length !== 1) problems.push('RESIDENCE count');
        if (p.addresses.filter((a) => a.type === 'REGISTRATION').length > 1) problems.push('REGISTRATION count');
        for (const a of p.addresses) {
          const settlement = settlementsByArea.get(a.area)?.find((s) => s.name === a.settlement);
          if (a.country !== 'UA') problems.push(`country ${a.country}`);
          if (settlement?.type !== a.settlementType) problems.push(`${a.settlement} is not a ${a.settlementType} of ${a.area}`);
          if (!BUILDING.test(a.building)) problems.push(`building ${a.building}`);
          if (!/^\d{5}$/.test(a.zip)) problems.push(`zip ${a.zip}`);
        }
        return problems;
      }),
    ).toEqual([]);
    // Every oblast and Kyiv is represented in 10,000 people.
    expect(new Set(people.map((p) => p.addresses[0]?.area)).size).toBe(REGIONS.length);
  });

  it('gives about 70% an emergency contact with a mobile phone', () => {
    const withContact = share(people, (p) => p.emergencyContact !== null);
    expect(withContact).toBeGreaterThan(0.65);
    expect(withContact).toBeLessThan(0.75);
    expect(
      violations((p) => {
        const contact = p.emergencyContact;
        if (!contact) return [];
        if (contact.phones.length === 0) return ['emergency contact without phones'];
        return contact.phones.filter((ph) => !PHONE.test(ph.number)).map((ph) => `emergency phone ${ph.number}`);
      }),
    ).toEqual([]);
  });

  it('gives minors exactly one PRIMARY confidant and adults none', () => {
    expect(
      violations((p) => {
        if (ageOn(p.birthDate, TODAY) >= 18) return p.confidantPersons.length === 0 ? [] : ['adult with confidants'];
        const problems: string[] = [];
        if (p.confidantPersons.filter((c) => c.relationType === 'PRIMARY').length !== 1) problems.push('PRIMARY count');
        for (const c of p.confidantPersons) {
          if (ageOn(c.birthDate, TODAY) < 18) problems.push(`confidant aged ${ageOn(c.birthDate, TODAY)}`);
          if (!rnokppChecksumOk(c.taxId)) problems.push(`confidant taxId ${c.taxId}`);
          if (c.documentsRelationship[0]?.type !== 'BIRTH_CERTIFICATE') problems.push('relationship document');
        }
        return problems;
      }),
    ).toEqual([]);
  });

  it('matches authentication method and preferred channel to the contacts', () => {
    expect(
      violations((p) => {
        const problems: string[] = [];
        if (ageOn(p.birthDate, TODAY) < 14 && p.authenticationMethod !== 'THIRD_PERSON') problems.push('child not THIRD_PERSON');
        if (p.authenticationMethod === 'OTP' && !p.phones.some((ph) => ph.type === 'MOBILE')) problems.push('OTP without mobile');
        if (p.preferredWayOfCommunication === 'EMAIL' && p.email === null) problems.push('EMAIL without e-mail');
        if (p.preferredWayOfCommunication === 'PHONE' && p.phones.length === 0) problems.push('PHONE without phones');
        return problems;
      }),
    ).toEqual([]);
    const adults = people.filter((p) => ageOn(p.birthDate, TODAY) >= 18);
    expect(share(adults, (p) => p.authenticationMethod === 'OTP')).toBeGreaterThan(0.75);
    expect(share(adults, (p) => p.authenticationMethod === 'OFFLINE')).toBeGreaterThan(0.03);
    expect(share(people, (p) => p.verificationStatus === 'VERIFIED')).toBeGreaterThan(0.85);
  });
});
