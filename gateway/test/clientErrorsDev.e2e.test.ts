import { startSystem, type RunningSystem } from '@pc/e2e';
import { tcpProxy, type TcpProxy } from './support/tcpProxy';

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

/** Development mode keeps the same rules; only debugging details (serviceName, hints) differ. */
describe('what a client sees when its input is wrong or a subgraph is down (development mode)', () => {
  let sys: RunningSystem;
  let proxy: TcpProxy;
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(sys.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as Body };
  };
  const SEARCH = 'query Search($first: Int) { searchDoctors(first: $first) { totalCount } }';

  beforeAll(async () => {
    proxy = await tcpProxy();
    sys = await startSystem({ only: ['directory'], gateway: { subgraphUrls: { directory: proxy.url } } });
    proxy.forwardTo(sys.subgraphs.directory.url);
  });
  afterAll(async () => {
    await sys?.stop();
    await proxy?.close();
  });

  it('bad variables and operation names are 400 BAD_USER_INPUT', async () => {
    for (const [body, message] of [
      [{ query: SEARCH, variables: { first: 'abc' } }, 'Variable "$first" got invalid value "abc"; Int cannot represent non-integer value: "abc"'],
      [{ query: SEARCH, operationName: 'Nope' }, 'Unknown operation named "Nope".'],
    ] as const) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([expect.objectContaining({ message, extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
    }
  });

  it('a subgraph that is down: DEPENDENCY_UNAVAILABLE at the root field, no extensions.response; then recovery', async () => {
    expect((await post({ query: SEARCH })).body.errors).toBeUndefined();
    await proxy.cut();
    const r = await post({ query: SEARCH });
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual([
      expect.objectContaining({ path: ['searchDoctors'], extensions: expect.objectContaining({ code: 'DEPENDENCY_UNAVAILABLE', serviceName: 'directory' }) }),
    ]);
    expect(r.text).not.toContain('"response"');
    expect(r.text).not.toContain('127.0.0.1');
    await proxy.restore();
    const back = await post({ query: SEARCH });
    expect(back.body.errors).toBeUndefined();
    expect(back.body.data?.searchDoctors).toMatchObject({ totalCount: expect.any(Number) });
  });
});
