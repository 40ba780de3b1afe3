import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byKeys } from '@pc/server';
import type { Person } from '../entities/Person';
import { countHistories, selectHistoryPages, selectPersons, selectRepresentations, type PersonChangeRow, type RepresentationRow } from '../queries';

export type { PersonChangeRow };

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
    const rows = await selectHistoryPages(ds, [...new Set(group.map((k) => k.personId))], afterId, first + 1);
    const byPerson = new Map<string, PersonChangeRow[]>();
    for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
    for (const key of group) {
      const rows = byPerson.get(key.personId) ?? [];
      pages.set(key, { rows: rows.slice(0, first), hasNextPage: rows.length > first });
    }
  }
  return keys.map((k) => pages.get(k) as HistoryPage);
}

/** Per-request loaders: one batch (one SQL statement) per access pattern per tick. */
export function createLoaders(ds: DataSource) {
  return {
    personById: new DataLoader<string, Person | null>(async (ids) => byKeys(ids, await selectPersons(ds, ids), (p) => p.id)),
    historyPage: new DataLoader<HistoryPageKey, HistoryPage, string>((keys) => loadHistoryPages(ds, keys), {
      cacheKeyFn: (k) => `${k.personId}:${k.first}:${k.afterId ?? ''}`,
    }),
    representationsOf: new DataLoader<string, RepresentationRow[]>(async (actorIds) => {
      const rows = await selectRepresentations(ds, actorIds);
      return actorIds.map((id) => rows.filter((r) => r.actorId === id));
    }),
    historyCount: new DataLoader<string, number>(async (personIds) =>
      byKeys(personIds, await countHistories(ds, personIds), (r) => r.personId).map((r) => r?.count ?? 0),
    ),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
