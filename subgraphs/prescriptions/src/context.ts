import type { SubgraphBaseContext } from '@pc/server';
import { createLoaders, type Loaders } from './loaders/createLoaders';
import { DispenseService } from './services/DispenseService';
import { PrescriptionService } from './services/PrescriptionService';
import type { PrescriptionsEnv } from './services/PrescriptionsEnv';

/** Per-request context of the prescriptions subgraph. */
export interface PrescriptionsContext extends SubgraphBaseContext {
  loaders: Loaders;
  prescriptions: PrescriptionService;
  dispenses: DispenseService;
}

/** Builds the context: fresh loaders for every request, services bound to them and the verified caller. */
export function createContext(base: SubgraphBaseContext, env: PrescriptionsEnv): PrescriptionsContext {
  const loaders = createLoaders(env.dataSource);
  return {
    ...base,
    loaders,
    prescriptions: new PrescriptionService(env, loaders, base.caller),
    dispenses: new DispenseService(env, base.caller),
  };
}
