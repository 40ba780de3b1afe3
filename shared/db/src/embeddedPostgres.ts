import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pinExtendedQueryBatches } from './pinExtendedQueryBatches';
import { initDataDirFromTemplate } from './pgliteTemplate';

/** A running embedded PostgreSQL (PGlite) reachable over the Postgres wire protocol. */
export interface EmbeddedPostgres {
  /** A `postgres://` URL for `pg`/TypeORM. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Directory kept on disk between runs (reopening ~0.6 s vs ~5 s for a fresh database). */
  dataDir: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /**
   * Connections the multiplexer accepts; default 64. pglite-socket defaults to 1, which would
   * make a second pool connection wait forever.
   */
  maxConnections?: number;
  /** Start an empty `dataDir` from the machine's initialised template instead of running initdb. */
  fromTemplate?: boolean;
}

/**
 * Starts PGlite on `dataDir` with the extensions the subgraphs use (pg_trgm, cube,
 * earthdistance — they must be registered before `CREATE EXTENSION`) and serves it on
 * 127.0.0.1 so the same `pg` code path runs as on a real server.
 *
 * PGlite runs one transaction at a time: code holding a transaction must not wait on a query
 * issued through another connection, or it waits forever.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (opts.fromTemplate) await initDataDirFromTemplate(opts.dataDir);
  mkdirSync(opts.dataDir, { recursive: true });
  // Loaded lazily: production deployments with DATABASE_URL never pay for the WASM build.
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { cube } = await import('@electric-sql/pglite/contrib/cube');
  const { earthdistance } = await import('@electric-sql/pglite/contrib/earthdistance');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create({ dataDir: opts.dataDir, extensions: { pg_trgm, cube, earthdistance } });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: opts.port ?? 0,
    maxConnections: opts.maxConnections ?? 64,
  });
  // Without it, concurrent pooled queries can get each other's rows (see the function).
  pinExtendedQueryBatches(server);
  await server.start();
  const conn = server.getServerConn();
  const port = Number(conn.split(':').pop());
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

export type { AddressInfo };
