import type http from 'node:http';
import type { Logger } from '@pc/logging';

/**
 * While `isDraining()` is true, every response carries `Connection: close`: a keep-alive client
 * (a load balancer, the gateway's agent) gets its current answer and opens its next connection
 * elsewhere — to another replica, now that /readyz says this one is not ready.
 */
export function closeKeepAliveWhileDraining(httpServer: http.Server, isDraining: () => boolean): void {
  httpServer.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isDraining()) res.setHeader('Connection', 'close');
  });
}

/** Options of {@link drainOnSignal}. */
export interface DrainOptions {
  /** Turns /readyz to 503 (and keep-alive off); the server keeps serving. */
  setNotReady(): void;
  /** How long to keep serving after reporting not ready (SHUTDOWN_DELAY_MS). */
  delayMs: number;
  /** Closes the port, lets in-flight requests finish, then releases what the process holds (jobs, pools). */
  stop(): Promise<void>;
  log: Logger;
  /** Default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
  /** Default `process.exit` (tests pass their own). */
  exit?: (code: number) => void;
}

/** The shutdown sequence {@link drainOnSignal} installed. */
export interface Drain {
  /** Runs the sequence (what a signal does); a second call skips the rest of the delay. */
  shutdown(reason: string): Promise<void>;
  /** Removes the signal handlers (tests). */
  dispose(): void;
}

/**
 * The shutdown of every service process (subgraphs via runSubgraph, the gateway's index.ts):
 *
 * 1. on the first SIGTERM/SIGINT, report not ready at once (`setNotReady`), but keep serving;
 * 2. wait `delayMs`, so load balancers see the 503 and stop sending new requests — requests that
 *    still arrive are served normally, with `Connection: close`;
 * 3. `stop()`: close the port, finish in-flight requests, close pools; then exit 0 (1 if stop failed).
 *
 * A second signal during the delay (Ctrl-C twice; `npm start` forwarding SIGTERM after the
 * terminal's SIGINT) skips the rest of the delay.
 */
export function drainOnSignal(opts: DrainOptions): Drain {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;
  let skipDelay: (() => void) | undefined;

  const run = async (reason: string): Promise<void> => {
    opts.setNotReady();
    opts.log.info({ reason, delayMs: opts.delayMs }, `shutting down: not ready, still serving for ${opts.delayMs} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, opts.delayMs);
      skipDelay = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    skipDelay = undefined;
    opts.log.info('shutting down: closing the port, finishing in-flight requests');
    try {
      await opts.stop();
    } catch (err) {
      opts.log.error({ err }, 'shutdown failed');
      exit(1);
      return;
    }
    opts.log.info('stopped');
    exit(0);
  };

  const shutdown = (reason: string): Promise<void> => {
    if (running) {
      if (skipDelay) opts.log.info({ reason }, 'second signal: skipping the rest of the shutdown delay');
      skipDelay?.();
      return running;
    }
    running = run(reason);
    return running;
  };
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  const handlers = signals.map((signal) => [signal, () => void shutdown(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return {
    shutdown,
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
