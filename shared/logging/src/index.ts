import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Service name written into every line as `service`. */
  service: string;
  /** pino level; default `info`. */
  level?: string;
  /**
   * `pretty`: readable coloured lines; `json`: one JSON object per line. Default: LOG_FORMAT from
   * the environment, else `pretty` when stdout is a terminal (a newcomer's `npm start`) and `json`
   * otherwise (containers, CI, log shippers).
   */
  format?: 'pretty' | 'json';
}

function defaultFormat(): 'pretty' | 'json' {
  const env = process.env.LOG_FORMAT;
  if (env === 'pretty' || env === 'json') return env;
  return process.stdout.isTTY ? 'pretty' : 'json';
}

/**
 * Structured JSON logs (pino) for a service. Request-scoped loggers are children carrying
 * `requestId`, so one request can be followed across the gateway and every subgraph.
 */
export function createLogger({ service, level = 'info', format = defaultFormat() }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service },
    // Personal data must not leak into logs through error objects carrying variables.
    redact: { paths: ['req.headers.authorization', 'variables', '*.variables'], remove: true },
  };
  if (format === 'json') return pino(options);
  // Synchronous pretty stream in the same thread (no transport worker): `npm start` runs six
  // processes on a terminal, and a worker thread each would cost more than the formatting.
  return pino(
    options,
    pretty({
      sync: true,
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
      messageFormat: '[{service}] {msg}',
    }),
  );
}
