import { SignJWT, generateKeyPair, type KeyLike } from 'jose';
import { InvalidTokenError, createTokenVerifier, type TokenVerifier } from '../src/auth/verifyUserToken';

/** Token checks jose leaves to the caller. */
describe('createTokenVerifier', () => {
  let privateKey: KeyLike;
  let verify: TokenVerifier;
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    verify = createTokenVerifier({ issuer: 'iss', audience: 'aud', publicKey: pair.publicKey });
  });

  const now = () => Math.floor(Date.now() / 1000);
  const mint = (iat: number) =>
    new SignJWT({ roles: ['PATIENT'], client_id: 'cab', scope: 'person:read' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('iss')
      .setAudience('aud')
      .setSubject('person-1')
      .setIssuedAt(iat)
      .setExpirationTime(now() + 3600)
      .sign(privateKey);

  it('refuses a token issued in the future beyond the clock tolerance', async () => {
    await expect(verify(await mint(now() + 60))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verify(await mint(now() + 3000))).rejects.toThrow(/future/);
  });

  it('accepts a token issued now, in the past, or within the 5 s tolerance', async () => {
    await expect(verify(await mint(now()))).resolves.toMatchObject({ subject: 'person-1', clientId: 'cab' });
    await expect(verify(await mint(now() - 600))).resolves.toMatchObject({ subject: 'person-1' });
    await expect(verify(await mint(now() + 3))).resolves.toMatchObject({ subject: 'person-1' });
  });
});
