import { createRemoteJWKSet, errors, jwtVerify, type KeyLike, type JWTVerifyGetKey } from 'jose';
import type { Caller, Role } from '@pc/auth';

/** How end-user tokens are checked. */
export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Production: the identity provider's JWKS. */
  jwksUrl?: string;
  /** Development: the dev issuer's public key. */
  publicKey?: KeyLike;
}

/** A token was presented but is not acceptable (bad signature, expired, wrong audience…). */
export class InvalidTokenError extends Error {}

/** Verifies a bearer token and returns the caller it names (without the request id). */
export type TokenVerifier = (token: string) => Promise<Omit<Caller, 'requestId'>>;

const KNOWN_ROLES: Role[] = ['PATIENT', 'DOCTOR'];

/** Seconds of clock difference tolerated between the identity provider and the gateway. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Checks signature, issuer, audience, expiry and not-before with jose, and that the token was
 * not issued in the future (`iat`, which jose does not check on its own), all with a 5 s clock
 * tolerance; keys come from a JWKS URL (cached and refreshed by jose) or the development public key.
 */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  let key: KeyLike | JWTVerifyGetKey;
  if (opts.jwksUrl) key = createRemoteJWKSet(new URL(opts.jwksUrl));
  else if (opts.publicKey) key = opts.publicKey;
  else throw new Error('createTokenVerifier: jwksUrl or publicKey is required');
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key as KeyLike, {
        issuer: opts.issuer,
        audience: opts.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp'],
      });
      // A token "issued" later than now was minted with a wrong clock or to outlive its real
      // lifetime (exp counted from a forged iat); jose checks iat only when asked for a max age.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
        throw new InvalidTokenError('token issued in the future (iat)');
      }
      const roles = (Array.isArray(payload.roles) ? payload.roles : [payload.roles])
        .filter((r): r is Role => KNOWN_ROLES.includes(r as Role));
      if (roles.length === 0) throw new InvalidTokenError('token carries no known role');
      return {
        subject: String(payload.sub),
        roles,
        scopes: String(payload.scope ?? '').split(' ').filter(Boolean),
        clientId: typeof payload.client_id === 'string' ? payload.client_id : null,
        tokenId: typeof payload.jti === 'string' ? payload.jti : null,
      };
    } catch (err) {
      if (err instanceof errors.JOSEError) throw new InvalidTokenError(err.code);
      throw err;
    }
  };
}
