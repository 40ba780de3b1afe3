/**
 * Who may do what with their own record: the legal-capacity rules of the patient cabinet (PIS),
 * docs/domain.md "Who may act". A pure function of the record and the date, so the same answer
 * is served as `Person.capabilities`, enforced by the mutations, and read by other subgraphs
 * (declarations) through `_entities`.
 *
 * @packageDocumentation
 */
import { type ConfidantPerson, type LegalCapacityDocument, type VerificationStatus, isConfidantActive } from './personData';
import { ageOn } from '@pc/calendar';

/** The two configurable ages (domain.md *config*) and the time zone of "today". */
export interface CapacityRules {
  /** From this age a person may use the cabinet alone (view). Default 14. */
  minAge: number;
  /** From this age a person acts without a capacity document. Default 18. */
  fullCapacityAge: number;
  /** IANA zone whose calendar date is "today". Default Europe/Kyiv. */
  timeZone: string;
}

/** Why a capability is missing; the first rule that applies wins. */
export type CapabilityReason = 'UNDER_MINIMUM_AGE' | 'MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT' | 'REPRESENTED_BY_CONFIDANT' | 'NOT_VERIFIED';

/** GraphQL `PersonCapabilities`. */
export interface PersonCapabilities {
  /** May use the cabinet alone to view their own record. */
  canView: boolean;
  /** May change contacts, addresses, documents and the emergency contact online. */
  canEditPersonalData: boolean;
  /** May submit a declaration request online. */
  canSubmitDeclaration: boolean;
  /** Why something above is false; null when everything is allowed. */
  reason: CapabilityReason | null;
}

/** The parts of a record the rules read. */
export interface CapacityFacts {
  birthDate: string;
  confidantPersons: readonly ConfidantPerson[];
  legalCapacityDocument: LegalCapacityDocument | null;
  verificationStatus: VerificationStatus | string;
}

/**
 * Decides the person's capabilities on `today`:
 * - under `minAge`: nothing alone (only a representative acts, {@link representativeCapabilities});
 * - from `minAge` to `fullCapacityAge`: view; act only with a legal-capacity document on file
 *   (confidants are ignored: parents represent every minor until emancipation, and it is the
 *   document that ends that);
 * - adults: act unless an active confidant relationship is on file (limited capacity);
 * - whoever may act may submit a declaration unless the record is NOT_VERIFIED, which blocks
 *   new declaration requests.
 *
 * @param person - birth date, confidants, capacity document, verification status
 * @param today - `YYYY-MM-DD` in the cabinet's time zone
 * @param rules - the configurable ages
 */
export function personCapabilities(person: CapacityFacts, today: string, rules: Pick<CapacityRules, 'minAge' | 'fullCapacityAge'>): PersonCapabilities {
  const age = ageOn(person.birthDate, today);
  let reason: CapabilityReason | null = null;
  if (age < rules.minAge) {
    return { canView: false, canEditPersonalData: false, canSubmitDeclaration: false, reason: 'UNDER_MINIMUM_AGE' };
  }
  if (age < rules.fullCapacityAge) {
    if (person.legalCapacityDocument === null) reason = 'MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT';
  } else if (person.confidantPersons.some((c) => isConfidantActive(c, today))) {
    reason = 'REPRESENTED_BY_CONFIDANT';
  }
  const canAct = reason === null;
  if (canAct && person.verificationStatus === 'NOT_VERIFIED') reason = 'NOT_VERIFIED';
  return { canView: true, canEditPersonalData: canAct, canSubmitDeclaration: canAct && reason === null, reason };
}

/**
 * What a legal representative may do for the person they represent (docs/representatives.md):
 * view and change the personal data whatever the person's own capacity, and submit a
 * declaration unless the record is NOT_VERIFIED (which blocks new requests for anyone).
 */
export function representativeCapabilities(person: Pick<CapacityFacts, 'verificationStatus'>): PersonCapabilities {
  const notVerified = person.verificationStatus === 'NOT_VERIFIED';
  return { canView: true, canEditPersonalData: true, canSubmitDeclaration: !notVerified, reason: notVerified ? 'NOT_VERIFIED' : null };
}
