/**
 * Shapes of the structured parts of a person's record as stored (jsonb columns of
 * `identity.person`) and as served (the GraphQL object types of the same names). Keys are the
 * GraphQL field names, so a stored value is returned as it is, with no mapping layer to drift.
 *
 * @packageDocumentation
 */
import type { ConfidantDocumentType, ConfidantRelationType, LegalCapacityDocumentType } from '../generated/graphql';
import type { AddressInput, CommunicationChannel, DocumentType, PhoneInput } from './validation';

/** Enums of the public schema, generated from schema.graphql (npm run codegen). */
export type { AuthenticationMethod, ConfidantDocumentType, ConfidantRelationType, LegalCapacityDocumentType, VerificationStatus } from '../generated/graphql';

export type { CommunicationChannel };

/** A phone of the person or of a contact: `{ type, number }`. */
export type Phone = PhoneInput;

/** An identity document (`PersonDocument` in GraphQL). */
export interface PersonDocument {
  type: DocumentType;
  number: string;
  /** `YYYY-MM-DD`. */
  issuedAt: string;
  issuedBy: string;
  /** `YYYY-MM-DD`, or null for documents that do not expire. */
  expirationDate: string | null;
}

/** A postal address; `settlementId` is the settlement's code in the state register, when known. */
export type Address = Required<{ [K in keyof AddressInput]: Exclude<AddressInput[K], undefined> }> & {
  settlementId: string | null;
};

/** Whom to call in an emergency. */
export interface EmergencyContact {
  firstName: string;
  lastName: string;
  secondName: string | null;
  phones: Phone[];
}

/** The document that proves a confidant relationship; `activeTo` ends the relationship. */
export interface ConfidantRelationshipDocument {
  type: ConfidantDocumentType;
  number: string;
  issuedAt: string;
  issuedBy: string;
  /** Last day the representation is valid, or null when it is open-ended. */
  activeTo: string | null;
}

/**
 * A legal representative (confidant person). Set by the support route only (never online), after
 * the relationship document was checked, so every stored entry is an approved one.
 */
export interface ConfidantPerson {
  relationType: ConfidantRelationType;
  /** The representative's own record in this register, when they have one. */
  personId: string | null;
  firstName: string;
  lastName: string;
  secondName: string | null;
  birthDate: string;
  gender: 'MALE' | 'FEMALE';
  taxId: string | null;
  phones: Phone[];
  relationshipDocument: ConfidantRelationshipDocument;
}

/** Proof that a person under the full-capacity age may act for themselves. */
export interface LegalCapacityDocument {
  type: LegalCapacityDocumentType;
  number: string;
  issuedAt: string;
  issuedBy: string;
}

/**
 * Whether a confidant relationship is in force on `today`: its document has no end date or ends
 * today or later.
 *
 * @param confidant - the stored representative
 * @param today - `YYYY-MM-DD`
 */
export function isConfidantActive(confidant: ConfidantPerson, today: string): boolean {
  const until = confidant.relationshipDocument.activeTo;
  return until === null || until >= today;
}
