import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';
import { createDataSource } from './createDataSource';

/**
 * Where the read-only paths that tolerate a little lag read (`DATABASE_REPLICA_URL`: a streaming
 * replica, in Kubernetes CloudNativePG's `ro` pooler). Writes and reads that must see the caller's
 * own write keep using the primary DataSource. Without a replica URL, or until the replica's pool
 * has opened (or if it never does), {@link dataSource} is the primary: a replica is an
 * optimisation, never a reason to fail a request.
 */
export class ReadReplica {
  private replica: DataSource | undefined;
  private readonly opening: Promise<void>;

  constructor(
    private readonly primary: DataSource,
    url: string | undefined,
    log?: Logger,
  ) {
    if (!url) {
      this.opening = Promise.resolve();
      return;
    }
    const opts = primary.options as { schema?: string; entities?: unknown[]; extra?: { max?: number } };
    const ds = createDataSource({
      url,
      schema: opts.schema ?? 'public',
      entities: (opts.entities ?? []) as never,
      migrations: [],
      poolSize: opts.extra?.max,
      log,
    });
    this.opening = ds.initialize().then(
      () => {
        this.replica = ds;
        log?.info('reads that tolerate lag go to the replica (DATABASE_REPLICA_URL)');
      },
      (err: unknown) => log?.warn({ err }, 'replica not reachable; every read stays on the primary'),
    );
  }

  /** The replica when it is open, else the primary. */
  get dataSource(): DataSource {
    return this.replica ?? this.primary;
  }

  /** Resolves once the replica's pool has opened (or failed to). */
  ready(): Promise<void> {
    return this.opening;
  }

  async close(): Promise<void> {
    await this.opening;
    await this.replica?.destroy();
    this.replica = undefined;
  }
}
