import type { DataSource } from 'typeorm';
import type { SubgraphBaseContext } from '@pc/server';
import { todayIn } from '@pc/calendar';
import type { CapacityRules } from './domain/capabilities';
import { createLoaders, type Loaders } from './loaders/createLoaders';
import { PersonService } from './services/PersonService';
import { PersonUpdateService } from './services/PersonUpdateService';

/** Per-request context of the identity subgraph. */
export interface IdentityContext extends SubgraphBaseContext {
  loaders: Loaders;
  persons: PersonService;
  updates: PersonUpdateService;
}

/**
 * Builds the context: fresh loaders for every request, services bound to them. "Today" is fixed
 * once per request so that every field of one response applies the same ages.
 */
export function createContext(base: SubgraphBaseContext, ds: DataSource, rules: CapacityRules): IdentityContext {
  const loaders = createLoaders(ds);
  const persons = new PersonService(loaders, base.caller, rules, todayIn(rules.timeZone));
  return { ...base, loaders, persons, updates: new PersonUpdateService(ds, loaders, base.caller, persons) };
}
