import type { ChildProcess } from 'node:child_process';

/** Settings of {@link RestartPolicy}; the defaults are what `npm start` uses. */
export interface RestartPolicyOptions {
  /** Restarts allowed within `windowMs`; one more crash in the window gives up. Default 5. */
  maxRestarts?: number;
  /** Crashes older than this are forgotten. Default 120,000 ms. */
  windowMs?: number;
  /** Delay before the first restart; doubled for each further crash in the window. Default 1,000 ms. */
  initialDelayMs?: number;
  /** Longest delay. Default 15,000 ms. */
  maxDelayMs?: number;
}

/** What to do after a crash. */
export type RestartDecision = { restart: true; delayMs: number; attempt: number; of: number } | { restart: false; crashes: number; windowMs: number };

/**
 * When a crashed process is started again: after 1 s, 2 s, 4 s, 8 s, 15 s (doubling, capped) for
 * the crashes within the window, and not at all once more than `maxRestarts` crashes fall in
 * it. Crashes older than the window are forgotten, so a process that crashes once a day is
 * always restarted after 1 s.
 */
export class RestartPolicy {
  readonly maxRestarts: number;
  readonly windowMs: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private crashes: number[] = [];

  constructor(
    opts: RestartPolicyOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxRestarts = opts.maxRestarts ?? 5;
    this.windowMs = opts.windowMs ?? 120_000;
    this.initialDelayMs = opts.initialDelayMs ?? 1000;
    this.maxDelayMs = opts.maxDelayMs ?? 15_000;
  }

  /** Records a crash now and decides. */
  crashed(): RestartDecision {
    const t = this.now();
    this.crashes = this.crashes.filter((c) => t - c < this.windowMs);
    this.crashes.push(t);
    const n = this.crashes.length;
    if (n > this.maxRestarts) return { restart: false, crashes: n, windowMs: this.windowMs };
    return { restart: true, delayMs: Math.min(this.initialDelayMs * 2 ** (n - 1), this.maxDelayMs), attempt: n, of: this.maxRestarts };
  }
}

/** Options of {@link supervise}. */
export interface SuperviseOptions {
  /** Name in the log lines (`directory`, `gateway`). */
  name: string;
  /** Starts the process (again). */
  start(): ChildProcess;
  policy?: RestartPolicy;
  /** Where the supervisor's lines go; default stderr. */
  write?: (line: string) => void;
  /** Called once when the policy gives up (npm start then stops everything). */
  onGiveUp(): void;
}

/** A supervised process. */
export interface Supervised {
  name: string;
  /** The process running now (undefined while a restart waits). */
  readonly current: ChildProcess | undefined;
  /** How many times it was restarted. */
  readonly restarts: number;
  /** Stops supervising, then SIGTERMs the process and waits for it (SIGKILL after `killAfterMs`). */
  stop(killAfterMs?: number): Promise<void>;
}

/**
 * Keeps a child process running: when it exits without having been asked to (a crash, `kill -9`,
 * an exit of its own), it is started again after the policy's delay, with one clear line —
 * which process, exit code or signal, when, attempt k of m — until the policy gives up.
 */
export function supervise(opts: SuperviseOptions): Supervised {
  const policy = opts.policy ?? new RestartPolicy();
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  let current: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;

  const launch = () => {
    const child = opts.start();
    current = child;
    child.once('exit', (code, signal) => {
      if (current === child) current = undefined;
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const decision = policy.crashed();
      if (!decision.restart) {
        write(
          `[npm start] ${opts.name} exited (${how}); it crashed ${decision.crashes} times within ${decision.windowMs / 1000} s — giving up, stopping everything`,
        );
        opts.onGiveUp();
        return;
      }
      write(`[npm start] ${opts.name} exited (${how}); restarting in ${decision.delayMs / 1000} s (attempt ${decision.attempt} of ${decision.of})`);
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping) return;
        restarts++;
        launch();
        write(`[npm start] ${opts.name} restarted (pid ${current?.pid})`);
      }, decision.delayMs);
    });
  };
  launch();

  return {
    name: opts.name,
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    async stop(killAfterMs = 20_000) {
      stopping = true;
      if (timer) clearTimeout(timer);
      const child = current;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
      });
    },
  };
}
