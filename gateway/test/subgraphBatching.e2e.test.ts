import type http from 'node:http';
import { startSystem, type RunningSystem } from '@pc/e2e';

/**
 * Subgraph batching (gateway/src/subgraphBatching.ts) on the real system: CabinetHome's plan
 * fetches the Doctor and the Division from the directory in one parallel stage; with batching on
 * they reach the directory as one HTTP call whose body is an array of two operations, and the
 * client's answer is the one batching off gives. A batched call that fails fails each of its
 * fetches as an unbatched one would: DEPENDENCY_UNAVAILABLE at the path of every field it would
 * have filled.
 */
/** The roles in a request's caller token (already verified by the subgraph; only read here). */
function callerRoles(req: http.IncomingMessage): string[] {
  const token = String(req.headers['x-caller-token'] ?? '');
  try {
    return (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: string[] }).roles ?? [];
  } catch {
    return [];
  }
}

describe('subgraph batching', () => {
  /**
   * The body shapes of the gateway's calls to the directory ('[2' = an array of two operations,
   * '{' = one operation); service calls from other subgraphs (caller role SERVICE) are left out.
   */
  function recordBodies(sys: RunningSystem): string[] {
    const seen: string[] = [];
    sys.subgraphs.directory.server.intercept((req: http.IncomingMessage) => {
      if (req.method !== 'POST' || callerRoles(req).includes('SERVICE')) return false;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        seen.push(text.startsWith('[') ? `[${(JSON.parse(text) as unknown[]).length}` : text.slice(0, 1));
      });
      return false;
    });
    return seen;
  }

  let on: RunningSystem;
  let off: RunningSystem;
  let onBodies: string[];
  let offBodies: string[];
  beforeAll(async () => {
    on = await startSystem({ production: true });
    onBodies = recordBodies(on);
    off = await startSystem({ gateway: { subgraphBatching: false } });
    offBodies = recordBodies(off);
  });
  afterAll(async () => {
    await on?.stop();
    await off?.stop();
  });

  const cabinetHome = async (sys: RunningSystem) => sys.persisted('state', 'CabinetHome', {}, await sys.token('patient'));

  it('sends the Doctor and Division fetches of CabinetHome to the directory as one batched call (production); off: two calls; same answer', async () => {
    const batched = await cabinetHome(on);
    expect(batched.status).toBe(200);
    expect(batched.errors).toBeUndefined();
    await new Promise((r) => setImmediate(r));
    expect(onBodies).toEqual(['[2']);
    const single = await cabinetHome(off);
    expect(single.errors).toBeUndefined();
    await new Promise((r) => setImmediate(r));
    expect(offBodies).toEqual(['{', '{']);
    expect(JSON.stringify(batched.data)).toBe(JSON.stringify(single.data));
    expect(JSON.stringify(batched.data)).toMatch(/"doctor":\{"id":"[^"]+","fullName":"[^"]+".*"division":\{"id":"[^"]+","name":"[^"]+"/);
  });

  it('a failed batched call: every field of both fetches is DEPENDENCY_UNAVAILABLE at its own path, as unbatched', async () => {
    const down = (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"down"}]}');
      return true;
    };
    // Interceptors run in order: the recorders first, then these answer every directory call with 503.
    on.subgraphs.directory.server.intercept(down);
    off.subgraphs.directory.server.intercept(down);
    const [batched, single] = [await cabinetHome(on), await cabinetHome(off)];
    const paths = (r: typeof batched) => (r.errors ?? []).filter((e) => e.extensions?.code === 'DEPENDENCY_UNAVAILABLE').map((e) => JSON.stringify(e.path));
    expect(paths(batched).length).toBeGreaterThan(1);
    expect(paths(batched).some((p) => p.includes('"doctor"'))).toBe(true);
    expect(paths(batched).some((p) => p.includes('"division"'))).toBe(true);
    expect([...paths(batched)].sort()).toEqual([...paths(single)].sort());
    expect(JSON.stringify(batched.data)).toBe(JSON.stringify(single.data));
    expect(batched.errors?.every((e) => Object.keys(e.extensions ?? {}).join() === 'code')).toBe(true);
  });
});
