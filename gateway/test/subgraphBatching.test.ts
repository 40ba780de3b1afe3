import { BATCH_STATUS_HEADER, MAX_BATCH, batchingFetcher } from '../src/subgraphBatching';
import type { SubgraphRequestInit, SubgraphResponse } from '../src/subgraphFetcher';

/** The batching fetcher over a recording transport: what goes out in one call, and how answers are split. */
describe('batchingFetcher', () => {
  type Answer = { status: number; body: string; headers?: Record<string, string> };
  function transport(answer: (body: string) => Answer | Error) {
    const calls: { url: string; init: SubgraphRequestInit }[] = [];
    const send = async (url: string, init: SubgraphRequestInit = {}): Promise<SubgraphResponse> => {
      calls.push({ url, init });
      const a = answer(init.body ?? '');
      if (a instanceof Error) throw a;
      const headers = { 'content-type': 'application/json', ...a.headers };
      const response: SubgraphResponse = {
        ok: a.status >= 200 && a.status < 300,
        status: a.status,
        statusText: '',
        url,
        redirected: false,
        bodyUsed: false,
        headers: { get: (n) => headers[n.toLowerCase() as keyof typeof headers] ?? null, has: (n) => n.toLowerCase() in headers },
        text: async () => a.body,
        json: async () => JSON.parse(a.body),
        arrayBuffer: async () => new ArrayBuffer(0),
        clone: () => response,
      };
      return response;
    };
    return { calls, send };
  }
  /** A subgraph answering a batch as @pc/server does: each operation's echo, statuses in the header. */
  const subgraph = (body: string): Answer => {
    const parsed = JSON.parse(body) as { query: string } | { query: string }[];
    if (!Array.isArray(parsed)) return { status: 200, body: JSON.stringify({ data: { q: parsed.query } }) };
    return {
      status: 200,
      body: JSON.stringify(
        parsed.map((p) => (p.query === 'bad' ? { errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] } : { data: { q: p.query } })),
      ),
      headers: { [BATCH_STATUS_HEADER]: parsed.map((p) => (p.query === 'bad' ? 400 : 200)).join(',') },
    };
  };
  const init = (query: string, headers: Record<string, string> = { 'x-request-id': 'r1' }): SubgraphRequestInit => ({
    method: 'POST',
    headers,
    body: JSON.stringify({ query }),
  });

  it('sends fetches with the same URL and headers in the same tick as one array, and splits the answer with each status', async () => {
    const t = transport(subgraph);
    const fetch = batchingFetcher(t.send);
    const [a, b, c] = await Promise.all([fetch('http://d/graphql', init('a')), fetch('http://d/graphql', init('bad')), fetch('http://d/graphql', init('c'))]);
    expect(t.calls).toHaveLength(1);
    expect(JSON.parse(t.calls[0].init.body!)).toEqual([{ query: 'a' }, { query: 'bad' }, { query: 'c' }]);
    expect(t.calls[0].init.headers).toEqual({ 'x-request-id': 'r1' });
    expect([a.status, b.status, c.status]).toEqual([200, 400, 200]);
    expect([a.ok, b.ok]).toEqual([true, false]);
    expect(await a.json()).toEqual({ data: { q: 'a' } });
    expect(await b.json()).toEqual({ errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(JSON.parse(await c.text())).toEqual({ data: { q: 'c' } });
    expect(a.headers.get('content-type')).toBe('application/json');
  });

  it('keeps other requests (headers), other URLs, other ticks and a lone fetch apart, the lone one as a plain body', async () => {
    const t = transport(subgraph);
    const fetch = batchingFetcher(t.send);
    await Promise.all([
      fetch('http://d/graphql', init('a')),
      fetch('http://d/graphql', init('b', { 'x-request-id': 'r2' })),
      fetch('http://i/graphql', init('c')),
    ]);
    await fetch('http://d/graphql', init('d'));
    expect(t.calls.map((c) => c.init.body)).toEqual([init('a').body, init('b').body, init('c').body, init('d').body]);
  });

  it(`sends at most ${MAX_BATCH} operations per call`, async () => {
    const t = transport(subgraph);
    const fetch = batchingFetcher(t.send);
    const answers = await Promise.all(Array.from({ length: MAX_BATCH + 2 }, (_, i) => fetch('http://d/graphql', init(`q${i}`))));
    expect(t.calls.map((c) => (JSON.parse(c.init.body!) as unknown[]).length)).toEqual([MAX_BATCH, 2]);
    expect(await answers[MAX_BATCH + 1].json()).toEqual({ data: { q: `q${MAX_BATCH + 1}` } });
  });

  it('a batched call that fails as a whole is the same failure for every fetch of it', async () => {
    const refused = transport(() => new Error('ECONNREFUSED'));
    const f1 = batchingFetcher(refused.send);
    const results = await Promise.allSettled([f1('http://d/graphql', init('a')), f1('http://d/graphql', init('b'))]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);

    const down = transport(() => ({ status: 503, body: '{"errors":[{"message":"down"}]}' }));
    const f2 = batchingFetcher(down.send);
    const [a, b] = await Promise.all([f2('http://d/graphql', init('a')), f2('http://d/graphql', init('b'))]);
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(await b.json()).toEqual({ errors: [{ message: 'down' }] });

    // A 200 that is not a batched answer (a proxy's page; no x-batch-status): each fetch gets it as is.
    const html = transport(() => ({ status: 200, body: '<html>', headers: { 'content-type': 'text/html' } }));
    const f3 = batchingFetcher(html.send);
    const [h1, h2] = await Promise.all([f3('http://d/graphql', init('a')), f3('http://d/graphql', init('b'))]);
    expect([await h1.text(), await h2.text(), h2.headers.get('content-type')]).toEqual(['<html>', '<html>', 'text/html']);
  });
});
