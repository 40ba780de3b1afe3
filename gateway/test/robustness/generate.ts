/**
 * Hostile HTTP requests for the gateway, generated from the supergraph's API schema and the
 * persisted query lists. Request `i` of seed `s` is always the same request: each one draws from
 * its own stream (`createRandom(seed).fork(i)`), so a failing example can be replayed alone
 * (`npm run fuzz -- --seed s --only i`).
 */
import { createHash } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import {
  getNamedType,
  isInputObjectType,
  isObjectType,
  Kind,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { createRandom, type Random } from '@pc/fixtures';
import { hostileDocument } from './documents';
import { collectHostileTypes, deepArray, deepObject, leafPaths, oddString, raw, toJsonText, valueFor, valueWithHostileAt, type LeafPath } from './values';

/** One request to send: over a keep-alive connection, or (`raw`) as bytes on a fresh socket. */
export interface HostileRequest {
  index: number;
  /** Top-level family: listed, document, http, json, auth, raw. */
  category: string;
  /** What exactly is hostile about it. */
  kind: string;
  /** Who sends it (a caller name of {@link FuzzTarget.tokens}, or a bad-token label). */
  caller: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** Bytes written as they are to a new TCP connection (malformed HTTP). */
  raw?: Buffer;
}

/** A listed operation with its variables' input types. */
export interface ListedOperation {
  list: string;
  name: string;
  id: string;
  body: string;
  variables: { name: string; type: GraphQLInputType; required: boolean; leaves: LeafPath[] }[];
}

/** What the generator needs to know about the system under test. */
export interface FuzzTarget {
  schema: GraphQLSchema;
  /** Listed operations by list (folder) name. */
  lists: Record<string, ListedOperation[]>;
  /** Bearer tokens by caller name; `anonymous` has none (empty string). */
  tokens: Record<string, string>;
  /** The list (folder) each caller is held to in production, when it has one. */
  callerLists: Record<string, string | undefined>;
  /** Tokens that must be refused (expired, foreign key, wrong audience…), by label. */
  badTokens: Record<string, string>;
  /** Gateway path of the GraphQL endpoint (`/graphql`). */
  path: string;
  /** Enum and scalar types that got hostile values, in listed variables and in free-form documents. */
  coverage?: { listed: Set<string>; documents: Set<string> };
}

/** Every enum and scalar type a client can send a value of (reachable from a field argument). */
export function inputLeafTypes(schema: GraphQLSchema): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (type: GraphQLInputType) => {
    const named = getNamedType(type);
    if (seen.has(named.name)) return;
    seen.add(named.name);
    if (isInputObjectType(named)) for (const f of Object.values(named.getFields())) walk(f.type);
    else out.add(named.name);
  };
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) for (const a of field.args) walk(a.type);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) for (const a of field.args) walk(a.type);
  }
  return [...out].sort();
}

/** Reads the variable definitions of every listed operation. */
export function listedOperations(
  schema: GraphQLSchema,
  manifests: Record<string, { operations: { id: string; name: string; body: string }[] }>,
): Record<string, ListedOperation[]> {
  const out: Record<string, ListedOperation[]> = {};
  for (const [list, m] of Object.entries(manifests)) {
    out[list] = m.operations.map((op) => {
      const def = parse(op.body).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const variables = (def?.variableDefinitions ?? []).map((v) => {
        const type = typeFromAST(schema, v.type as never) as GraphQLInputType;
        return { name: v.variable.name.value, type, required: v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue, leaves: leafPaths(type) };
      });
      return { list, name: op.name, id: op.id, body: op.body, variables };
    });
  }
  return out;
}

type Draft = Omit<HostileRequest, 'index' | 'category' | 'kind'>;
type Generator = (rnd: Random, t: FuzzTarget) => Draft;

const json = (value: unknown): Buffer => Buffer.from(toJsonText(value), 'utf8');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function post(t: FuzzTarget, caller: string, body: Buffer | undefined, headers: Record<string, string | string[]> = {}): Draft {
  const token = t.tokens[caller] ?? t.badTokens[caller];
  return {
    caller,
    method: 'POST',
    path: t.path,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  };
}

/** Any caller (anonymous included, less often) with the list it is held to. */
function cabinetCaller(rnd: Random, t: FuzzTarget): { caller: string; list?: string } {
  const caller = rnd.chance(0.15) ? 'anonymous' : rnd.pick(Object.keys(t.tokens).filter((c) => c !== 'anonymous'));
  return { caller, list: t.callerLists[caller] };
}

function anyCaller(rnd: Random, t: FuzzTarget): string {
  return rnd.chance(0.3) ? 'anonymous' : rnd.pick(Object.keys(t.tokens));
}

function hostileVariables(op: ListedOperation, rnd: Random, hostility: number): unknown {
  const vars: Record<string, unknown> = {};
  for (const v of op.variables) {
    if (!v.required && rnd.chance(0.3)) continue;
    vars[v.name] = valueFor(v.type, rnd, { hostility });
  }
  if (hostility > 0.2 && rnd.chance(0.3)) {
    const r = rnd.int(0, 4);
    const required = op.variables.filter((v) => v.required);
    if (r === 0 && required.length)
      delete vars[rnd.pick(required).name]; // missing required
    else if (r === 1 && required.length)
      vars[rnd.pick(required).name] = null; // null for non-null
    else if (r === 2)
      vars[rnd.pick(['extra', 'personId', 'id', 'input', 'filter'])] = rnd.pick<unknown>([1, 'x', { a: 1 }, oddString(rnd)]); // unknown variable
    else if (r === 3) Object.defineProperty(vars, '__proto__', { value: { input: { doctorId: 'x' } }, enumerable: true });
    else for (const v of op.variables) vars[v.name] = valueFor(v.type, rnd, { hostility: 1 });
  }
  return vars;
}

function persisted(op: ListedOperation, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { operationName: op.name, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } }, ...extra };
}

function pickOp(rnd: Random, t: FuzzTarget, list?: string): ListedOperation {
  const ops = list && t.lists[list]?.length ? t.lists[list] : Object.values(t.lists).flat();
  // Operations with variables carry the richest surface: twice as likely.
  return rnd.pick([...ops, ...ops.filter((o) => o.variables.length)]);
}

const GENERATORS: Record<string, [weight: number, category: string, gen: Generator]> = {
  // ---- listed operations by id, with hostile variables -------------------------------------
  'listed/hostile-variables': [
    26,
    'listed',
    (rnd, t) => {
      const { caller, list } = cabinetCaller(rnd, t);
      const op = pickOp(rnd, t, list);
      return post(t, caller, json(persisted(op, { variables: hostileVariables(op, rnd, 0.5) })));
    },
  ],
  'listed/each-input-type': [
    8,
    'listed',
    (rnd, t) => {
      // Every enum and scalar a listed operation takes gets its share: pick the type first, then a
      // position of it in some listed operation; valid values everywhere else.
      const positions = Object.values(t.lists)
        .flat()
        .flatMap((op) => op.variables.flatMap((v) => v.leaves.map((leaf) => ({ op, v, leaf }))));
      const types = [...new Set(positions.map((p) => p.leaf.type))].sort();
      const type = rnd.pick(types);
      const { op, v, leaf } = rnd.pick(positions.filter((p) => p.leaf.type === type));
      const callers = Object.keys(t.tokens).filter((c) => t.callerLists[c] === op.list);
      const caller = callers.length ? rnd.pick(callers) : anyCaller(rnd, t);
      const variables: Record<string, unknown> = {};
      for (const other of op.variables) if (other !== v && other.required) variables[other.name] = valueFor(other.type, rnd, { hostility: 0 });
      variables[v.name] = valueWithHostileAt(v.type, leaf.path, rnd);
      return post(t, caller, json(persisted(op, { variables })));
    },
  ],
  'listed/all-hostile-variables': [
    8,
    'listed',
    (rnd, t) => {
      const { caller, list } = cabinetCaller(rnd, t);
      const op = pickOp(rnd, t, list);
      return post(t, caller, json(persisted(op, { variables: hostileVariables(op, rnd, 1) })));
    },
  ],
  'listed/valid-variables': [
    5,
    'listed',
    (rnd, t) => {
      const { caller, list } = cabinetCaller(rnd, t);
      const op = pickOp(rnd, t, list);
      return post(t, caller, json(persisted(op, { variables: hostileVariables(op, rnd, 0.02) })));
    },
  ],
  'listed/variables-shape': [
    4,
    'listed',
    (rnd, t) => {
      const { caller, list } = cabinetCaller(rnd, t);
      const op = pickOp(rnd, t, list);
      const variables = rnd.pick<unknown>([
        '{}',
        '',
        [],
        [{}],
        1,
        true,
        null,
        'null',
        deepObject(rnd.int(100, 3000)),
        deepArray(rnd.int(100, 3000)),
        raw('{"filter":1,"filter":{"name":"a"}}'),
        oddString(rnd),
        Object.fromEntries(Array.from({ length: rnd.int(1000, 6000) }, (_, i) => [`v${i}`, i])),
      ]);
      return post(t, caller, json(persisted(op, { variables })));
    },
  ],
  'listed/bad-persisted-extension': [
    5,
    'listed',
    (rnd, t) => {
      const { caller, list } = cabinetCaller(rnd, t);
      const op = pickOp(rnd, t, list);
      const foreign = pickOp(rnd, t, rnd.pick(Object.keys(t.lists)));
      const pq = rnd.pick<unknown>([
        { version: 1, sha256Hash: foreign.id },
        { version: 1, sha256Hash: sha(`{ me { id } } # ${rnd.int(0, 1e6)}`) },
        { version: 1, sha256Hash: op.id.toUpperCase() },
        { version: 1, sha256Hash: op.id.slice(1) },
        { version: 1, sha256Hash: `${op.id} ` },
        { version: 1, sha256Hash: 'zz'.repeat(32) },
        { version: 1, sha256Hash: rnd.pick<unknown>([1, null, true, [op.id], { id: op.id }, '', 'x'.repeat(50_000)]) },
        { version: rnd.pick<unknown>([2, 0, '1', null, -1, 1.5]), sha256Hash: op.id },
        { sha256Hash: op.id },
        rnd.pick<unknown>(['x', 1, [], null, true]),
      ]);
      const extensions = rnd.chance(0.8)
        ? { persistedQuery: pq }
        : rnd.pick<unknown>(['persistedQuery', [], 1, null, { persistedQuery: pq, ['__proto__']: { x: 1 } }]);
      const body: Record<string, unknown> = { operationName: op.name, variables: hostileVariables(op, rnd, 0.2), extensions };
      if (rnd.chance(0.3)) body.query = rnd.pick([op.body, foreign.body, '{ me { id taxId } }', oddString(rnd)]);
      return post(t, caller, json(body));
    },
  ],
  'listed/operation-name': [
    3,
    'listed',
    (rnd, t) => {
      const { caller, list } = cabinetCaller(rnd, t);
      const op = pickOp(rnd, t, list);
      return post(
        t,
        caller,
        json(
          persisted(op, {
            operationName: rnd.pick<unknown>(['Nope', '', null, 1, {}, [op.name], op.name.toLowerCase(), oddString(rnd)]),
            variables: hostileVariables(op, rnd, 0.3),
          }),
        ),
      );
    },
  ],
  'listed/other-list': [
    5,
    'listed',
    (rnd, t) => {
      // A caller sending an operation of some list, often not its own (anonymous included).
      const op = pickOp(rnd, t);
      return post(t, anyCaller(rnd, t), json(persisted(op, { variables: hostileVariables(op, rnd, 0.5) })));
    },
  ],
  'listed/get': [
    2,
    'listed',
    (rnd, t) => {
      const { caller, list } = cabinetCaller(rnd, t);
      const op = pickOp(rnd, t, list);
      const params = new URLSearchParams({
        operationName: op.name,
        extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: op.id } }),
        variables: toJsonText(hostileVariables(op, rnd, 0.5)).slice(0, 6000),
      });
      return {
        ...post(t, caller, undefined, { 'apollo-require-preflight': 'true' }),
        method: 'GET',
        path: `${t.path}?${params}`,
        headers: { 'apollo-require-preflight': 'true', ...(t.tokens[caller] ? { authorization: `Bearer ${t.tokens[caller]}` } : {}) },
      };
    },
  ],

  // ---- free-form documents generated from the schema -----------------------------------------
  ...Object.fromEntries(
    (
      [
        ['valid', 4],
        ['hostile-literals', 6],
        ['hostile-variables', 6],
        ['deep', 2],
        ['aliases', 2],
        ['huge', 2],
        ['fragment-cycle', 1],
        ['fragment-bomb', 1],
        ['unknown', 2],
        ['syntax', 3],
        ['directives', 1],
        ['introspection', 1],
        ['multi-operation', 1],
      ] as const
    ).map(([kind, weight]) => [
      `document/${kind}`,
      [
        weight,
        'document',
        (rnd: Random, t: FuzzTarget): Draft => {
          const doc = hostileDocument(t.schema, rnd, kind);
          // Anonymous callers reach parsing and validation; cabinets are held to their lists.
          const caller = rnd.chance(0.7) ? 'anonymous' : anyCaller(rnd, t);
          return post(t, caller, json(doc));
        },
      ],
    ]),
  ),

  // ---- malformed HTTP and JSON --------------------------------------------------------------
  'http/content-type': [
    3,
    'http',
    (rnd, t) => {
      const body = json({ query: '{ __typename }' });
      const ct = rnd.pick<string | undefined>([
        undefined,
        'text/plain',
        'text/html',
        'application/graphql',
        'application/graphql-response+json',
        'multipart/form-data; boundary=x',
        'multipart/form-data',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/json; charset=nope',
        'application/json; charset="',
        'application/json;;;',
        'application/xml',
        'json',
        '*/*',
        '',
        'application/json, text/plain',
        'APPLICATION/JSON',
        'application/vnd.api+json',
      ]);
      const headers: Record<string, string> = {};
      if (ct !== undefined) headers['content-type'] = ct;
      if (rnd.chance(0.2)) headers['content-encoding'] = rnd.pick(['gzip', 'deflate', 'br', 'identity', 'x-nope', 'gzip, gzip']);
      const d = post(
        t,
        anyCaller(rnd, t),
        rnd.chance(0.3)
          ? Buffer.from(rnd.pick(['query={__typename}', '{ __typename }', '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--']))
          : body,
      );
      const { 'content-type': _drop, ...rest } = d.headers;
      return { ...d, headers: { ...rest, ...headers } };
    },
  ],
  'http/compressed': [
    1,
    'http',
    (rnd, t) => {
      const { caller, list } = cabinetCaller(rnd, t);
      const op = pickOp(rnd, t, list);
      const plain = json(persisted(op, { variables: hostileVariables(op, rnd, 0.3) }));
      const r = rnd.int(0, 4);
      if (r === 0) return post(t, caller, gzipSync(plain), { 'content-encoding': 'gzip' });
      if (r === 1) return post(t, caller, deflateSync(plain), { 'content-encoding': 'deflate' });
      if (r === 2) return post(t, caller, zipBomb(), { 'content-encoding': 'gzip' }); // 10 MB of spaces, inflated
      if (r === 3) return post(t, caller, gzipSync(plain).subarray(0, 20), { 'content-encoding': 'gzip' }); // truncated
      return post(t, caller, plain, { 'content-encoding': 'gzip' }); // says gzip, is not
    },
  ],
  'json/invalid': [
    3,
    'json',
    (rnd, t) => {
      const text = rnd.pick([
        '{',
        '{"query": "{ __typename }"',
        '{"query": "{ __typename }",}',
        "{'query': '{ __typename }'}",
        '{"query": NaN}',
        '{"query": "{ __typename }"} trailing',
        '{"query": "\\x41"}',
        '{"query": "\\ud800"}',
        '{"query": "\u0000"}',
        '{"query": "{ __typename }", "variables": {"a": 01}}',
        '{"query": "{ __typename }", "variables": {"a": 1e400}}',
        '\ufeff{"query": "{ __typename }"}',
        '{"query": "{ __typename }" /* c */}',
        '{"__proto__": {"query": "{ me { id } }"}}',
        '{"constructor": {"prototype": {"x": 1}}, "query": "{ __typename }"}',
        '[[[[[[[[[[',
        `${'['.repeat(40_000)}${']'.repeat(40_000)}`,
        `${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}`,
        'null',
        '\u0000\u0001\u0002',
      ]);
      return post(t, anyCaller(rnd, t), rnd.chance(0.1) ? Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80]) : Buffer.from(text, 'utf8'));
    },
  ],
  'json/shape': [
    3,
    'json',
    (rnd, t) => {
      const op = pickOp(rnd, t);
      const value = rnd.pick<unknown>([
        [{ query: '{ __typename }' }, { query: '{ __typename }' }],
        [persisted(op), persisted(op)],
        [],
        'query',
        1,
        true,
        {},
        { query: null },
        { query: 1 },
        { query: ['{ __typename }'] },
        { query: { kind: 'Document', definitions: [] } },
        { query: '{ __typename }', variables: '{}' },
        { query: '{ __typename }', variables: [] },
        { query: '{ __typename }', extensions: 'x' },
        { query: '{ __typename }', operationName: {} },
        { query: '{ __typename }', http: { status: 500 } },
        { id: op.id },
        { documentId: op.id },
        { queryId: op.id },
      ]);
      return post(t, anyCaller(rnd, t), json(value));
    },
  ],
  'http/body-size': [
    2,
    'http',
    (rnd, t) => {
      const r = rnd.int(0, 3);
      if (r === 0) return post(t, anyCaller(rnd, t), Buffer.alloc(0));
      if (r === 1) return post(t, anyCaller(rnd, t), json({ query: '{ __typename }', variables: { pad: 'x'.repeat(rnd.int(100_000, 1_000_000)) } }));
      if (r === 2) return post(t, anyCaller(rnd, t), json({ query: '{ __typename }', variables: { pad: 'x'.repeat(99_900) } }));
      return post(t, anyCaller(rnd, t), json({ query: `{ __typename } #${'я'.repeat(60_000)}` }));
    },
  ],
  'http/get': [
    3,
    'http',
    (rnd, t) => {
      const qs = rnd.pick([
        '',
        '?',
        '?query=',
        '?query={__typename}',
        '?query=%7B__typename%7D',
        '?query={__typename}&query={__typename}',
        '?query=mutation{cancelDeclarationRequest(input:{id:"x"}){__typename}}',
        '?query={__typename}&variables=notjson',
        '?query={__typename}&variables=[1]',
        '?query={__typename}&extensions={"persistedQuery":1}',
        '?extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22abc%22%7D%7D',
        '?query=%E0%A4%A',
        '?query=%00',
        '?query=%ud800',
        '?query[]=x',
        '?query[a]=x',
        '?__proto__[query]=x',
        `?query=${encodeURIComponent(`{ ${'__typename '.repeat(2500)}}`)}`,
        `?query=${'x'.repeat(rnd.int(1000, 60_000))}`,
        '?operationName=%FF',
      ]);
      const headers: Record<string, string> = rnd.chance(0.6) ? { 'apollo-require-preflight': 'true' } : {};
      if (rnd.chance(0.3))
        headers.accept = rnd.pick([
          'text/html',
          'application/graphql-response+json',
          'text/event-stream',
          'multipart/mixed; deferSpec=20220824',
          '*/*',
          'image/png',
          '',
        ]);
      const caller = anyCaller(rnd, t);
      if (t.tokens[caller]) headers.authorization = `Bearer ${t.tokens[caller]}`;
      return { caller, method: 'GET', path: `${t.path}${qs}`, headers };
    },
  ],
  'http/path': [
    2,
    'http',
    (rnd, t) => {
      const path = rnd.pick([
        '/',
        '/graphql/',
        '/GRAPHQL',
        '/graphql/x',
        '/graphql/..',
        '/%2e%2e/',
        '/..%2f..%2fetc%2fpasswd',
        '/favicon.ico',
        '/graphql%00',
        '//graphql',
        '/graphql;x',
        '/graphql.json',
        '/healthz',
        '/readyz',
        '/api',
        '/.env',
        `/${'a'.repeat(8000)}`,
        '/%',
        '/graphql?%',
        '/\u00e9',
      ]);
      const method = rnd.pick(['GET', 'POST']);
      return {
        ...post(t, anyCaller(rnd, t), method === 'POST' ? json({ query: '{ __typename }' }) : undefined),
        method,
        path: path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)),
      };
    },
  ],
  'http/method': [
    2,
    'http',
    (rnd, t) => {
      const method = rnd.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'LOCK', 'MKCOL', 'PURGE', 'QUERY']);
      return {
        ...post(
          t,
          anyCaller(rnd, t),
          json({ query: '{ __typename }' }),
          rnd.chance(0.3) ? { 'access-control-request-method': 'POST', origin: 'https://evil.example' } : {},
        ),
        method,
      };
    },
  ],
  'http/headers': [
    3,
    'http',
    (rnd, t) => {
      // Mostly an operation of the caller's own list, so the request reaches the subgraphs.
      const { caller, list } = cabinetCaller(rnd, t);
      const d = post(t, caller, json(rnd.chance(0.2) ? { query: '{ __typename }' } : persisted(pickOp(rnd, t, list))));
      const r = rnd.int(0, 9);
      if (r === 0) d.headers['x-huge'] = 'x'.repeat(rnd.int(8_000, 70_000));
      else if (r === 1) for (let i = 0; i < rnd.int(100, 2500); i++) d.headers[`x-h${i}`] = 'v';
      else if (r === 2) d.headers['x-request-id'] = rnd.pick(['', 'x'.repeat(rnd.int(1000, 12_000)), '../../', '\u00ff\u00fe', 'a b c', '$(id)']);
      else if (r === 3) d.headers['apollographql-client-name'] = rnd.pick(['\u00e9\u00ff', 'x'.repeat(5000), '', '<script>']);
      else if (r === 4)
        d.headers.accept = rnd.pick([
          'text/html',
          'application/xml',
          'multipart/mixed; deferSpec=20220824',
          'text/event-stream',
          'application/graphql-response+json;q=0',
          '',
          '*/*;q=abc',
        ]);
      else if (r === 5)
        d.headers['content-length'] = String(d.body?.length ?? 0); // explicit, consistent
      else if (r === 6) d.headers['x-caller-token'] = rnd.pick(['x', 'eyJhbGciOiJIUzI1NiJ9.e30.x', oddAscii(rnd)]);
      else if (r === 7) d.headers['x-forwarded-for'] = rnd.pick(['1.2.3.4', '::1, 127.0.0.1', 'x'.repeat(3000), '999.999.999.999']);
      else if (r === 8) d.headers['apollo-federation-include-trace'] = 'ftv1';
      else d.headers['transfer-encoding'] = 'chunked';
      return d;
    },
  ],

  // ---- bad Authorization headers ------------------------------------------------------------
  'auth/bad-authorization': [
    5,
    'auth',
    (rnd, t) => {
      const good = t.tokens[rnd.pick(Object.keys(t.tokens).filter((c) => c !== 'anonymous'))];
      const bad = t.badTokens[rnd.pick(Object.keys(t.badTokens))];
      const value = rnd.pick<string | string[]>([
        'Bearer',
        'Bearer ',
        'Bearer  ',
        `Bearer ${bad}`,
        `Bearer ${bad}`,
        `Bearer ${bad}`,
        `bearer ${good}`,
        `BEARER  ${good}`,
        `Bearer ${good} extra`,
        `Bearer ${good}x`,
        `Bearer ${good.slice(0, -4)}`,
        `Bearer ${good.split('.').slice(0, 2).join('.')}.`,
        `Bearer ${good.replace(/^[^.]+/, Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url'))}`,
        `Bearer ${good.replace(/^[^.]+/, Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'))}`,
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`,
        'Bearer a.b.c',
        'Bearer ...',
        `Bearer ${'x'.repeat(rnd.int(1000, 15_000))}`,
        `Bearer ${'a.'.repeat(3000)}`,
        'Basic dXNlcjpwYXNz',
        'Token abc',
        'Bearer null',
        'Bearer undefined',
        `Bearer ${oddAscii(rnd)}`,
        [`Bearer ${good}`, `Bearer ${good}`],
        [`Bearer ${good}`, 'Bearer x'],
      ]);
      const op = pickOp(rnd, t);
      return {
        ...post(t, 'anonymous', json(rnd.chance(0.5) ? persisted(op, { variables: hostileVariables(op, rnd, 0.2) }) : { query: '{ __typename }' })),
        caller: 'bad-authorization',
        headers: { 'content-type': 'application/json', authorization: value },
      };
    },
  ],
  'auth/refused-token': [
    3,
    'auth',
    (rnd, t) => {
      const label = rnd.pick(Object.keys(t.badTokens));
      const op = pickOp(rnd, t);
      return post(t, label, json(persisted(op, { variables: hostileVariables(op, rnd, 0.3) })));
    },
  ],

  // ---- malformed HTTP on a fresh socket -----------------------------------------------------
  'raw/malformed-http': [
    3,
    'raw',
    (rnd, t) => {
      const body = '{"query":"{ __typename }"}';
      const head = (extra: string) => `POST ${t.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n${extra}`;
      const text = rnd.pick([
        `${head(`Content-Length: abc\r\n\r\n`)}${body}`,
        `${head(`Content-Length: -1\r\n\r\n`)}${body}`,
        `${head(`Content-Length: ${body.length}\r\nContent-Length: 3\r\n\r\n`)}${body}`,
        `${head(`Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n`)}${body}`,
        `${head('Transfer-Encoding: chunked\r\n\r\n')}zz\r\n${body}\r\n0\r\n\r\n`,
        `${head('Transfer-Encoding: chunked\r\n\r\n')}${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
        `${head('Transfer-Encoding: gzip, chunked\r\n\r\n')}0\r\n\r\n`,
        `${head(`Content-Length: ${body.length}\r\nNoColonHeader\r\n\r\n`)}${body}`,
        `${head(`Content-Length: ${body.length}\r\nX-Bad\u0000: 1\r\n\r\n`)}${body}`,
        `${head(`Content-Length: ${body.length}\r\n X-Folded: 1\r\n\r\n`)}${body}`,
        `${head(`Content-Length: ${Buffer.byteLength(body)}\r\nX-Utf8: \u00e9\u0416\r\n\r\n`)}${body}`,
        `GET ${t.path}?query={__typename} HTTP/1.0\r\n\r\n`,
        `GET ${t.path}\r\n\r\n`,
        `GET ${t.path} HTTP/9.9\r\nHost: x\r\n\r\n`,
        `get ${t.path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        `POST  ${t.path}  HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
        `GET http://evil.example${t.path}?query={__typename} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        `${head(`Content-Length: ${body.length}\r\n${'X-A: b\r\n'.repeat(3000)}\r\n`)}${body}`,
        `${head(`Content-Length: ${body.length}\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`)}${body}`,
        '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003',
        `${head(`Expect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`)}${body}`,
        `${head(`Expect: nope\r\nContent-Length: ${body.length}\r\n\r\n`)}${body}`,
        `${head('Content-Length: 0\r\n\r\n')}`,
        `OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        // Pipelined: a second request (an oversized one) on the same connection before the first answer.
        `POST ${t.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}${head(`Content-Length: 200000\r\n\r\n`)}${'x'.repeat(200_000)}`,
        `GET ${t.path}?query={__typename} HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(20).replace(/\r\n\r\n$/, '\r\nConnection: close\r\n\r\n'),
      ]);
      return { caller: 'anonymous', method: 'RAW', path: t.path, headers: {}, raw: Buffer.from(text, 'latin1') };
    },
  ],
};

let bomb: Buffer | undefined;
/** `{"query": "` followed by 10 MB of spaces, gzipped (about 10 kB). */
function zipBomb(): Buffer {
  return (bomb ??= gzipSync(Buffer.concat([Buffer.from('{"query": "'), Buffer.alloc(10_000_000, 0x20)])));
}

function oddAscii(rnd: Random): string {
  // Header values may carry only visible Latin-1 (the client refuses the rest).
  let s = '';
  for (let i = 0; i < rnd.int(1, 60); i++) s += String.fromCharCode(rnd.pick([rnd.int(0x21, 0x7e), rnd.int(0xa0, 0xff)]));
  return s;
}

/** Every kind the generator knows, with its weight and category. */
export const KINDS: readonly { kind: string; category: string; weight: number }[] = Object.entries(GENERATORS).map(([kind, [weight, category]]) => ({
  kind,
  category,
  weight,
}));

/**
 * Request number `index` of a run with `seed`. The first {@link KINDS}.length requests take each
 * kind once, so every sample, however small, covers every kind; the rest are drawn by weight.
 */
export function generateRequest(seed: number, index: number, t: FuzzTarget): HostileRequest {
  const rnd = createRandom(seed).fork(String(index));
  const kind = index < KINDS.length ? KINDS[index].kind : rnd.weighted(KINDS.map((k) => [k.kind, k.weight] as const));
  const [, category, gen] = GENERATORS[kind];
  const into = category === 'listed' ? t.coverage?.listed : category === 'document' ? t.coverage?.documents : undefined;
  return { index, category, kind, ...collectHostileTypes(into, () => gen(rnd, t)) };
}
