import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';
import type { SubgraphClient } from '@pc/server';
import { COUNTS_TOPIC, type CountsMessage } from '../services/doctorLists';

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** Messages delivered per call to the directory; default 200. */
  batchSize?: number;
  /**
   * How long the delivery lease lasts once taken or renewed; default 30 s. It must exceed one
   * round (a read, one HTTP call bounded by OWNER_TIMEOUT_MS, a delete), or two instances
   * could deliver at once.
   */
  leaseSeconds?: number;
  /** Longest pause after failed deliveries; default 60 s (doubling from 1 s). */
  maxBackoffMs?: number;
  /** Name of this instance in the lease (a random id by default). */
  instance?: string;
}

/** The directory's internal operation that takes the counts (SERVICE callers only; hidden from the public API). */
export const RECORD_COUNTS_MUTATION = `mutation RecordDeclarationCounts($input: RecordDeclarationCountsInput!) {
  recordDeclarationCounts(input: $input) { recorded } }`;

/**
 * Delivers the outbox's count messages to the directory, which feeds its acceptingNewPatients
 * search filter from them. At-least-once: messages are deleted only after the directory
 * accepted them, and a repeat of a count is harmless.
 *
 * Order: however many instances run, only the holder of the lease (one row, taken with a
 * single conditional upsert) delivers, in id order, newest count per doctor per batch. A
 * doctor's messages are committed in version order (the doctor's list row serialises them),
 * so the directory never sees an older count after a newer one.
 *
 * No transaction is open during the HTTP call: PGlite runs one transaction at a time and the
 * directory may share the database.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly leaseSeconds: number;
  private readonly maxBackoffMs: number;
  private readonly instance: string;
  private retry: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private draining: Promise<number> | null = null;
  private again = false;
  private started = false;
  private failures = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly directory: SubgraphClient,
    private readonly log: Logger,
    opts: OutboxRelayOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 200;
    this.leaseSeconds = opts.leaseSeconds ?? 30;
    this.maxBackoffMs = opts.maxBackoffMs ?? 60_000;
    this.instance = opts.instance ?? randomUUID();
  }

  /** Takes or renews the delivery lease; false while another instance holds it. */
  private async lease(): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO declarations.outbox_relay_lease (topic, holder, leased_until)
       VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (topic) DO UPDATE SET holder = EXCLUDED.holder, leased_until = EXCLUDED.leased_until
       WHERE declarations.outbox_relay_lease.leased_until < now() OR declarations.outbox_relay_lease.holder = EXCLUDED.holder
       RETURNING holder`,
      [COUNTS_TOPIC, this.instance, this.leaseSeconds],
    );
    return rows.length > 0;
  }

  /** Gives the lease up so another instance need not wait for it to lapse. */
  private async release(): Promise<void> {
    await this.ds.query(`UPDATE declarations.outbox_relay_lease SET leased_until = now() - interval '1 second' WHERE topic = $1 AND holder = $2`, [
      COUNTS_TOPIC,
      this.instance,
    ]);
  }

  /**
   * Delivers one batch if this instance holds (or can take) the lease.
   *
   * @returns messages delivered; 0 when there were none, the lease is elsewhere, or delivery failed
   */
  async deliverOnce(): Promise<number> {
    if (!(await this.lease())) return 0;
    const batch: { id: string; payload: CountsMessage }[] = await this.ds.query(
      'SELECT id, payload FROM declarations.outbox WHERE topic = $1 ORDER BY id LIMIT $2',
      [COUNTS_TOPIC, this.batchSize],
    );
    if (!batch.length) return 0;
    const latest = new Map<string, CountsMessage>();
    for (const { payload } of batch) {
      const seen = latest.get(payload.doctorId);
      if (!seen || seen.version < payload.version) latest.set(payload.doctorId, payload);
    }
    const ids = batch.map((m) => m.id);
    const counts = [...latest.values()].map(({ doctorId, activeDeclarationCount, approvedRequestCount }) => ({
      doctorId,
      activeDeclarationCount,
      approvedRequestCount,
    }));
    try {
      await this.directory.request(RECORD_COUNTS_MUTATION, { input: { counts } });
    } catch (err) {
      await this.ds.query('UPDATE declarations.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])', [
        ids,
        (err as Error).message,
      ]);
      throw err;
    }
    await this.ds.query('DELETE FROM declarations.outbox WHERE id = ANY($1::bigint[])', [ids]);
    return ids.length;
  }

  /**
   * Delivers until nothing is left, then lets the lease go.
   *
   * @returns messages delivered
   * @throws the delivery error (DEPENDENCY_UNAVAILABLE) when the directory did not take a batch
   */
  async drain(): Promise<number> {
    // The lease is per instance, so two drains of one instance must not overlap either.
    if (this.draining) return this.draining.then(() => 0);
    this.draining = this.drainAll();
    try {
      return await this.draining;
    } finally {
      this.draining = null;
    }
  }

  private async drainAll(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const n = await this.deliverOnce();
        total += n;
        if (n < this.batchSize) return total;
      }
    } finally {
      await this.release().catch(() => undefined);
    }
  }

  /** Delivers what is waiting now and makes {@link nudge} effective. */
  start(): void {
    this.started = true;
    this.nudge();
  }

  /**
   * Asks for a delivery now: called after each commit that wrote messages, so the directory
   * usually hears within milliseconds. Runs never overlap within one process (a nudge during a
   * run schedules one more); after a failed delivery the relay waits (1 s, doubling up to the
   * maximum) and tries again by itself.
   */
  nudge(): void {
    if (!this.started || this.retry) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => {
        this.failures = 0;
      })
      .catch((err: unknown) => {
        this.failures++;
        const backoff = Math.min(this.maxBackoffMs, 1000 * 2 ** (this.failures - 1));
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.nudge();
        }, backoff);
        // The first few misses are the directory starting or restarting: one quiet line each.
        // Still failing after that (~30 s) is worth a warning.
        const level = this.failures > 5 ? 'warn' : 'info';
        this.log[level]({ reason: (err as Error).message, retryInMs: backoff }, 'declaration counts not delivered to the directory yet; will retry');
      })
      .finally(() => {
        this.running = null;
        if (this.again && this.started) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Stops delivering and waits for a delivery in flight. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    await this.running;
  }
}
