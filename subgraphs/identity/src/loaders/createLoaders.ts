import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { hotEntities } from '@pc/db';
import { byKeys } from '@pc/server';
import { Person } from '../entities/Person';

/** One stored change-history entry, as the history loader returns it. */
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

/** A page request for one person's history: newest first, `first` entries after entry `afterId`. */
export interface HistoryPageKey {
  personId: string;
  first: number;
  /** Entry id the page starts after (exclusive), or null for the newest. */
  afterId: string | null;
}

/** A page of history: up to `first` rows, and whether more follow. */
export interface HistoryPage {
  rows: PersonChangeRow[];
  hasNextPage: boolean;
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
 * Pages of several persons' histories that share `first` and `afterId` come from one statement:
 * a window over (person_id, id) keeps `first + 1` rows per person, the extra row only telling
 * whether another page exists.
 */
async function loadHistoryPages(ds: DataSource, keys: readonly HistoryPageKey[]): Promise<HistoryPage[]> {
  const groups = new Map<string, HistoryPageKey[]>();
  for (const key of keys) {
    const group = `${key.first}:${key.afterId ?? ''}`;
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  const pages = new Map<HistoryPageKey, HistoryPage>();
  for (const group of groups.values()) {
    const { first, afterId } = group[0] as HistoryPageKey;
    const raw: RawChangeRow[] = await ds.query(
      `SELECT id, person_id, action, version_before, version_after, client_id, subject, changed_at, old_values, new_values
         FROM (SELECT c.*, row_number() OVER (PARTITION BY c.person_id ORDER BY c.id DESC) AS rn
                 FROM identity.person_change c
                WHERE c.person_id = ANY($1::uuid[]) AND ($2::bigint IS NULL OR c.id < $2::bigint)) t
        WHERE rn <= $3
        ORDER BY person_id, id DESC`,
      [[...new Set(group.map((k) => k.personId))], afterId, first + 1],
    );
    const byPerson = new Map<string, PersonChangeRow[]>();
    for (const row of raw.map(toChangeRow)) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
    for (const key of group) {
      const rows = byPerson.get(key.personId) ?? [];
      pages.set(key, { rows: rows.slice(0, first), hasNextPage: rows.length > first });
    }
  }
  return keys.map((k) => pages.get(k) as HistoryPage);
}

/**
 * Persons by id, in no particular order: the read behind `me` and `Person` entity resolution,
 * on the critical path of every CabinetHome. One prepared statement ({@link hotEntities}; one SQL
 * text whatever the number of ids, where TypeORM's `In` made one per batch size), rows shaped as
 * the `Person` entities TypeORM returned (same properties and values; the test
 * `hotReads.int.test.ts` compares them on the demo personas), without its query building and
 * hydration — the largest cost in the `me` fetch's profile (docs/identity.md, "Hot reads").
 */
export async function loadPersons(ds: DataSource, ids: readonly string[]): Promise<Person[]> {
  return hotEntities(ds, Person, 'p', 'WHERE p.id = ANY($1::uuid[])', [ids]);
}

/** Per-request loaders: one batch (one SQL statement) per access pattern per tick. */
export function createLoaders(ds: DataSource) {
  return {
    personById: new DataLoader<string, Person | null>(async (ids) => byKeys(ids, await loadPersons(ds, ids), (p) => p.id)),
    historyPage: new DataLoader<HistoryPageKey, HistoryPage, string>((keys) => loadHistoryPages(ds, keys), {
      cacheKeyFn: (k) => `${k.personId}:${k.first}:${k.afterId ?? ''}`,
    }),
    historyCount: new DataLoader<string, number>(async (personIds) => {
      const rows: { person_id: string; n: number }[] = await ds.query(
        'SELECT person_id, count(*)::int AS n FROM identity.person_change WHERE person_id = ANY($1::uuid[]) GROUP BY person_id',
        [[...personIds]],
      );
      return byKeys(personIds, rows, (r) => r.person_id).map((r) => r?.n ?? 0);
    }),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
