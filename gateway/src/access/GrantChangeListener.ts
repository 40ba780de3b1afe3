import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import type { Logger } from '@pc/logging';

/** The channel the access subgraph's triggers NOTIFY on (its migration CreateAccess). */
export const GRANT_CHANGED_CHANNEL = 'access_grant_changed';

/** A change of one person's grant, or of a whole cabinet when `personId` is absent. */
export interface GrantChange {
  cabinetId: string;
  personId?: string;
}

/**
 * `notify`: notifications are known to arrive, cached checks may live long. `ttl`: they are not
 * (starting, connection lost, or a database that cannot deliver them, like PGlite behind
 * pglite-socket), so cached checks must expire within the revocation deadline.
 */
export type InvalidationMode = 'notify' | 'ttl';

/** Options of {@link GrantChangeListener}; `T` is what a notification carries (a grant change by default). */
export interface GrantChangeListenerOptions<T = GrantChange> {
  databaseUrl: string;
  /** Channel to LISTEN on, default {@link GRANT_CHANGED_CHANNEL}; `parse` reads its payloads (null: unreadable), `label` names it in logs. The entity cache listens this way too. */
  channel?: { name: string; parse(payload: string): T | null; label: string };
  /** Pool used to send probe notifications (from another connection than the listener's). */
  pool: Pool;
  log: Logger;
  onChange(change: T): void;
  /** Called on every mode switch; the cache must be cleared, since changes may have been missed. */
  onModeChange(mode: InvalidationMode): void;
  /** How often a healthy listener proves it still receives, and how long a probe may take; default 1000 ms. */
  heartbeatMs?: number;
  /** Failed probes on a fresh connection before concluding the database cannot deliver; default 3. */
  initialProbes?: number;
}

/**
 * LISTENs for grant changes on a dedicated connection and proves, by sending itself a probe
 * notification through the pool every second, that notifications really arrive. Only while
 * they do is the mode `notify`. A lost connection drops to `ttl` and reconnects. A database
 * that never delivers a probe to the listening connection (PGlite serves all connections from
 * one session, so a notification goes back to the connection that sent it) is detected at
 * start, and the listener gives up and stays in `ttl`.
 */
export class GrantChangeListener<T = GrantChange> {
  mode: InvalidationMode = 'ttl';
  private client: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private probe: { token: string; resolve: () => void } | null = null;
  private readonly heartbeatMs: number;
  private gaveUp = false;
  /** Each instance probes on its own channel, so N gateways do not receive N² probes a second. */
  private readonly probeChannel = `access_grant_probe_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

  private readonly channel: NonNullable<GrantChangeListenerOptions<T>['channel']>;

  constructor(private readonly opts: GrantChangeListenerOptions<T>) {
    this.heartbeatMs = opts.heartbeatMs ?? 1000;
    this.channel = opts.channel ?? { name: GRANT_CHANGED_CHANNEL, parse: parseGrantChange as (p: string) => T | null, label: 'grant' };
  }

  /** Connects and starts probing in the background; never throws. */
  start(): void {
    void this.connect();
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private setMode(mode: InvalidationMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.opts.log.info({ mode }, `${this.channel.label} cache invalidation mode`);
    this.opts.onModeChange(mode);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.opts.databaseUrl, keepAlive: true, application_name: `gateway-${this.channel.label}-listener` });
    client.on('notification', (m) => {
      if (m.channel === this.probeChannel) {
        if (this.probe && m.payload === this.probe.token) this.probe.resolve();
        return;
      }
      if (m.channel !== this.channel.name || !m.payload) return;
      const change = this.channel.parse(m.payload);
      if (change !== null) this.opts.onChange(change);
      else this.opts.log.warn({ payload: m.payload }, `unreadable ${this.channel.label} notification`);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      this.client = client;
      await client.query(`LISTEN ${this.channel.name}`);
      await client.query(`LISTEN ${this.probeChannel}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    for (let i = 0; i < (this.opts.initialProbes ?? 3); i++) {
      if (await this.sendProbe()) {
        this.setMode('notify');
        this.schedule();
        return;
      }
      if (this.stopped || this.client !== client) return;
    }
    this.opts.log.warn(`notifications do not reach a listening connection on this database (PGlite?); ${this.channel.label} cache on its fallback`);
    this.client = null;
    this.gaveUp = true;
    await client.query('UNLISTEN *').catch(() => undefined);
    client.removeAllListeners('end');
    await client.end().catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.heartbeat(), this.heartbeatMs);
    this.timer.unref();
  }

  private async heartbeat(): Promise<void> {
    if (!this.client || this.stopped) return;
    this.setMode((await this.sendProbe()) ? 'notify' : 'ttl');
    this.schedule();
  }

  /** True when a probe sent through the pool came back on the listener within the heartbeat. */
  private async sendProbe(): Promise<boolean> {
    const token = randomUUID();
    let timeout: NodeJS.Timeout | undefined;
    const received = new Promise<boolean>((resolve) => {
      this.probe = { token, resolve: () => resolve(true) };
      timeout = setTimeout(() => resolve(false), this.heartbeatMs);
    });
    try {
      await this.opts.pool.query('SELECT pg_notify($1, $2)', [this.probeChannel, token]);
      return await received;
    } catch {
      return false;
    } finally {
      clearTimeout(timeout);
      this.probe = null;
    }
  }

  private lost(client: Client, err?: Error): void {
    if (this.gaveUp || (this.client !== client && this.client !== null)) return;
    this.client = null;
    this.setMode('ttl');
    if (this.stopped) return;
    if (err) this.opts.log.warn({ err }, `${this.channel.label} listener connection lost; reconnecting`);
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.timer = setTimeout(() => void this.connect(), 2000);
    this.timer.unref();
  }
}

function parseGrantChange(payload: string): GrantChange | null {
  try {
    const change = JSON.parse(payload) as GrantChange;
    return typeof change.cabinetId === 'string' ? change : null;
  } catch {
    return null;
  }
}
