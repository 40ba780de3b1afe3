/**
 * The robustness suite's own checks: the classifier flags what it must (so a clean run means
 * something), and the generator is deterministic and covers every kind in any sample.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiSchemaOf, readManifests, repoRoot } from '@pc/schema';
import { classify } from './robustness/classify';
import { generateRequest, KINDS, listedOperations, type FuzzTarget, type HostileRequest } from './robustness/generate';
import type { RawResponse } from './robustness/send';
import { toJsonText, raw } from './robustness/values';

const req: HostileRequest = {
  index: 0,
  category: 'listed',
  kind: 'k',
  caller: 'anonymous',
  method: 'POST',
  path: '/graphql',
  headers: {},
  body: Buffer.from('{"variables":{"a":"http://echo.example/x"}}'),
};
const res = (status: number | undefined, body: string, contentType = 'application/json'): RawResponse => ({
  status,
  headers: { 'content-type': contentType },
  body,
  ms: 1,
});

describe('robustness classifier', () => {
  it.each([
    ['status 500', res(500, '{"errors":[{"message":"x","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}'), 'status>=500'],
    ['status 502, empty', res(502, ''), 'status>=500'],
    ['an HTML error page', res(400, '<!DOCTYPE html><html><body><pre>Bad Request</pre></body></html>', 'text/html; charset=utf-8'), 'html'],
    ['a stack trace', res(400, '{"errors":[{"message":"x","extensions":{"stacktrace":["Error: x","    at f (/app/gateway/src/a.ts:1:2)"]}}]}'), 'stack-trace'],
    ['a stack in a message', res(400, '{"errors":[{"message":"TypeError: x\\n    at Object.<anonymous> (/work/main/gateway/src/x.ts:10:5)"}]}'), 'stack-trace'],
    ['an internal URL', res(400, '{"errors":[{"message":"request to http://127.0.0.1:4001/graphql failed"}]}'), 'internal-url'],
    ['localhost', res(400, '{"errors":[{"message":"connect to localhost failed"}]}'), 'internal-url'],
    ['extensions.response', res(200, '{"errors":[{"message":"x","extensions":{"code":"BAD_USER_INPUT","response":{"status":400}}}]}'), 'internal-detail'],
    ['extensions.serviceName', res(200, '{"errors":[{"message":"x","extensions":{"code":"X","serviceName":"identity"}}]}'), 'internal-detail'],
    [
      'SQL error text',
      res(200, '{"errors":[{"message":"invalid input syntax for type uuid: \\"x\\"","extensions":{"code":"BAD_USER_INPUT"}}]}'),
      'internal-detail',
    ],
    ['no response', res(undefined, ''), 'no-response'],
  ])('flags %s', (_name, response, violation) => {
    expect(classify(req, response).violations).toContain(violation);
  });

  it('passes a 4xx JSON refusal and a result, and does not count an echoed value as a leak', () => {
    expect(classify(req, res(400, '{"errors":[{"message":"Refused","extensions":{"code":"PERSISTED_QUERY_NOT_IN_LIST"}}]}'))).toMatchObject({
      violations: [],
      codes: ['PERSISTED_QUERY_NOT_IN_LIST'],
      status: 400,
    });
    expect(classify(req, res(200, '{"data":{"me":null}}'))).toMatchObject({ violations: [], codes: ['(data)'] });
    expect(
      classify(req, res(400, '{"errors":[{"message":"Variable $a got \\"http://echo.example/x\\"","extensions":{"code":"BAD_USER_INPUT"}}]}')).violations,
    ).toEqual([]);
  });

  it('notes INTERNAL_SERVER_ERROR under 500 without failing the run', () => {
    const o = classify(req, res(200, '{"data":null,"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}'));
    expect(o.violations).toEqual([]);
    expect(o.notes).toContain('internal-error-code');
  });
});

describe('robustness generator', () => {
  const schema = apiSchemaOf(readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'));
  const target: FuzzTarget = {
    schema,
    lists: listedOperations(schema, readManifests()),
    tokens: { anonymous: '', 'state:patient': 'a.b.c' },
    callerLists: { anonymous: undefined, 'state:patient': 'state' },
    badTokens: { 'bad:x': 'x.y.z' },
    path: '/graphql',
  };

  it('gives the same request for the same seed and index, and covers every kind in the first requests', () => {
    const a = generateRequest(11, 123, target);
    const b = generateRequest(11, 123, target);
    expect(b).toEqual(a);
    expect(Array.from({ length: KINDS.length }, (_, i) => generateRequest(5, i, target).kind)).toEqual(KINDS.map((k) => k.kind));
  });

  it('writes JSON text JSON.stringify cannot (1e400, duplicate keys)', () => {
    expect(toJsonText({ a: raw('1e400'), b: [raw('{"x":1,"x":2}')] })).toBe('{"a":1e400,"b":[{"x":1,"x":2}]}');
  });
});
