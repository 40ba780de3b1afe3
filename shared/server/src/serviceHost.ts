import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '@pc/logging';
import { HttpError, sendJson, sendJsonError } from './httpLayer';
import { closeKeepAliveWhileDraining } from './lifecycle';

/** What a service's readiness check found, beyond "listening and not shutting down". */
export type Readiness = { ready: true; degraded?: string[] } | { ready: false; reason: string };

/**
 * A request handler run before every route (tests use it to make a service look down); returns
 * true when it answered the request itself.
 */
export type RequestInterceptor = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

/** Options of {@link createServiceHost}. */
export interface ServiceHostOptions {
  /** The service's own requests: everything but `/healthz`, `/readyz` and `/metrics`. */
  handler: http.RequestListener;
  /** Served on `/metrics` (Prometheus text format). */
  registry: Registry;
  /**
   * Readiness of what the service depends on (the database answers; a degraded dependency such
   * as Redis keeps the instance ready, listed for alerts). Default: ready.
   */
  readiness?(): Promise<Readiness> | Readiness;
  /**
   * Serve `/metrics` on this separate, internal port (0 = any free port) instead of the public
   * one; the public port then has no `/metrics` (production: METRICS_PORT).
   */
  metricsPort?: number;
  /** The path of the URL {@link ServiceHost.listen} returns; default `/graphql`. */
  path?: string;
  /** How long {@link ServiceHost.stop} lets in-flight requests finish before closing them; default 10 s. */
  stopGraceMs?: number;
  log: Logger;
}

/** One service's HTTP server: health, readiness, metrics, listen and drain. */
export interface ServiceHost {
  httpServer: http.Server;
  /** Adds a handler that runs before every route, in the order added. */
  intercept(handler: RequestInterceptor): void;
  /** Binds the port (0 = any free port), and the metrics port when there is one. */
  listen(port: number, host?: string): Promise<{ url: string; port: number; metricsUrl?: string }>;
  /** Shutdown, first step: `/readyz` answers 503 and every response closes its keep-alive connection; requests are still served. */
  setNotReady(): void;
  /** Whether {@link setNotReady} or {@link stop} was called. */
  readonly draining: boolean;
  /** Stops accepting connections, closes idle ones, lets in-flight requests finish (at most `stopGraceMs`), then closes the rest. */
  stop(): Promise<void>;
}

const HOST_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The HTTP host of every service — the gateway and each subgraph — so that health, readiness,
 * metrics, keep-alive during a drain and the shutdown order are written once:
 *
 * - `GET /healthz`: 200 while the process runs;
 * - `GET /readyz`: 503 `starting` until `listen` resolved, 503 `stopping` once not ready (drain),
 *   503 `unavailable` when the service's own check fails, else 200 `ready` (or `degraded` with
 *   the names of what is degraded);
 * - `GET /metrics`: the Prometheus registry, on the public port or on its own (`metricsPort`);
 * - every other request goes to the service's handler (after the interceptors).
 *
 * Other methods on these paths are 405, every answer is JSON. Used with {@link drainOnSignal}.
 */
export function createServiceHost(opts: ServiceHostOptions): ServiceHost {
  const interceptors: RequestInterceptor[] = [];
  let started = false;
  let draining = false;
  const metricsServer = opts.metricsPort === undefined ? undefined : http.createServer((req, res) => void serveHostPath(req, res, '/metrics', true));

  const httpServer = http.createServer((req, res) => {
    for (const intercept of interceptors) if (intercept(req, res)) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (HOST_PATHS.has(path) && !(path === '/metrics' && metricsServer)) {
      void serveHostPath(req, res, path, false);
      return;
    }
    opts.handler(req, res);
  });
  // Keep-alive connections from the gateway's agent and load balancers must outlive their idle timeout.
  httpServer.keepAliveTimeout = 65_000;
  closeKeepAliveWhileDraining(httpServer, () => draining);

  async function serveHostPath(req: http.IncomingMessage, res: http.ServerResponse, path: string, metricsOnly: boolean): Promise<void> {
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      if (metricsOnly && (q < 0 ? url : url.slice(0, q)) !== '/metrics') {
        return sendJsonError(res, new HttpError(404, `No route for ${req.method} ${url}`, 'NOT_FOUND'));
      }
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') {
        return sendJsonError(res, new HttpError(405, `${method} is not allowed on ${path}`, 'BAD_REQUEST', { allow: 'GET, HEAD' }));
      }
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const [status, body] = await readiness();
        return sendJson(res, status, body);
      }
      const text = await opts.registry.metrics();
      res.writeHead(200, { 'content-type': opts.registry.contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    } catch (err) {
      opts.log.error({ err, path }, 'host route failed');
      if (!res.headersSent) sendJsonError(res, new HttpError(500, 'Internal server error', 'INTERNAL_SERVER_ERROR'));
      else res.destroy();
    }
  }

  async function readiness(): Promise<[number, unknown]> {
    if (draining) return [503, { status: 'stopping' }];
    if (!started) return [503, { status: 'starting' }];
    let r: Readiness;
    try {
      r = (await opts.readiness?.()) ?? { ready: true };
    } catch (err) {
      r = { ready: false, reason: (err as Error).message };
    }
    if (!r.ready) return [503, { status: 'unavailable', reason: r.reason }];
    return [200, r.degraded?.length ? { status: 'degraded', degraded: r.degraded } : { status: 'ready' }];
  }

  const listenOn = (server: http.Server, port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });

  const close = (server: http.Server, graceMs: number) =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      // A keep-alive connection whose request was in flight turns idle when its response is sent.
      const idle = setInterval(() => server.closeIdleConnections(), 25);
      server.close(() => {
        clearTimeout(force);
        clearInterval(idle);
        resolve();
      });
      server.closeIdleConnections();
    });

  return {
    httpServer,
    get draining() {
      return draining;
    },
    intercept(handler) {
      interceptors.push(handler);
    },
    async listen(port, host = '127.0.0.1') {
      const bound = await listenOn(httpServer, port, host);
      let metricsUrl: string | undefined;
      if (metricsServer) metricsUrl = `http://${host}:${await listenOn(metricsServer, opts.metricsPort!, host)}/metrics`;
      started = true;
      return { url: `http://${host}:${bound}${opts.path ?? '/graphql'}`, port: bound, metricsUrl };
    },
    setNotReady() {
      draining = true;
    },
    async stop() {
      // Stop accepting, close idle keep-alive connections, let in-flight requests finish (their
      // responses close the connection), and after the grace period close whatever is left.
      draining = true;
      await close(httpServer, opts.stopGraceMs ?? 10_000);
      started = false;
      if (metricsServer) await close(metricsServer, 0);
    },
  };
}
