import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';

/** Claims of a bench token (api.md "Tokens and scopes"). */
export interface BenchClaims {
  sub: string;
  roles: ('PATIENT' | 'DOCTOR')[];
  scopes: readonly string[];
  /** The cabinet (OAuth client); doctors' tools send none. */
  clientId?: string;
}

/**
 * The bench's identity provider: an ES256 key pair made per run, its JWKS served on 127.0.0.1
 * (the gateway's production mode accepts only a JWKS, never the development issuer), and a
 * minting function. Nothing of it is written to disk.
 */
export interface BenchIssuer {
  issuer: string;
  audience: string;
  jwksUrl: string;
  mint(claims: BenchClaims, ttlSeconds?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Creates the key pair and serves `/.well-known/jwks.json` on `port` (0: any free port). */
export async function startBenchIssuer(port: number, audience = 'patient-cabinet'): Promise<BenchIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  const server = http.createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' }).end(jwks);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${bound}/`;
  return {
    issuer,
    audience,
    jwksUrl: `http://127.0.0.1:${bound}/.well-known/jwks.json`,
    mint: (c, ttlSeconds = 4 * 3600) =>
      new SignJWT({ roles: c.roles, scope: c.scopes.join(' '), ...(c.clientId ? { client_id: c.clientId } : {}) })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(c.sub)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey as KeyLike),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
