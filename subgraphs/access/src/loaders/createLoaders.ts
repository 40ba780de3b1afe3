import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { byKeys, groupByKeys } from '@pc/server';
import { AccessGrant } from '../entities/AccessGrant';
import { Cabinet } from '../entities/Cabinet';

/** Per-request loaders: one SQL statement per access pattern per tick. */
export function createLoaders(ds: DataSource) {
  return {
    cabinetById: new DataLoader<string, Cabinet | null>(async (ids) =>
      byKeys(ids, await ds.getRepository(Cabinet).findBy({ id: In([...ids]) }), (c) => c.id),
    ),
    grantById: new DataLoader<string, AccessGrant | null>(async (ids) =>
      byKeys(ids, await ds.getRepository(AccessGrant).findBy({ id: In([...ids]) }), (g) => g.id),
    ),
    grantsByPersonId: new DataLoader<string, AccessGrant[]>(async (ids) =>
      groupByKeys(ids, await ds.getRepository(AccessGrant).find({ where: { personId: In([...ids]) }, order: { grantedAt: 'DESC', id: 'ASC' } }), (g) => g.personId),
    ),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
