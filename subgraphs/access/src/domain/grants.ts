import { supergraphScopes } from '@pc/schema/src/supergraphDirectives';

/**
 * Scopes a patient can consent to: every scope the domains require with `@requiresScopes` in the
 * supergraph, except those `@issuedTo` a role (a doctor's `declaration:sign`). A new domain's
 * scopes become grantable when its schema is composed; nothing is listed here.
 */
export const CABINET_SCOPES: readonly string[] = supergraphScopes().patient;

/** Status of a grant as exposed in the API. */
export type AccessGrantStatus = 'ACTIVE' | 'REVOKED' | 'EXPIRED';

/** The parts of a grant that decide its status. */
export interface GrantTimes {
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** REVOKED wins over EXPIRED: a revocation is the person's own act and stays visible as such. */
export function grantStatus(g: GrantTimes, now: Date): AccessGrantStatus {
  if (g.revokedAt) return 'REVOKED';
  if (g.expiresAt && g.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  return 'ACTIVE';
}

/** A grant's consent-bearing fields. */
export interface GrantState extends GrantTimes {
  scopes: string[];
  grantedAt: Date;
}

/** What a consent asks for. */
export interface Consent {
  scopes: string[];
  expiresAt: Date | null;
}

/**
 * Applies a consent to the existing grant (or none). While the grant is ACTIVE the scopes are
 * merged (granting again never narrows it) and `grantedAt` stays, so tokens issued under it keep
 * working; a REVOKED or EXPIRED grant is replaced by a fresh consent with exactly the new scopes
 * and a new `grantedAt`. The latest consent decides the term (`expiresAt`).
 */
export function applyConsent(existing: GrantState | null, consent: Consent, now: Date): { next: GrantState; changed: boolean } {
  const requested = normaliseScopes(consent.scopes);
  if (!existing || grantStatus(existing, now) !== 'ACTIVE') {
    return { next: { scopes: requested, grantedAt: now, expiresAt: consent.expiresAt, revokedAt: null }, changed: true };
  }
  const scopes = normaliseScopes([...existing.scopes, ...requested]);
  const changed =
    scopes.length !== existing.scopes.length ||
    scopes.some((s, i) => s !== existing.scopes[i]) ||
    (existing.expiresAt?.getTime() ?? null) !== (consent.expiresAt?.getTime() ?? null);
  return { next: { ...existing, scopes, expiresAt: consent.expiresAt }, changed };
}

/** Sorted, without duplicates: the stored form, so equal sets compare equal. */
export function normaliseScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes)].sort();
}

/** Scopes not in {@link CABINET_SCOPES}. */
export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !CABINET_SCOPES.includes(s));
}
