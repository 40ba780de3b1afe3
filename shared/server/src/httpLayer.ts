import type http from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

/** Largest request body a subgraph reads (after decompression): 1 MiB, as `express.json({ limit: '1mb' })` had it. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A request refused before GraphQL sees it; answered as a JSON GraphQL error with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Request headers by lower-cased name. */
export type Headers = Map<string, string>;

/**
 * The request's headers straight from `rawHeaders` (lower-cased names, repeated headers joined
 * with ", " as the Express integration did), without building `req.headers` as well.
 */
export function headerMapOf(req: http.IncomingMessage): Headers {
  const raw = req.rawHeaders;
  const headers: Headers = new Map();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? raw[i + 1] : `${prev}, ${raw[i + 1]}`);
  }
  return headers;
}

/** `application/json` (any parameters, any case); what `express.json()` accepted. */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/**
 * Reads and parses a JSON request body of at most `limit` bytes (after decompression; gzip,
 * deflate and br are accepted like body-parser did). Refusals are {@link HttpError}s: 415 for
 * another content type or encoding, 413 beyond the limit, 400 for malformed JSON or a charset
 * other than UTF-8. An empty body is `undefined` (the executor answers it with a 400).
 */
export function readJsonBody(req: http.IncomingMessage, headers: Headers, limit = MAX_BODY_BYTES): Promise<unknown> {
  if (!isJson(headers.get('content-type'))) {
    return Promise.reject(new HttpError(415, 'Content-Type must be application/json', 'BAD_REQUEST'));
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(headers.get('content-type')!)?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    return Promise.reject(new HttpError(415, `Unsupported charset "${charset}"`, 'BAD_REQUEST'));
  }
  const encoding = (headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const declared = headers.get('content-length');
  if (encoding === 'identity' && declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit));
  }
  let source: Readable;
  switch (encoding) {
    case 'identity':
      source = req;
      break;
    case 'gzip':
      source = req.pipe(createGunzip());
      break;
    case 'deflate':
      source = req.pipe(createInflate());
      break;
    case 'br':
      source = req.pipe(createBrotliDecompress());
      break;
    default:
      return Promise.reject(new HttpError(415, `Unsupported Content-Encoding "${encoding}"`, 'BAD_REQUEST'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (err: HttpError) => {
      if (done) return;
      done = true;
      if (source !== req) source.destroy();
      reject(err);
    };
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit));
      chunks.push(chunk);
    });
    source.on('error', () => fail(new HttpError(400, 'Request body could not be read or decompressed')));
    req.on('aborted', () => fail(new HttpError(400, 'Request aborted')));
    source.on('end', () => {
      if (done) return;
      done = true;
      if (size === 0) return resolve(undefined);
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'Malformed JSON in the request body'));
      }
    });
  });
}

function tooLarge(limit: number): HttpError {
  // The rest of the body is not read: the connection closes after the answer.
  return new HttpError(413, `Request body larger than ${limit} bytes`, 'REQUEST_TOO_LARGE', { connection: 'close' });
}

/** Answers with a JSON body (never HTML). */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers with a GraphQL-shaped JSON error (`{ errors: [{ message, extensions: { code } }] }`). */
export function sendJsonError(res: http.ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { errors: [{ message: err.message, extensions: { code: err.code } }] }, err.headers);
}

/** Headers that show a GET was sent by a client that could have been preflighted (Apollo Server's CSRF prevention). */
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'];

/**
 * The GraphQL request of a GET (`query`, `operationName`, `variables` and `extensions` as JSON,
 * each at most once), refused as Apollo Server refused it: 415 for a content type other than
 * JSON, 400 without a CSRF preflight header (`apollo-require-preflight` or
 * `x-apollo-operation-name`) or for a repeated parameter or invalid JSON.
 */
export function operationFromSearch(search: string, headers: Headers): Record<string, unknown> {
  const contentType = headers.get('content-type');
  if (contentType !== undefined && !isJson(contentType)) {
    throw new HttpError(415, 'GET requests may not have a content-type header other than application/json.');
  }
  if (contentType === undefined && !PREFLIGHT_HEADERS.some((h) => !!headers.get(h))) {
    throw new HttpError(
      400,
      `This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either specify a 'content-type' header ` +
        `(with a type that is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain) or provide a non-empty value ` +
        `for one of the following headers: ${PREFLIGHT_HEADERS.join(', ')}`,
    );
  }
  const params = new URLSearchParams(search);
  const once = (name: string): string | undefined => {
    const all = params.getAll(name);
    if (all.length > 1) throw new HttpError(400, `The '${name}' search parameter may only be specified once.`);
    return all[0];
  };
  const json = (name: string): unknown => {
    const v = once(name);
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw new HttpError(400, `The ${name} search parameter contains invalid JSON.`);
    }
  };
  return { query: once('query'), operationName: once('operationName'), variables: json('variables'), extensions: json('extensions') };
}
