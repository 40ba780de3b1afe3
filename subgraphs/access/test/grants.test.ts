import { applyConsent, grantStatus, normaliseScopes, unknownScopes } from '../src/domain/grants';
import { pageSize } from '@pc/graphql-kit';
import { decodeLogCursor, encodeLogCursor } from '../src/domain/logCursor';

const t = (iso: string) => new Date(iso);
const now = t('2025-01-10T12:00:00Z');

describe('grant status', () => {
  it('is ACTIVE without revocation and before expiry', () => {
    expect(grantStatus({ revokedAt: null, expiresAt: null }, now)).toBe('ACTIVE');
    expect(grantStatus({ revokedAt: null, expiresAt: t('2025-01-10T12:00:01Z') }, now)).toBe('ACTIVE');
  });
  it('is EXPIRED from the expiry instant on', () => {
    expect(grantStatus({ revokedAt: null, expiresAt: now }, now)).toBe('EXPIRED');
  });
  it('is REVOKED even when also expired', () => {
    expect(grantStatus({ revokedAt: t('2025-01-01T00:00:00Z'), expiresAt: t('2025-01-02T00:00:00Z') }, now)).toBe('REVOKED');
  });
});

describe('consent', () => {
  const active = { scopes: ['person:read'], grantedAt: t('2024-01-01T00:00:00Z'), expiresAt: null, revokedAt: null };

  it('creates a grant with exactly the requested scopes', () => {
    const { next, changed } = applyConsent(null, { scopes: ['person:write', 'person:read', 'person:read'], expiresAt: null }, now);
    expect(changed).toBe(true);
    expect(next).toEqual({ scopes: ['person:read', 'person:write'], grantedAt: now, expiresAt: null, revokedAt: null });
  });

  it('merges scopes into an active grant and keeps its grantedAt', () => {
    const { next, changed } = applyConsent(active, { scopes: ['declaration:read'], expiresAt: null }, now);
    expect(changed).toBe(true);
    expect(next.scopes).toEqual(['declaration:read', 'person:read']);
    expect(next.grantedAt).toEqual(active.grantedAt);
  });

  it('reports no change when the active grant already holds the scopes and term', () => {
    expect(applyConsent(active, { scopes: ['person:read'], expiresAt: null }, now).changed).toBe(false);
  });

  it('starts a revoked grant afresh: only the new scopes, a new grantedAt, no revocation', () => {
    const revoked = { ...active, scopes: ['access:write', 'person:read'], revokedAt: t('2024-06-01T00:00:00Z') };
    const { next } = applyConsent(revoked, { scopes: ['declaration:read'], expiresAt: null }, now);
    expect(next).toEqual({ scopes: ['declaration:read'], grantedAt: now, expiresAt: null, revokedAt: null });
  });

  it('starts an expired grant afresh too', () => {
    const expired = { ...active, expiresAt: t('2025-01-01T00:00:00Z') };
    expect(applyConsent(expired, { scopes: ['person:write'], expiresAt: null }, now).next.scopes).toEqual(['person:write']);
  });

  it('knows the api.md scopes and nothing else', () => {
    expect(unknownScopes(['person:read', 'declaration:sign', 'admin'])).toEqual(['declaration:sign', 'admin']);
    expect(normaliseScopes(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('access log cursor and page size', () => {
  it('round-trips a position', () => {
    const p = { at: t('2025-01-10T12:00:00.123Z'), id: '0b5c6a3e-1f2d-4c8b-9a7e-3d2f1e0c9b8a' };
    expect(decodeLogCursor(encodeLogCursor(p))).toEqual(p);
  });
  it.each(['', 'abc', Buffer.from('["l1","x","y"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')])('refuses the cursor %p', (c) => {
    expect(() => decodeLogCursor(c)).toThrow(/cursor/);
  });
  it('defaults to 20 and refuses 0 or more than 100', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow();
    expect(() => pageSize(101)).toThrow();
  });
});
