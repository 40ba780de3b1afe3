import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { hotEntities } from '@pc/db';
import { byKeys, groupByKeys } from '@pc/server';
import { AccessGrant } from '../entities/AccessGrant';
import { Cabinet } from '../entities/Cabinet';

const BY_ID = 'WHERE t.id = ANY($1::uuid[])';
const BY_PERSON = 'WHERE t.person_id = ANY($1::uuid[]) ORDER BY t.granted_at DESC, t.id ASC';

/**
 * Cabinets by id, in no particular order: behind `AccessGrant.cabinet`, `AccessLogEntry.cabinet`
 * and `Cabinet` entity resolution. One prepared statement ({@link hotEntities}), rows shaped as the
 * `Cabinet` entities TypeORM's `findBy({ id: In(ids) })` returned (test `hotReads.int.test.ts`).
 */
export async function loadCabinets(ds: DataSource, ids: readonly string[]): Promise<Cabinet[]> {
  return hotEntities(ds, Cabinet, 't', BY_ID, [ids]);
}

/** Grants by id, in no particular order (grant entity resolution); as {@link loadCabinets}. */
export async function loadGrants(ds: DataSource, ids: readonly string[]): Promise<AccessGrant[]> {
  return hotEntities(ds, AccessGrant, 't', BY_ID, [ids]);
}

/**
 * Every grant of the given persons, newest first (`granted_at DESC, id`): the read behind
 * `Person.accessGrants`, on the critical path of every CabinetHome. What TypeORM's
 * `find({ where: { personId: In(ids) }, order: { grantedAt: 'DESC', id: 'ASC' } })` returned,
 * as one prepared statement.
 */
export async function loadGrantsOfPersons(ds: DataSource, personIds: readonly string[]): Promise<AccessGrant[]> {
  return hotEntities(ds, AccessGrant, 't', BY_PERSON, [personIds]);
}

/**
 * Per-request loaders: one SQL statement per access pattern per tick. Each DataLoader is made on
 * first use (a CabinetHome needs two of the three).
 */
export class Loaders {
  private cabinets?: DataLoader<string, Cabinet | null>;
  private grants?: DataLoader<string, AccessGrant | null>;
  private grantsOfPersons?: DataLoader<string, AccessGrant[]>;

  constructor(private readonly ds: DataSource) {}

  get cabinetById(): DataLoader<string, Cabinet | null> {
    return (this.cabinets ??= new DataLoader(async (ids) => byKeys(ids, await loadCabinets(this.ds, ids), (c) => c.id)));
  }

  get grantById(): DataLoader<string, AccessGrant | null> {
    return (this.grants ??= new DataLoader(async (ids) => byKeys(ids, await loadGrants(this.ds, ids), (g) => g.id)));
  }

  get grantsByPersonId(): DataLoader<string, AccessGrant[]> {
    return (this.grantsOfPersons ??= new DataLoader(async (ids) => groupByKeys(ids, await loadGrantsOfPersons(this.ds, ids), (g) => g.personId)));
  }
}

/** The loaders of one request. */
export const createLoaders = (ds: DataSource): Loaders => new Loaders(ds);
