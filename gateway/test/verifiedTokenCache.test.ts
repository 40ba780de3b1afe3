import { SignJWT, generateKeyPair, type KeyLike } from 'jose';
import { InvalidTokenError, cacheVerifiedTokens, createTokenChecker, createTokenVerifier, type TokenChecker } from '../src/auth/verifyUserToken';

/**
 * The verified-token cache: a token seen again skips the ES256 check, but never past its expiry,
 * never for a token that did not pass, and never beyond its size.
 */
describe('verified bearer token cache', () => {
  let keyA: { publicKey: KeyLike; privateKey: KeyLike };
  let keyB: { publicKey: KeyLike; privateKey: KeyLike };
  beforeAll(async () => {
    keyA = await generateKeyPair('ES256');
    keyB = await generateKeyPair('ES256');
  });

  // A controllable clock, shared by jose's checks and the cache.
  const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
  let clock = T0;
  const now = () => clock;
  beforeEach(() => {
    clock = T0;
  });
  const sec = (ms: number) => Math.floor(ms / 1000);

  interface Claims {
    sub?: string;
    iat?: number;
    exp?: number;
    jti?: string;
    scope?: string;
  }
  const mint = (key: KeyLike, c: Claims = {}) =>
    new SignJWT({ roles: ['PATIENT'], client_id: 'cab', scope: c.scope ?? 'person:read', jti: c.jti ?? 'jti-1' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('iss')
      .setAudience('aud')
      .setSubject(c.sub ?? 'person-1')
      .setIssuedAt(c.iat ?? sec(T0))
      .setExpirationTime(c.exp ?? sec(T0) + 3600)
      .sign(key);

  /** The real check (key A, the clock above), counting how often it runs. */
  function counted(): { check: TokenChecker; calls: () => number } {
    const real = createTokenChecker({ issuer: 'iss', audience: 'aud', publicKey: keyA.publicKey, now });
    let n = 0;
    return {
      check: (t) => {
        n++;
        return real(t);
      },
      calls: () => n,
    };
  }

  it('checks the signature of a token once; the same token again comes from the cache', async () => {
    const { check, calls } = counted();
    const verify = cacheVerifiedTokens(check, { now });
    const token = await mint(keyA.privateKey);
    const first = await verify(token);
    clock += 10_000;
    const second = await verify(token);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ subject: 'person-1', roles: ['PATIENT'], scopes: ['person:read'], clientId: 'cab', tokenId: 'jti-1' });
    expect(calls()).toBe(1);
    expect(verify.cache).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  it('createTokenVerifier caches by default, and not with cache: false', async () => {
    const token = await mint(keyA.privateKey);
    const cached = createTokenVerifier({ issuer: 'iss', audience: 'aud', publicKey: keyA.publicKey, now });
    await cached(token);
    await cached(token);
    expect(cached.cache).toMatchObject({ hits: 1, misses: 1 });
    const uncached = createTokenVerifier({ issuer: 'iss', audience: 'aud', publicKey: keyA.publicKey, now, cache: false });
    expect(uncached.cache).toBeUndefined();
    await expect(uncached(token)).resolves.toMatchObject({ subject: 'person-1' });
  });

  it('refuses a cached token once it has expired (the entry lapses at exp − 5 s; jose then refuses it)', async () => {
    const { check, calls } = counted();
    const verify = cacheVerifiedTokens(check, { now });
    const token = await mint(keyA.privateKey, { exp: sec(T0) + 60 });
    await verify(token);
    clock = T0 + 54_000; // 6 s before exp: still served from the cache
    await verify(token);
    expect(calls()).toBe(1);
    clock = T0 + 56_000; // within the last 5 s: the cache no longer answers, the full check does (and accepts: tolerance)
    await expect(verify(token)).resolves.toMatchObject({ subject: 'person-1' });
    expect(calls()).toBe(2);
    clock = T0 + 66_000; // past exp and its 5 s tolerance
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verify(token)).rejects.toThrow('ERR_JWT_EXPIRED');
    expect(calls()).toBe(4);
  });

  it('never serves an entry longer than maxAgeMs, however long the token lives', async () => {
    const { check, calls } = counted();
    const verify = cacheVerifiedTokens(check, { now, maxAgeMs: 60_000 });
    const token = await mint(keyA.privateKey, { exp: sec(T0) + 24 * 3600 });
    await verify(token);
    clock += 59_000;
    await verify(token);
    expect(calls()).toBe(1);
    clock += 2_000;
    await verify(token);
    expect(calls()).toBe(2);
  });

  it('never accepts a token signed by another key, nor a cached payload with another signature', async () => {
    const { check, calls } = counted();
    const verify = cacheVerifiedTokens(check, { now });
    const good = await mint(keyA.privateKey);
    await verify(good);
    // The very same header and claims, signed by key B.
    const forged = await mint(keyB.privateKey);
    expect(forged.split('.').slice(0, 2)).toEqual(good.split('.').slice(0, 2));
    await expect(verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    // The cached token's header and payload with B's signature, and a truncated signature.
    const [h, p] = good.split('.');
    await expect(verify(`${h}.${p}.${forged.split('.')[2]}`)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verify(`${h}.${p}.${good.split('.')[2].slice(0, -2)}`)).rejects.toBeInstanceOf(InvalidTokenError);
    // A refused token is checked again every time: nothing about it was kept.
    await expect(verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls()).toBe(5);
    expect(verify.cache.size).toBe(1);
    // And the good one still comes from the cache.
    await verify(good);
    expect(calls()).toBe(5);
  });

  it('never caches a token issued in the future', async () => {
    const { check, calls } = counted();
    const verify = cacheVerifiedTokens(check, { now });
    const token = await mint(keyA.privateKey, { iat: sec(T0) + 600, exp: sec(T0) + 3600 });
    await expect(verify(token)).rejects.toThrow(/future/);
    await expect(verify(token)).rejects.toThrow(/future/);
    expect(calls()).toBe(2);
    expect(verify.cache.size).toBe(0);
  });

  it('holds at most maxEntries tokens, evicting the least recently used', async () => {
    const { check, calls } = counted();
    const verify = cacheVerifiedTokens(check, { now, maxEntries: 3 });
    const tokens = await Promise.all([1, 2, 3, 4, 5].map((i) => mint(keyA.privateKey, { jti: `t${i}`, sub: `person-${i}` })));
    for (const t of tokens.slice(0, 3)) await verify(t);
    await verify(tokens[0]); // t1 is now the most recently used
    expect(calls()).toBe(3);
    await verify(tokens[3]);
    await verify(tokens[4]); // evicts t2, then t3
    expect(verify.cache.size).toBe(3);
    expect(calls()).toBe(5);
    await verify(tokens[0]); // kept
    expect(calls()).toBe(5);
    await verify(tokens[1]); // evicted: checked again
    expect(calls()).toBe(6);
    expect(verify.cache.size).toBe(3);
  });

  it('checks one token once when its first requests arrive together', async () => {
    const { check, calls } = counted();
    const verify = cacheVerifiedTokens(check, { now });
    const token = await mint(keyA.privateKey);
    const callers = await Promise.all([verify(token), verify(token), verify(token)]);
    expect(calls()).toBe(1);
    expect(callers.map((c) => c.subject)).toEqual(['person-1', 'person-1', 'person-1']);
  });

  it('gives every request its own caller: changing one does not change the cached one', async () => {
    const verify = cacheVerifiedTokens(counted().check, { now });
    const token = await mint(keyA.privateKey, { scope: 'person:read access:read' });
    const first = await verify(token);
    first.scopes.pop();
    first.roles.length = 0;
    expect(await verify(token)).toMatchObject({ scopes: ['person:read', 'access:read'], roles: ['PATIENT'] });
  });
});
