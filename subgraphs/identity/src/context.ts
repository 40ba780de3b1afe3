import type { DataSource } from 'typeorm';
import type { SubgraphBaseContext } from '@pc/server';
import { createLoaders, type Loaders } from './loaders/createLoaders';
import { PersonService } from './services/PersonService';

/** Per-request context of the identity subgraph. */
export interface IdentityContext extends SubgraphBaseContext {
  loaders: Loaders;
  persons: PersonService;
}

/** Builds the context: fresh loaders for every request, services bound to them. */
export function createContext(base: SubgraphBaseContext, ds: DataSource): IdentityContext {
  const loaders = createLoaders(ds);
  return { ...base, loaders, persons: new PersonService(ds, loaders, base.caller) };
}
