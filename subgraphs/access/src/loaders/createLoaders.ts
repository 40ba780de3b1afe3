import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { hotEntities, hotEntityColumns, hotQuery, hotSplitRow } from '@pc/db';
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

/** The prefix of the cabinet's columns in {@link loadGrantsOfPersons}' join. */
const CABINET = 'cabinet.';

const grantsWithCabinets = new WeakMap<DataSource, string>();

/**
 * Every grant of the given persons, newest first (`granted_at DESC, id`), with each grant's
 * cabinet: the read behind `Person.accessGrants { cabinet }`, on the critical path of every
 * CabinetHome, as one prepared statement (a join) instead of grants and then cabinets. The grants
 * are what TypeORM's `find({ where: { personId: In(ids) }, order: { grantedAt: 'DESC', id: 'ASC' } })`
 * returned, the cabinets what `findBy({ id: In(…) })` returned (test `hotReads.int.test.ts`).
 */
export async function loadGrantsOfPersons(ds: DataSource, personIds: readonly string[]): Promise<{ grants: AccessGrant[]; cabinets: Cabinet[] }> {
  let sql = grantsWithCabinets.get(ds);
  if (!sql) {
    const from = `${ds.getMetadata(AccessGrant).tablePath} t LEFT JOIN ${ds.getMetadata(Cabinet).tablePath} c ON c.id = t.cabinet_id`;
    sql = `SELECT ${hotEntityColumns(ds, AccessGrant, 't')}, ${hotEntityColumns(ds, Cabinet, 'c', CABINET)} FROM ${from} ${BY_PERSON}`;
    grantsWithCabinets.set(ds, sql);
  }
  const grants: AccessGrant[] = [];
  const cabinets = new Map<string, Cabinet>();
  for (const row of await hotQuery<Record<string, unknown>>(ds, sql, [personIds])) {
    const [grant, cabinet] = hotSplitRow(row, AccessGrant, Cabinet, CABINET);
    grants.push(grant);
    if (cabinet) cabinets.set(cabinet.id, cabinet);
  }
  return { grants, cabinets: [...cabinets.values()] };
}

/**
 * Per-request loaders: one SQL statement per access pattern per tick. Each DataLoader is made on
 * first use (a CabinetHome needs one: the grants of the person, which bring their cabinets).
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
    return (this.grantsOfPersons ??= new DataLoader(async (ids) => {
      const { grants, cabinets } = await loadGrantsOfPersons(this.ds, ids);
      // The grants' cabinets came with them: `AccessGrant.cabinet` reads nothing more.
      for (const c of cabinets) this.cabinetById.prime(c.id, c);
      return groupByKeys(ids, grants, (g) => g.personId);
    }));
  }
}

/** The loaders of one request. */
export const createLoaders = (ds: DataSource): Loaders => new Loaders(ds);
