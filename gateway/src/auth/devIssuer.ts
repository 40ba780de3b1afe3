import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

const ALG = 'ES256';

/** The development identity provider: a key pair that signs tokens like the real one would. */
export interface DevIssuer {
  issuer: string;
  audience: string;
  publicKey: KeyLike;
  /** The public key as a JSON Web Key Set, as an identity provider serves it (production-mode tests). */
  jwks: { keys: JWK[] };
  /** Mints an end-user token with the claims of api.md. */
  mint(claims: MintOptions): Promise<string>;
}

/** Claims of a development token. */
export interface MintOptions {
  sub: string;
  roles: string[];
  scopes: string[];
  clientId: string;
  /** Lifetime in seconds; default 3600. */
  ttlSeconds?: number;
  /** Override `aud` (tests of wrong-audience tokens). */
  audience?: string;
  /** Override `iss`. */
  issuer?: string;
}

interface StoredKeys {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function fromKeys(stored: StoredKeys, issuer: string, audience: string): Promise<DevIssuer> {
  const privateKey = (await importJWK(stored.privateJwk, ALG)) as KeyLike;
  const publicKey = (await importJWK(stored.publicJwk, ALG)) as KeyLike;
  return {
    issuer,
    audience,
    publicKey,
    jwks: { keys: [{ ...stored.publicJwk, kid: stored.kid, alg: ALG, use: 'sig' }] },
    mint: (o) =>
      new SignJWT({ client_id: o.clientId, scope: o.scopes.join(' '), roles: o.roles })
        .setProtectedHeader({ alg: ALG, kid: stored.kid })
        .setIssuer(o.issuer ?? issuer)
        .setAudience(o.audience ?? audience)
        .setSubject(o.sub)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (o.ttlSeconds ?? 3600))
        .sign(privateKey),
  };
}

async function newKeys(): Promise<StoredKeys> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  return { kid: randomUUID(), privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

/** A development issuer with a fresh in-memory key pair (tests). */
export async function createDevIssuer(issuer: string, audience: string): Promise<DevIssuer> {
  return fromKeys(await newKeys(), issuer, audience);
}

/**
 * The development issuer whose key pair lives in `<dataDir>/dev-issuer.json`, created on first
 * use. The gateway and `npm run token` both call this, so tokens printed by the CLI verify in
 * the running gateway. No private key is committed to the repository.
 */
export async function loadDevIssuer(dataDir: string, issuer: string, audience: string): Promise<DevIssuer> {
  const file = join(dataDir, 'dev-issuer.json');
  let stored: StoredKeys;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
  } catch {
    const fresh = await newKeys();
    mkdirSync(dirname(file), { recursive: true });
    try {
      // 'wx': if another process created it meanwhile, use theirs, so both sides agree.
      writeFileSync(file, JSON.stringify(fresh), { flag: 'wx', mode: 0o600 });
      stored = fresh;
    } catch {
      stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
    }
  }
  return fromKeys(stored, issuer, audience);
}
