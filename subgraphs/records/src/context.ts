import type { SubgraphBaseContext } from '@pc/server';
import { createLoaders, type Loaders } from './loaders/createLoaders';
import { RecordReads } from './services/RecordReads';
import type { RecordsEnv } from './services/RecordsEnv';
import { RecordWrites } from './services/RecordWrites';

/** Per-request context of the records subgraph. */
export interface RecordsContext extends SubgraphBaseContext {
  loaders: Loaders;
  reads: RecordReads;
  writes: RecordWrites;
}

/** Builds the context: fresh loaders for every request, services bound to them and the verified caller. */
export function createContext(base: SubgraphBaseContext, env: RecordsEnv): RecordsContext {
  const loaders = createLoaders(env.dataSource);
  return { ...base, loaders, reads: new RecordReads(env, loaders, base.caller), writes: new RecordWrites(env, loaders, base.caller) };
}
