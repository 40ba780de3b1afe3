import { bool, cleanEnv, num, port, str, url, type CleanedEnv, type ValidatorSpec } from 'envalid';

export { bool, num, port, str, url, type CleanedEnv, type ValidatorSpec };

/** The value of INTERNAL_TOKEN_SECRET in development; production refuses to start with it. */
export const DEV_INTERNAL_TOKEN_SECRET = 'development-only-internal-secret-do-not-use-in-prod';

/** Thrown when the environment is invalid; the message lists every problem at once. */
export class ConfigError extends Error {}

/**
 * Settings every service reads. Each service declares one spec that spreads these (a subgraph's
 * `settings`, the gateway's `gatewaySpec`); {@link parseConfig} is the only parser of it, for the
 * process (its environment) and for the test harness (overrides through {@link envFrom}) alike.
 */
export const commonSpec = {
  NODE_ENV: str({ choices: ['development', 'production', 'test'], default: 'development' }),
  LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' }),
  /** A PostgreSQL server; empty means the embedded PGlite started by `npm start`. */
  DATABASE_URL: str({ default: '' }),
  /** Where the embedded database and development keys live. */
  DATA_DIR: str({ default: '.data' }),
  /** HMAC secret for the caller tokens the gateway signs for subgraphs (≥ 32 characters). */
  INTERNAL_TOKEN_SECRET: str({ default: DEV_INTERNAL_TOKEN_SECRET }),
  /** Connections per service pool. */
  DB_POOL_SIZE: num({ default: 10 }),
  /**
   * On SIGTERM: how long (ms) a service reports not ready (/readyz 503) while still serving, so the
   * load balancer moves traffic away before the port closes; then in-flight work finishes.
   */
  SHUTDOWN_DELAY_MS: num({ default: 5000 }),
};

/**
 * Parses `env` against `spec` with envalid, failing fast with one clear message that names
 * every missing or malformed variable. Also enforces cross-field rules shared by all services.
 */
export function parseConfig<S extends Record<string, unknown>>(
  spec: S,
  env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
): Readonly<CleanedEnv<S>> {
  const cleaned = cleanEnv(env, spec, {
    reporter: ({ errors }) => {
      const problems = Object.entries(errors).map(([key, err]) => `  ${key}: ${(err as Error).message}`);
      if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
    },
  });
  const c = cleaned as unknown as Record<string, unknown>;
  if (c.NODE_ENV === 'production' && 'INTERNAL_TOKEN_SECRET' in c) {
    const secret = String(c.INTERNAL_TOKEN_SECRET);
    if (secret === DEV_INTERNAL_TOKEN_SECRET || secret.length < 32) {
      throw new ConfigError('Invalid configuration:\n  INTERNAL_TOKEN_SECRET: set a random secret of at least 32 characters in production');
    }
  }
  return cleaned;
}

/**
 * Settings given as values (a test's overrides) as environment strings, so that they go through
 * {@link parseConfig} exactly as a process's environment does; `undefined` and `null` are left out
 * (the setting takes its default).
 */
export function envFrom(values: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== null) env[key] = String(value);
  return env;
}
