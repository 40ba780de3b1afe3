import type { DataSource, EntityManager } from 'typeorm';

// PostgreSQL errors after which running the whole transaction again is correct: a deadlock
// victim, a serialization failure, and the one-current-declaration and one-open-request indexes
// (a concurrent writer for the same person committed first; the retry sees and replaces its
// row). The per-person lock keeps our own code from hitting either index.
const RETRYABLE = new Set(['40P01', '40001']);
const RETRYABLE_CONSTRAINTS = new Set(['declaration_one_current_per_person', 'declaration_request_one_open_per_person']);

function isRetryable(err: unknown): boolean {
  const driver = (err as { driverError?: { code?: string; constraint?: string } }).driverError;
  if (!driver?.code) return false;
  return RETRYABLE.has(driver.code) || (driver.code === '23505' && RETRYABLE_CONSTRAINTS.has(driver.constraint ?? ''));
}

/**
 * Runs `work` in one READ COMMITTED transaction, again (up to `attempts` times) when PostgreSQL
 * aborted it for a reason a retry resolves. `work` must use only the manager it is given
 * (PGlite runs one transaction at a time) and must not call other services.
 */
export async function inTransaction<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ds.transaction(work);
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
    }
  }
}
