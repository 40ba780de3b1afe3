/**
 * The enums and input shapes the identity validators read.
 *
 * @packageDocumentation
 */

// ---------------------------------------------------------------------------------------------
// Enums (string unions). The arrays exist so that runtime membership checks and the GraphQL
// enum definitions can share one list with the types.
// ---------------------------------------------------------------------------------------------

/** All values of {@link Gender}. */
export const GENDERS = ['MALE', 'FEMALE'] as const;
/** Person's gender as recorded in the demographic register. */
export type Gender = (typeof GENDERS)[number];

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
// Input shapes (mirror the GraphQL inputs of docs/api.md; nullable GraphQL fields may arrive as
// `null` or be omitted, hence `?: T | null`).
// ---------------------------------------------------------------------------------------------

/** GraphQL `PhoneInput`. */
export interface PhoneInput {
  /** MOBILE or LAND_LINE. */
  type: PhoneType;
  /** `+38` followed by ten digits. */
  number: string;
}

/** GraphQL `AddressInput`. */
export interface AddressInput {
  /** RESIDENCE or REGISTRATION. */
  type: AddressType;
  /** Country code or name; required. */
  country: string;
  /** Oblast; required. */
  area: string;
  /** Raion. */
  region?: string | null;
  /** Settlement name; required. */
  settlement: string;
  /** CITY, TOWNSHIP, VILLAGE or SETTLEMENT. */
  settlementType: SettlementType;
  /** Street type (вулиця, проспект, ...). */
  streetType?: string | null;
  /** Street name. */
  street?: string | null;
  /** Building number, see {@link validateBuilding}. */
  building?: string | null;
  /** Apartment number; free text. */
  apartment?: string | null;
  /** Postal code, five digits. */
  zip?: string | null;
}

/** GraphQL `PersonDocumentInput`. */
export interface PersonDocumentInput {
  /** Kind of the document; decides the number format. */
  type: DocumentType;
  /** Series and number, see {@link validateDocumentNumber}. */
  number: string;
  /** Issue date, `YYYY-MM-DD`. */
  issuedAt: string;
  /** Issuing authority. */
  issuedBy: string;
  /** Expiry date, `YYYY-MM-DD`; required for NATIONAL_ID. */
  expirationDate?: string | null;
}

/** GraphQL `EmergencyContactInput`. */
export interface EmergencyContactInput {
  /** Given name. */
  firstName: string;
  /** Family name. */
  lastName: string;
  /** Patronymic. */
  secondName?: string | null;
  /** At least one phone. */
  phones: PhoneInput[];
}

/** All values of {@link CommunicationChannel}. */
export const COMMUNICATION_CHANNELS = ['EMAIL', 'PHONE'] as const;
/** How the person prefers to be contacted (`preferred_way_communication`). */
export type CommunicationChannel = (typeof COMMUNICATION_CHANNELS)[number];
