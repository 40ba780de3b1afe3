import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { loadDevIssuer } from '@pc/gateway/src/auth/devIssuer';
import { developmentTokens, startWebServer, type RunningWebServer } from '../src/webServer';

describe("the web app's server", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-web-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has no development token source in production', async () => {
    expect(
      await developmentTokens({ NODE_ENV: 'production', JWKS_URL: 'https://id.example/jwks.json', INTERNAL_TOKEN_SECRET: 'x'.repeat(64) }, dir),
    ).toBeUndefined();
    expect(await developmentTokens({ NODE_ENV: 'development', DEV_ISSUER: 'false', JWKS_URL: 'https://id.example/jwks.json' }, dir)).toBeUndefined();
  });

  it("in development mints state-cabinet tokens for demo patients with the gateway's development key, and nothing for others", async () => {
    const mint = (await developmentTokens({ NODE_ENV: 'development' }, dir))!;
    const token = (await mint('patient'))!;
    const issuer = await loadDevIssuer(dir, 'pc-dev-issuer', 'patient-cabinet');
    const { payload } = await jwtVerify(token, issuer.publicKey, { issuer: 'pc-dev-issuer', audience: 'patient-cabinet' });
    expect(payload).toMatchObject({ sub: DEMO_PERSONAS.patient.id, client_id: DEMO_CABINETS.state.id, roles: ['PATIENT'] });
    expect(await mint('doctor')).toBeUndefined();
    expect(await mint('nobody')).toBeUndefined();
    expect(await mint('__proto__')).toBeUndefined();
  });

  describe('HTTP', () => {
    let web: RunningWebServer;
    afterEach(() => web?.close());

    it('serves the built app, every screen path as index.html, and /dev/token only with a token source', async () => {
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
      writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
      web = await startWebServer({ distDir: dir, gatewayUrl: 'http://127.0.0.1:9/graphql' }, 0);
      expect(await (await fetch(web.url)).text()).toContain('<div id="root">');
      expect(await (await fetch(new URL('/access-log', web.url))).text()).toContain('<div id="root">');
      const asset = await fetch(new URL('/assets/app.js', web.url));
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(new URL('/assets/missing.js', web.url))).status).toBe(404);
      expect((await fetch(new URL('/dev/token?persona=patient', web.url))).status).toBe(404);
      // The gateway is not there: a GraphQL error, not a hang.
      const down = await fetch(new URL('/graphql', web.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(down.status).toBe(502);
      await web.close();

      web = await startWebServer({ distDir: dir, gatewayUrl: 'http://127.0.0.1:9/graphql', devToken: async (p) => (p === 'patient' ? 'a.b.c' : undefined) }, 0);
      expect(await (await fetch(new URL('/dev/token?persona=patient', web.url))).json()).toEqual({ token: 'a.b.c' });
      expect((await fetch(new URL('/dev/token?persona=doctor', web.url))).status).toBe(404);
    });

    it('says the app is not built yet instead of failing', async () => {
      web = await startWebServer({ distDir: join(dir, 'missing'), gatewayUrl: 'http://127.0.0.1:9/graphql' }, 0);
      const res = await fetch(web.url);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:web');
    });
  });
});
