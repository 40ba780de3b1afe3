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
 * win back a compilation.
 *
 * `plan_cache_mode=force_generic_plan`: applies to named (prepared) statements only, i.e. our hot
 * reads (hotQuery, hotPoolQuery), whose rule is SQL with a plan that does not depend on the
 * values. Left to its heuristic, PostgreSQL keeps planning such a statement for every execution
 * when the generic plan's *estimate* is higher than the custom plans' — as for the gateway's
 * admission statement, where planning was 0.35 of its 0.42 ms (0.07 ms generic). Unnamed
 * statements (TypeORM, searches planned for their values) are unaffected. A/B on the national
 * data set: PostgreSQL CPU per cabinet home 4.43 → 3.48 and 4.81 → 3.71 ms.
 * PGlite has neither JIT nor a cost-based plan choice worth the name and ignores both settings.
 */
export const PG_SESSION_OPTIONS = '-c jit=off -c plan_cache_mode=force_generic_plan';

/** A `pg` pool whose connections start with {@link PG_SESSION_OPTIONS}: the gateway's own pools (grant checks, access log, entity cache). */
export function createPgPool(config: Omit<PoolConfig, 'options'>): Pool {
  return new Pool({ ...config, options: PG_SESSION_OPTIONS });
}
