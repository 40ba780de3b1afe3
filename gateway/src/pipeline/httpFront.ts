import type http from 'node:http';
import zlib from 'node:zlib';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import bytes from 'bytes';
import proxyaddr from 'proxy-addr';
import getRawBody from 'raw-body';

/**
 * The gateway's HTTP plumbing on node:http, in place of Express, express.json() and the
 * @as-integrations/express5 adapter (their router, body parser and `res.send` ETag hashing cost
 * more CPU per request than the rest of the front; docs/performance.md). Each piece keeps what
 * the Express stack did, so clients see the same answers.
 */

/** A refusal before GraphQL: `status`, and `type` as body-parser named it (`entity.too.large`, `entity.parse.failed`, …). */
export class HttpBodyError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

/** Decides whether the hop at index `i` (0 = the socket's peer) with address `addr` is a trusted proxy. */
export type TrustProxy = (addr: string, i: number) => boolean;

/**
 * TRUST_PROXY as Express' `trust proxy` compiled it (express/lib/utils.js compileTrust):
 * `true` trusts every hop, a number that many hops from the socket back, a string a
 * comma-separated list of addresses, subnets and proxy-addr's names (`loopback`, `linklocal`,
 * `uniquelocal`), `false` none. Throws on what is not an address or subnet.
 */
export function compileTrustProxy(setting: boolean | number | string): TrustProxy {
  if (setting === true) return () => true;
  if (typeof setting === 'number') return (_addr, i) => i < setting;
  const list = typeof setting === 'string' ? setting.split(',').map((v) => v.trim()) : [];
  return proxyaddr.compile(list);
}

/** The client's address as Express' `req.ip` gave it: the socket's peer, or X-Forwarded-For as far as `trust` trusts the hops. */
export function clientAddress(req: http.IncomingMessage, trust: TrustProxy): string {
  return proxyaddr(req, trust);
}

/** A size string (`100kb`, `1mb`, or a number of bytes) in bytes, as body-parser read its `limit`; throws on anything else. */
export function parseByteSize(size: string | number): number {
  const n = bytes.parse(size);
  if (n === null || !Number.isFinite(n)) throw new TypeError(`Body size limit "${String(size)}" is not a size (e.g. 100kb)`);
  return n;
}

/** Whether the request carries a body at all (type-is `hasBody`: a Transfer-Encoding or a numeric Content-Length). */
function hasBody(req: http.IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length'] ?? NaN));
}

/** The media type and charset of a Content-Type header, lower-cased; `undefined` without one. */
function mediaTypeOf(header: string | undefined): { type: string; charset?: string } | undefined {
  if (!header) return undefined;
  const semi = header.indexOf(';');
  const type = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  const charset = semi < 0 ? undefined : /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header)?.[1]?.toLowerCase();
  return { type, charset };
}

/**
 * The request body as express.json() left it in `req.body`:
 *
 * - no body, or a Content-Type other than `application/json`: `undefined`, unread (Apollo then
 *   answers the request itself, e.g. 400 for `text/plain`);
 * - an empty JSON body: `{}`; anything but an object or array at the top (strict): refused;
 * - gzip, deflate, br (and zstd where Node has it) are decompressed; any `utf-*` charset is
 *   decoded (iconv-lite, through raw-body), others are 415;
 * - more than `limit` bytes (after decompression): 413 `entity.too.large`.
 *
 * Refusals are {@link HttpBodyError}s (or raw-body's errors, which carry the same `status`,
 * `type` and `expose`), thrown after the rest of the request was read, as body-parser did, so
 * the client sees the answer rather than a reset connection.
 */
export async function readJsonBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
  if (!hasBody(req)) return undefined;
  const media = mediaTypeOf(req.headers['content-type']);
  if (media?.type !== 'application/json') return undefined;
  const charset = media.charset ?? 'utf-8';
  if (!charset.startsWith('utf-')) throw new HttpBodyError(415, `unsupported charset "${charset.toUpperCase()}"`, 'charset.unsupported');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const decoder = encoding === 'identity' ? undefined : decompression(encoding);
  if (decoder) req.pipe(decoder);
  let text: string;
  try {
    text = await getRawBody(decoder ?? req, { length: decoder ? undefined : req.headers['content-length'], limit, encoding: charset });
  } catch (err) {
    if (decoder) {
      req.unpipe();
      decoder.destroy();
    }
    await drain(req);
    const e = err as { type?: string; status?: number; expose?: boolean; message: string };
    if (e.type === 'encoding.unsupported') throw new HttpBodyError(415, `unsupported charset "${charset.toUpperCase()}"`, 'charset.unsupported');
    if (e.status === undefined) throw new HttpBodyError(400, e.message, 'stream.error');
    throw err;
  }
  if (decoder) {
    req.unpipe(decoder);
    decoder.on('error', () => undefined);
    decoder.destroy();
    req.resume();
  }
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*([^ \t\n\r]|$)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw new HttpBodyError(400, 'Malformed JSON body', 'entity.parse.failed');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpBodyError(400, 'Malformed JSON body', 'entity.parse.failed');
  }
}

function decompression(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress {
  switch (encoding) {
    case 'gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'zstd': {
      const zstd = (zlib as unknown as { createZstdDecompress?: () => zlib.Gunzip }).createZstdDecompress;
      if (zstd) return zstd();
    }
  }
  throw new HttpBodyError(415, `unsupported content encoding "${encoding}"`, 'encoding.unsupported');
}

/** Reads off what is left of a refused request's body, so the answer reaches the client. */
function drain(req: http.IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', resolve);
    req.resume();
  });
}

/** The request headers as Apollo gets them (repeated ones joined with ", ", as the Express integration did). */
export function headerMapOf(req: http.IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/**
 * Writes Apollo's answer: its status and headers, a complete body with Content-Length (and a
 * charset on its Content-Type, as `res.send` added), an incremental one chunk by chunk. No ETag:
 * GraphQL answers are not revalidated, and hashing every body cost CPU.
 */
export async function writeApolloResponse(res: http.ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    const text = response.body.string;
    const type = res.getHeader('content-type');
    if (type === undefined) res.setHeader('content-type', 'text/html; charset=utf-8');
    else if (typeof type === 'string' && !/;\s*charset=/i.test(type)) res.setHeader('content-type', `${type}; charset=utf-8`);
    res.setHeader('content-length', Buffer.byteLength(text));
    res.end(text);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
