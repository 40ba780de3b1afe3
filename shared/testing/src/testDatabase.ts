import { rmSync } from 'node:fs';
import { PGLITE_TEMPLATE_DIR, copyOfTemplate, createTemporaryDatabase, ensurePgliteTemplate, startEmbeddedPostgres } from '@pc/db';

/** A database for one test file. */
export interface TestDatabase {
  url: string;
  /** `postgres` for a real server (TEST_DATABASE_URL), `pglite` for the embedded one. */
  kind: 'postgres' | 'pglite';
  stop(): Promise<void>;
}

/** The server named by TEST_DATABASE_URL, if any (read here so test files don't touch process.env). */
export const testDatabaseServer = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

export { ensurePgliteTemplate, PGLITE_TEMPLATE_DIR };

/**
 * A fresh database for one test file: a new database on the TEST_DATABASE_URL server, or a
 * copy of the PGlite template served on a free port. Never a mock: the same SQL runs.
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  const server = testDatabaseServer();
  if (server) {
    const db = await createTemporaryDatabase(server);
    return { url: db.url, kind: 'postgres', stop: () => db.drop() };
  }
  const dir = await copyOfTemplate();
  const pg = await startEmbeddedPostgres({ dataDir: dir });
  return {
    url: pg.url,
    kind: 'pglite',
    async stop() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
