import type { DataSource } from 'typeorm';
import type { SubgraphBaseContext } from '@pc/server';
import { createLoaders, type Loaders } from './loaders/createLoaders';
import { AccessGrantService } from './services/AccessGrantService';
import { AccessLogService } from './services/AccessLogService';

/** Per-request context of the access subgraph. */
export interface AccessContext extends SubgraphBaseContext {
  loaders: Loaders;
  grants: AccessGrantService;
  accessLog: AccessLogService;
}

/** Builds the context: fresh loaders for every request, services bound to them and the caller. */
export function createContext(base: SubgraphBaseContext, ds: DataSource): AccessContext {
  const loaders = createLoaders(ds);
  return { ...base, loaders, grants: new AccessGrantService(ds, loaders, base.caller), accessLog: new AccessLogService(ds, base.caller) };
}
