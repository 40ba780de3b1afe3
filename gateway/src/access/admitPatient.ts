/** A grant as the gateway reads it from `access.gateway_grant_v1`. */
export interface GrantRecord {
  scopes: string[];
  grantedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  cabinetBlocked: boolean;
}

/** Why a patient's token was refused; sent as `extensions.reason` so the cabinet can react (ask for consent again). */
export type GrantRefusal = 'NO_CABINET' | 'NO_GRANT' | 'GRANT_REVOKED' | 'GRANT_EXPIRED' | 'CABINET_BLOCKED' | 'TOKEN_BEFORE_GRANT';

/** The token's part in the decision. */
export interface TokenFacts {
  scopes: string[];
  /** `iat` in seconds, when the token carries it. */
  issuedAt: number | null;
}

/** Tolerance between the identity provider's clock (`iat`) and the database's (`granted_at`). */
export const CLOCK_SKEW_SECONDS = 5;

/**
 * Decides whether a patient's token may be used now, and with which scopes: only those both
 * the token and the grant hold. A blocked cabinet, a revoked or expired grant, or none at all
 * refuse the token; so does a token issued before the latest fresh consent (minus the clock
 * skew), which keeps a token from before a revocation dead after the person consents again.
 */
export function admitPatient(grant: GrantRecord | null, token: TokenFacts, now: number): { scopes: string[] } | { refused: GrantRefusal } {
  if (!grant) return { refused: 'NO_GRANT' };
  if (grant.cabinetBlocked) return { refused: 'CABINET_BLOCKED' };
  if (grant.revokedAt) return { refused: 'GRANT_REVOKED' };
  if (grant.expiresAt && grant.expiresAt.getTime() <= now) return { refused: 'GRANT_EXPIRED' };
  if (token.issuedAt !== null && token.issuedAt < Math.floor(grant.grantedAt.getTime() / 1000) - CLOCK_SKEW_SECONDS) {
    return { refused: 'TOKEN_BEFORE_GRANT' };
  }
  const held = new Set(grant.scopes);
  return { scopes: token.scopes.filter((s) => held.has(s)) };
}
