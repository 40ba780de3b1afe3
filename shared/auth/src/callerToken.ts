import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Caller, Role } from './caller';

/** HTTP header carrying the caller token from the gateway (or a service) to a subgraph. */
export const CALLER_TOKEN_HEADER = 'x-caller-token';
/** HTTP header carrying the request id. */
export const REQUEST_ID_HEADER = 'x-request-id';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request id a client or proxy sent, if it is one we may pass on: at most 128 characters of
 * `A-Z a-z 0-9 . _ : -` (UUIDs, trace ids). Anything else — 8 kB of text, control characters —
 * would end up in every log line and subgraph request, so the caller gets a fresh id instead.
 */
export function acceptRequestId(value: string | string[] | undefined | null): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && REQUEST_ID.test(v) ? v : undefined;
}

const ISSUER = 'pc-internal';
const ALG = 'HS256';

/** Options shared by signing and verifying caller tokens. */
export interface CallerTokenOptions {
  /** The INTERNAL_TOKEN_SECRET shared by the gateway and the subgraphs. */
  secret: string;
  /** The subgraph the token is for (`subgraph:<name>`), so a token can't be replayed elsewhere. */
  audience: string;
}

// One KeyObject per secret: given bytes, jose imports a new KeyObject for every signature and
// verification (createSecretKey was ~1% of the gateway's CPU under load).
const keys = new Map<string, KeyObject>();
function key(secret: string): KeyObject {
  let k = keys.get(secret);
  if (!k) keys.set(secret, (k = createSecretKey(Buffer.from(secret, 'utf8'))));
  return k;
}

/** The audience string for a subgraph. */
export const subgraphAudience = (name: string): string => `subgraph:${name}`;

/**
 * Signs a short-lived (60 s by default) token describing the verified caller. Subgraphs accept
 * requests only with such a token, so a request that bypasses the gateway gets no data, and a
 * forged `x-user` header means nothing.
 *
 * The token names who is calling, not which request: the request id travels in its own header
 * (`x-request-id`, {@link REQUEST_ID_HEADER}), so one token serves every request of the same
 * caller to the same subgraph while it lives (the gateway reuses it, see its callerTokenCache).
 */
export async function signCallerToken(
  caller: Omit<Caller, 'requestId'> & { requestId?: string },
  opts: CallerTokenOptions & { ttlSeconds?: number; /** `iat`, seconds since the epoch; default now. */ issuedAt?: number },
): Promise<string> {
  const iat = opts.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    roles: caller.roles,
    scope: caller.scopes.join(' '),
    client_id: caller.clientId ?? undefined,
    tid: caller.tokenId ?? undefined,
    act: caller.actFor?.length ? [...caller.actFor] : undefined,
  })
    .setProtectedHeader({ alg: ALG })
    .setIssuer(ISSUER)
    .setAudience(opts.audience)
    .setSubject(caller.subject ?? 'anonymous')
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.ttlSeconds ?? 60))
    .sign(key(opts.secret));
}

/** Why a caller token was refused. */
export class CallerTokenError extends Error {}

/**
 * Verifies a caller token and returns the caller it describes. `requestId` is empty: the
 * receiving server takes it from the `x-request-id` header (tokens from gateways before the
 * header-only request id carried it as `rid`, which is still read).
 */
export async function verifyCallerToken(token: string, opts: CallerTokenOptions): Promise<Caller> {
  try {
    const { payload } = await jwtVerify(token, key(opts.secret), {
      issuer: ISSUER,
      audience: opts.audience,
      algorithms: [ALG],
      clockTolerance: 5,
    });
    const anonymous = payload.sub === 'anonymous';
    return {
      subject: anonymous ? null : (payload.sub ?? null),
      roles: anonymous ? [] : ((payload.roles as Role[] | undefined) ?? []),
      scopes: anonymous
        ? []
        : String(payload.scope ?? '')
            .split(' ')
            .filter(Boolean),
      clientId: (payload.client_id as string | undefined) ?? null,
      tokenId: (payload.tid as string | undefined) ?? null,
      requestId: String(payload.rid ?? ''),
      ...(!anonymous && Array.isArray(payload.act) ? { actFor: payload.act.filter((v): v is string => typeof v === 'string') } : {}),
    };
  } catch (err) {
    if (err instanceof errors.JOSEError) throw new CallerTokenError(`invalid caller token: ${err.code}`);
    throw err;
  }
}
