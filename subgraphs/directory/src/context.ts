import type { DataSource } from 'typeorm';
import type { SubgraphBaseContext } from '@pc/server';
import type { DirectorySettings } from './config';
import { createLoaders, type Loaders } from './loaders/createLoaders';
import { DeclarationCountsService } from './services/DeclarationCountsService';
import { DirectoryService } from './services/DirectoryService';

/** Per-request context of the directory subgraph. */
export interface DirectoryContext extends SubgraphBaseContext {
  loaders: Loaders;
  directory: DirectoryService;
  /** Counts reported by the declarations domain (internal callers only). */
  declarationCounts: DeclarationCountsService;
}

/**
 * Builds the context: fresh loaders for every request, the service bound to them. The caller
 * is verified by the server factory (a request must come through the gateway) but not checked
 * further: directory reads are public, anonymous callers included.
 */
export function createContext(base: SubgraphBaseContext, ds: DataSource, settings: DirectorySettings, reads: DataSource = ds): DirectoryContext {
  // The public reads may come from a replica (`reads`, DATABASE_REPLICA_URL); the counts the
  // declarations domain writes stay on the primary.
  const loaders = createLoaders(reads);
  return {
    ...base,
    loaders,
    directory: new DirectoryService(reads, loaders, settings),
    declarationCounts: new DeclarationCountsService(ds, settings, base.caller),
  };
}
