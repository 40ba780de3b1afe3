import { GraphQLError } from 'graphql';
import { SignJWT, jwtVerify } from 'jose';
import { anonymousCaller, isService, requireSelfOrService, signCallerToken, subgraphAudience, verifyCallerToken, type Caller, type Role } from '../src';

const PERSON = '0b5c6a3e-1f2d-4c8b-9a7e-3d2f1e0c9b8a';
const caller = (subject: string | null, roles: Role[], scopes: string[] = []): Caller => ({ ...anonymousCaller('r'), subject, roles, scopes });

function code(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return String((err as GraphQLError).extensions?.code);
  }
}

describe('requireSelfOrService', () => {
  it('lets the person with the scope and any internal service through', () => {
    expect(code(() => requireSelfOrService(caller(PERSON, ['PATIENT'], ['access:read']), PERSON, 'access:read'))).toBeNull();
    expect(code(() => requireSelfOrService(caller('declarations', ['SERVICE']), PERSON, 'access:read'))).toBeNull();
  });

  it('refuses anonymous callers as UNAUTHENTICATED and everyone else as FORBIDDEN', () => {
    expect(code(() => requireSelfOrService(anonymousCaller('r'), PERSON, 'access:read'))).toBe('UNAUTHENTICATED');
    // A SERVICE role without a verified subject is no service.
    expect(code(() => requireSelfOrService(caller(null, ['SERVICE']), PERSON, 'access:read'))).toBe('UNAUTHENTICATED');
    expect(code(() => requireSelfOrService(caller(PERSON, ['PATIENT'], ['person:read']), PERSON, 'access:read'))).toBe('FORBIDDEN');
    expect(code(() => requireSelfOrService(caller('someone-else', ['PATIENT'], ['access:read']), PERSON, 'access:read'))).toBe('FORBIDDEN');
    expect(code(() => requireSelfOrService(caller(PERSON, ['DOCTOR'], ['access:read']), PERSON, 'access:read'))).toBe('FORBIDDEN');
  });

  it('isService needs both the role and a subject', () => {
    expect(isService(caller('identity', ['SERVICE']))).toBe(true);
    expect(isService(caller(null, ['SERVICE']))).toBe(false);
    expect(isService(caller(PERSON, ['PATIENT']))).toBe(false);
  });
});

describe('caller tokens: HS256 over the UTF-8 bytes of INTERNAL_TOKEN_SECRET', () => {
  const secret = 'секрет-for-tests-only-0123456789';
  const audience = subgraphAudience('identity');

  it('verify with the raw secret bytes (any HS256 implementation), and ours verify those', async () => {
    const token = await signCallerToken(caller(PERSON, ['PATIENT'], ['person:read']), { secret, audience });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { audience, algorithms: ['HS256'] });
    expect(payload.sub).toBe(PERSON);
    const foreign = await new SignJWT({ roles: ['PATIENT'], scope: 'person:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('pc-internal')
      .setAudience(audience)
      .setSubject(PERSON)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(secret));
    expect((await verifyCallerToken(foreign, { secret, audience })).subject).toBe(PERSON);
  });

  it('refuse a token signed with another secret', async () => {
    const token = await signCallerToken(caller(PERSON, ['PATIENT']), { secret: `${secret}x`, audience });
    await expect(verifyCallerToken(token, { secret, audience })).rejects.toThrow();
  });
});
