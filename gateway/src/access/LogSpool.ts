import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * A write-ahead spool of access log entries on local disk. Every entry is appended (one JSON
 * line, a plain `write(2)`: no fsync) before the response that caused it is sent, so a crash of
 * the gateway process after that loses nothing: the next gateway on the same DATA_DIR replays
 * what was never confirmed as written. A kernel crash or power loss can still lose the last
 * entries still in the page cache.
 *
 * Layout: `<dir>/<host>-<pid>-<random>/<n>.ndjson`; one directory per running instance, one
 * segment per flush batch; a segment is deleted once its batch is in the database.
 */
export class LogSpool {
  /** This instance's directory. */
  readonly dir: string;
  private fd: number | null = null;
  private segment = 0;
  private written = false;

  constructor(readonly root: string) {
    this.dir = join(root, `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Appends lines (each ending in a newline) to the current segment. */
  append(lines: string): void {
    if (this.fd === null) this.fd = openSync(this.path(this.segment), 'a');
    writeSync(this.fd, lines);
    this.written = true;
  }

  /** Closes the current segment and returns its path (null if nothing was written); new appends go to a new one. */
  seal(): string | null {
    if (this.fd === null) return null;
    closeSync(this.fd);
    this.fd = null;
    const sealed = this.written ? this.path(this.segment) : null;
    this.segment++;
    this.written = false;
    return sealed;
  }

  /** Deletes a segment whose entries are safely in the database. */
  remove(segment: string): void {
    rmSync(segment, { force: true });
  }

  /** Closes the spool; the directory stays when segments remain (the next start replays them). */
  close(): void {
    this.seal();
    if (readdirSync(this.dir).length === 0) rmSync(this.dir, { recursive: true, force: true });
  }

  private path(n: number): string {
    return join(this.dir, `${String(n).padStart(8, '0')}.ndjson`);
  }
}

/**
 * Takes over the spool directories of gateway processes on this host that are no longer
 * running: each is renamed (atomically, so two starting gateways never replay the same one
 * twice; the insert is idempotent anyway) and its segments are handed to `replay` in order.
 * A segment is deleted after `replay` resolves; on failure it stays for the next attempt.
 */
export async function recoverOrphans(root: string, replay: (lines: string[]) => Promise<void>): Promise<number> {
  if (!existsSync(root)) return 0;
  let replayed = 0;
  const host = hostname();
  for (const name of readdirSync(root)) {
    const m = /^(.+)-(\d+)-([0-9a-f]{8})(\.recovering-.+)?$/.exec(name);
    if (!m || m[1] !== host) continue;
    let dir = join(root, name);
    if (!m[4]) {
      if (isAlive(Number(m[2]))) continue;
      const claimed = `${dir}.recovering-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        renameSync(dir, claimed);
      } catch {
        continue; // another gateway claimed it first
      }
      dir = claimed;
    } else if (isAlive(Number(/recovering-(\d+)-/.exec(m[4])?.[1]))) {
      continue; // a live gateway is replaying it right now
    }
    for (const seg of readdirSync(dir)
      .filter((f) => f.endsWith('.ndjson'))
      .sort()) {
      const path = join(dir, seg);
      // A torn last line (the process died mid-write) is dropped by the caller's parser.
      const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
      await replay(lines);
      replayed += lines.length;
      unlinkSync(path);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return replayed;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
