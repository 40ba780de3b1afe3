import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database created for one test run or one test file; `drop()` removes it. */
export interface TemporaryDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates a fresh, uniquely named database on the server behind `serverUrl` (a URL to any
 * database there, e.g. `postgres://postgres@127.0.0.1:5432/test`).
 */
export async function createTemporaryDatabase(serverUrl: string, prefix = 'pc_test'): Promise<TemporaryDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(serverUrl, name),
    async drop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
