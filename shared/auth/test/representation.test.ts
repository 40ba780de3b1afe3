import { isRepresentativeOf, requireActingFor, requireSelfOrService, signCallerToken, verifyCallerToken, type Caller } from '../src';

const PARENT = '9e4f5d2b-0c1a-4f13-8a01-c0bcab9f8e13';
const CHILD = 'af506e3c-1d2b-4a24-9b12-d1cdbcaf9f24';
const OTHER = '1c6d7b4f-2a3e-4d9c-8b8f-4e3a2f1d0c9b';
const patient = (subject: string, actFor?: string[]): Caller => ({
  subject,
  roles: ['PATIENT'],
  scopes: ['person:read', 'person:write'],
  clientId: null,
  tokenId: null,
  requestId: 'r',
  ...(actFor ? { actFor } : {}),
});
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('acting for someone else (docs/representatives.md)', () => {
  it('requireSelfOrService lets through the person and their representative, nobody else', () => {
    expect(code(() => requireSelfOrService(patient(PARENT, [CHILD]), CHILD, 'person:read'))).toBe('OK');
    expect(code(() => requireSelfOrService(patient(CHILD), CHILD, 'person:read'))).toBe('OK');
    expect(code(() => requireSelfOrService(patient(PARENT), CHILD, 'person:read'))).toBe('FORBIDDEN');
    expect(code(() => requireSelfOrService(patient(OTHER, [PARENT]), CHILD, 'person:read'))).toBe('FORBIDDEN');
    // The scope still counts for a representative.
    expect(code(() => requireSelfOrService(patient(PARENT, [CHILD]), CHILD, 'declaration:read'))).toBe('FORBIDDEN');
    // A doctor's token naming the child in actFor is no representative.
    expect(isRepresentativeOf({ ...patient(PARENT, [CHILD]), roles: ['DOCTOR'] }, CHILD)).toBe(false);
  });

  it('requireActingFor: the caller by default, a represented person by id, FORBIDDEN otherwise', () => {
    expect(requireActingFor(patient(PARENT, [CHILD]), undefined, 'person:write')).toEqual({ personId: PARENT, asRepresentative: false });
    expect(requireActingFor(patient(PARENT, [CHILD]), PARENT, 'person:write')).toEqual({ personId: PARENT, asRepresentative: false });
    expect(requireActingFor(patient(PARENT, [CHILD]), CHILD, 'person:write')).toEqual({ personId: CHILD, asRepresentative: true });
    expect(code(() => requireActingFor(patient(PARENT), CHILD, 'person:write'))).toBe('FORBIDDEN');
    expect(code(() => requireActingFor(patient(PARENT, [CHILD]), OTHER, 'person:write'))).toBe('FORBIDDEN');
  });

  it('the caller token carries the list signed, and only for a signed-in caller', async () => {
    const opts = { secret: 'x'.repeat(32), audience: 'subgraph:identity' };
    const back = await verifyCallerToken(await signCallerToken(patient(PARENT, [CHILD]), opts), opts);
    expect(back.actFor).toEqual([CHILD]);
    const none = await verifyCallerToken(await signCallerToken(patient(PARENT), opts), opts);
    expect(none.actFor).toBeUndefined();
  });
});
