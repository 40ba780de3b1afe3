import type { DataSource } from 'typeorm';
import { todayIn } from '@pc/calendar';
import type { Logger } from '@pc/logging';
import { expireDue } from '../queries';

/** Prescriptions expired per statement, so one run never holds a long transaction. */
export const EXPIRY_BATCH = 5000;

/**
 * ACTIVE prescriptions whose last day is before `today` become EXPIRED, in batches of
 * {@link EXPIRY_BATCH} (set-based: one UPDATE per batch, through the partial index on ACTIVE
 * rows). A row a dispense holds locked is skipped (`SKIP LOCKED`) and taken by the next run,
 * if it is still ACTIVE then; several instances may run this at once without doing a row twice.
 *
 * @param today - `YYYY-MM-DD` in the service's time zone
 * @returns how many prescriptions this call expired
 */
export async function expirePrescriptions(ds: DataSource, today: string, batch = EXPIRY_BATCH): Promise<number> {
  let expired = 0;
  for (;;) {
    const moved = await expireDue(ds, today, batch);
    expired += moved;
    if (moved < batch) return expired;
  }
}

/**
 * Runs {@link expirePrescriptions} every `intervalMs` (first one interval after start; 0 turns
 * it off). A slow run is not stacked on.
 *
 * @returns stops the timer and waits for a run in flight
 */
export function startPrescriptionJobs(a: { ds: DataSource; log: Logger; intervalMs: number; timeZone: string }): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  const tick = () => {
    if (inFlight) return;
    inFlight = expirePrescriptions(a.ds, todayIn(a.timeZone))
      .then((expired) => {
        if (expired > 0) a.log.info({ expired }, 'prescriptions expired');
      })
      .catch((err: unknown) => a.log.error({ err }, 'prescription expiry failed'))
      .finally(() => {
        inFlight = null;
      });
  };
  const timer = a.intervalMs > 0 ? setInterval(tick, a.intervalMs) : undefined;
  return async () => {
    if (timer) clearInterval(timer);
    await inFlight;
  };
}
