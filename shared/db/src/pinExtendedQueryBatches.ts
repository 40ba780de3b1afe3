import type { PGlite } from '@electric-sql/pglite';

/** A protocol message waiting in pglite-socket's shared queue (its private shape, 0.2.x). */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: Error): void;
  onData(data: Uint8Array): void;
}

/** The private parts of pglite-socket's QueryQueueManager this patch replaces. */
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

const code = (c: string): number => c.charCodeAt(0);
// Parse, Bind, Describe, Execute, Close, Flush: messages of an extended-query batch that leave
// the session's unnamed statement and portal in use until the batch's Sync.
const IN_BATCH = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map(code));
// Sync ends an extended batch; a simple Query is a batch of its own.
const END_OF_BATCH = new Set(['S', 'Q'].map(code));

/**
 * Makes pglite-socket serve each connection's extended-query batch (Parse … Sync) without
 * interleaving another connection's messages.
 *
 * PGlite is one PostgreSQL session shared by every socket connection. pglite-socket (0.2.17)
 * queues single protocol messages and keeps a connection's turn only while a transaction is
 * open, so two pooled connections querying at once interleave their Parse/Bind/Execute: one
 * binds the other's unnamed statement and gets an error ("unnamed prepared statement does not
 * exist") or, worse, the other query's rows (electric-sql/pglite#1046, PR #977 unmerged). This
 * replaces the queue's scheduler with one that also keeps the turn from a connection's first
 * batch message to its Sync, and that does not stop for good when one message throws.
 *
 * @param server - a `PGLiteSocketServer`, before `start()`
 * @throws Error when the server's internals are not the expected ones (a pglite-socket upgrade:
 *   check whether the bug is fixed there and drop this patch)
 */
export function pinExtendedQueryBatches(server: object): void {
  const q = (server as { queryQueue?: QueryQueue }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== 'function' || typeof q.clearQueueForHandler !== 'function') {
    throw new Error('pglite-socket internals changed: review shared/db/src/pinExtendedQueryBatches.ts');
  }
  let pinned: number | null = null;

  q.processQueue = async function processQueue(): Promise<void> {
    if (q.processing) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const owner = pinned ?? (q.db.isInTransaction() ? q.lastHandlerId : null);
        const index = owner === null ? 0 : q.queue.findIndex((m) => m.handlerId === owner);
        // The owner's next message has not arrived yet; its enqueue restarts the loop.
        if (index === -1) break;
        const [item] = q.queue.splice(index, 1) as [QueuedMessage];
        const type = item.message[0] ?? 0;
        let bytes = 0;
        try {
          await q.db.runExclusive(() =>
            q.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          item.reject(err as Error);
          continue;
        } finally {
          q.lastHandlerId = item.handlerId;
          if (END_OF_BATCH.has(type)) pinned = null;
          else if (IN_BATCH.has(type)) pinned = item.handlerId;
        }
        item.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number): void => {
    clear(handlerId);
    // A connection that dropped in the middle of a batch must not hold the turn forever.
    if (pinned === handlerId) {
      pinned = null;
      void q.processQueue();
    }
  };
}
