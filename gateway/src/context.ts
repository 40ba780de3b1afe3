import type { BaseContext } from '@apollo/server';
import type { Caller } from '@pc/auth';
import type { Logger } from '@pc/logging';

/** Per-request context of the gateway. */
export interface GatewayContext extends BaseContext {
  /** The verified caller (anonymous when no token was sent). */
  caller: Caller;
  log: Logger;
  /** `apollographql-client-name` / `-version` headers (client awareness). */
  clientName?: string;
  clientVersion?: string;
  /** Set only by the start-up warm-up: plan the operation, send nothing to any subgraph. */
  warmUp?: boolean;
}
