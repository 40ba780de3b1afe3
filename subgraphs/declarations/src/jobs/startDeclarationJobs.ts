import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';
import { calendarDate } from '../domain/rules';
import type { OutboxRelay } from './OutboxRelay';
import { closeDeclarations, expireRequests } from './timeDrivenTransitions';

/** One run of the time-driven transitions: expire overdue requests, close ended declarations. */
export async function runTimeDrivenTransitions(ds: DataSource, today: string): Promise<{ expired: number; closed: number }> {
  const expired = (await expireRequests(ds)).changed;
  const closed = (await closeDeclarations(ds, today)).changed;
  return { expired, closed };
}

/**
 * Starts the subgraph's background work: the transitions every `intervalMs` (several instances
 * may run them at once; see {@link expireRequests}) and the outbox relay.
 *
 * @returns stops both and waits for a run in flight
 */
export function startDeclarationJobs(a: { ds: DataSource; relay: OutboxRelay; log: Logger; intervalMs: number; relayIntervalMs: number; timeZone: string }): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  const tick = () => {
    if (inFlight) return; // a slow run is not stacked on
    inFlight = runTimeDrivenTransitions(a.ds, calendarDate(new Date(), a.timeZone))
      .then(({ expired, closed }) => {
        if (expired + closed > 0) {
          a.log.info({ expired, closed }, 'declaration time-driven transitions');
          a.relay.nudge();
        }
      })
      .catch((err: unknown) => a.log.error({ err }, 'declaration time-driven transitions failed'))
      .finally(() => {
        inFlight = null;
      });
  };
  const timer = a.intervalMs > 0 ? setInterval(tick, a.intervalMs) : undefined;
  if (a.intervalMs > 0) tick();
  if (a.relayIntervalMs > 0) a.relay.start(a.relayIntervalMs);
  return async () => {
    if (timer) clearInterval(timer);
    await inFlight;
    await a.relay.stop();
  };
}
