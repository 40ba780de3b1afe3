/**
 * Sends hostile requests: over a bounded pool of keep-alive connections (node:http), or as raw
 * bytes on a fresh TCP connection for malformed HTTP.
 */
import http from 'node:http';
import net from 'node:net';
import type { HostileRequest } from './generate';

/** What came back, as received. */
export interface RawResponse {
  /** HTTP status; undefined when nothing came back (see `error`). */
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  /** Body text (first 256 kB). */
  body: string;
  /** Network error or timeout; for raw requests also "closed without a response". */
  error?: string;
  ms: number;
}

const MAX_BODY = 256 * 1024;

/** A sender bound to one gateway URL. */
export interface Sender {
  send(req: HostileRequest): Promise<RawResponse>;
  close(): void;
}

export function createSender(gatewayUrl: string, opts: { concurrency: number; timeoutMs?: number }): Sender {
  const url = new URL(gatewayUrl);
  const host = url.hostname;
  const port = Number(url.port);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency, maxFreeSockets: opts.concurrency });

  function sendHttp(req: HostileRequest): Promise<RawResponse> {
    const started = Date.now();
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: Omit<RawResponse, 'ms'>) => {
        if (done) return;
        done = true;
        resolve({ ...r, ms: Date.now() - started });
      };
      let creq: http.ClientRequest;
      try {
        creq = http.request({ host, port, method: req.method, path: req.path, headers: req.headers, agent, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < MAX_BODY) chunks.push(c);
            size += c.length;
          });
          res.on('end', () => finish({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY) }));
          res.on('error', (err) =>
            finish({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), error: `response: ${err.message}` }),
          );
        });
      } catch (err) {
        // The client itself refused to send it (e.g. a header value it considers invalid).
        finish({ headers: {}, body: '', error: `client refused: ${(err as Error).message}` });
        return;
      }
      creq.on('timeout', () => {
        creq.destroy(new Error(`timeout after ${timeoutMs} ms`));
      });
      creq.on('error', (err) => finish({ headers: {}, body: '', error: err.message }));
      creq.end(req.body);
    });
  }

  function sendRaw(req: HostileRequest): Promise<RawResponse> {
    const started = Date.now();
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let done = false;
      const socket = net.connect(port, host);
      const finish = (error?: string) => {
        if (done) return;
        done = true;
        socket.destroy();
        resolve({ ...parseRawResponse(Buffer.concat(chunks)), ...(error ? { error } : {}), ms: Date.now() - started });
      };
      socket.setTimeout(10_000, () => finish(chunks.length ? undefined : 'no response within 10 s'));
      socket.on('connect', () => socket.write(req.raw!));
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
      });
      socket.on('end', () => finish(chunks.length ? undefined : 'closed without a response'));
      socket.on('close', () => finish(chunks.length ? undefined : 'closed without a response'));
      socket.on('error', (err) => finish(chunks.length ? undefined : err.message));
    });
  }

  return {
    send: (req) => (req.raw ? sendRaw(req) : sendHttp(req)),
    close: () => agent.destroy(),
  };
}

/** Status, headers and body of an HTTP/1.x response read off a socket (first response only). */
export function parseRawResponse(buf: Buffer): Omit<RawResponse, 'ms'> {
  // Skip interim 1xx responses (100 Continue) before the final one.
  while (/^HTTP\/\d\.\d 1\d\d /.test(buf.toString('latin1', 0, 16))) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) break;
    buf = buf.subarray(end + 4);
  }
  const text = buf.toString('latin1');
  const m = /^HTTP\/\d\.\d (\d{3})[^\r\n]*\r\n/.exec(text);
  if (!m) return { headers: {}, body: buf.toString('utf8').slice(0, MAX_BODY) };
  const end = text.indexOf('\r\n\r\n');
  const headerText = end >= 0 ? text.slice(m[0].length, end) : text.slice(m[0].length);
  const headers: Record<string, string> = {};
  for (const line of headerText.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = end >= 0 ? buf.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1')) : Buffer.alloc(0);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    let rest = body;
    for (;;) {
      const nl = rest.indexOf('\r\n');
      if (nl < 0) break;
      const size = parseInt(rest.subarray(0, nl).toString('latin1'), 16);
      if (!Number.isFinite(size) || size <= 0) break;
      parts.push(rest.subarray(nl + 2, nl + 2 + size));
      rest = rest.subarray(nl + 2 + size + 2);
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    body = body.subarray(0, Number(headers['content-length']) || 0);
  }
  return { status: Number(m[1]), headers, body: body.toString('utf8').slice(0, MAX_BODY) };
}
