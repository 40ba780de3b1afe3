import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { hotQuery } from './hotQuery';

// Column types whose pg value is already what TypeORM hydrates (a `text[]` comes back as
// string[]); a `date` is selected as its `YYYY-MM-DD` text, which is what TypeORM makes of it.
const SAME_AS_TYPEORM = new Set(['uuid', 'text', 'boolean', 'int', 'jsonb', 'timestamptz']);
const statements = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, Map<string, string>>>();

/**
 * The select list of every column of `entity` under `alias`, each `AS "<prefix><propertyName>"`,
 * from TypeORM's metadata (so a new column cannot be forgotten). A column whose pg value could
 * differ from TypeORM's hydration (another type, or a transformer) fails here rather than serve a
 * value of another shape. With a `prefix`, one statement can select two entities (a join) and
 * {@link hotSplitRow} takes the prefixed one apart again.
 */
export function hotEntityColumns(ds: DataSource, entity: EntityTarget<ObjectLiteral>, alias: string, prefix = ''): string {
  const meta = ds.getMetadata(entity);
  return meta.columns
    .map(({ databaseName, propertyName, type, transformer }) => {
      const as = `"${prefix}${propertyName}"`;
      if (type === 'date' && !transformer) return `to_char(${alias}."${databaseName}", 'YYYY-MM-DD') AS ${as}`;
      if (typeof type !== 'string' || !SAME_AS_TYPEORM.has(type) || transformer) {
        throw new Error(`${meta.tablePath}.${databaseName}: column type ${String(type)} needs a mapping in hotEntitySelect`);
      }
      return `${alias}."${databaseName}" AS ${as}`;
    })
    .join(', ');
}

/**
 * `SELECT <every column of the entity under its property name> FROM <its table> <alias> <rest>`,
 * built once per data source, entity, alias and `rest` ({@link hotEntityColumns}).
 */
export function hotEntitySelect(ds: DataSource, entity: EntityTarget<ObjectLiteral>, alias: string, rest: string): string {
  let perDs = statements.get(ds);
  if (!perDs) statements.set(ds, (perDs = new Map()));
  let perEntity = perDs.get(entity);
  if (!perEntity) perDs.set(entity, (perEntity = new Map()));
  const key = `${alias} ${rest}`;
  let sql = perEntity.get(key);
  if (!sql) {
    sql = `SELECT ${hotEntityColumns(ds, entity, alias)} FROM ${ds.getMetadata(entity).tablePath} ${alias} ${rest}`;
    perEntity.set(key, sql);
  }
  return sql;
}

/**
 * Takes a row of a two-entity select apart: the properties named `<prefix>…` become an entity of
 * `joined` (or null when its id is null: an outer join found none), the rest an entity of `entity`.
 */
export function hotSplitRow<T extends ObjectLiteral, J extends ObjectLiteral>(
  row: Record<string, unknown>,
  entity: abstract new () => T,
  joined: abstract new () => J,
  prefix: string,
): [T, J | null] {
  const own = Object.create(entity.prototype) as Record<string, unknown>;
  const other = Object.create(joined.prototype) as Record<string, unknown>;
  for (const key in row) {
    if (key.startsWith(prefix)) other[key.slice(prefix.length)] = row[key];
    else own[key] = row[key];
  }
  return [own as T, other.id === null || other.id === undefined ? null : (other as J)];
}

/**
 * Entities of `entity` read on a hot path through {@link hotQuery}: `rest` is the SQL after
 * `FROM <table> <alias>` (a WHERE on the alias' columns whose plan does not depend on the values,
 * an ORDER BY), and the rows come back shaped as the entities TypeORM's repository reads return (same
 * prototype, properties and values) without its query building and hydration.
 */
export async function hotEntities<T extends ObjectLiteral>(
  ds: DataSource,
  entity: abstract new () => T,
  alias: string,
  rest: string,
  values: unknown[],
): Promise<T[]> {
  const rows = await hotQuery<Record<string, unknown>>(ds, hotEntitySelect(ds, entity, alias, rest), values);
  return rows.map((row) => Object.assign(Object.create(entity.prototype) as T, row));
}
