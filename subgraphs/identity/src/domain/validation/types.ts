/**
 * The enums and input shapes the identity validators read.
 *
 * @packageDocumentation
 */
import type { AddressInput as GraphQLAddressInput } from '../../generated/graphql';

/** Enums of the public schema, generated from schema.graphql (npm run codegen). */
export type { CommunicationChannel, Gender } from '../../generated/graphql';

/** GraphQL `PhoneInput`, `PersonDocumentInput` (dates `YYYY-MM-DD`) and `EmergencyContactInput`. */
export type { EmergencyContactInput, PersonDocumentInput, PhoneInput } from '../../generated/graphql';

// ---------------------------------------------------------------------------------------------
// Enums (string unions). The arrays exist so that runtime membership checks and the GraphQL
// enum definitions can share one list with the types.
// ---------------------------------------------------------------------------------------------

/** All values of {@link PhoneType}. */
export const PHONE_TYPES = ['MOBILE', 'LAND_LINE'] as const;
/** Kind of a phone number; a person has at most one of each. */
export type PhoneType = (typeof PHONE_TYPES)[number];

/** All values of {@link AddressType}. */
export const ADDRESS_TYPES = ['RESIDENCE', 'REGISTRATION'] as const;
/** Kind of an address: where the person lives, and where they are officially registered. */
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** All values of {@link SettlementType}. */
export const SETTLEMENT_TYPES = ['CITY', 'TOWNSHIP', 'VILLAGE', 'SETTLEMENT'] as const;
/** Kind of a settlement (місто, смт, село, селище). */
export type SettlementType = (typeof SETTLEMENT_TYPES)[number];

/** All values of {@link DocumentType}. */
export const DOCUMENT_TYPES = [
  'PASSPORT',
  'NATIONAL_ID',
  'BIRTH_CERTIFICATE',
  'TEMPORARY_PASSPORT',
  'PERMANENT_RESIDENCE_PERMIT',
  'TEMPORARY_CERTIFICATE',
  'REFUGEE_CERTIFICATE',
  'COMPLEMENTARY_PROTECTION_CERTIFICATE',
] as const;
/**
 * Kind of an identity document. `PASSPORT` is the booklet passport, `NATIONAL_ID` the
 * biometric ID card; a person holds at most one of the two.
 */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// Input shapes: the GraphQL inputs, generated from schema.graphql (npm run codegen); nullable
// GraphQL fields may arrive as `null` or be omitted.
// ---------------------------------------------------------------------------------------------

/** GraphQL `AddressInput` without `settlementId` (the register code, checked by the update service, not here). */
export type AddressInput = Omit<GraphQLAddressInput, 'settlementId'>;
