import type { SubgraphClient } from '@pc/server';

/** What createPrescription needs to know about the person (identity's). */
export interface PersonFacts {
  id: string;
  verificationStatus: string;
}

/** What createPrescription needs to know about the prescriber and the division (the directory's). */
export interface PrescriberFacts {
  doctor: { id: string; status: string; legalEntity: { id: string; status: string } | null } | null;
  division: { id: string; status: string; legalEntityId: string | null } | null;
}

/**
 * Reads the data other subgraphs own through their `_entities` (the internal read API; they
 * authorise SERVICE callers), never their tables: the person's verification from identity, the
 * doctor and division from the directory, and the person's current declaration from
 * declarations. Called before any transaction opens.
 */
export class OwnerReader {
  constructor(
    private readonly identity: SubgraphClient,
    private readonly directory: SubgraphClient,
    private readonly declarations: SubgraphClient,
  ) {}

  /** The person, or null when identity has no such record. */
  async person(id: string, requestId?: string): Promise<PersonFacts | null> {
    const data = await this.identity.request<{ _entities: (PersonFacts | null)[] }>(PERSON_QUERY, { r: [{ __typename: 'Person', id }] }, requestId);
    return data._entities[0] ?? null;
  }

  /** The doctor and the division in one call; each null when the directory has no such record. */
  async prescriber(doctorId: string, divisionId: string, requestId?: string): Promise<PrescriberFacts> {
    const data = await this.directory.request<{ _entities: [DoctorEntity | null, DivisionEntity | null] }>(
      DIRECTORY_QUERY,
      {
        r: [
          { __typename: 'Doctor', id: doctorId },
          { __typename: 'Division', id: divisionId },
        ],
      },
      requestId,
    );
    const [d, v] = data._entities;
    return {
      doctor: d ? { id: d.id, status: d.doctorStatus, legalEntity: d.legalEntity ? { id: d.legalEntity.id, status: d.legalEntity.status } : null } : null,
      division: v ? { id: v.id, status: v.divisionStatus, legalEntityId: v.legalEntity?.id ?? null } : null,
    };
  }

  /** True when the person's current declaration is ACTIVE and with this doctor. */
  async hasActiveDeclaration(personId: string, doctorId: string, requestId?: string): Promise<boolean> {
    const data = await this.declarations.request<{ _entities: ({ activeDeclaration: { status: string; doctor: { id: string } } | null } | null)[] }>(
      DECLARATION_QUERY,
      { r: [{ __typename: 'Person', id: personId }] },
      requestId,
    );
    const d = data._entities[0]?.activeDeclaration;
    return d?.status === 'ACTIVE' && d.doctor.id === doctorId;
  }
}

interface DoctorEntity {
  id: string;
  doctorStatus: string;
  legalEntity?: { id: string; status: string } | null;
}
interface DivisionEntity {
  id: string;
  divisionStatus: string;
  legalEntity?: { id: string } | null;
}

/** What the prescription rules need from identity. */
export const PERSON_QUERY = `query PrescriptionsPerson($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id verificationStatus } } }`;

/** What the prescription rules need from the directory. */
// The two `status` fields have different enum types, so GraphQL requires them aliased apart.
export const DIRECTORY_QUERY = `query PrescriptionsDoctorDivision($r: [_Any!]!) { _entities(representations: $r) {
  ... on Doctor { id doctorStatus: status legalEntity { id status } }
  ... on Division { id divisionStatus: status legalEntity { id } } } }`;

/** The person's current declaration, from declarations. */
export const DECLARATION_QUERY = `query PrescriptionsDeclaration($r: [_Any!]!) { _entities(representations: $r) {
  ... on Person { activeDeclaration { status doctor { id } } } } }`;
