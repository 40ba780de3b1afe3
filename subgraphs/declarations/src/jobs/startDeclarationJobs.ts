import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';
import { todayIn } from '@pc/calendar';
import type { OutboxRelay } from './OutboxRelay';
import { closeDeclarations, expireRequests } from './timeDrivenTransitions';

/** One run of the time-driven transitions: expire overdue requests, close ended declarations. */
export async function runTimeDrivenTransitions(ds: DataSource, today: string): Promise<{ expired: number; closed: number }> {
  const expired = (await expireRequests(ds)).changed;
  const closed = (await closeDeclarations(ds, today)).changed;
  return { expired, closed };
}

/**
 * Starts the subgraph's background work: the transitions every `intervalMs`, first one interval
 * after start (several instances may run them at once; see {@link expireRequests}), and the
 * outbox relay, which delivers at start, after each commit that changed a count (its nudge),
 * and on every run of the transitions (which picks up messages another instance left behind).
 *
 * @returns stops both and waits for a run in flight
 */
export function startDeclarationJobs(a: {
  ds: DataSource;
  relay: OutboxRelay;
  log: Logger;
  intervalMs: number;
  relayEnabled: boolean;
  timeZone: string;
}): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  const tick = () => {
    if (inFlight) return; // a slow run is not stacked on
    inFlight = runTimeDrivenTransitions(a.ds, todayIn(a.timeZone))
      .then(({ expired, closed }) => {
        if (expired + closed > 0) a.log.info({ expired, closed }, 'declaration time-driven transitions');
      })
      .catch((err: unknown) => a.log.error({ err }, 'declaration time-driven transitions failed'))
      .finally(() => {
        inFlight = null;
        a.relay.nudge();
      });
  };
  const timer = a.intervalMs > 0 ? setInterval(tick, a.intervalMs) : undefined;
  if (a.relayEnabled) a.relay.start();
  return async () => {
    if (timer) clearInterval(timer);
    await inFlight;
    await a.relay.stop();
  };
}
