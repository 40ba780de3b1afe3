import type { Caller } from '@pc/auth';
import { DEMO_CABINETS } from '@pc/demo';
import { readManifests } from '@pc/schema';
import { loadPersistedQueryLists } from '../src/edge/loadPersistedQueryLists';
import { chooseList, persistedQueryGuard, NOT_IN_LIST, PERSISTED_QUERY_MALFORMED } from '../src/edge/persistedQueryGuard';
import type { GraphQLRequestBody } from '../src/pipeline/guards';

const lists = loadPersistedQueryLists();
const caller = (c: Partial<Caller>): Caller => ({
  subject: 'p',
  roles: ['PATIENT'],
  scopes: [],
  clientId: DEMO_CABINETS.state.id,
  tokenId: null,
  requestId: 'r',
  ...c,
});
const anonymous = caller({ subject: null, roles: [], clientId: null });
const doctor = caller({ roles: ['DOCTOR'] });
const op = (list: string, name: string) => readManifests()[list].operations.find((o) => o.name === name)!;
const byId = (list: string, name: string): GraphQLRequestBody => ({ extensions: { persistedQuery: { version: 1, sha256Hash: op(list, name).id } } });

function run(stateFreeForm: boolean, who: Caller, body: GraphQLRequestBody): { body: GraphQLRequestBody; code?: unknown } {
  const guard = persistedQueryGuard({ ...lists, stateFreeForm });
  try {
    void guard({ caller: who, body, req: {} as never, log: {} as never });
    return { body };
  } catch (err) {
    return { body, code: (err as { extensions?: { code?: unknown } }).extensions?.code };
  }
}

describe('which persisted query list a caller is held to', () => {
  it.each([
    ['no token', anonymous, 'anonymous', lists.anonymous],
    ['a doctor of the state cabinet', doctor, 'practitioners', lists.doctors],
    ['a doctor of a partner cabinet', caller({ roles: ['DOCTOR'], clientId: DEMO_CABINETS.zdorovia.id }), 'practitioners', lists.doctors],
    ['a doctor without client_id', caller({ roles: ['DOCTOR'], clientId: null }), 'practitioners', lists.doctors],
    ['a pharmacist of the state cabinet', caller({ roles: ['PHARMACIST'] }), 'practitioners', lists.doctors],
    ['a pharmacist without client_id', caller({ roles: ['PHARMACIST'], clientId: null }), 'practitioners', lists.doctors],
    ['a patient of the state cabinet', caller({}), 'state', lists.lists.get('state')],
    ['a patient of a partner cabinet', caller({ clientId: DEMO_CABINETS.medcard.id }), DEMO_CABINETS.medcard.id, lists.lists.get('medcard')],
    ['a patient without client_id', caller({ clientId: null }), 'none', undefined],
    ['a patient of an unknown cabinet', caller({ clientId: 'unknown' }), 'unknown', undefined],
  ])('%s', (_what, who, name, list) => {
    const chosen = chooseList(who, lists);
    expect(chosen.name).toBe(name);
    expect(chosen.list).toBe(list);
  });

  it("the warm-up sees every list, the doctors' and the public one included", () => {
    expect([...lists.lists.keys()].sort()).toEqual(['medcard', 'practitioners', 'public', 'state', 'zdorovia']);
  });
});

describe('persistedQueryGuard', () => {
  const free = { query: '{ me { id } }' };
  const unlistedApq = { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } };

  describe('production (free-form off): every caller is held to its list', () => {
    it.each([
      ['anonymous', anonymous, 'public', 'FindDoctor'],
      ['doctor', doctor, 'practitioners', 'SignDeclarationRequest'],
      ['state cabinet', caller({}), 'state', 'RevokeAccessGrant'],
      ['partner', caller({ clientId: DEMO_CABINETS.zdorovia.id }), 'zdorovia', 'PartnerProfile'],
    ])('%s: runs a listed id (its listed body), refuses free-form text and unlisted APQ registration', (_w, who, list, name) => {
      const ok = run(false, who, byId(list, name));
      expect(ok.code).toBeUndefined();
      expect(ok.body.query).toBe(op(list, name).body);
      expect(run(false, who, { ...free }).code).toBe(NOT_IN_LIST);
      expect(run(false, who, structuredClone(unlistedApq)).code).toBe(NOT_IN_LIST);
    });

    it("another list's operation is refused", () => {
      expect(run(false, doctor, byId('state', 'CabinetHome')).code).toBe(NOT_IN_LIST);
      expect(run(false, anonymous, byId('state', 'CabinetHome')).code).toBe(NOT_IN_LIST);
      expect(run(false, caller({}), byId('practitioners', 'SignDeclarationRequest')).code).toBe(NOT_IN_LIST);
      expect(run(false, caller({ clientId: DEMO_CABINETS.zdorovia.id }), byId('medcard', 'PartnerContacts')).code).toBe(NOT_IN_LIST);
    });

    it('a patient token without client_id has no list', () => {
      expect(run(false, caller({ clientId: null }), byId('state', 'CabinetHome')).code).toBe(NOT_IN_LIST);
    });
  });

  describe('development (free-form on): first-party callers may send free-form and register APQ', () => {
    it.each([
      ['anonymous', anonymous],
      ['doctor', doctor],
      ['state cabinet', caller({})],
    ])('%s', (_w, who) => {
      expect(run(true, who, { ...free }).code).toBeUndefined();
      const apq = structuredClone(unlistedApq);
      expect(run(true, who, apq).code).toBeUndefined();
      expect(apq.query).toBe('{ me { id } }');
    });

    it('a listed id still resolves to its body (no registration round trip)', () => {
      const r = run(true, caller({}), byId('state', 'PersonalData'));
      expect(r.body.query).toBe(op('state', 'PersonalData').body);
    });

    it('partners and tokens without a list are refused all the same', () => {
      expect(run(true, caller({ clientId: DEMO_CABINETS.zdorovia.id }), { ...free }).code).toBe(NOT_IN_LIST);
      expect(run(true, caller({ clientId: null }), { ...free }).code).toBe(NOT_IN_LIST);
      expect(run(true, caller({ clientId: 'unknown' }), { ...free }).code).toBe(NOT_IN_LIST);
    });
  });
});

describe('STATE_FREE_FORM', () => {
  const env = { NODE_ENV: 'production', JWKS_URL: 'https://id.example/jwks.json', INTERNAL_TOKEN_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://db/pc' };
  it('cannot be turned on in production', async () => {
    const { loadGatewayConfig } = await import('../src/config');
    expect(() => loadGatewayConfig({ ...env, STATE_FREE_FORM: 'true' })).toThrow(/STATE_FREE_FORM/);
    expect(loadGatewayConfig({ ...env }).STATE_FREE_FORM).toBe('');
    expect(loadGatewayConfig({ ...env, NODE_ENV: 'development', JWKS_URL: '', STATE_FREE_FORM: 'true' }).STATE_FREE_FORM).toBe('true');
  });
});

describe('a malformed persisted-query extension', () => {
  it.each([
    ['version 2', { version: 2, sha256Hash: 'a' }],
    ['version "1"', { version: '1', sha256Hash: 'a' }],
    ['no version', { sha256Hash: 'a' }],
    ['no hash', { version: 1 }],
    ['a number for the hash', { version: 1, sha256Hash: 7 }],
    ['null', null],
    ['a string', 'abc'],
  ])('%s is 400 PERSISTED_QUERY_MALFORMED in both modes, never an internal error', (_what, persistedQuery) => {
    for (const mode of [true, false]) {
      const r = run(mode, caller({}), { query: '{ me { id } }', extensions: { persistedQuery } } as never);
      expect(r.code).toBe(PERSISTED_QUERY_MALFORMED);
    }
  });
});
