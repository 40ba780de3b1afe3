import { DEFAULT_NOTIFY_TTL_MS } from '../src/access/GrantCache';
import { loadGatewayConfig, metricsPortOf, parseTrustProxy } from '../src/config';

describe('edge settings', () => {
  const env = { JWKS_URL: 'https://id.example/jwks', DEV_ISSUER: 'false' };

  it('TRUST_PROXY: off by default, else true, a hop count or an address list for Express', () => {
    expect(parseTrustProxy(loadGatewayConfig(env).TRUST_PROXY)).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
    expect(parseTrustProxy(loadGatewayConfig({ ...env, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY)).toBe('loopback, 10.0.0.0/8');
    expect(() => loadGatewayConfig({ ...env, TRUST_PROXY: 'the load balancer' })).toThrow(/TRUST_PROXY/);
  });

  it('METRICS_PORT: 9464 in production, the public port otherwise, never the public port in production', () => {
    const secret = { INTERNAL_TOKEN_SECRET: 's'.repeat(40) };
    expect(metricsPortOf(loadGatewayConfig({ ...env, ...secret, NODE_ENV: 'production' }))).toBe(9464);
    expect(metricsPortOf(loadGatewayConfig({ ...env, NODE_ENV: 'development' }))).toBeUndefined();
    expect(metricsPortOf(loadGatewayConfig({ ...env, METRICS_PORT: '9100' }))).toBe(9100);
    expect(() => loadGatewayConfig({ ...env, ...secret, NODE_ENV: 'production', PORT: '4000', METRICS_PORT: '4000' })).toThrow(/METRICS_PORT/);
    expect(() => loadGatewayConfig({ ...env, METRICS_PORT: 'internal' })).toThrow(/METRICS_PORT/);
  });

  it('ACCESS_CACHE_TTL_MS: grant checks and representation lists live 2 minutes while changes are notified, 500 ms otherwise', () => {
    const c = loadGatewayConfig(env);
    expect({ notify: c.ACCESS_CACHE_TTL_MS, fallback: c.ACCESS_CACHE_FALLBACK_TTL_MS }).toEqual({ notify: 120_000, fallback: 500 });
    expect(DEFAULT_NOTIFY_TTL_MS).toBe(c.ACCESS_CACHE_TTL_MS);
  });

  it('RATE_LIMIT_CABINET_POINTS: a much higher cabinet-wide ceiling by default', () => {
    const c = loadGatewayConfig(env);
    expect({ person: c.RATE_LIMIT_POINTS, cabinet: c.RATE_LIMIT_CABINET_POINTS }).toEqual({ person: 600, cabinet: 60_000 });
  });
});
