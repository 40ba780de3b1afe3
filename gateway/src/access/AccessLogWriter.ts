import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import type { Logger } from '@pc/logging';
import type { AccessAction } from './classifyAccess';
import { LogSpool, recoverOrphans } from './LogSpool';

/** One row of `access.access_log`, as the gateway writes it. */
export interface AccessLogRecord {
  /** Chosen here, so that a replay after a crash is recognised by the database. */
  id: string;
  at: Date | string;
  personId: string;
  cabinetId: string | null;
  actor: string;
  actorRole: string;
  action: AccessAction;
  resource: string;
  operationName: string | null;
  requestId: string | null;
  tokenId: string | null;
  /** The represented person a representative acted for; absent or null otherwise (entries spooled before it read as null). */
  subjectId?: string | null;
}

/** Options of {@link AccessLogWriter}; every default is what the gateway runs with. */
export interface AccessLogWriterOptions {
  pool: Pool;
  log: Logger;
  /** Time between flushes; default 50 ms. */
  flushIntervalMs?: number;
  /** Rows per INSERT statement; default 1,000. */
  maxRowsPerInsert?: number;
  /** Directory of the write-ahead spool; without it, entries wait in memory only. */
  spoolDir?: string;
  /** Entries kept in memory while the database is unreachable; default 100,000 (the spool keeps the rest). */
  maxBufferedEntries?: number;
}

interface Batch {
  /** null once evicted from memory; read back from the segment when retried. */
  entries: AccessLogRecord[] | null;
  count: number;
  segment: string | null;
}

const INSERT = `
  INSERT INTO access.access_log (id, at, person_id, cabinet_id, actor, actor_role, action, resource, operation_name, request_id, token_id, subject_id)
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::uuid[])
  ON CONFLICT (id, at) DO NOTHING`;

/**
 * Appends access log entries without putting the database on the response path: `record` is
 * synchronous (a memory push, and a line in the spool when configured), and a timer flushes
 * everything recorded since the last flush as one multi-row INSERT (one statement per 1,000
 * rows). A failed flush keeps the batch and retries with backoff (up to 5 s). `stop` flushes
 * what is left; entries the database never confirmed stay in the spool for the next start.
 */
export class AccessLogWriter {
  private current: AccessLogRecord[] = [];
  private readonly sealed: Batch[] = [];
  private readonly spool: LogSpool | null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;
  private retryAt = 0;
  /** Counters for metrics and tests. */
  readonly stats = { recorded: 0, written: 0, statements: 0, failedFlushes: 0, dropped: 0, recovered: 0 };

  constructor(private readonly opts: AccessLogWriterOptions) {
    this.spool = opts.spoolDir ? new LogSpool(opts.spoolDir) : null;
  }

  /** Starts the flush timer and, with a spool, replays what crashed gateways left behind. */
  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.opts.flushIntervalMs ?? 50);
    this.timer.unref();
    if (this.opts.spoolDir) this.recovery = this.recoverSpool(this.opts.spoolDir);
  }

  /** Resolves with the number of entries replayed from crashed gateways' spools (0 without a spool). */
  recovery: Promise<number> = Promise.resolve(0);

  /** Records entries of one response; synchronous, never waits for the database. */
  record(entries: AccessLogRecord[]): void {
    if (entries.length === 0) return;
    this.spool?.append(entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    this.current.push(...entries);
    this.stats.recorded += entries.length;
  }

  /** Entries recorded but not yet confirmed by the database. */
  get pending(): number {
    return this.current.length + this.sealed.reduce((n, b) => n + b.count, 0);
  }

  /** Writes everything recorded so far (waits for a flush already running, then runs one more). */
  async flush(force = false): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (!force && Date.now() < this.retryAt) return;
    this.flushing = this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Stops the timer and flushes until everything is written or `deadlineMs` passes (default 5 s). */
  async stop(deadlineMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const until = Date.now() + deadlineMs;
    while (this.pending > 0 && Date.now() < until) {
      await this.flush(true).catch(() => undefined);
      if (this.pending > 0) await new Promise((r) => setTimeout(r, 100));
    }
    if (this.pending > 0) this.opts.log.error({ pending: this.pending, spooled: Boolean(this.spool) }, 'access log entries not written at shutdown');
    this.spool?.close();
  }

  private async flushOnce(): Promise<void> {
    if (this.current.length > 0) {
      this.sealed.push({ entries: this.current, count: this.current.length, segment: this.spool?.seal() ?? null });
      this.current = [];
      this.evictIfNeeded();
    }
    while (this.sealed.length > 0) {
      const batch = this.sealed[0];
      try {
        const entries = batch.entries ?? readSegment(batch.segment!);
        await this.insert(entries);
        this.stats.written += batch.count;
        if (batch.segment) this.spool?.remove(batch.segment);
        this.sealed.shift();
        this.failures = 0;
        this.retryAt = 0;
      } catch (err) {
        this.failures++;
        this.stats.failedFlushes++;
        this.retryAt = Date.now() + Math.min(5000, 100 * 2 ** Math.min(this.failures, 6));
        this.opts.log.warn({ err, pending: this.pending }, 'access log flush failed; will retry');
        throw err;
      }
    }
  }

  private async insert(entries: AccessLogRecord[]): Promise<void> {
    const size = this.opts.maxRowsPerInsert ?? 1000;
    for (let i = 0; i < entries.length; i += size) {
      const chunk = entries.slice(i, i + size);
      await this.opts.pool.query(INSERT, [
        chunk.map((e) => e.id),
        chunk.map((e) => e.at),
        chunk.map((e) => e.personId),
        chunk.map((e) => e.cabinetId),
        chunk.map((e) => e.actor),
        chunk.map((e) => e.actorRole),
        chunk.map((e) => e.action),
        chunk.map((e) => e.resource),
        chunk.map((e) => e.operationName),
        chunk.map((e) => e.requestId),
        chunk.map((e) => e.tokenId),
        chunk.map((e) => e.subjectId ?? null),
      ]);
      this.stats.statements++;
    }
  }

  /** Bounded memory while the database is away: the spool keeps evicted batches, without it they are lost. */
  private evictIfNeeded(): void {
    const max = this.opts.maxBufferedEntries ?? 100_000;
    let inMemory = this.sealed.reduce((n, b) => n + (b.entries ? b.count : 0), 0);
    for (let i = 0; inMemory > max && i < this.sealed.length; i++) {
      const b = this.sealed[i];
      if (!b.entries) continue;
      inMemory -= b.count;
      if (b.segment) {
        b.entries = null;
      } else {
        this.sealed.splice(i--, 1);
        this.stats.dropped += b.count;
        this.opts.log.error({ dropped: b.count }, 'access log buffer full and no spool: entries dropped');
      }
    }
  }

  private async recoverSpool(root: string): Promise<number> {
    while (!this.stopped) {
      try {
        const n = await recoverOrphans(root, (lines) => this.insert(parseLines(lines)));
        this.stats.recovered += n;
        if (n > 0) this.opts.log.warn({ entries: n }, 'replayed access log entries spooled by a gateway that did not stop cleanly');
        return n;
      } catch (err) {
        this.opts.log.warn({ err }, 'access log spool recovery failed; retrying in 5 s');
        await new Promise((r) => setTimeout(r, 5000).unref());
      }
    }
    return 0;
  }
}

function readSegment(path: string): AccessLogRecord[] {
  return parseLines(readFileSync(path, 'utf8').split('\n'));
}

/** Parses spooled lines; a torn line (the process died mid-write) is skipped. */
function parseLines(lines: string[]): AccessLogRecord[] {
  return lines.flatMap((l) => {
    if (!l) return [];
    try {
      return [JSON.parse(l) as AccessLogRecord];
    } catch {
      return [];
    }
  });
}
