import { CALLER_TOKEN_HEADER, REQUEST_ID_HEADER, subgraphAudience, verifyCallerToken, type Caller } from '@pc/auth';
import { createLogger } from '@pc/logging';
import { decodeJwt } from 'jose';
import { CallerTokenCache } from '../src/auth/callerTokenCache';
import { CallerDataSource } from '../src/CallerDataSource';
import type { GatewayContext } from '../src/context';

const SECRET = 'a-test-secret-of-at-least-32-characters!!';

/** Caller tokens: one per caller and subgraph, reused while ≥ 15 s of life remain, never shared. */
describe('caller token cache', () => {
  let clock = Date.now();
  const now = () => clock;
  beforeEach(() => {
    clock = Date.now();
  });

  const patient = (over: Partial<Caller> = {}): Omit<Caller, 'requestId'> => ({
    subject: 'person-1',
    roles: ['PATIENT'],
    scopes: ['person:read', 'declaration:read'],
    clientId: 'state-cabinet',
    tokenId: 'jti-1',
    ...over,
  });

  it('reuses a token within its lifetime and signs a new one when < 15 s remain', async () => {
    const cache = new CallerTokenCache({ secret: SECRET, now });
    const first = await cache.token(patient(), 'identity');
    clock += 44_000; // 16 s left
    expect(await cache.token(patient(), 'identity')).toBe(first);
    expect(cache.stats).toEqual({ signed: 1, reused: 1 });
    clock += 2_000; // 14 s left: renewed
    const renewed = await cache.token(patient(), 'identity');
    expect(renewed).not.toBe(first);
    expect(decodeJwt(renewed).exp! - decodeJwt(first).exp!).toBe(46);
    expect(cache.stats).toEqual({ signed: 2, reused: 1 });
    // The renewed token is reused in its turn.
    clock += 10_000;
    expect(await cache.token(patient(), 'identity')).toBe(renewed);
  });

  it('signs 60 s tokens for one subgraph, with the caller and without the request id', async () => {
    const cache = new CallerTokenCache({ secret: SECRET, now });
    const token = await cache.token(patient(), 'access');
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(60);
    expect(claims).not.toHaveProperty('rid');
    expect(JSON.stringify(claims)).not.toMatch(/request/i);
    await expect(verifyCallerToken(token, { secret: SECRET, audience: subgraphAudience('access') })).resolves.toMatchObject({
      subject: 'person-1',
      roles: ['PATIENT'],
      scopes: ['person:read', 'declaration:read'],
      clientId: 'state-cabinet',
      tokenId: 'jti-1',
    });
    // Signed for access only.
    await expect(verifyCallerToken(token, { secret: SECRET, audience: subgraphAudience('identity') })).rejects.toThrow(/CLAIM_VALIDATION_FAILED/);
  });

  it.each<[string, Partial<Caller>]>([
    ['another person', { subject: 'person-2' }],
    ['fewer scopes (a grant that holds less)', { scopes: ['person:read'] }],
    ['the same scopes plus one', { scopes: ['person:read', 'declaration:read', 'declaration:write'] }],
    ['another cabinet', { clientId: 'zdorovia' }],
    ['another end-user token', { tokenId: 'jti-2' }],
    ['another role', { roles: ['DOCTOR'] }],
    ['an anonymous caller', { subject: null, roles: [], scopes: [], clientId: null, tokenId: null }],
  ])('never gives %s the token of another caller', async (_name, over) => {
    const cache = new CallerTokenCache({ secret: SECRET, now });
    const mine = await cache.token(patient(), 'identity');
    const theirs = await cache.token(patient(over), 'identity');
    expect(theirs).not.toBe(mine);
    const c = await verifyCallerToken(theirs, { secret: SECRET, audience: subgraphAudience('identity') });
    const expected = { ...patient(), ...over };
    expect(c).toMatchObject({
      subject: expected.subject,
      roles: expected.roles,
      scopes: expected.scopes,
      clientId: expected.clientId,
      tokenId: expected.tokenId,
    });
    // Each keeps its own.
    expect(await cache.token(patient(), 'identity')).toBe(mine);
    expect(await cache.token(patient(over), 'identity')).toBe(theirs);
  });

  it('gives each subgraph its own token', async () => {
    const cache = new CallerTokenCache({ secret: SECRET, now });
    const a = await cache.token(patient(), 'identity');
    const b = await cache.token(patient(), 'directory');
    expect(a).not.toBe(b);
    expect(decodeJwt(b).aud).toBe(subgraphAudience('directory'));
  });

  it('is bounded, and maxEntries 0 signs for every fetch', async () => {
    const cache = new CallerTokenCache({ secret: SECRET, now, maxEntries: 2 });
    await cache.token(patient({ subject: 'p1' }), 'identity');
    await cache.token(patient({ subject: 'p2' }), 'identity');
    await cache.token(patient({ subject: 'p3' }), 'identity'); // evicts p1
    await cache.token(patient({ subject: 'p3' }), 'identity');
    expect(cache.stats).toEqual({ signed: 3, reused: 1 });
    await cache.token(patient({ subject: 'p1' }), 'identity'); // signed again
    expect(cache.stats).toEqual({ signed: 4, reused: 1 });
    const off = new CallerTokenCache({ secret: SECRET, now, maxEntries: 0 });
    await off.token(patient(), 'identity');
    await off.token(patient(), 'identity');
    expect(off.stats).toEqual({ signed: 2, reused: 0 });
  });

  it('CallerDataSource sends the cached token and each request its own x-request-id', async () => {
    const cache = new CallerTokenCache({ secret: SECRET, now });
    const ds = new CallerDataSource('identity', 'http://127.0.0.1:1/graphql', cache);
    const log = createLogger({ service: 'test', level: 'silent' });
    const send = async (requestId: string) => {
      const headers = new Headers();
      const context: GatewayContext = { caller: { ...patient(), requestId }, log };
      await ds.willSendRequest({ request: { http: { headers, method: 'POST', url: '' } }, context } as never);
      return { token: headers.get(CALLER_TOKEN_HEADER), requestId: headers.get(REQUEST_ID_HEADER) };
    };
    const a = await send('req-a');
    const b = await send('req-b');
    expect(a.requestId).toBe('req-a');
    expect(b.requestId).toBe('req-b');
    expect(a.token).toBeTruthy();
    expect(b.token).toBe(a.token);
  });
});
