import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestDatabase, testDatabaseServer, type TestDatabase } from '@pc/testing';
import { readSubgraphList } from '../src';
import { freePortRange, throwawayCheckout, type ThrowawayCheckout } from './support/throwawayCheckout';

// `npm run new:subgraph -- zzprobe` in a copy of this checkout, then only what a developer runs
// next (`npm install`, `npm run compose`, `npm start`): nothing else is edited by hand.
const NAME = 'zzprobe';

describe('npm run new:subgraph: a throw-away domain, scaffolded and nothing else added', () => {
  let co: ThrowawayCheckout;
  let scaffoldOutput: string;

  beforeAll(() => {
    co = throwawayCheckout();
    scaffoldOutput = co.run('schema/src/newSubgraphCli.ts', [NAME]);
    co.linkSubgraph(NAME); // what `npm install` does for the new workspace
    co.run('schema/src/composeCli.ts');
  }, 120_000);
  afterAll(() => co?.remove());

  it('writes its folder and one registry line, on the next free port; compose regenerates the supergraph and compose file; nothing else changes', () => {
    const port = Math.max(...readSubgraphList().map((e) => e.port)) + 1;
    expect(scaffoldOutput).toContain(`"port": ${port}`);
    expect(readSubgraphList(co.root).at(-1)).toEqual({ name: NAME, port });
    // The Kubernetes manifests are a build artifact (k8s/, `npm run k8s`), not a file the scaffold touches.
    const outside = co.changed().filter((p) => !p.startsWith(`subgraphs/${NAME}/`));
    expect(outside.sort()).toEqual(['docker/docker-compose.yml', 'schema/subgraphs.json', 'schema/supergraph.graphql']);
    // Outside its folder only the registry line and the generated files name it (docs and e2e tests aside).
    const naming = co.filesNaming(NAME).filter((p) => !p.startsWith(`subgraphs/${NAME}/`) && !/^docs\/|\.e2e\.test\.ts$/.test(p));
    expect(naming.sort()).toEqual(['docker/docker-compose.yml', 'schema/subgraphs.json', 'schema/supergraph.graphql']);
    const supergraph = readFileSync(join(co.root, 'schema', 'supergraph.graphql'), 'utf8');
    expect(supergraph).toContain(`ZZPROBE @join__graph(name: "${NAME}", url: "http://127.0.0.1:${port}/graphql")`);
    expect(supergraph).toMatch(/zzprobeItems: \[ZzprobeItem!\] @join__field\(graph: ZZPROBE\) @requiresScopes\(scopes: \[\["zzprobe:read"\]\]\)/);
    const compose = readFileSync(join(co.root, 'docker', 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`  ${NAME}:\n`);
    expect(compose).toContain(`ZZPROBE_URL: http://${NAME}:${port}/graphql`);
    // A second scaffold of the same name is refused and changes nothing.
    expect(() => co.run('schema/src/newSubgraphCli.ts', [NAME])).toThrow(/already/);
  });

  it('is started by the runner (npm start) and its field is served through the gateway', async () => {
    const list = readSubgraphList(co.root);
    const low = Math.min(...list.map((e) => e.port));
    const high = Math.max(...list.map((e) => e.port));
    const base = await freePortRange(high - low + 2);
    const offset = base + 1 - low;
    // A fresh database on the TEST_DATABASE_URL server; without one, the runner's own embedded
    // PostgreSQL (PGlite), as `npm start` runs.
    const db: TestDatabase | undefined = testDatabaseServer() ? await startTestDatabase() : undefined;
    const dataDir = join(co.root, '.data');
    const runner = co.spawn('shared/runner/src/start.ts', [], {
      ...(db ? { DATABASE_URL: db.url } : {}),
      DATA_DIR: dataDir,
      PORT: String(base),
      SUBGRAPH_PORT_OFFSET: String(offset),
      SHUTDOWN_DELAY_MS: '0',
      LOG_LEVEL: 'warn',
    });
    let log = '';
    runner.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    runner.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((resolve) => runner.once('exit', () => resolve()));
    try {
      const deadline = Date.now() + 150_000;
      while (!/ready in/.test(log)) {
        if (runner.exitCode !== null) throw new Error(`npm start exited:\n${log}`);
        if (Date.now() > deadline) throw new Error(`npm start not ready:\n${log}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const zzprobePort = list.find((e) => e.name === NAME)!.port + offset;
      expect(log).toContain(`${NAME.padEnd(24)} http://127.0.0.1:${zzprobePort}/graphql`);

      // A demo patient token, consenting first, as the README says (`npm run token -- --demo patient --consent`).
      const accessUrl = `http://127.0.0.1:${list.find((e) => e.name === 'access')!.port + offset}/graphql`;
      const token = co
        .run('gateway/src/dev/tokenCli.ts', ['--demo', 'patient', '--consent'], { DATA_DIR: dataDir, SUBGRAPH_URLS: `access=${accessUrl}` })
        .trim();
      const res = await fetch(`http://127.0.0.1:${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { id zzprobeItems { title } } }' }),
      });
      const body = (await res.json()) as { data?: { me: { zzprobeItems: { title: string }[] } }; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      expect(body.data!.me.zzprobeItems.map((i) => i.title)).toEqual(['Second zzprobe item', 'First zzprobe item']);
    } finally {
      runner.kill('SIGTERM');
      await exited;
      await db?.stop();
    }
  }, 200_000);

  it('in production (startSystem): served through the gateway, its scope enforced, its reads in the person’s access log', () => {
    const out = co.run('schema/test/support/probeScaffolded.ts', [NAME], { NODE_ENV: 'test' });
    type Answer = {
      data?: { me: ({ id: string } & Record<string, { title: string }[] | null>) | null };
      errors?: { path?: string[]; extensions?: { code?: string; reason?: string } }[];
    };
    const { withScope, withoutScope, accessLog } = JSON.parse(out) as {
      withScope: Answer;
      withoutScope: Answer;
      accessLog: { data: { me: { accessLog: { edges: { node: { action: string; resource: string; operationName: string } }[] } } } };
    };
    expect(withScope.errors).toBeUndefined();
    expect(withScope.data!.me![`${NAME}Items`]!.map((i) => i.title)).toEqual([`Second ${NAME} item`, `First ${NAME} item`]);
    // Without the scope the field is refused at its path (null: it is nullable, as a field behind a
    // scope should be); the rest of the answer stands.
    expect(withoutScope.data!.me![`${NAME}Items`]).toBeNull();
    expect(withoutScope.data!.me!.id).toBe(withScope.data!.me!.id);
    expect(withoutScope.errors?.map((e) => e.path?.join('.'))).toEqual([`me.${NAME}Items`]);
    // Refused by the gateway from the supergraph's @requiresScopes (the reason says so), before the subgraph is asked.
    expect(withoutScope.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'UNAUTHORIZED_FIELD_OR_TYPE' });
    expect(accessLog.data.me.accessLog.edges.map((e) => e.node)).toContainEqual({ action: 'READ', resource: NAME, operationName: `Read${NAME}` });
  }, 120_000);
});
