import http from 'node:http';
import https from 'node:https';

/** What RemoteGraphQLDataSource sends: method, headers and a JSON body. */
export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The parts of a fetch Response that RemoteGraphQLDataSource reads (status, headers, body). */
export interface SubgraphResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly redirected: boolean;
  readonly bodyUsed: boolean;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  clone(): SubgraphResponse;
}

/** A fetch-shaped function for subgraph calls. */
export type SubgraphFetcher = (url: string, init?: SubgraphRequestInit) => Promise<SubgraphResponse>;

/** A {@link SubgraphFetcher} that owns its connections. */
export interface ClosableSubgraphFetcher extends SubgraphFetcher {
  /** Closes the kept-alive connections (on shutdown). */
  close(): void;
}

/** Options of {@link createSubgraphFetcher}. */
export interface SubgraphFetcherOptions {
  /** Open connections per subgraph; default 64. */
  maxSockets?: number;
  /** Idle keep-alive connections kept per subgraph; default 64. */
  maxFreeSockets?: number;
  /** Give up on a subgraph call after this long; default 30,000 ms. */
  timeoutMs?: number;
}

function toResponse(url: string, status: number, statusText: string, raw: http.IncomingHttpHeaders, body: Buffer): SubgraphResponse {
  const header = (name: string) => {
    const v = raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
  const response: SubgraphResponse = {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url,
    redirected: false,
    bodyUsed: false,
    headers: { get: header, has: (name) => header(name) !== null },
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    clone: () => response,
  };
  return response;
}

/**
 * Subgraph calls over node:http with a keep-alive agent instead of the global fetch. The
 * gateway makes several subgraph calls per operation (CabinetHome: five), and Node 20's fetch
 * (undici behind WHATWG streams) spends noticeably more CPU per call than a plain request on a
 * reused socket (docs/performance.md). Bodies are small JSON documents, read whole.
 */
export function createSubgraphFetcher(opts: SubgraphFetcherOptions = {}): ClosableSubgraphFetcher {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 64, maxFreeSockets: opts.maxFreeSockets ?? 64, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const send: SubgraphFetcher = (url, init = {}) =>
    new Promise<SubgraphResponse>((resolve, reject) => {
      const target = new URL(url);
      const body = init.body === undefined ? undefined : Buffer.from(init.body);
      const transport = target.protocol === 'https:' ? https : http;
      const req = transport.request(
        target,
        {
          method: init.method ?? 'GET',
          agent: agents[target.protocol as 'http:' | 'https:'],
          headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(toResponse(url, res.statusCode ?? 0, res.statusMessage ?? '', res.headers, Buffer.concat(chunks))));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`subgraph call to ${target.host} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  return Object.assign(send, {
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}
