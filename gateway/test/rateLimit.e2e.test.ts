import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DEV_INTERNAL_TOKEN_SECRET } from '@pc/config';
import { DEMO_CABINETS } from '@pc/demo';
import { createLogger } from '@pc/logging';
import { repoRoot } from '@pc/schema';
import { createGatewayServer, createTokenVerifier, startSystem, type GatewayServer, type RunningSystem } from '../src/lib';
import { rateLimitGuard } from '../src/edge/rateLimitGuard';

const redisUrl = process.env.TEST_REDIS_URL;

const backends: [string, string | undefined][] = [['in memory', undefined]];
if (redisUrl) backends.push(['in Redis', redisUrl]);

describe.each(backends)('per-cabinet rate limit (%s)', (_name, redis) => {
  let sys: RunningSystem;
  let gw: GatewayServer;
  let url: string;
  let client: Redis | undefined;

  beforeAll(async () => {
    sys = await startSystem({ only: ['identity'] });
    client = redis ? new Redis(redis) : undefined;
    gw = createGatewayServer({
      supergraphSdl: readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'),
      subgraphUrls: { identity: sys.subgraphs.identity.url },
      verifyToken: createTokenVerifier({ issuer: sys.issuer.issuer, audience: sys.issuer.audience, publicKey: sys.issuer.publicKey }),
      internalTokenSecret: DEV_INTERNAL_TOKEN_SECRET,
      log: createLogger({ service: 'gateway', level: 'silent' }),
      nodeEnv: 'test',
      guards: [rateLimitGuard({ points: 3, durationSeconds: 1, redis: client, keyPrefix: `test-${Date.now()}` })],
    });
    url = (await gw.listen(0)).url;
  });
  afterAll(async () => {
    await gw?.stop();
    client?.disconnect();
    await sys?.stop();
  });

  const call = async (token: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { id } }' }) });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { errors?: { extensions?: { code?: string } }[] } };
  };

  it('trips after the allowance, spares other cabinets, and recovers after the window', async () => {
    const state = await sys.token('patient');
    const partner = await sys.token({ clientId: DEMO_CABINETS.medcard.id });
    for (let i = 0; i < 3; i++) expect((await call(state)).status).toBe(200);
    const limited = await call(state);
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await call(partner)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(state)).status).toBe(200);
  });
});
