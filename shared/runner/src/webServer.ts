/**
 * Serves the state cabinet's web app (web/dist, built by `npm run build:web`) beside the gateway:
 * the built files, `/graphql` forwarded to the gateway (one origin, so the browser needs no CORS),
 * and — only when a token source is given, i.e. never in production — the persona picker's
 * development token endpoint `GET /dev/token?persona=<demo persona>`.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { DEMO_CABINETS, DEMO_PERSONAS, demoScopes, type DemoPersona } from '@pc/demo';
import { loadDevIssuer } from '@pc/gateway/src/auth/devIssuer';
import { loadGatewayConfig } from '@pc/gateway/src/config';

/** Settings of {@link startWebServer}. */
export interface WebServerOptions {
  /** The built app (index.html and assets/). */
  distDir: string;
  /** The gateway's GraphQL URL, e.g. http://127.0.0.1:4000/graphql. */
  gatewayUrl: string;
  /**
   * Development only: mints a state-cabinet token for a demo persona (undefined: unknown persona).
   * Without it there is no /dev/token route at all (production signs in through the identity provider).
   */
  devToken?: (persona: string) => Promise<string | undefined>;
  /**
   * Production sign-in: OpenID Connect authorization code + PKCE against this issuer (the app
   * reads it from /config.json). `scope` defaults to the patient scopes the cabinet asks for.
   */
  signIn?: { authority: string; clientId: string; scope?: string };
}

/** A listening web server. */
export interface RunningWebServer {
  url: string;
  close(): Promise<void>;
}

const FORWARDED_HEADERS = ['authorization', 'content-type', 'accept', 'apollographql-client-name', 'apollographql-client-version', 'x-request-id'];

/** The Express app of {@link startWebServer}. */
export function createWebApp(opts: WebServerOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.post('/graphql', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const headers: Record<string, string> = {};
    for (const h of FORWARDED_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    try {
      const upstream = await fetch(opts.gatewayUrl, { method: 'POST', headers, body: new Uint8Array(req.body as Buffer) });
      res.status(upstream.status);
      const type = upstream.headers.get('content-type');
      if (type) res.setHeader('content-type', type);
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.status(502).json({ errors: [{ message: 'the gateway did not answer', extensions: { code: 'BAD_GATEWAY' } }] });
    }
  });
  // What the app signs in with: the persona picker (development) or the identity provider.
  const clientConfig = opts.devToken ? { devSignIn: true } : opts.signIn ? { oidc: opts.signIn } : {};
  app.get('/config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.json(clientConfig);
  });
  if (opts.devToken) {
    const devToken = opts.devToken;
    app.get('/dev/token', async (req, res) => {
      const persona = typeof req.query.persona === 'string' ? req.query.persona : '';
      const token = await devToken(persona);
      if (!token) return void res.status(404).json({ error: `unknown demo persona "${persona}"` });
      res.setHeader('cache-control', 'no-store');
      res.json({ token });
    });
  }
  // Without a token source (production) there is nothing under /dev.
  app.use('/dev', (_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use('/assets', express.static(join(opts.distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(opts.distDir, { index: false }));
  // Every other path is a screen of the single-page app.
  app.get(/.*/, (_req, res) => {
    const index = join(opts.distDir, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('html')
        .send('<!doctype html><title>Web app not built</title><p>The web app is not built yet: run <code>npm run build:web</code>.</p>');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return app;
}

/** Starts the web server on `port` (0: a free one). */
export function startWebServer(opts: WebServerOptions, port: number, host = '127.0.0.1'): Promise<RunningWebServer> {
  const server = http.createServer(createWebApp(opts));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${bound}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * The persona picker's token source for `npm start`: state-cabinet tokens for the demo patients,
 * signed by the gateway's development issuer (its key pair in `dataDir`, shared with the gateway
 * and `npm run token`). Undefined when the development issuer is off (DEV_ISSUER=false, or
 * NODE_ENV=production, where the gateway's config refuses it): production has no /dev/token.
 * Awaiting it creates the key pair, so call it before the gateway starts.
 */
export async function developmentTokens(env: Record<string, string | undefined>, dataDir: string): Promise<WebServerOptions['devToken']> {
  const config = loadGatewayConfig({ ...env, DATA_DIR: dataDir });
  if (!config.DEV_ISSUER) return undefined;
  const issuer = await loadDevIssuer(dataDir, config.JWT_ISSUER, config.JWT_AUDIENCE);
  return async (persona) => {
    const p = Object.hasOwn(DEMO_PERSONAS, persona) ? DEMO_PERSONAS[persona as DemoPersona] : undefined;
    if (!p || p.role !== 'PATIENT') return undefined;
    return issuer.mint({ sub: p.id, roles: [p.role], scopes: demoScopes(p.role), clientId: DEMO_CABINETS.state.id });
  };
}
