import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLER_TOKEN_HEADER, REQUEST_ID_HEADER, subgraphAudience } from '@pc/auth';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { decodeJwt } from 'jose';
import { createTokenVerifier, type TokenVerifier, type VerifiedTokenCacheStats } from '../src/auth/verifyUserToken';
import { startSystem, type RunningSystem } from '@pc/e2e';

/** What a subgraph received from the gateway. */
interface Seen {
  subgraph: string;
  requestId: string | undefined;
  callerToken: string | undefined;
}

/** An HTTP proxy in front of one subgraph that records the gateway's headers. */
async function recordingProxy(subgraph: string, seen: Seen[]): Promise<{ url: string; target: { url: string }; close(): Promise<void> }> {
  const target = { url: '' };
  const server = http.createServer((req, res) => {
    const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);
    seen.push({ subgraph, requestId: one(req.headers[REQUEST_ID_HEADER]), callerToken: one(req.headers[CALLER_TOKEN_HEADER]) });
    const headers = { ...req.headers };
    delete headers.host;
    const out = http.request(target.url, { method: req.method, headers }, (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    target,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Home = { me: { id: string; firstName: string; accessGrants: { id: string; cabinet: { id: string } }[] } };

/**
 * The gateway's auth caches in production mode over the whole supergraph: the bearer token's
 * signature is checked once, the caller tokens are reused, and still every subgraph gets each
 * request's own id, every caller its own caller token, and a revoked grant refuses a cached token.
 */
describe('auth caches (production mode, whole supergraph)', () => {
  const SUBGRAPHS = ['identity', 'declarations', 'directory', 'access'];
  let sys: RunningSystem;
  let verifier: TokenVerifier & { cache?: VerifiedTokenCacheStats };
  const seen: Seen[] = [];
  let proxies: Awaited<ReturnType<typeof recordingProxy>>[] = [];

  beforeAll(async () => {
    proxies = await Promise.all(SUBGRAPHS.map((name) => recordingProxy(name, seen)));
    sys = await startSystem({
      production: true,
      // Every subgraph behind its recording proxy; the gateway's verifier is this test's (same
      // JWKS, default cache), made once the system's identity provider is up.
      gateway: {
        subgraphUrls: Object.fromEntries(SUBGRAPHS.map((name, i) => [name, proxies[i].url])),
        verifyToken: (token) => verifier(token),
      },
    });
    SUBGRAPHS.forEach((name, i) => (proxies[i].target.url = sys.subgraphs[name].url));
    verifier = createTokenVerifier({ issuer: sys.issuer.issuer, audience: sys.issuer.audience, jwksUrl: sys.jwksUrl });
  });
  afterAll(async () => {
    await sys?.stop();
    await Promise.all(proxies.map((p) => p.close()));
  });

  const home = (token: string, requestId: string) => sys.persisted<Home>('state', 'CabinetHome', {}, token, { [REQUEST_ID_HEADER]: requestId });
  const tokensOf = (requestId: string) => new Map(seen.filter((s) => s.requestId === requestId).map((s) => [s.subgraph, s.callerToken]));

  it('checks a token once, reuses the caller tokens, and sends each request its own request id', async () => {
    const token = await sys.token('patient');
    const before = { ...verifier.cache! };
    const r1 = await home(token, 'auth-cache-req-1');
    const r2 = await home(token, 'auth-cache-req-2');
    for (const r of [r1, r2]) {
      expect(r.errors).toBeUndefined();
      expect(r.data?.me.id).toBe(DEMO_PERSONAS.patient.id);
    }
    // One signature check, then the cache.
    expect(verifier.cache!.misses - before.misses).toBe(1);
    expect(verifier.cache!.hits - before.hits).toBe(1);

    // Every fetch of the plan carried its own request's id, none without one.
    expect(seen.every((s) => s.requestId && s.callerToken)).toBe(true);
    const first = tokensOf('auth-cache-req-1');
    const second = tokensOf('auth-cache-req-2');
    expect([...first.keys()].sort()).toEqual([...SUBGRAPHS].sort());
    // The same caller token per subgraph in both requests; one per subgraph, signed for it, no request id inside.
    expect(second).toEqual(first);
    expect(new Set(first.values()).size).toBe(SUBGRAPHS.length);
    for (const [subgraph, t] of first) {
      const claims = decodeJwt(t!);
      expect(claims.aud).toBe(subgraphAudience(subgraph));
      expect(claims.sub).toBe(DEMO_PERSONAS.patient.id);
      expect(claims).not.toHaveProperty('rid');
    }
  });

  it('subgraphs record the request id of each request, not the one of the request that signed the token', async () => {
    const token = await sys.token('patient');
    const version = async () => (await sys.persisted<{ me: { version: number } }>('state', 'PersonalData', {}, token)).data!.me.version;
    const ids = ['auth-cache-change-1', 'auth-cache-change-2'];
    for (const requestId of ids) {
      const input = { expectedVersion: await version(), email: `${requestId}@example.com` };
      const r = await sys.persisted<{ updateContacts: { userErrors: unknown[] } }>('state', 'UpdateContacts', { input }, token, {
        [REQUEST_ID_HEADER]: requestId,
      });
      expect(r.errors).toBeUndefined();
      expect(r.data?.updateContacts.userErrors).toEqual([]);
    }
    // Both changes went with the same caller token to identity…
    expect(tokensOf(ids[0]).get('identity')).toBe(tokensOf(ids[1]).get('identity'));
    // …and identity's change history holds each request's own id.
    const rows = (await sys.subgraphs.identity.dataSource.query(
      `SELECT request_id FROM identity.person_change WHERE person_id = $1 AND request_id = ANY($2::text[]) ORDER BY id`,
      [DEMO_PERSONAS.patient.id, ids],
    )) as { request_id: string }[];
    expect(rows.map((r) => r.request_id)).toEqual(ids);
  });

  it('never gives two callers, or one person with other scopes, the same caller token', async () => {
    const patient = await sys.token('patient');
    const narrower = await sys.token({ scopes: ['person:read', 'access:read', 'declaration:read'] });
    const other = await sys.token('other');
    const runs = [
      [patient, 'auth-cache-who-1'],
      [narrower, 'auth-cache-who-2'],
      [other, 'auth-cache-who-3'],
    ] as const;
    for (const [t, id] of runs) expect((await home(t, id)).errors).toBeUndefined();
    const identityTokens = runs.map(([, id]) => tokensOf(id).get('identity')!);
    expect(new Set(identityTokens).size).toBe(3);
    expect(decodeJwt(identityTokens[1]).scope).toBe('person:read access:read declaration:read');
    expect(decodeJwt(identityTokens[2]).sub).toBe(DEMO_PERSONAS.other.id);
  });

  it('refuses a cached token as soon as its grant is revoked (the grant check runs on every request)', async () => {
    const { zdorovia } = DEMO_CABINETS;
    const partner = await sys.token({ clientId: zdorovia.id, scopes: ['person:read'] });
    const profile = () => sys.persisted<{ me: { id: string } }>('zdorovia', 'PartnerProfile', {}, partner);
    expect((await profile()).data?.me.id).toBe(DEMO_PERSONAS.patient.id);
    expect((await profile()).data?.me.id).toBe(DEMO_PERSONAS.patient.id);

    const state = await sys.token('patient');
    const grants = await sys.persisted<Home>('state', 'AccessGrants', {}, state);
    const grant = grants.data!.me.accessGrants.find((g) => g.cabinet.id === zdorovia.id)!;
    const revoked = await sys.persisted<{ revokeAccessGrant: { userErrors: unknown[] } }>('state', 'RevokeAccessGrant', { input: { id: grant.id } }, state);
    expect(revoked.data?.revokeAccessGrant.userErrors).toEqual([]);

    const hits = verifier.cache!.hits;
    const refused = await profile();
    expect(verifier.cache!.hits).toBe(hits + 1); // the token came from the cache…
    expect(refused.data?.me ?? null).toBeNull(); // …and was refused all the same
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
