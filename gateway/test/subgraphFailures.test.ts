import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { anonymousCaller } from '@pc/auth';
import { createLogger } from '@pc/logging';
import { parse, type GraphQLFormattedError } from 'graphql';
import { CallerTokenCache } from '../src/auth/callerTokenCache';
import { CallerDataSource } from '../src/CallerDataSource';
import { DEPENDENCY_UNAVAILABLE_MESSAGE, failedFetchPaths } from '../src/failedFetch';
import { formatGatewayError } from '../src/pipeline/formatGatewayError';
import { createSubgraphFetcher, type ClosableSubgraphFetcher } from '../src/subgraphFetcher';

const log = createLogger({ service: 'gateway', level: 'silent' });
const tokens = new CallerTokenCache({ secret: 'secret' });
const ENTITIES = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Doctor{fullName speciality __typename}}}';
const ROOT = '{ me { id } doctors: searchDoctors { totalCount } __typename }';

type Mode = 'ok' | '500html' | '200html' | '400json' | '400validation' | '401json' | 'reset' | 'hang';

/** A stand-in subgraph whose failure mode the test picks. */
async function fakeSubgraph(port = 0) {
  let mode: Mode = 'ok';
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      switch (mode) {
        case 'ok':
          return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { me: { id: '1' }, doctors: { totalCount: 3 } } }));
        case '500html':
          return res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad gateway at 10.0.0.7:4003</body></html>');
        case '200html':
          return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
        case '400json':
          return res.writeHead(400, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              errors: [
                {
                  message: 'Variable "$input" got invalid value 5',
                  extensions: { code: 'BAD_USER_INPUT', stacktrace: ['GraphQLError: x', '    at /srv/identity/dist/a.js:1:2'] },
                },
              ],
            }),
          );
        case '400validation':
          return res
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errors: [{ message: 'Cannot query field "x" on type "Person".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }));
        case '401json':
          return res
            .writeHead(401, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errors: [{ message: 'This service is reachable only through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] }));
        case 'reset':
          return req.socket.destroy();
        case 'hang':
          return undefined;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/graphql`,
    port: bound,
    set(m: Mode) {
      mode = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function processOn(ds: CallerDataSource, query: string, variables: Record<string, unknown> = {}) {
  return ds.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables },
    context: { caller: anonymousCaller('req-1'), log },
    incomingRequestContext: {} as never,
    document: parse(query),
  });
}

const reps = {
  representations: [
    { __typename: 'Doctor', id: 'd1' },
    { __typename: 'Doctor', id: 'd2' },
  ],
};

describe('CallerDataSource: a fetch that fails below GraphQL', () => {
  let fetcher: ClosableSubgraphFetcher;
  beforeEach(() => {
    fetcher = createSubgraphFetcher({ timeoutMs: 300 });
  });
  afterEach(() => fetcher.close());

  it('answers "connection refused" with DEPENDENCY_UNAVAILABLE on every field of every representation', async () => {
    const sub = await fakeSubgraph();
    await sub.close();
    const ds = new CallerDataSource('directory', sub.url, tokens, undefined, fetcher);
    const r = await processOn(ds, ENTITIES, reps);
    expect(r.data).toBeUndefined();
    expect(r.errors).toEqual(
      [0, 1].flatMap((i) =>
        ['fullName', 'speciality'].map((f) => ({
          message: DEPENDENCY_UNAVAILABLE_MESSAGE,
          path: ['_entities', i, f],
          extensions: { code: 'DEPENDENCY_UNAVAILABLE' },
        })),
      ),
    );
    expect(JSON.stringify(r)).not.toContain('127.0.0.1');
  });

  it('names the root fields of a root fetch (by response name)', async () => {
    const sub = await fakeSubgraph();
    sub.set('reset');
    const ds = new CallerDataSource('identity', sub.url, tokens, undefined, fetcher);
    const r = await processOn(ds, ROOT);
    expect(r.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['me'], 'DEPENDENCY_UNAVAILABLE'],
      [['doctors'], 'DEPENDENCY_UNAVAILABLE'],
    ]);
    await sub.close();
  });

  it.each<[Mode, string]>([
    ['500html', 'DEPENDENCY_UNAVAILABLE'],
    ['200html', 'DEPENDENCY_UNAVAILABLE'],
    ['401json', 'DEPENDENCY_UNAVAILABLE'],
    ['hang', 'DEPENDENCY_UNAVAILABLE'],
    ['400json', 'BAD_USER_INPUT'],
    ['400validation', 'INTERNAL_SERVER_ERROR'],
  ])('a subgraph answering %s is %s with paths, without its URL, body or stack trace', async (mode, code) => {
    const sub = await fakeSubgraph();
    sub.set(mode);
    const ds = new CallerDataSource('identity', sub.url, tokens, undefined, fetcher);
    const r = await processOn(ds, ROOT);
    expect(r.errors?.map((e) => e.path)).toEqual([['me'], ['doctors']]);
    expect(r.errors?.every((e) => e.extensions?.code === code)).toBe(true);
    const json = JSON.stringify(r);
    for (const leak of ['response', '127.0.0.1', '10.0.0.7', 'stacktrace', '/srv/', '<html']) expect(json).not.toContain(leak);
    await sub.close();
  });

  it('serves the next request once the subgraph is back on its port, with the same keep-alive fetcher', async () => {
    const sub = await fakeSubgraph();
    const ds = new CallerDataSource('identity', sub.url, tokens, undefined, fetcher);
    expect((await processOn(ds, ROOT)).errors).toBeUndefined();
    await sub.close();
    expect((await processOn(ds, ROOT)).errors?.[0]?.extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
    const back = await fakeSubgraph(sub.port);
    const r = await processOn(ds, ROOT);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ me: { id: '1' }, doctors: { totalCount: 3 } });
    await back.close();
  });
});

describe('failedFetchPaths', () => {
  it('follows named fragments and type conditions of each representation', () => {
    const q =
      'query($representations:[_Any!]!){_entities(representations:$representations){...D ...on Division{name}}} fragment D on Doctor{fullName a: speciality}';
    expect(failedFetchPaths(q, undefined, { representations: [{ __typename: 'Division' }, { __typename: 'Doctor' }] })).toEqual([
      ['_entities', 0, 'name'],
      ['_entities', 1, 'fullName'],
      ['_entities', 1, 'a'],
    ]);
  });

  it('falls back to the entity when no field can be named', () => {
    expect(
      failedFetchPaths('query($representations:[_Any!]!){_entities(representations:$representations){__typename}}', undefined, {
        representations: [{ __typename: 'X' }],
      }),
    ).toEqual([['_entities', 0]]);
  });
});

describe('formatGatewayError', () => {
  const leaky: GraphQLFormattedError = {
    message: '400: Bad Request',
    path: ['me', 'documents'],
    extensions: {
      code: 'BAD_USER_INPUT',
      serviceName: 'identity',
      response: { url: 'http://127.0.0.1:4001/graphql', status: 400, body: { errors: [{ extensions: { stacktrace: ['    at x (/srv/a.js:1:1)'] } }] } },
      stacktrace: ['GraphQLError: x', '    at /srv/identity/dist/a.js:1:2'],
    },
  };

  it('production: no extensions.response, serviceName, stack trace or address', () => {
    const f = formatGatewayError(leaky, new Error('x'), log, true);
    expect(f).toEqual({ message: '400: Bad Request', path: ['me', 'documents'], extensions: { code: 'BAD_USER_INPUT' } });
    const msg = formatGatewayError(
      { message: 'request to http://127.0.0.1:4003/graphql failed, reason: connect ECONNREFUSED 127.0.0.1:4003', extensions: { code: 'X' } },
      undefined,
      log,
      true,
    );
    expect(msg.message).not.toMatch(/127\.0\.0\.1|http:/);
    const hint = {
      message: 'Variable "$t" got invalid value "CITI"; Value "CITI" does not exist in "SettlementType" enum. Did you mean the enum value "CITY"?',
      extensions: { code: 'BAD_USER_INPUT' },
    };
    expect(formatGatewayError(hint, undefined, log, true).message).toBe(
      'Variable "$t" got invalid value "CITI"; Value "CITI" does not exist in "SettlementType" enum.',
    );
    expect(formatGatewayError(hint, undefined, log, false).message).toBe(hint.message);
  });

  it('development: keeps serviceName for debugging but never extensions.response', () => {
    const f = formatGatewayError(leaky, new Error('x'), log, false);
    expect(f.extensions).not.toHaveProperty('response');
    expect(f.extensions?.serviceName).toBe('identity');
  });
});
