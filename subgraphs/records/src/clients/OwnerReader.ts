import type { SubgraphClient } from '@pc/server';

/** What the write rules need to know about the author and the division (the directory's). */
export interface AuthorFacts {
  doctor: { id: string; status: string; legalEntity: { id: string; status: string } | null } | null;
  division: { id: string; status: string; legalEntityId: string | null } | null;
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

/**
 * Reads what other subgraphs own through their `_entities` (they authorise SERVICE callers),
 * never their tables: whether the person exists (identity), the doctor, their legal entity and
 * the division (directory). Called before any write.
 */
export class OwnerReader {
  constructor(
    private readonly identity: SubgraphClient,
    private readonly directory: SubgraphClient,
  ) {}

  /** True when identity has the person. */
  async personExists(id: string, requestId?: string): Promise<boolean> {
    const data = await this.identity.request<{ _entities: ({ id: string } | null)[] }>(PERSON_QUERY, { r: [{ __typename: 'Person', id }] }, requestId);
    return Boolean(data._entities[0]?.id);
  }

  /** The doctor and (when given) the division, in one call; each null when the directory has no such record. */
  async author(doctorId: string, divisionId: string | null, requestId?: string): Promise<AuthorFacts> {
    const r: { __typename: string; id: string }[] = [{ __typename: 'Doctor', id: doctorId }];
    if (divisionId) r.push({ __typename: 'Division', id: divisionId });
    const data = await this.directory.request<{ _entities: [DoctorEntity | null, (DivisionEntity | null)?] }>(DIRECTORY_QUERY, { r }, requestId);
    const [d, v] = data._entities;
    return {
      doctor: d ? { id: d.id, status: d.doctorStatus, legalEntity: d.legalEntity ? { id: d.legalEntity.id, status: d.legalEntity.status } : null } : null,
      division: v ? { id: v.id, status: v.divisionStatus, legalEntityId: v.legalEntity?.id ?? null } : null,
    };
  }
}

/** What the records rules need from identity. */
export const PERSON_QUERY = `query RecordsPerson($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }`;

/** What the records rules need from the directory. */
// The two `status` fields have different enum types, so GraphQL requires them aliased apart.
export const DIRECTORY_QUERY = `query RecordsDoctorDivision($r: [_Any!]!) { _entities(representations: $r) {
  ... on Doctor { id doctorStatus: status legalEntity { id status } }
  ... on Division { id divisionStatus: status legalEntity { id } } } }`;
