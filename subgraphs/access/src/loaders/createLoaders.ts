import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { hotQuery } from '@pc/db';
import { byKeys, groupByKeys } from '@pc/server';
import { AccessGrant } from '../entities/AccessGrant';
import { Cabinet } from '../entities/Cabinet';

// Column types whose pg value is already what TypeORM hydrates (text[] comes back as string[]).
const SAME_AS_TYPEORM = new Set(['uuid', 'text', 'boolean', 'timestamptz']);
const statements = new WeakMap<DataSource, Map<string, string>>();

/**
 * `SELECT <every column under its property name> FROM access.<table> t <rest>`, built once per
 * data source and statement from TypeORM's metadata (so a new column cannot be forgotten); a
 * column of a type whose pg value could differ from TypeORM's hydration fails the read here
 * rather than serve a value of another shape.
 */
function selectAll(ds: DataSource, entity: typeof Cabinet | typeof AccessGrant, rest: string): string {
  let perDs = statements.get(ds);
  if (!perDs) statements.set(ds, (perDs = new Map()));
  const key = `${entity.name} ${rest}`;
  let sql = perDs.get(key);
  if (!sql) {
    const meta = ds.getMetadata(entity);
    const columns = meta.columns.map(({ databaseName, propertyName, type, transformer }) => {
      if (typeof type !== 'string' || !SAME_AS_TYPEORM.has(type) || transformer) throw new Error(`${meta.tablePath}.${databaseName}: column type ${String(type)} needs a mapping in selectAll`);
      return `t."${databaseName}" AS "${propertyName}"`;
    });
    sql = `SELECT ${columns.join(', ')} FROM ${meta.tablePath} t ${rest}`;
    perDs.set(key, sql);
  }
  return sql;
}

const BY_ID = 'WHERE t.id = ANY($1::uuid[])';
const BY_PERSON = 'WHERE t.person_id = ANY($1::uuid[]) ORDER BY t.granted_at DESC, t.id ASC';

const as = <T extends object>(proto: T, rows: Record<string, unknown>[]): T[] => rows.map((row) => Object.assign(Object.create(proto) as T, row));

/**
 * Cabinets by id, in no particular order: behind `AccessGrant.cabinet`, `AccessLogEntry.cabinet`
 * and `Cabinet` entity resolution. One prepared statement ({@link hotQuery}), rows shaped as the
 * `Cabinet` entities TypeORM's `findBy({ id: In(ids) })` returned (test `hotReads.int.test.ts`).
 */
export async function loadCabinets(ds: DataSource, ids: readonly string[]): Promise<Cabinet[]> {
  return as(Cabinet.prototype, await hotQuery<Record<string, unknown>>(ds, selectAll(ds, Cabinet, BY_ID), [ids]));
}

/** Grants by id, in no particular order (grant entity resolution); as {@link loadCabinets}. */
export async function loadGrants(ds: DataSource, ids: readonly string[]): Promise<AccessGrant[]> {
  return as(AccessGrant.prototype, await hotQuery<Record<string, unknown>>(ds, selectAll(ds, AccessGrant, BY_ID), [ids]));
}

/**
 * Every grant of the given persons, newest first (`granted_at DESC, id`): the read behind
 * `Person.accessGrants`, on the critical path of every CabinetHome. What TypeORM's
 * `find({ where: { personId: In(ids) }, order: { grantedAt: 'DESC', id: 'ASC' } })` returned,
 * as one prepared statement.
 */
export async function loadGrantsOfPersons(ds: DataSource, personIds: readonly string[]): Promise<AccessGrant[]> {
  return as(
    AccessGrant.prototype,
    await hotQuery<Record<string, unknown>>(ds, selectAll(ds, AccessGrant, BY_PERSON), [personIds]),
  );
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
