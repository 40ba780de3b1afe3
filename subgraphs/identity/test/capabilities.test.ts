/**
 * The legal-capacity rules (domain.md "Who may act") as a pure function: property tests over
 * ages around both configurable thresholds, confidants and capacity documents.
 */
import fc from 'fast-check';
import { ageOn } from '@pc/calendar';
import { personCapabilities, type CapacityFacts } from '../src/domain/capabilities';
import type { ConfidantPerson, LegalCapacityDocument } from '../src/domain/personData';

const TODAY = '2026-06-15';
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const birthDateArb = fc.integer({ min: Date.parse('1930-01-01'), max: Date.parse(TODAY) }).map((ms) => iso(Math.floor(ms / DAY) * DAY));
const rulesArb = fc.record({ minAge: fc.integer({ min: 10, max: 16 }), fullCapacityAge: fc.integer({ min: 16, max: 21 }) });

const confidant = (activeTo: string | null): ConfidantPerson => ({
  relationType: 'PRIMARY',
  personId: null,
  firstName: 'Іван',
  lastName: 'Гнатюк',
  secondName: null,
  birthDate: '1970-01-01',
  gender: 'MALE',
  taxId: null,
  phones: [],
  relationshipDocument: { type: 'COURT_DECISION', number: '1/2', issuedAt: '2020-01-01', issuedBy: 'Суд', activeTo },
});
const capacityDoc: LegalCapacityDocument = { type: 'MARRIAGE_CERTIFICATE', number: 'І-КИ123456', issuedAt: '2025-01-01', issuedBy: 'ДРАЦС' };
const facts = (birthDate: string, extra: Partial<CapacityFacts> = {}): CapacityFacts => ({
  birthDate,
  confidantPersons: [],
  legalCapacityDocument: null,
  verificationStatus: 'VERIFIED',
  ...extra,
});

describe('personCapabilities', () => {
  it('gives nothing under the minimum age, whatever is on file', () => {
    fc.assert(
      fc.property(birthDateArb, rulesArb, fc.boolean(), fc.boolean(), (birthDate, rules, hasDoc, hasConfidant) => {
        fc.pre(ageOn(birthDate, TODAY) < rules.minAge);
        const caps = personCapabilities(
          facts(birthDate, { legalCapacityDocument: hasDoc ? capacityDoc : null, confidantPersons: hasConfidant ? [confidant(null)] : [] }),
          TODAY,
          rules,
        );
        expect(caps).toEqual({ canView: false, canEditPersonalData: false, canSubmitDeclaration: false, reason: 'UNDER_MINIMUM_AGE' });
      }),
    );
  });

  it('lets a minor from the minimum age view, and act only with a capacity document', () => {
    fc.assert(
      fc.property(birthDateArb, rulesArb, fc.boolean(), fc.boolean(), (birthDate, rules, hasDoc, hasConfidant) => {
        const age = ageOn(birthDate, TODAY);
        fc.pre(age >= rules.minAge && age < rules.fullCapacityAge);
        // Parents are on file for most minors; they do not change the answer.
        const caps = personCapabilities(
          facts(birthDate, { legalCapacityDocument: hasDoc ? capacityDoc : null, confidantPersons: hasConfidant ? [confidant(null)] : [] }),
          TODAY,
          rules,
        );
        expect(caps.canView).toBe(true);
        expect(caps.canEditPersonalData).toBe(hasDoc);
        expect(caps.canSubmitDeclaration).toBe(hasDoc);
        expect(caps.reason).toBe(hasDoc ? null : 'MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT');
      }),
    );
  });

  it('lets an adult act unless a confidant relationship is in force today', () => {
    fc.assert(
      fc.property(birthDateArb, rulesArb, fc.option(fc.integer({ min: -3000, max: 3000 }), { nil: null }), (birthDate, rules, offsetDays) => {
        fc.pre(ageOn(birthDate, TODAY) >= rules.fullCapacityAge);
        const activeTo = offsetDays === null ? null : iso(Date.parse(TODAY) + offsetDays * DAY);
        const represented = activeTo === null || activeTo >= TODAY;
        const caps = personCapabilities(facts(birthDate, { confidantPersons: [confidant(activeTo)] }), TODAY, rules);
        expect(caps).toEqual({
          canView: true,
          canEditPersonalData: !represented,
          canSubmitDeclaration: !represented,
          reason: represented ? 'REPRESENTED_BY_CONFIDANT' : null,
        });
      }),
    );
  });

  it('switches exactly on the birthdays given by the configured ages', () => {
    const rules = { minAge: 14, fullCapacityAge: 18 };
    expect(personCapabilities(facts('2012-06-16'), TODAY, rules).reason).toBe('UNDER_MINIMUM_AGE');
    expect(personCapabilities(facts('2012-06-15'), TODAY, rules).reason).toBe('MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT');
    expect(personCapabilities(facts('2008-06-16'), TODAY, rules).reason).toBe('MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT');
    expect(personCapabilities(facts('2008-06-15'), TODAY, rules).reason).toBeNull();
    expect(personCapabilities(facts('2008-06-15'), TODAY, { minAge: 14, fullCapacityAge: 19 }).reason).toBe('MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT');
  });

  it('blocks only declarations for a NOT_VERIFIED record', () => {
    expect(personCapabilities(facts('1980-01-01', { verificationStatus: 'NOT_VERIFIED' }), TODAY, { minAge: 14, fullCapacityAge: 18 })).toEqual({
      canView: true,
      canEditPersonalData: true,
      canSubmitDeclaration: false,
      reason: 'NOT_VERIFIED',
    });
  });
});
