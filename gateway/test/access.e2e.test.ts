import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_INTERNAL_TOKEN_SECRET } from '@pc/config';
import { DEMO_CABINETS, DEMO_PERSONAS, PATIENT_SCOPES } from '@pc/demo';
import { createLogger } from '@pc/logging';
import { repoRoot } from '@pc/schema';
import { serviceCaller } from '@pc/testing';
import { createAccessGuard, type AccessGuard } from '../src/access/createAccessGuard';
import { createTokenVerifier } from '../src/auth/verifyUserToken';
import { createGatewayServer, type GatewayServer } from '../src/createGatewayServer';
import { createEdge } from '../src/edge/createEdge';
import { startSystem, type RunningSystem } from '@pc/e2e';

type Errors = { errors?: { message: string; extensions?: { code?: string; reason?: string } }[] };
type Response<T> = Errors & { data?: T | null };
const codes = (r: Errors) => (r.errors ?? []).map((e) => e.extensions?.code);
const reasons = (r: Errors) => (r.errors ?? []).map((e) => e.extensions?.reason);

const P = DEMO_PERSONAS.patient.id;
const { state, zdorovia, medcard } = DEMO_CABINETS;
const REVOKE = 'mutation Revoke($id: ID!) { revokeAccessGrant(input: { id: $id }) { accessGrant { id status } userErrors { code } } }';
const GRANTS = 'query Grants { me { accessGrants(status: [ACTIVE, REVOKED, EXPIRED]) { id status scopes cabinet { id kind } } } }';
type Grants = { me: { accessGrants: { id: string; status: string; scopes: string[]; cabinet: { id: string; kind: string } }[] } };

/** Partner cabinets run only their persisted queries (the edge's safelist); this sends one by name. */
function persisted(folder: string, name: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'schema', 'persisted-queries', `${folder}.json`), 'utf8')) as {
    operations: { id: string; name: string }[];
  };
  const op = manifest.operations.find((o) => o.name === name);
  if (!op) throw new Error(`${name} is not in the ${folder} persisted query list`);
  return op.id;
}

async function post<T>(url: string, token: string, body: Record<string, unknown>): Promise<Response<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Response<T>;
}
const runPersisted = <T>(url: string, token: string, id: string, variables: Record<string, unknown> = {}) =>
  post<T>(url, token, { variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

describe('access management through the gateway (grants, revocation, access log)', () => {
  let sys: RunningSystem;
  const profileOf = (folder: string) => persisted(folder, 'PartnerProfile');
  const grantsOf = async (token: string) => (await sys.query<Grants>(GRANTS, {}, token)).data!.me.accessGrants;
  const consent = (personId: string, cabinetId: string, scopes: string[], expiresAt?: string) =>
    sys.subgraphs.access.call(
      'mutation($i: GrantAccessInput!) { grantAccess(input: $i) { accessGrant { id } userErrors { code } } }',
      { i: { personId, cabinetId, scopes, expiresAt } },
      serviceCaller('identity-provider'),
    );

  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(() => sys?.stop());

  describe('revocation', () => {
    let second: GatewayServer;
    let secondAccess: AccessGuard;
    let secondUrl: string;

    beforeAll(async () => {
      // A second gateway instance on the same database, as in a deployment with several.
      secondAccess = createAccessGuard({ databaseUrl: sys.database.url, log: createLogger({ service: 'gateway-2', level: 'silent' }) });
      const edge = createEdge({ production: false });
      second = createGatewayServer({
        supergraphSdl: readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'),
        subgraphUrls: Object.fromEntries(Object.values(sys.subgraphs).map((s) => [s.name, s.url])),
        verifyToken: createTokenVerifier({ issuer: sys.issuer.issuer, audience: sys.issuer.audience, publicKey: sys.issuer.publicKey }),
        internalTokenSecret: DEV_INTERNAL_TOKEN_SECRET,
        log: createLogger({ service: 'gateway-2', level: 'silent' }),
        nodeEnv: 'test',
        guards: [secondAccess.guard, ...edge.guards],
        plugins: [...edge.plugins, secondAccess.plugin],
      });
      secondUrl = (await second.listen(0)).url;
    });
    afterAll(async () => {
      await second?.stop();
      await secondAccess?.stop();
    });

    it('refuses the revoked cabinet at once, keeps the others, and a second instance refuses it within 1 s', async () => {
      const stateToken = await sys.token('patient');
      const partner = await sys.token({ clientId: zdorovia.id }, { consent: false });
      const other = await sys.token({ clientId: medcard.id }, { consent: false });
      // Both instances have just admitted (and cached) the partner's grant.
      for (const url of [sys.gatewayUrl, secondUrl]) {
        const r = await runPersisted<{ me: { id: string } }>(url, partner, profileOf('zdorovia'));
        expect(r.errors).toBeUndefined();
        expect(r.data?.me.id).toBe(P);
      }
      const grant = (await grantsOf(stateToken)).find((g) => g.cabinet.id === zdorovia.id)!;
      const revoked = await sys.query<{ revokeAccessGrant: { accessGrant: { status: string } } }>(REVOKE, { id: grant.id }, stateToken);
      expect(revoked.data?.revokeAccessGrant.accessGrant.status).toBe('REVOKED');
      const t0 = Date.now();

      // The instance that ran the revocation: the very next request.
      const next = await runPersisted<{ me: unknown }>(sys.gatewayUrl, partner, profileOf('zdorovia'));
      expect(next.data ?? null).toBeNull();
      expect(codes(next)).toEqual(['UNAUTHENTICATED']);
      expect(reasons(next)).toEqual(['GRANT_REVOKED']);

      // The other instance: by notification (PostgreSQL) or by its ≤ 500 ms TTL (PGlite).
      let refusedAfter = -1;
      while (Date.now() - t0 < 2000) {
        const r = await runPersisted(secondUrl, partner, profileOf('zdorovia'));
        if (codes(r).includes('UNAUTHENTICATED')) {
          refusedAfter = Date.now() - t0;
          break;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(refusedAfter).toBeGreaterThanOrEqual(0);
      expect(refusedAfter).toBeLessThan(1000);
      process.stdout.write(`second instance refused the revoked cabinet after ${refusedAfter} ms (${sys.database.kind}, mode ${secondAccess.mode})\n`);

      // The state cabinet and the other partner keep working on both instances.
      for (const url of [sys.gatewayUrl, secondUrl]) {
        expect((await post<{ me: { id: string } }>(url, stateToken, { query: '{ me { id } }' })).data?.me.id).toBe(P);
        expect((await runPersisted<{ me: { id: string } }>(url, other, profileOf('medcard'))).data?.me.id).toBe(P);
      }
    });

    it('uses LISTEN/NOTIFY on PostgreSQL and falls back to a short TTL on PGlite', () => {
      expect(secondAccess.mode).toBe(sys.database.kind === 'postgres' ? 'notify' : 'ttl');
    });
  });

  describe('refusals', () => {
    it('refuses an expired grant', async () => {
      const person = DEMO_PERSONAS.represented.id;
      await consent(person, medcard.id, ['person:read'], new Date(Date.now() + 1500).toISOString());
      const t = await sys.token({ sub: person, clientId: medcard.id, scopes: ['person:read'] }, { consent: false });
      expect(codes(await runPersisted(sys.gatewayUrl, t, profileOf('medcard')))).not.toContain('UNAUTHENTICATED');
      await new Promise((r) => setTimeout(r, 1600));
      expect(reasons(await runPersisted(sys.gatewayUrl, t, profileOf('medcard')))).toEqual(['GRANT_EXPIRED']);
    });

    it('refuses every token of a blocked cabinet, whatever the grants say, until unblocked', async () => {
      const t = await sys.token({ clientId: medcard.id }, { consent: false });
      const block = (b: boolean) =>
        sys.subgraphs.access.call(
          `mutation { setCabinetBlocked(input: { id: "${medcard.id}", blocked: ${b} }) { userErrors { code } } }`,
          {},
          serviceCaller('operator'),
        );
      expect(codes(await runPersisted(sys.gatewayUrl, t, profileOf('medcard')))).toEqual([]);
      await block(true);
      try {
        // Cached checks of this cabinet are dropped by notification or TTL: within 1 s.
        const until = Date.now() + 1000;
        let r = await runPersisted(sys.gatewayUrl, t, profileOf('medcard'));
        while (!reasons(r).includes('CABINET_BLOCKED') && Date.now() < until) r = await runPersisted(sys.gatewayUrl, t, profileOf('medcard'));
        expect(reasons(r)).toEqual(['CABINET_BLOCKED']);
      } finally {
        await block(false);
      }
      // Unblocking takes effect within the same second.
      const until = Date.now() + 1000;
      let r = await runPersisted(sys.gatewayUrl, t, profileOf('medcard'));
      while (codes(r).length > 0 && Date.now() < until) r = await runPersisted(sys.gatewayUrl, t, profileOf('medcard'));
      expect(codes(r)).toEqual([]);
    });

    it.each([
      ['a cabinet the person never consented to', () => sys.token({ sub: DEMO_PERSONAS.other.id, clientId: zdorovia.id }, { consent: false }), 'NO_GRANT'],
      ['an unknown cabinet', () => sys.token({ clientId: randomUUID() }, { consent: false }), 'NO_GRANT'],
      ['a client id that is not a cabinet id at all', () => sys.token({ clientId: 'some-app' }, { consent: false }), 'NO_GRANT'],
      ['a patient token naming no cabinet', () => sys.token({ clientId: '' }, { consent: false }), 'NO_CABINET'],
    ])('refuses %s with UNAUTHENTICATED before planning', async (_name, make, reason) => {
      const r = await sys.query('{ me { id } }', {}, await make());
      expect(r.data ?? null).toBeNull();
      expect(codes(r)).toEqual(['UNAUTHENTICATED']);
      expect(reasons(r)).toEqual([reason]);
    });

    it('does not hold doctors to patients’ grants', async () => {
      const t = await sys.token({ sub: DEMO_PERSONAS.doctor.id, roles: ['DOCTOR'], scopes: ['declaration:read'], clientId: randomUUID() });
      const r = await sys.query('{ me { id } }', {}, t);
      expect(codes(r)).not.toContain('UNAUTHENTICATED');
    });
  });

  describe('scopes: the token’s count only where the grant holds them', () => {
    it('a МедКарта token asking for person:write cannot change personal data (grant: person:read)', async () => {
      const t = await sys.token({ clientId: medcard.id, scopes: PATIENT_SCOPES }, { consent: false });
      const before = (await sys.query<{ me: { version: number } }>('{ me { version } }', {}, await sys.token('patient'))).data!.me.version;
      const r = await runPersisted<{ updateContacts: unknown }>(sys.gatewayUrl, t, persisted('medcard', 'PartnerContacts'), {
        input: { expectedVersion: before, email: 'changed-by-medcard@example.com' },
      });
      // The grant lacks person:write: the gateway removes the mutation before planning (@requiresScopes).
      expect(codes(r)).toEqual(['FORBIDDEN']);
      const after = (await sys.query<{ me: { version: number; email: string | null } }>('{ me { version email } }', {}, await sys.token('patient'))).data!.me;
      expect(after.version).toBe(before);
      expect(after.email).not.toBe('changed-by-medcard@example.com');
    });

    it('a state-cabinet token with access:write cannot revoke when the grant holds only access:read', async () => {
      const person = DEMO_PERSONAS.represented.id;
      // A narrower consent than the demo's: set directly, as an older consent screen might have left it.
      await sys.subgraphs.access.dataSource.query(
        `UPDATE access.access_grant SET scopes = '{access:read,person:read}' WHERE person_id = $1 AND cabinet_id = $2`,
        [person, state.id],
      );
      try {
        const t = await sys.token({ sub: person, scopes: PATIENT_SCOPES }, { consent: false });
        const grant = (await grantsOf(t)).find((g) => g.cabinet.id === state.id)!;
        expect(grant.scopes).toEqual(['access:read', 'person:read']);
        const r = await sys.query(REVOKE, { id: grant.id }, t);
        expect(codes(r)).toEqual(['FORBIDDEN']);
        expect((await grantsOf(t)).find((g) => g.id === grant.id)?.status).toBe('ACTIVE');
      } finally {
        await sys.subgraphs.access.dataSource.query(`UPDATE access.access_grant SET scopes = $3 WHERE person_id = $1 AND cabinet_id = $2`, [
          person,
          state.id,
          [...PATIENT_SCOPES].sort(),
        ]);
      }
    });
  });

  describe('access log', () => {
    const O = DEMO_PERSONAS.other.id;
    type LogPage = {
      me: {
        accessLog: {
          totalCount: number;
          edges: { node: { action: string; resource: string; operationName: string | null; cabinet: { id: string } | null } }[];
        };
      };
    };
    const LOG = 'query MyLog { me { accessLog(first: 50) { totalCount edges { node { action resource operationName cabinet { id } } } } } }';

    it('records reads and changes with their cabinet and operation, newest first; refused or failed ones not', async () => {
      const t = await sys.token('other');
      const medcardToken = await sys.token({ sub: O, clientId: medcard.id, scopes: ['person:read'] });
      await sys.query('query OtherProfile { me { id } }', {}, t);
      await runPersisted(sys.gatewayUrl, medcardToken, profileOf('medcard'));
      const grants = await sys.query<Grants>('query OtherGrants { me { accessGrants { id cabinet { id } } } }', {}, t);
      const medcardGrant = grants.data!.me.accessGrants.find((g) => g.cabinet.id === medcard.id)!;
      await sys.query(REVOKE, { id: medcardGrant.id }, t);
      // Refused (revoked cabinet) and failed (a grant that is not theirs) requests leave no entry.
      await runPersisted(sys.gatewayUrl, medcardToken, profileOf('medcard'));
      const patientsGrant = (await grantsOf(await sys.token('patient')))[0];
      const stolen = await sys.query<{ revokeAccessGrant: unknown }>(
        'mutation Steal($id: ID!) { revokeAccessGrant(input: { id: $id }) { accessGrant { status } } }',
        { id: patientsGrant.id },
        t,
      );
      expect(codes(stolen)).toEqual(['FORBIDDEN']);
      expect((await grantsOf(await sys.token('patient'))).find((g) => g.id === patientsGrant.id)?.status).toBe(patientsGrant.status);

      await sys.access!.writer.flush();
      const log = await sys.query<LogPage>(LOG, {}, t);
      expect(log.errors).toBeUndefined();
      const entries = log.data!.me.accessLog.edges.map((e) => `${e.node.action} ${e.node.resource} ${e.node.operationName} ${e.node.cabinet?.id}`);
      expect(entries).toEqual([
        `CHANGE accessGrants Revoke ${state.id}`,
        `READ accessGrants OtherGrants ${state.id}`,
        `READ person PartnerProfile ${medcard.id}`,
        `READ person OtherProfile ${state.id}`,
        // sys.token recorded the consent to МедКарта, as the identity provider would at sign-in.
        `CHANGE accessGrants grantAccess ${medcard.id}`,
      ]);
    });

    it('shows a person only their own entries', async () => {
      await sys.access!.writer.flush();
      const mine = await sys.query<LogPage>(LOG, {}, await sys.token('patient'));
      expect(mine.errors).toBeUndefined();
      const ops = mine.data!.me.accessLog.edges.map((e) => e.node.operationName);
      expect(ops).not.toContain('OtherProfile');
      expect(ops).not.toContain('OtherGrants');
    });

    it('answers before the entry is written, and writes a burst of responses in one statement', async () => {
      // An instance whose writer never flushes by itself: the responses cannot have waited for it.
      const access = createAccessGuard({
        databaseUrl: sys.database.url,
        log: createLogger({ service: 'gateway-3', level: 'silent' }),
        flushIntervalMs: 3_600_000,
      });
      const gw = createGatewayServer({
        supergraphSdl: readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'),
        subgraphUrls: Object.fromEntries(Object.values(sys.subgraphs).map((s) => [s.name, s.url])),
        verifyToken: createTokenVerifier({ issuer: sys.issuer.issuer, audience: sys.issuer.audience, publicKey: sys.issuer.publicKey }),
        internalTokenSecret: DEV_INTERNAL_TOKEN_SECRET,
        log: createLogger({ service: 'gateway-3', level: 'silent' }),
        nodeEnv: 'test',
        guards: [access.guard],
        plugins: [access.plugin],
      });
      const { url } = await gw.listen(0);
      try {
        const t = await sys.token('teen');
        const opName = `Burst${Date.now()}`;
        const rs = await Promise.all(Array.from({ length: 20 }, () => post<{ me: { id: string } }>(url, t, { query: `query ${opName} { me { id } }` })));
        expect(rs.every((r) => r.data?.me.id === DEMO_PERSONAS.teen.id)).toBe(true);
        expect(access.writer.pending).toBe(20);
        const count = async () =>
          Number((await sys.subgraphs.access.dataSource.query('SELECT count(*) AS n FROM access.access_log WHERE operation_name = $1', [opName]))[0].n);
        expect(await count()).toBe(0);
        const statements = access.writer.stats.statements;
        await access.writer.flush();
        expect(access.writer.stats.statements - statements).toBe(1);
        expect(await count()).toBe(20);
      } finally {
        await gw.stop();
        await access.stop();
      }
    });
  });
});
