import { startSystem, type RunningSystem } from '@pc/e2e';
import { buildGateway, loadGatewayConfig } from '../src/lib';

/**
 * One composition root: the process (index.ts), the whole-system harness and the benches build
 * the gateway with buildGateway from a config parsed by loadGatewayConfig, so a setting given to
 * the harness takes the process's path — its parser, its defaults, its wiring.
 */
describe('buildGateway: the gateway of the process, the tests and the benches', () => {
  let sys: RunningSystem | undefined;
  afterEach(async () => {
    await sys?.stop();
    sys = undefined;
  });

  it('a gateway setting given by name reaches the edge through the config parser (MAX_DEPTH)', async () => {
    sys = await startSystem({ only: ['directory'], gatewaySettings: { MAX_DEPTH: 3 } });
    const shallow = '{ searchDoctors(filter: {}, first: 1) { totalCount } }';
    const deep = '{ searchDoctors(filter: {}, first: 1) { edges { node { legalEntity { id } } } } }';
    expect((await sys.query(shallow)).errors).toBeUndefined();
    expect((await sys.query(deep)).errors?.[0].extensions?.code).toBe('DEPTH_LIMIT_EXCEEDED');
  });

  it('a malformed setting is refused by the parser, with its name, before anything starts listening', async () => {
    await expect(startSystem({ only: ['directory'], gatewaySettings: { MAX_DEPTH: 'deep' } })).rejects.toThrow(/MAX_DEPTH/);
  });

  it('refuses grant checks without the database that holds the grants', async () => {
    const config = loadGatewayConfig({ NODE_ENV: 'test', DEV_ISSUER: 'false', JWKS_URL: 'http://127.0.0.1:9/jwks', ACCESS_GUARD: 'true', DATABASE_URL: '' });
    await expect(buildGateway(config)).rejects.toThrow(/DATABASE_URL is required/);
  });
});
