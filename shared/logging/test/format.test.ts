import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');

/** Runs a process that logs one line, with stdout a pipe (never a TTY here), and returns its output. */
function logOnce(env: Record<string, string>): string {
  const script = "require('./shared/logging/src').createLogger({ service: 'probe' }).info({ n: 1 }, 'hello')";
  return execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    encoding: 'utf8',
  });
}

describe('log format', () => {
  it('writes JSON lines when stdout is not a terminal', () => {
    const out = logOnce({ LOG_FORMAT: '' });
    expect(JSON.parse(out.trim())).toMatchObject({ service: 'probe', msg: 'hello', n: 1, level: 30 });
  });

  it('writes one readable line per entry when LOG_FORMAT=pretty (what a terminal gets by default)', () => {
    const out = logOnce({ LOG_FORMAT: 'pretty', NO_COLOR: '1', FORCE_COLOR: '0' });
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/INFO.*\[probe\] hello/);
    expect(() => JSON.parse(out)).toThrow();
  });
});
