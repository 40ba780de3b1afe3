import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { hotQuery } from './hotQuery';

// Column types whose pg value is already what TypeORM hydrates (a `text[]` comes back as
// string[]); a `date` is selected as its `YYYY-MM-DD` text, which is what TypeORM makes of it.
const SAME_AS_TYPEORM = new Set(['uuid', 'text', 'boolean', 'int', 'jsonb', 'timestamptz']);
const statements = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, Map<string, string>>>();

/**
 * `SELECT <every column of the entity under its property name> FROM <its table> <alias> <rest>`,
 * built once per data source, entity, alias and `rest` from TypeORM's metadata (so a new column
 * cannot be forgotten). A column whose pg value could differ from TypeORM's hydration (another type, or a
 * transformer) fails the read here rather than serve a value of another shape.
 */
export function hotEntitySelect(ds: DataSource, entity: EntityTarget<ObjectLiteral>, alias: string, rest: string): string {
  let perDs = statements.get(ds);
  if (!perDs) statements.set(ds, (perDs = new Map()));
  let perEntity = perDs.get(entity);
  if (!perEntity) perDs.set(entity, (perEntity = new Map()));
  const key = `${alias} ${rest}`;
  let sql = perEntity.get(key);
  if (!sql) {
    const meta = ds.getMetadata(entity);
    const columns = meta.columns.map(({ databaseName, propertyName, type, transformer }) => {
      if (type === 'date' && !transformer) return `to_char(${alias}."${databaseName}", 'YYYY-MM-DD') AS "${propertyName}"`;
      if (typeof type !== 'string' || !SAME_AS_TYPEORM.has(type) || transformer) {
        throw new Error(`${meta.tablePath}.${databaseName}: column type ${String(type)} needs a mapping in hotEntitySelect`);
      }
      return `${alias}."${databaseName}" AS "${propertyName}"`;
    });
    sql = `SELECT ${columns.join(', ')} FROM ${meta.tablePath} ${alias} ${rest}`;
    perEntity.set(key, sql);
  }
  return sql;
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
