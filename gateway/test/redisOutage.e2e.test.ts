import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { ApqCache } from '../src/edge/apqCache';
import { connectRedis, type RedisConnection } from '../src/edge/redisConnection';
import { tcpProxy } from './support/tcpProxy';

const redisUrl = process.env.TEST_REDIS_URL;

/**
 * A TCP proxy between the gateway and the shared test Redis, so a test can cut Redis off for
 * this gateway alone (other test files keep using the server) and bring it back on the same port.
 */
async function startRedisProxy(target: string) {
  const proxy = await tcpProxy();
  proxy.forwardTo(`redis://${new URL(target).hostname}:${new URL(target).port || 6379}`);
  return { ...proxy, url: `redis://127.0.0.1:${proxy.port}` };
}

const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

(redisUrl ? describe : describe.skip)('Redis outage (production mode, Redis behind a proxy that is cut)', () => {
  let sys: RunningSystem;
  let proxy: Awaited<ReturnType<typeof startRedisProxy>>;
  let direct: Redis;
  const keyPrefix = `test-outage-${randomUUID()}`;
  // rate-limiter-flexible's key of the patient's counter in the state cabinet.
  const personKey = `${keyPrefix}:p:${DEMO_CABINETS.state.id}:${DEMO_PERSONAS.patient.id}`;

  beforeAll(async () => {
    proxy = await startRedisProxy(redisUrl!);
    direct = new Redis(redisUrl!);
    sys = await startSystem({ production: true, edge: { redisUrl: proxy.url, rateLimit: { points: 600, durationSeconds: 60, keyPrefix } } });
    await until('redis ready', async () => (await readyz()).body.status === 'ready');
  });
  afterAll(async () => {
    await sys?.stop();
    await proxy?.close();
    direct?.disconnect();
  });

  const readyz = async () => {
    const res = await fetch(new URL('/readyz', sys.gatewayUrl));
    return { status: res.status, body: (await res.json()) as { status: string; degraded?: string[] } };
  };
  const metric = async (line: RegExp) => {
    const text = await (await fetch(sys.metricsUrl!)).text();
    const m = text.split('\n').find((l) => line.test(l));
    return m ? Number(m.split(' ').pop()) : NaN;
  };
  const fallbacks = () => metric(/^gateway_redis_fallbacks_total\{use="rate_limit"/);
  const degradedGauge = () => metric(/^gateway_dependency_degraded\{dependency="redis"/);
  const cabinetHome = async (token: string) => {
    const started = performance.now();
    const r = await sys.persisted<{ me: { id: string } }>('state', 'CabinetHome', {}, token);
    return { ...r, ms: performance.now() - started };
  };

  it('serves every request quickly from memory while Redis is down, reports it, and uses Redis again when it is back', async () => {
    const token = await sys.token('patient');
    // Up: counted in Redis.
    const before = await cabinetHome(token);
    expect(before.status).toBe(200);
    expect(Number(await direct.get(personKey))).toBeGreaterThanOrEqual(1);
    expect(await degradedGauge()).toBe(0);
    const fallbacksBefore = await fallbacks();

    await proxy.cut();
    const during: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await cabinetHome(token);
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
      expect(r.data?.me.id).toBe(DEMO_PERSONAS.patient.id);
      during.push(r.ms);
    }
    // Before the fix a request waited ~2 s on the dead Redis and then got an HTML 500.
    expect(Math.max(...during)).toBeLessThan(1000);
    process.stdout.write(`CabinetHome while Redis is cut: ${during.map((ms) => ms.toFixed(0)).join(', ')} ms (before: ${before.ms.toFixed(0)} ms)\n`);
    expect(await fallbacks()).toBeGreaterThanOrEqual(fallbacksBefore + 10);
    expect(await degradedGauge()).toBe(1);
    // Still ready (the instance serves), and says what is degraded.
    expect(await readyz()).toEqual({ status: 200, body: { status: 'degraded', degraded: ['redis'] } });

    await proxy.restore();
    await until('redis back', async () => (await readyz()).body.status === 'ready');
    const counted = Number(await direct.get(personKey));
    const fallbacksAfter = await fallbacks();
    expect((await cabinetHome(token)).status).toBe(200);
    expect(Number(await direct.get(personKey))).toBe(counted + 1);
    expect(await fallbacks()).toBe(fallbacksAfter);
    expect(await degradedGauge()).toBe(0);
  });

  it('does not wait on a Redis that accepts connections but never answers', async () => {
    const token = await sys.token('patient');
    proxy.freeze();
    try {
      const during: number[] = [];
      for (let i = 0; i < 10; i++) {
        const r = await cabinetHome(token);
        expect(r.status).toBe(200);
        expect(r.data?.me.id).toBe(DEMO_PERSONAS.patient.id);
        during.push(r.ms);
      }
      // One 250 ms command timeout opens the breaker; the requests after it skip Redis.
      process.stdout.write(`CabinetHome while Redis does not answer: ${during.map((ms) => ms.toFixed(0)).join(', ')} ms\n`);
      expect(Math.max(...during)).toBeLessThan(1000);
      expect((await readyz()).body).toEqual({ status: 'degraded', degraded: ['redis'] });
    } finally {
      proxy.thaw();
    }
    await until('redis answering again', async () => (await readyz()).body.status === 'ready');
    const counted = Number(await direct.get(personKey));
    expect((await cabinetHome(token)).status).toBe(200);
    expect(Number(await direct.get(personKey))).toBe(counted + 1);
  });
});

(redisUrl ? describe : describe.skip)('APQ cache during a Redis outage', () => {
  let proxy: Awaited<ReturnType<typeof startRedisProxy>>;
  let conn: RedisConnection;
  let direct: Redis;
  beforeAll(async () => {
    proxy = await startRedisProxy(redisUrl!);
    conn = connectRedis(proxy.url);
    direct = new Redis(redisUrl!);
    await until('redis ready', () => conn.usable());
  });
  afterAll(async () => {
    await conn?.close();
    await proxy?.close();
    direct?.disconnect();
  });

  it('falls back to memory without errors or waiting, and writes to Redis again when it is back', async () => {
    const prefix = `test-apq-${randomUUID()}:`;
    const shared = new ApqCache(conn, prefix);
    await shared.set('a', 'query A', { ttl: 60 });
    expect(await direct.get(`${prefix}a`)).toBe('query A');
    // Another instance (empty memory) finds it in Redis.
    expect(await new ApqCache(conn, prefix).get('a')).toBe('query A');

    await proxy.cut();
    await until('redis down', () => !conn.usable());
    const started = performance.now();
    const alone = new ApqCache(conn, prefix);
    expect(await alone.get('a')).toBeUndefined(); // not in this instance's memory: the client re-sends the text
    await alone.set('b', 'query B', { ttl: 60 });
    expect(await alone.get('b')).toBe('query B');
    expect(await shared.get('a')).toBe('query A');
    expect(performance.now() - started).toBeLessThan(100);

    await proxy.restore();
    await until('redis back', () => conn.usable());
    await alone.set('c', 'query C', { ttl: 60 });
    expect(await direct.get(`${prefix}c`)).toBe('query C');
    await direct.del(`${prefix}a`, `${prefix}c`);
  });
});
