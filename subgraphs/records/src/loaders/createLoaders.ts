import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { byKeys, groupByKeys } from '@pc/server';
import { Condition } from '../entities/Condition';
import type { DiagnosticReport } from '../entities/DiagnosticReport';
import { Encounter } from '../entities/Encounter';
import { reportsByIds } from '../queries';

/** Per-request loaders: one SQL statement per access pattern per tick, whatever the page size. */
export function createLoaders(ds: DataSource) {
  return {
    encounterById: new DataLoader<string, Encounter | null>(async (ids) =>
      byKeys(ids, await ds.getRepository(Encounter).findBy({ id: In([...ids]) }), (e) => e.id),
    ),
    conditionById: new DataLoader<string, Condition | null>(async (ids) =>
      byKeys(ids, await ds.getRepository(Condition).findBy({ id: In([...ids]) }), (c) => c.id),
    ),
    /** The conditions of each encounter, in the order the doctor listed them. */
    conditionsOfEncounter: new DataLoader<string, Condition[]>(async (ids) =>
      groupByKeys(
        ids,
        await ds.getRepository(Condition).find({ where: { encounterId: In([...ids]) }, order: { rank: 'ASC', id: 'ASC' } }),
        (c) => c.encounterId!,
      ),
    ),
    /** With observations. */
    reportById: new DataLoader<string, DiagnosticReport | null>(async (ids) => byKeys(ids, await reportsByIds(ds, ids), (r) => r.id)),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
