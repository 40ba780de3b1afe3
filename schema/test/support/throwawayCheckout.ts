import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../src';

/** A copy of this checkout in a temporary folder, as `git clone` plus `npm install` would leave it. */
export interface ThrowawayCheckout {
  root: string;
  /** Runs a TypeScript entry of the copy (relative to its root) with node and @swc-node/register; returns stdout. */
  run(entry: string, args?: string[], env?: Record<string, string>): string;
  /** Starts a TypeScript entry of the copy as a long-running process. */
  spawn(entry: string, args: string[], env: Record<string, string>): ChildProcess;
  /** What `npm install` does for a new workspace: links `@pc/<name>` to `subgraphs/<name>`. */
  linkSubgraph(name: string): void;
  /** Paths changed since the copy was made (`git status --porcelain`; an untracked folder as `dir/`). */
  changed(): string[];
  /** Files of the copy (tracked or not) that mention `word`, case-insensitive (`git grep`). */
  filesNaming(word: string): string[];
  remove(): void;
}

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Copies the working tree's files (tracked and untracked, not ignored) into a temporary folder,
 * commits them there so `changed()` can tell what a step touched, and builds its node_modules:
 * every installed package linked to this checkout's (nothing is installed), the workspace links
 * `@pc/*` pointing into the copy, as npm makes them.
 */
export function throwawayCheckout(): ThrowawayCheckout {
  const root = mkdtempSync(join(tmpdir(), 'pc-checkout-'));
  const files = git(repoRoot, ['ls-files', '-co', '--exclude-standard', '-z']).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(repoRoot, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(root, f)), { recursive: true });
    cpSync(join(repoRoot, f), join(root, f));
  }
  const modules = join(repoRoot, 'node_modules');
  mkdirSync(join(root, 'node_modules', '@pc'), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry !== '@pc') symlinkSync(join(modules, entry), join(root, 'node_modules', entry));
  }
  // Workspace links are relative (`../../subgraphs/access`), so the same link points into the copy.
  for (const pkg of readdirSync(join(modules, '@pc'))) {
    const target = readlinkSync(join(modules, '@pc', pkg));
    if (existsSync(join(root, 'node_modules', '@pc', target))) symlinkSync(target, join(root, 'node_modules', '@pc', pkg));
  }
  // A workspace's own node_modules (packages that could not be hoisted), shared as they are.
  for (const ws of ['gateway', 'schema', 'bench', ...['shared', 'subgraphs'].flatMap((d) => readdirSync(join(repoRoot, d)).map((p) => `${d}/${p}`))]) {
    const own = join(repoRoot, ws, 'node_modules');
    if (existsSync(own) && existsSync(join(root, ws))) symlinkSync(own, join(root, ws, 'node_modules'));
  }
  git(root, ['init', '-q']);
  git(root, ['add', '-A']);
  git(root, ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '--no-verify', '-m', 'copy']);

  const nodeArgs = (entry: string, args: string[]) => ['-r', '@swc-node/register', entry, ...args];
  // Jest's NODE_OPTIONS and NODE_ENV are not the copy's business.
  const baseEnv = (): NodeJS.ProcessEnv => {
    const env = { ...process.env };
    for (const k of ['NODE_OPTIONS', 'NODE_ENV', 'JEST_WORKER_ID']) delete env[k];
    return env;
  };
  return {
    root,
    run: (entry, args = [], env = {}) =>
      execFileSync(process.execPath, nodeArgs(entry, args), { cwd: root, env: { ...baseEnv(), ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    spawn: (entry, args, env) =>
      spawn(process.execPath, nodeArgs(entry, args), { cwd: root, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
    linkSubgraph: (name) => symlinkSync(`../../subgraphs/${name}`, join(root, 'node_modules', '@pc', name)),
    changed: () =>
      git(root, ['status', '--porcelain'])
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(3)),
    filesNaming: (word) => {
      try {
        return git(root, ['grep', '-l', '-i', '--untracked', '-F', word]).split('\n').filter(Boolean);
      } catch {
        return []; // git grep exits 1 when nothing matches
      }
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** `count` consecutive TCP ports nobody listens on (127.0.0.1), found by asking the system for one and probing the rest. */
export async function freePortRange(count: number): Promise<number> {
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const { port: got } = srv.address() as AddressInfo;
        srv.close(() => resolve(got));
      });
    });
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await listen(0);
    if (first + count > 65535) continue;
    try {
      for (let p = first + 1; p < first + count; p++) await listen(p);
      return first;
    } catch {
      // one of them is taken: another range
    }
  }
  throw new Error(`no ${count} free consecutive ports`);
}
