import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, openDatabase, startEmbeddedPostgres, withDatabase, type EmbeddedPostgres } from '@pc/db';
import type { Logger } from '@pc/logging';
import type { SubgraphModule } from '@pc/server';

/** The database a run uses, and how to give it back. */
export interface BenchDatabase {
  url: string;
  /** `postgres` (a server) or `pglite` (embedded fallback: one transaction at a time, slow under load). */
  kind: 'postgres' | 'pglite';
  /** Database name (pg_stat_database counters are read for it). */
  name: string;
  stop(): Promise<void>;
}

/**
 * Connects to the bench database on the server in `url`, creating it when missing. When no
 * DATABASE_URL was given and no server answers on 127.0.0.1:5432, falls back to the embedded
 * PGlite in `dataDir` so that `--quick` still works on a bare machine.
 */
export async function openBenchDatabase(url: string, given: boolean, dataDir: string, log: Logger): Promise<BenchDatabase> {
  const name = new URL(url).pathname.slice(1) || 'postgres';
  try {
    await ensureDatabase(url, name);
    return { url, kind: 'postgres', name, stop: async () => {} };
  } catch (err) {
    if (given) throw err;
    log.warn({ err: (err as Error).message }, 'no PostgreSQL on 127.0.0.1:5432; falling back to the embedded PGlite (numbers will be far lower)');
    const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pglite'), maxConnections: 100 });
    return { url: pg.url, kind: 'pglite', name: new URL(pg.url).pathname.slice(1) || 'postgres', stop: () => pg.stop() };
  }
}

async function ensureDatabase(url: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

/**
 * Opens one data source per subgraph module on the bench database and runs its migrations: the
 * tables the seed writes are exactly the ones the subgraphs create for themselves.
 */
export async function openSubgraphDataSources(url: string, modules: SubgraphModule[], log: Logger): Promise<Record<string, DataSource>> {
  const out: Record<string, DataSource> = {};
  const quiet = log.child({}, { level: 'error' });
  for (const mod of modules) {
    // Bulk statements are slow by nature: only errors of the seed's connections are worth a line.
    const ds = createDataSource({ url, schema: mod.name, entities: mod.entities, migrations: mod.migrations, poolSize: 4, log: quiet });
    out[mod.name] = await openDatabase(ds);
  }
  return out;
}
