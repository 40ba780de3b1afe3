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

/**
 * Builds the context: fresh loaders for every request (each DataLoader made on first use),
 * services bound to them and the caller. The base fields are listed rather than spread (an object
 * spread showed in the CabinetHome profile; a new required base field fails the type check here).
 */
export function createContext(base: SubgraphBaseContext, ds: DataSource): AccessContext {
  const loaders = createLoaders(ds);
  const { caller, requestId, log } = base;
  return { caller, requestId, log, loaders, grants: new AccessGrantService(ds, loaders, caller), accessLog: new AccessLogService(ds, caller) };
}
