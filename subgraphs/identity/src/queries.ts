/**
 * The identity subgraph's raw SQL (docs/architecture.md, "Data access"): hot reads on prepared
 * statements and the history window, each with its typed row and mapper. Everything else goes
 * through the entities (`Person`, `PersonChange`) and their repositories.
 *
 * @packageDocumentation
 */
import type { DataSource } from 'typeorm';
import { hotEntities } from '@pc/db';
import { Person } from './entities/Person';

/**
 * Persons by id, in no particular order: the read behind `me` and `Person` entity resolution,
 * on the critical path of every CabinetHome. One prepared statement ({@link hotEntities}; one SQL
 * text whatever the number of ids, where TypeORM's `In` made one per batch size), rows shaped as
 * the `Person` entities TypeORM returned (same properties and values; the test
 * `hotReads.int.test.ts` compares them on the demo personas), without its query building and
 * hydration — the largest cost in the `me` fetch's profile (docs/identity.md, "Hot reads").
 */
export function selectPersons(ds: DataSource, ids: readonly string[]): Promise<Person[]> {
  return hotEntities(ds, Person, 'p', 'WHERE p.id = ANY($1::uuid[])', [ids]);
}

/** One stored change-history entry, as the history page returns it. */
export interface PersonChangeRow {
  id: string;
  personId: string;
  action: string;
  versionBefore: number;
  versionAfter: number;
  clientId: string | null;
  subject: string | null;
  changedAt: Date;
  oldValues: Record<string, unknown>;
  newValues: Record<string, unknown>;
}

interface RawChangeRow {
  id: string;
  person_id: string;
  action: string;
  version_before: number;
  version_after: number;
  client_id: string | null;
  subject: string | null;
  changed_at: Date;
  old_values: Record<string, unknown>;
  new_values: Record<string, unknown>;
}

const toChangeRow = (r: RawChangeRow): PersonChangeRow => ({
  id: r.id,
  personId: r.person_id,
  action: r.action,
  versionBefore: r.version_before,
  versionAfter: r.version_after,
  clientId: r.client_id,
  subject: r.subject,
  changedAt: r.changed_at,
  oldValues: r.old_values,
  newValues: r.new_values,
});

/**
 * The newest `perPerson` history entries of each person after entry `afterId` (exclusive; null
 * for the newest), ordered by person then newest first: a window over (person_id, id).
 */
export async function selectHistoryPages(ds: DataSource, personIds: readonly string[], afterId: string | null, perPerson: number): Promise<PersonChangeRow[]> {
  const rows: RawChangeRow[] = await ds.query(
    `SELECT id, person_id, action, version_before, version_after, client_id, subject, changed_at, old_values, new_values
       FROM (SELECT c.*, row_number() OVER (PARTITION BY c.person_id ORDER BY c.id DESC) AS rn
               FROM identity.person_change c
              WHERE c.person_id = ANY($1::uuid[]) AND ($2::bigint IS NULL OR c.id < $2::bigint)) t
      WHERE rn <= $3
      ORDER BY person_id, id DESC`,
    [personIds, afterId, perPerson],
  );
  return rows.map(toChangeRow);
}

/** How many history entries each person has (persons without any are absent). */
export async function countHistories(ds: DataSource, personIds: readonly string[]): Promise<{ personId: string; count: number }[]> {
  const rows: { person_id: string; n: number }[] = await ds.query(
    'SELECT person_id, count(*)::int AS n FROM identity.person_change WHERE person_id = ANY($1::uuid[]) GROUP BY person_id',
    [personIds],
  );
  return rows.map((r) => ({ personId: r.person_id, count: r.n }));
}

/** One person the actor represents today, from `identity.representations_of_v1`. */
export interface RepresentationRow {
  actorId: string;
  personId: string;
  relationType: string;
  /** Last day of the representation (`YYYY-MM-DD`), null when open-ended. */
  validTo: string | null;
}

/**
 * The active representations of several actors in one statement (the loader behind
 * `Person.representations`). The rules — which confidant entries count, the end at 14 of a
 * parent's relationship, "today" — live in the SQL function, the one place the gateway reads too.
 */
export async function selectRepresentations(ds: DataSource, actorIds: readonly string[]): Promise<RepresentationRow[]> {
  const rows: { actor_id: string; person_id: string; relation_type: string; valid_to: string | null }[] = await ds.query(
    'SELECT a.id AS actor_id, r.person_id, r.relation_type, r.valid_to::text AS valid_to FROM unnest($1::uuid[]) AS a(id) CROSS JOIN LATERAL identity.representations_of_v1(a.id) r ORDER BY r.person_id',
    [actorIds],
  );
  return rows.map((r) => ({ actorId: r.actor_id, personId: r.person_id, relationType: r.relation_type, validTo: r.valid_to }));
}
