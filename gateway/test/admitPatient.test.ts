import { admitPatient, CLOCK_SKEW_SECONDS, type GrantRecord } from '../src/access/admitPatient';

const now = Date.parse('2025-03-01T12:00:00Z');
const grant = (over: Partial<GrantRecord> = {}): GrantRecord => ({
  scopes: ['person:read', 'declaration:read'],
  grantedAt: new Date('2025-01-01T00:00:00Z'),
  expiresAt: null,
  revokedAt: null,
  cabinetBlocked: false,
  ...over,
});
const token = (scopes = ['person:read', 'person:write', 'declaration:read'], issuedAt: number | null = now / 1000 - 60) => ({ scopes, issuedAt });

describe('admitPatient (the gateway’s grant decision)', () => {
  it('keeps only the scopes both the token and the grant hold', () => {
    expect(admitPatient(grant(), token(), now)).toEqual({ scopes: ['person:read', 'declaration:read'] });
    expect(admitPatient(grant({ scopes: ['access:read'] }), token(), now)).toEqual({ scopes: [] });
  });

  it.each<[string, Partial<GrantRecord> | null, string]>([
    ['no grant at all', null, 'NO_GRANT'],
    ['a revoked grant', { revokedAt: new Date(now - 1000) }, 'GRANT_REVOKED'],
    ['a grant expired a millisecond ago', { expiresAt: new Date(now - 1) }, 'GRANT_EXPIRED'],
    ['a grant expiring right now', { expiresAt: new Date(now) }, 'GRANT_EXPIRED'],
    ['a blocked cabinet, even with an active grant', { cabinetBlocked: true }, 'CABINET_BLOCKED'],
  ])('refuses %s', (_name, over, reason) => {
    expect(admitPatient(over === null ? null : grant(over), token(), now)).toEqual({ refused: reason });
  });

  it('admits a grant that expires later', () => {
    expect(admitPatient(grant({ expiresAt: new Date(now + 1) }), token(), now)).toHaveProperty('scopes');
  });

  it('refuses a token issued before the latest fresh consent, beyond the clock skew', () => {
    const grantedAt = new Date(now - 10_000);
    const g = grant({ grantedAt });
    const before = Math.floor(grantedAt.getTime() / 1000) - CLOCK_SKEW_SECONDS - 1;
    expect(admitPatient(g, token(undefined, before), now)).toEqual({ refused: 'TOKEN_BEFORE_GRANT' });
    expect(admitPatient(g, token(undefined, before + 1), now)).toHaveProperty('scopes');
    // A token without iat cannot be placed in time; the other checks still apply.
    expect(admitPatient(g, token(undefined, null), now)).toHaveProperty('scopes');
  });
});
