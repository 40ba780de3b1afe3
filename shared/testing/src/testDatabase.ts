import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTemporaryDatabase, startEmbeddedPostgres } from '@pc/db';

/** A database for one test file. */
export interface TestDatabase {
  url: string;
  /** `postgres` for a real server (TEST_DATABASE_URL), `pglite` for the embedded one. */
  kind: 'postgres' | 'pglite';
  stop(): Promise<void>;
}

/** Where globalSetup leaves an initialised PGlite data directory to copy. */
export const PGLITE_TEMPLATE_DIR = join(tmpdir(), 'pc-pglite-template-v1');
const READY_MARK = join(PGLITE_TEMPLATE_DIR, '.ready');

/** The server named by TEST_DATABASE_URL, if any (read here so test files don't touch process.env). */
export const testDatabaseServer = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

/**
 * Creates the PGlite template once per machine (initdb costs ~5 s; opening a copy ~0.6 s).
 * Called from jest's globalSetup.
 */
export async function ensurePgliteTemplate(): Promise<void> {
  if (existsSync(READY_MARK)) return;
  rmSync(PGLITE_TEMPLATE_DIR, { recursive: true, force: true });
  const db = await startEmbeddedPostgres({ dataDir: PGLITE_TEMPLATE_DIR });
  await db.stop();
  writeFileSync(READY_MARK, new Date().toISOString());
}

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
  await ensurePgliteTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'pc-pglite-'));
  cpSync(PGLITE_TEMPLATE_DIR, dir, { recursive: true });
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
