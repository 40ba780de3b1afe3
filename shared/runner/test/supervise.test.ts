import { spawn } from 'node:child_process';
import { RestartPolicy, supervise } from '../src/supervise';

describe('RestartPolicy: backoff, a window that forgets, give-up', () => {
  it('doubles the delay for each crash in the window (capped) and gives up after maxRestarts', () => {
    let now = 0;
    const policy = new RestartPolicy({ maxRestarts: 5, windowMs: 120_000, initialDelayMs: 1000, maxDelayMs: 15_000 }, () => now);
    const decisions = [];
    for (let i = 0; i < 6; i++) {
      decisions.push(policy.crashed());
      now += 3000;
    }
    expect(decisions.slice(0, 5)).toEqual([
      { restart: true, delayMs: 1000, attempt: 1, of: 5 },
      { restart: true, delayMs: 2000, attempt: 2, of: 5 },
      { restart: true, delayMs: 4000, attempt: 3, of: 5 },
      { restart: true, delayMs: 8000, attempt: 4, of: 5 },
      { restart: true, delayMs: 15_000, attempt: 5, of: 5 },
    ]);
    expect(decisions[5]).toEqual({ restart: false, crashes: 6, windowMs: 120_000 });
  });

  it('forgets crashes older than the window: a process that crashes now and then is always restarted quickly', () => {
    let now = 0;
    const policy = new RestartPolicy({ maxRestarts: 2, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 10; i++) {
      expect(policy.crashed()).toEqual({ restart: true, delayMs: 1000, attempt: 1, of: 2 });
      now += 61_000;
    }
  });
});

describe('supervise: real child processes', () => {
  const node = (code: string) => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  const until = async (cond: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('restarts a process killed with SIGKILL, and says so', async () => {
    const lines: string[] = [];
    const onGiveUp = jest.fn();
    const s = supervise({
      name: 'directory',
      start: () => node('setInterval(() => {}, 1000)'),
      policy: new RestartPolicy({ initialDelayMs: 50 }),
      write: (l) => lines.push(l),
      onGiveUp,
    });
    try {
      await until(() => s.current?.pid !== undefined);
      const first = s.current!.pid;
      s.current!.kill('SIGKILL');
      await until(() => s.restarts === 1 && s.current !== undefined);
      expect(s.current!.pid).not.toBe(first);
      expect(lines[0]).toBe('[npm start] directory exited (signal SIGKILL); restarting in 0.05 s (attempt 1 of 5)');
      expect(lines[1]).toMatch(/^\[npm start\] directory restarted \(pid \d+\)$/);
      expect(onGiveUp).not.toHaveBeenCalled();
    } finally {
      await s.stop();
    }
    // Stopped on purpose: not restarted.
    await new Promise((r) => setTimeout(r, 200));
    expect(s.restarts).toBe(1);
    expect(s.current).toBeUndefined();
  });

  it('gives up after repeated crashes and calls onGiveUp once', async () => {
    const lines: string[] = [];
    const onGiveUp = jest.fn();
    let starts = 0;
    const s = supervise({
      name: 'gateway',
      start: () => {
        starts++;
        return node('process.exit(3)');
      },
      policy: new RestartPolicy({ maxRestarts: 3, initialDelayMs: 10, maxDelayMs: 40 }),
      write: (l) => lines.push(l),
      onGiveUp,
    });
    await until(() => onGiveUp.mock.calls.length > 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(starts).toBe(4);
    expect(lines).toEqual([
      '[npm start] gateway exited (exit code 3); restarting in 0.01 s (attempt 1 of 3)',
      expect.stringMatching(/gateway restarted/),
      '[npm start] gateway exited (exit code 3); restarting in 0.02 s (attempt 2 of 3)',
      expect.stringMatching(/gateway restarted/),
      '[npm start] gateway exited (exit code 3); restarting in 0.04 s (attempt 3 of 3)',
      expect.stringMatching(/gateway restarted/),
      '[npm start] gateway exited (exit code 3); it crashed 4 times within 120 s — giving up, stopping everything',
    ]);
    await s.stop();
  });

  it('stop() during a pending restart cancels it', async () => {
    const onGiveUp = jest.fn();
    let starts = 0;
    const s = supervise({
      name: 'identity',
      start: () => {
        starts++;
        return node('process.exit(1)');
      },
      policy: new RestartPolicy({ initialDelayMs: 300 }),
      write: () => undefined,
      onGiveUp,
    });
    await until(() => s.current === undefined);
    await s.stop();
    await new Promise((r) => setTimeout(r, 500));
    expect(starts).toBe(1);
  });
});
