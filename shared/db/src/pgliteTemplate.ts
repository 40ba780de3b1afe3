import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// PGlite's package.json is not exported; the exact version this package pins is ours to read.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgliteVersion = (require('../package.json') as { dependencies: Record<string, string> }).dependencies['@electric-sql/pglite'];

/**
 * An initialised, empty PGlite data directory kept once per machine and PGlite version. initdb
 * costs ~5 s (10 s on a busy 2-core machine); copying the template and opening it costs ~0.6 s.
 * `npm start` on a fresh DATA_DIR and every test file start from a copy.
 */
export const PGLITE_TEMPLATE_DIR = join(tmpdir(), `pc-pglite-template-${pgliteVersion}`);

/** Creates the template if it is missing; safe when several processes race (atomic rename). */
export async function ensurePgliteTemplate(): Promise<string> {
  if (existsSync(join(PGLITE_TEMPLATE_DIR, 'PG_VERSION'))) return PGLITE_TEMPLATE_DIR;
  const building = mkdtempSync(`${PGLITE_TEMPLATE_DIR}.building-`);
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir: building });
  await db.close();
  try {
    renameSync(building, PGLITE_TEMPLATE_DIR);
  } catch {
    // Another process finished first; theirs is as good as ours.
    rmSync(building, { recursive: true, force: true });
  }
  return PGLITE_TEMPLATE_DIR;
}

/** Fills an empty data directory from the template; an existing database is left alone. */
export async function initDataDirFromTemplate(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  cpSync(await ensurePgliteTemplate(), dataDir, { recursive: true });
}

/** A new, empty data directory copied from the template (tests). */
export async function copyOfTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-pglite-'));
  cpSync(await ensurePgliteTemplate(), dir, { recursive: true });
  return dir;
}
