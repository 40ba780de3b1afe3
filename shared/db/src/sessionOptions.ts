import { Pool, type PoolConfig } from 'pg';

/**
 * Settings every connection of ours starts its session with (the `options` startup parameter;
 * a DATABASE_URL that carries `options=` itself wins).
 *
 * `jit=off`: our statements are short OLTP reads and writes. PostgreSQL's JIT starts compiling
 * a statement whose *estimated* cost passes `jit_above_cost` (100,000), and an estimate can be
 * far off: `identity.representations_of_v1` on 1 M persons is estimated at 220,000 (the GIN
 * `@>` guess of 17,000 rows) and finds none, yet paid 10–50 ms of JIT compilation on every
 * call, for a 2 ms query (docs/performance.md, "JIT"). No statement of ours runs long enough to
 * win back a compilation. PGlite has no JIT and ignores the setting.
 */
export const PG_SESSION_OPTIONS = '-c jit=off';

/** A `pg` pool whose connections start with {@link PG_SESSION_OPTIONS}: the gateway's own pools (grant checks, access log, entity cache). */
export function createPgPool(config: Omit<PoolConfig, 'options'>): Pool {
  return new Pool({ ...config, options: PG_SESSION_OPTIONS });
}
