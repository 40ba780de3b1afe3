import pino, { type Logger } from 'pino';

export type { Logger };

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Service name written into every line as `service`. */
  service: string;
  /** pino level; default `info`. */
  level?: string;
}

/**
 * Structured JSON logs (pino) for a service. Request-scoped loggers are children carrying
 * `requestId`, so one request can be followed across the gateway and every subgraph.
 */
export function createLogger({ service, level = 'info' }: LoggerOptions): Logger {
  return pino({
    level,
    base: { service },
    // Personal data must not leak into logs through error objects carrying variables.
    redact: { paths: ['req.headers.authorization', 'variables', '*.variables'], remove: true },
  });
}
