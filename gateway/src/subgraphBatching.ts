import type { SubgraphFetcher, SubgraphRequestInit, SubgraphResponse } from './subgraphFetcher';

/** Response header of a subgraph's batched answer: each operation's HTTP status, in order (`@pc/server`). */
export const BATCH_STATUS_HEADER = 'x-batch-status';

/** Fetches sent in one batched HTTP call at most (a subgraph accepts up to 32); more go in further calls. */
export const MAX_BATCH = 16;

interface Pending {
  init: SubgraphRequestInit;
  resolve(response: SubgraphResponse): void;
  reject(err: unknown): void;
}

/**
 * Subgraph batching: fetches to the same subgraph URL with the same headers — the same caller
 * token, `x-request-id` and client name, i.e. the same client request — issued in the same turn
 * of the event loop (the gateway starts the fetches of a plan's parallel stage together, e.g. the
 * Doctor and Division entity fetches to the directory) go out as ONE HTTP call whose body is the
 * JSON array of their bodies (Apollo's batched HTTP format). The subgraph answers an array in the
 * same order, with each operation's own status in `x-batch-status`; every fetch then gets a
 * response of its own (that status, its element as body), so `RemoteGraphQLDataSource` and
 * `CallerDataSource` handle it exactly as an unbatched answer. A batched call that fails — no
 * answer, an HTTP error for the whole call (401, 413, 5xx), a body that is not that array — is
 * handed to every fetch of the batch as its own failure, so each reports DEPENDENCY_UNAVAILABLE
 * (or what the status means) with its own paths (failedFetch.ts), as it would unbatched.
 *
 * The window is one `setImmediate`: a fetch waits until the event loop has run what is already
 * queued, so fetches started by the same plan stage meet; a fetch alone in its window is sent as
 * before (a plain object body).
 */
export function batchingFetcher(send: SubgraphFetcher): SubgraphFetcher {
  let queues = new Map<string, { url: string; items: Pending[] }>();
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const due = queues;
    queues = new Map();
    for (const { url, items } of due.values()) {
      for (let i = 0; i < items.length; i += MAX_BATCH) {
        const chunk = items.slice(i, i + MAX_BATCH);
        if (chunk.length === 1) send(url, chunk[0].init).then(chunk[0].resolve, chunk[0].reject);
        else void sendBatch(url, chunk);
      }
    }
  }

  async function sendBatch(url: string, chunk: Pending[]): Promise<void> {
    let response: SubgraphResponse;
    let text: string;
    try {
      response = await send(url, { ...chunk[0].init, body: `[${chunk.map((p) => p.init.body).join(',')}]` });
      text = await response.text();
    } catch (err) {
      for (const p of chunk) p.reject(err);
      return;
    }
    const items = batchItems(response, text, chunk.length);
    chunk.forEach((p, i) => p.resolve(items ? itemResponse(response, items.statuses[i], items.bodies[i]) : copyOf(response, text)));
  }

  return (url, init = {}) => {
    if (init.method !== 'POST' || typeof init.body !== 'string') return send(url, init);
    const key = `${url}\n${JSON.stringify(init.headers ?? {})}`;
    return new Promise<SubgraphResponse>((resolve, reject) => {
      let queue = queues.get(key);
      if (!queue) queues.set(key, (queue = { url, items: [] }));
      queue.items.push({ init, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };
}

/** The batch's results and statuses when the answer is a well-formed batched answer of `n` operations. */
function batchItems(response: SubgraphResponse, text: string, n: number): { statuses: number[]; bodies: unknown[] } | undefined {
  const statuses = response.headers.get(BATCH_STATUS_HEADER)?.split(',').map(Number);
  if (!statuses || statuses.length !== n || statuses.some((s) => !Number.isInteger(s))) return undefined;
  let bodies: unknown;
  try {
    bodies = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(bodies) || bodies.length !== n) return undefined;
  return { statuses, bodies };
}

/** One operation's share of a batched answer: its own status, its element as the JSON body. */
function itemResponse(batch: SubgraphResponse, status: number, body: unknown): SubgraphResponse {
  const get = (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : batch.headers.get(name));
  const response: SubgraphResponse = {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    url: batch.url,
    redirected: false,
    bodyUsed: false,
    headers: { get, has: (name) => get(name) !== null },
    text: async () => JSON.stringify(body),
    json: async () => body,
    arrayBuffer: async () => new TextEncoder().encode(JSON.stringify(body)).buffer as ArrayBuffer,
    clone: () => response,
  };
  return response;
}

/** The whole answer, for each fetch of a batch that failed as a whole (its body already read once). */
function copyOf(batch: SubgraphResponse, text: string): SubgraphResponse {
  const response: SubgraphResponse = {
    ok: batch.ok,
    status: batch.status,
    statusText: batch.statusText,
    url: batch.url,
    redirected: batch.redirected,
    bodyUsed: false,
    headers: batch.headers,
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    clone: () => response,
  };
  return response;
}
