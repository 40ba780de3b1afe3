import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { byKeys } from '@pc/server';
import { Person } from '../entities/Person';

/** Per-request loaders: one batch (one SQL statement) per access pattern per tick. */
export function createLoaders(ds: DataSource) {
  return {
    personById: new DataLoader<string, Person | null>(async (ids) =>
      byKeys(ids, await ds.getRepository(Person).findBy({ id: In([...ids]) }), (p) => p.id),
    ),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
