import type { SubgraphBaseContext } from '@pc/server';
import { createLoaders, type Loaders } from './loaders/createLoaders';
import { DeclarationRequestService } from './services/DeclarationRequestService';
import { DeclarationService } from './services/DeclarationService';
import type { DeclarationsEnv } from './services/DeclarationsEnv';

/** Per-request context of the declarations subgraph. */
export interface DeclarationsContext extends SubgraphBaseContext {
  loaders: Loaders;
  declarations: DeclarationService;
  requests: DeclarationRequestService;
}

/** Builds the context: fresh loaders for every request, services bound to them and the verified caller. */
export function createContext(base: SubgraphBaseContext, env: DeclarationsEnv): DeclarationsContext {
  const loaders = createLoaders(env.dataSource);
  return {
    ...base,
    loaders,
    declarations: new DeclarationService(env, loaders, base.caller),
    requests: new DeclarationRequestService(env, base.caller, loaders),
  };
}
