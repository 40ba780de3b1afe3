import { DEMO_PERSONAS } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';

const ME = '{ me { id firstName lastName birthDate } }';
const codes = (r: { errors?: { extensions?: { code?: string } }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('gateway authentication (whole supergraph over HTTP)', () => {
  let sys: RunningSystem;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(() => sys?.stop());

  it('serves `me` to a patient with a valid token', async () => {
    const r = await sys.query<{ me: { id: string; firstName: string } }>(ME, {}, await sys.token('patient'));
    expect(r.errors).toBeUndefined();
    expect(r.data?.me).toMatchObject({ id: DEMO_PERSONAS.patient.id, firstName: 'Олена', birthDate: '1985-04-12' });
  });

  it('returns null and UNAUTHENTICATED without a token (`me` is @authenticated; the gateway removes it before planning)', async () => {
    const r = await sys.query(ME);
    expect(r.data?.me ?? null).toBeNull();
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    [
      'a forged signature',
      async () => {
        const t = await sys.token('patient');
        const [h, p, s] = t.split('.');
        return `${h}.${p}.${s.split('').reverse().join('')}`;
      },
    ],
    ['an expired token', () => sys.issuer.mint({ sub: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: ['person:read'], clientId: 'x', ttlSeconds: -60 })],
    ['a wrong audience', () => sys.token({ audience: 'some-other-api' })],
    ['a wrong issuer', () => sys.token({ issuer: 'https://evil.example' })],
    [
      'a token signed by another key',
      async () => {
        const { createDevIssuer } = await import('../src/lib');
        const other = await createDevIssuer(sys.issuer.issuer, sys.issuer.audience);
        return other.mint({ sub: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: ['person:read'], clientId: 'x' });
      },
    ],
    ['a token without a known role', () => sys.token({ roles: ['ADMIN'] })],
  ])('refuses %s with UNAUTHENTICATED and no data', async (_name, make) => {
    const r = await sys.query(ME, {}, await make());
    expect(r.data?.me ?? null).toBeNull();
    expect(codes(r)).toContain('UNAUTHENTICATED');
  });

  it('refuses a malformed Authorization header', async () => {
    const r = await sys.query(ME, {}, undefined, { authorization: 'Basic abc' });
    expect(codes(r)).toContain('UNAUTHENTICATED');
  });

  it('refuses `me` to a token without person:read (Person is @requiresScopes person:read)', async () => {
    const r = await sys.query(ME, {}, await sys.token({ scopes: ['declaration:read'] }));
    expect(r.data?.me ?? null).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN']);
  });

  it('gives no data to a call that skips the gateway, even with a valid user token', async () => {
    const token = await sys.token('patient');
    const res = await fetch(sys.subgraphs.identity.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id firstName } }' }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(res.status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
  });

  it('serves health, readiness and metrics', async () => {
    const base = sys.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('graphql_requests_total');
    expect((await fetch(sys.subgraphs.identity.url.replace(/\/graphql$/, '/readyz'))).status).toBe(200);
  });
});
