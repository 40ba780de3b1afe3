import { startSystem, type RunningSystem } from '@pc/e2e';

/** The production-mode harness itself: JWKS-verified tokens, lists enforced, production errors. */
describe('startSystem({ production: true })', () => {
  let sys: RunningSystem;
  beforeAll(async () => {
    sys = await startSystem({ production: true });
  });
  afterAll(() => sys?.stop());

  it('verifies tokens through the JWKS URL and runs a listed operation by id', async () => {
    expect(sys.jwksUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const token = await sys.token('patient');
    const r = await sys.persisted('state', 'CabinetHome', {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data).toMatchObject({ me: { firstName: 'Олена' } });
  });

  it('refuses a token signed by another key', async () => {
    const { createDevIssuer } = await import('../src/lib');
    const foreign = await createDevIssuer(sys.issuer.issuer, sys.issuer.audience);
    const token = await foreign.mint({ sub: 'x', roles: ['PATIENT'], scopes: [], clientId: 'y' });
    const r = await sys.persisted('state', 'CabinetHome', {}, token);
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a 12 kB request id is replaced by a fresh one and the screen still loads (the fuzz suite once saw it break every subgraph call)', async () => {
    const token = await sys.token('patient');
    const r = await sys.persisted('state', 'CabinetHome', {}, token, { 'x-request-id': 'x'.repeat(12000) });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data).toMatchObject({ me: { firstName: 'Олена' } });
  });

  it('holds the state cabinet to its list', async () => {
    const token = await sys.token('patient');
    const r = await sys.query('{ me { id } }', {}, token);
    expect(r.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});
