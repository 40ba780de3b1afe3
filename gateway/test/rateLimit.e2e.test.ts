import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anonymousCaller } from '@pc/auth';
import { DEV_INTERNAL_TOKEN_SECRET } from '@pc/config';
import { DEMO_PERSONAS } from '@pc/demo';
import { createLogger } from '@pc/logging';
import { repoRoot } from '@pc/schema';
import { createGatewayServer, createTokenVerifier, type GatewayServer } from '../src/lib';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { clientAddressKey, rateLimitGuard, type RateLimitOptions } from '../src/edge/rateLimitGuard';
import { connectRedis, type RedisConnection } from '../src/edge/redisConnection';
import type { GuardRequest } from '../src/pipeline/guards';

const redisUrl = process.env.TEST_REDIS_URL;

const backends: [string, string | undefined][] = [['in memory', undefined]];
if (redisUrl) backends.push(['in Redis', redisUrl]);

type Body = { data?: unknown; errors?: { message: string; extensions?: { code?: string; limit?: string } }[] };

describe.each(backends)('rate limit per person and cabinet (%s)', (_name, redis) => {
  let sys: RunningSystem;
  let gw: GatewayServer;
  let behindProxy: GatewayServer;
  let url: string;
  let proxiedUrl: string;
  let conn: RedisConnection | undefined;
  const log = createLogger({ service: 'gateway', level: 'silent' });

  const build = (o: RateLimitOptions & { trustProxy?: string }) =>
    createGatewayServer({
      supergraphSdl: readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'),
      subgraphUrls: { identity: sys.subgraphs.identity.url },
      verifyToken: createTokenVerifier({ issuer: sys.issuer.issuer, audience: sys.issuer.audience, publicKey: sys.issuer.publicKey }),
      internalTokenSecret: DEV_INTERNAL_TOKEN_SECRET,
      log,
      nodeEnv: 'test',
      trustProxy: o.trustProxy,
      guards: [rateLimitGuard(o)],
    });

  beforeAll(async () => {
    sys = await startSystem({ only: ['identity'] });
    conn = redis ? connectRedis(redis) : undefined;
    // Until connected the counters are (correctly) in memory; these tests are about Redis' ones.
    while (conn && !conn.usable()) await new Promise((r) => setTimeout(r, 20));
    // Windows of a minute: every test uses cabinets of its own, so nothing depends on timing.
    gw = build({ points: 3, cabinetPoints: 5, durationSeconds: 60, redis: conn, keyPrefix: `test-${randomUUID()}` });
    url = (await gw.listen(0)).url;
    behindProxy = build({ points: 3, cabinetPoints: 5, durationSeconds: 60, redis: conn, keyPrefix: `test-${randomUUID()}`, trustProxy: 'loopback' });
    proxiedUrl = (await behindProxy.listen(0)).url;
  });
  afterAll(async () => {
    await gw?.stop();
    await behindProxy?.stop();
    await conn?.close();
    await sys?.stop();
  });

  const call = async (token?: string, headers: Record<string, string> = {}, target = url) => {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Body };
  };
  const statuses = async (n: number, token?: string, headers?: Record<string, string>, target?: string) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await call(token, headers, target)).status);
    return out;
  };
  const patient = (cabinet: string, sub = randomUUID()) => sys.token({ sub, clientId: cabinet, roles: ['PATIENT'] });

  it('one person exhausting their allowance leaves another person of the same cabinet unaffected', async () => {
    const cabinet = `cab-${randomUUID()}`;
    const greedy = await patient(cabinet);
    const other = await patient(cabinet);
    expect(await statuses(3, greedy)).toEqual([200, 200, 200]);
    const limited = await call(greedy);
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'person' });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    // Hammering on after the refusal costs the cabinet nothing: 3 admitted + 2 = the ceiling of 5.
    expect(await statuses(10, greedy)).toEqual(Array(10).fill(429));
    expect(await statuses(2, other)).toEqual([200, 200]);
  });

  it('trips the cabinet-wide ceiling across persons, doctors included, and spares other cabinets', async () => {
    const cabinet = `cab-${randomUUID()}`;
    const a = await patient(cabinet);
    const b = await patient(cabinet);
    const doctor = await sys.token({ sub: DEMO_PERSONAS.doctor.id, roles: ['DOCTOR'], clientId: cabinet });
    expect([...(await statuses(2, a)), ...(await statuses(2, b)), ...(await statuses(1, doctor))]).toEqual([200, 200, 200, 200, 200]);
    const refused = await call(doctor);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'cabinet' });
    expect((await call(await patient(`cab-${randomUUID()}`))).status).toBe(200);
  });

  it('doctors are counted per person like patients', async () => {
    const cabinet = `cab-${randomUUID()}`;
    const doctor = await sys.token({ sub: DEMO_PERSONAS.doctor.id, roles: ['DOCTOR'], clientId: cabinet });
    expect(await statuses(4, doctor)).toEqual([200, 200, 200, 429]);
    expect((await call(await patient(cabinet))).status).toBe(200);
  });

  it('counts anonymous callers per client address and ignores X-Forwarded-For unless TRUST_PROXY', async () => {
    // No trusted proxy: every request is 127.0.0.1, whatever the header claims.
    const spoofed = await statuses(5, undefined, { 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 200)}` });
    const rotating: number[] = [];
    for (let i = 0; i < 3; i++) rotating.push((await call(undefined, { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect([...spoofed, ...rotating]).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    const limited = await call();
    expect(limited.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'address' });

    // Behind a trusted proxy (loopback), the address the proxy reports is the client's.
    expect(await statuses(4, undefined, { 'x-forwarded-for': '203.0.113.7' }, proxiedUrl)).toEqual([200, 200, 200, 429]);
    expect(await statuses(1, undefined, { 'x-forwarded-for': '203.0.113.8' }, proxiedUrl)).toEqual([200]);
    // IPv6 counts per /64: rotating through one subscriber's block gains nothing.
    const rotated: number[] = [];
    for (let i = 1; i <= 4; i++) rotated.push((await call(undefined, { 'x-forwarded-for': `2001:db8:1:2::${i}` }, proxiedUrl)).status);
    expect(rotated).toEqual([200, 200, 200, 429]);
    expect(await statuses(1, undefined, { 'x-forwarded-for': '2001:db8:1:3::1' }, proxiedUrl)).toEqual([200]);
  });

  it('recovers after the window', async () => {
    const guard = rateLimitGuard({ points: 1, cabinetPoints: 0, durationSeconds: 1, redis: conn, keyPrefix: `test-${randomUUID()}` });
    const input = { caller: { ...anonymousCaller('r'), subject: 'p', clientId: 'c' }, body: {}, req: { ip: '127.0.0.1' } as GuardRequest, log };
    await guard(input);
    await expect(Promise.resolve(guard(input))).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await new Promise((r) => setTimeout(r, 1100));
    await expect(Promise.resolve(guard(input))).resolves.toMatchObject({ subject: 'p' });
  });

  it('gives the person back the point of a request the cabinet ceiling refused', async () => {
    // Windows start at a key's first request: the cabinet's ends ~1 s before person A's does.
    const guard = rateLimitGuard({ points: 1, cabinetPoints: 1, durationSeconds: 2, redis: conn, keyPrefix: `test-${randomUUID()}` });
    const as = (subject: string) => ({
      caller: { ...anonymousCaller('r'), subject, clientId: 'c' },
      body: {},
      req: { ip: '127.0.0.1' } as GuardRequest,
      log,
    });
    await guard(as('b')); // fills the cabinet
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 2; i++) await expect(Promise.resolve(guard(as('a')))).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED', limit: 'cabinet' } });
    await new Promise((r) => setTimeout(r, 1100));
    // The cabinet's window is over, A's is not: A is admitted only if the refused requests cost A nothing.
    await expect(Promise.resolve(guard(as('a')))).resolves.toMatchObject({ subject: 'a' });
  });
});

describe('anonymous client address key', () => {
  it('is the IPv4 address, and the /64 of an IPv6 one', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:aa:bb:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(clientAddressKey('2001:0db8:00aa:00bb::9')).toBe('2001:db8:aa:bb::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey(undefined)).toBe('unknown');
  });
});

/** The whole system as production runs it (JWKS tokens, grants, lists, Redis when TEST_REDIS_URL). */
describe('rate limit in production mode', () => {
  let sys: RunningSystem;
  beforeAll(async () => {
    sys = await startSystem({ production: true, edge: { rateLimit: { points: 3, cabinetPoints: 1000, durationSeconds: 60 } } });
  });
  afterAll(() => sys?.stop());

  it('one patient of the state cabinet exhausting their allowance does not lock out another', async () => {
    const greedy = await sys.token('patient');
    const other = await sys.token('other');
    for (let i = 0; i < 3; i++) {
      const r = await sys.persisted('state', 'CabinetHome', {}, greedy);
      expect(r.status).toBe(200);
      expect(r.data).toBeTruthy();
    }
    const refused = await sys.persisted('state', 'CabinetHome', {}, greedy);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'person' });
    const served = await sys.persisted('state', 'CabinetHome', {}, other);
    expect(served.status).toBe(200);
    expect(served.errors).toBeUndefined();
    expect(served.data).toMatchObject({ me: { id: DEMO_PERSONAS.other.id } });
  });
});
