import { signCallerToken, verifyCallerToken, type Caller } from '@pc/auth';
import { VerifiedCallerTokens } from '../src/verifiedCallerTokens';

describe('VerifiedCallerTokens', () => {
  const opts = { secret: 'k'.repeat(43), audience: 'subgraph:identity' };
  const caller = { subject: 'p-1', roles: ['PATIENT'], scopes: ['person:read'], clientId: 'c', tokenId: 't' } as const;
  const issuedAt = Math.floor(Date.now() / 1000);

  it('answers a verified token until its exp, then forgets it', async () => {
    const token = await signCallerToken({ ...caller, roles: [...caller.roles], scopes: [...caller.scopes] }, { ...opts, issuedAt, ttlSeconds: 60 });
    const cache = new VerifiedCallerTokens();
    const verified = await verifyCallerToken(token, opts);
    cache.set(token, verified, issuedAt * 1000);
    expect(cache.get(token, issuedAt * 1000 + 59_999)).toEqual(verified);
    expect(cache.get(token, (issuedAt + 60) * 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get(`${token}x`, issuedAt * 1000)).toBeUndefined();
  });

  it('keeps no token longer than maxAgeMs, none without exp, and at most maxEntries', async () => {
    const cache = new VerifiedCallerTokens(2, 1000);
    const c = { ...caller, roles: [], scopes: [], requestId: '' } as Caller;
    const tokens = await Promise.all([1, 2, 3].map((i) => signCallerToken({ ...c, tokenId: `t${i}` }, { ...opts, issuedAt, ttlSeconds: 600 })));
    const now = issuedAt * 1000;
    for (const t of tokens) cache.set(t, { ...c }, now);
    expect(cache.size).toBe(2);
    expect(cache.get(tokens[0], now)).toBeUndefined();
    expect(cache.get(tokens[2], now + 999)).toBeDefined();
    expect(cache.get(tokens[2], now + 1000)).toBeUndefined();
    cache.set('a.eyJzdWIiOiJ4In0.b', { ...c }, now);
    expect(cache.get('a.eyJzdWIiOiJ4In0.b', now)).toBeUndefined();
  });

  it('hands out a frozen caller, so one request cannot change another', async () => {
    const token = await signCallerToken({ ...caller, roles: [...caller.roles], scopes: [...caller.scopes] }, { ...opts, issuedAt });
    const cache = new VerifiedCallerTokens();
    cache.set(token, await verifyCallerToken(token, opts), issuedAt * 1000);
    const got = cache.get(token, issuedAt * 1000)!;
    expect(Object.isFrozen(got) && Object.isFrozen(got.scopes) && Object.isFrozen(got.roles)).toBe(true);
  });
});
