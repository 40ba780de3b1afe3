import type { DivisionFacts, DoctorFacts, PersonFacts } from '../domain/rules';
import type { SubgraphClient } from '@pc/server';

/**
 * Reads the data other subgraphs own — the person's birth date, verification, capacity and
 * authentication method from identity; the doctor's status, speciality, limit and employer and
 * the division from the directory — through their `_entities` (the internal read API; they
 * authorise SERVICE callers). Never their tables (docs/adr/0001-declarations-read-owner-data.md).
 * Called before any transaction opens.
 */
export class OwnerReader {
  constructor(
    private readonly identity: SubgraphClient,
    private readonly directory: SubgraphClient,
  ) {}

  /** The person, or null when identity has no such record. */
  async person(id: string, requestId?: string): Promise<PersonFacts | null> {
    const data = await this.identity.request<{ _entities: (PersonEntity | null)[] }>(PERSON_QUERY, { r: [{ __typename: 'Person', id }] }, requestId);
    const p = data._entities[0];
    if (!p) return null;
    return {
      id: p.id,
      firstName: p.firstName ?? null,
      lastName: p.lastName ?? null,
      birthDate: p.birthDate,
      verificationStatus: p.verificationStatus,
      authenticationMethod: p.authenticationMethod ?? null,
      taxId: p.taxId ?? null,
      canSubmitDeclaration: p.capabilities?.canSubmitDeclaration === true,
    };
  }

  /** The doctor and the division in one call; each null when the directory has no such record. */
  async doctorAndDivision(doctorId: string, divisionId: string, requestId?: string): Promise<{ doctor: DoctorFacts | null; division: DivisionFacts | null }> {
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
      doctor: d
        ? {
            id: d.id,
            status: d.doctorStatus,
            speciality: d.speciality ?? null,
            declarationLimit: d.declarationLimit ?? null,
            legalEntity: d.legalEntity ? { id: d.legalEntity.id, status: d.legalEntity.status, type: d.legalEntity.type } : null,
          }
        : null,
      division: v ? { id: v.id, status: v.divisionStatus, legalEntityId: v.legalEntity?.id ?? null } : null,
    };
  }
}

interface PersonEntity {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  birthDate: string;
  verificationStatus: string;
  authenticationMethod?: string | null;
  taxId?: string | null;
  capabilities?: { canSubmitDeclaration: boolean } | null;
}
interface DoctorEntity {
  id: string;
  doctorStatus: string;
  speciality?: string | null;
  declarationLimit?: number | null;
  legalEntity?: { id: string; status: string; type: string } | null;
}
interface DivisionEntity {
  id: string;
  divisionStatus: string;
  legalEntity?: { id: string } | null;
}

/** What the declaration rules need from identity (and the name/birth date snapshot of a request). */
export const PERSON_QUERY = `query DeclarationsPerson($r: [_Any!]!) { _entities(representations: $r) { ... on Person {
  id firstName lastName birthDate verificationStatus authenticationMethod taxId capabilities { canSubmitDeclaration } } } }`;

/** What the declaration rules need from the directory. */
// The two `status` fields have different enum types, so GraphQL requires them aliased apart.
export const DIRECTORY_QUERY = `query DeclarationsDoctorDivision($r: [_Any!]!) { _entities(representations: $r) {
  ... on Doctor { id doctorStatus: status speciality declarationLimit legalEntity { id status type } }
  ... on Division { id divisionStatus: status legalEntity { id } } } }`;
