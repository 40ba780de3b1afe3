import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  execute,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '@pc/errors';
import type { Logger } from '@pc/logging';
import type { ServiceMetrics } from './metrics';

/** Codes of the refusals before execution; the same strings Apollo Server used, so clients and the gateway see no change. */
export const RequestErrorCode = {
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  BAD_REQUEST: 'BAD_REQUEST',
} as const;

/** Operations one batched HTTP request may carry (a JSON array body); more is a 400. */
export const MAX_BATCH_OPERATIONS = 32;

/** Response header of a batched answer: each operation's HTTP status, comma-separated, in order. */
export const BATCH_STATUS_HEADER = 'x-batch-status';

/** One GraphQL request as it arrived (POST body or GET search params). */
export interface OperationRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

/** What a single operation answers: the HTTP status an unbatched request gets, and the JSON body. */
export interface OperationResult {
  status: number;
  /** Serialized `{ errors, data, extensions }` (Apollo's field order), without a trailing newline. */
  body: string;
  /** Response headers this answer needs (`allow` of a 405). */
  headers?: Record<string, string>;
}

/** Options of {@link createOperationExecutor}. */
export interface OperationExecutorOptions {
  schema: GraphQLSchema;
  /** Production: introspection refused at validation, unexpected errors masked, no stack traces. */
  production: boolean;
  log: Logger;
  metrics: ServiceMetrics;
  /** Parsed and validated documents kept, by query text (least recently used out first); default 1000. */
  documentCacheSize?: number;
}

/** A parsed and validated document, cached by its text. */
interface CachedDocument {
  document: DocumentNode;
  /** The operation when the document holds exactly one (the gateway always sends one). */
  single?: OperationDefinitionNode;
}

/**
 * The GraphQL execution of a subgraph, without Apollo Server's request pipeline: graphql-js
 * `parse` + `validate` once per distinct query text (an LRU of documents), then `execute`.
 * The answers keep Apollo Server's contract that the gateway and the tests rely on: parse
 * errors 400 `GRAPHQL_PARSE_FAILED`, validation errors 400 `GRAPHQL_VALIDATION_FAILED`,
 * variables that do not coerce 400 `BAD_USER_INPUT`, an unknown operation name 400
 * `OPERATION_RESOLUTION_FAILURE`, a malformed request 400 `BAD_REQUEST`; errors thrown with
 * `extensions.http.status` set the status; every error gets a code (`INTERNAL_SERVER_ERROR` when
 * it had none) and goes through {@link formatError}; body `{ errors, data, extensions }`.
 */
export function createOperationExecutor(opts: OperationExecutorOptions) {
  const { schema, production, log, metrics } = opts;
  const rules: readonly ValidationRule[] = production ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  const documents = new LruMap<string, CachedDocument>(opts.documentCacheSize ?? 1000);

  function format(errors: readonly GraphQLError[]): { formatted: GraphQLFormattedError[]; status?: number } {
    let status: number | undefined;
    const formatted = errors.map((error) => {
      const { http, ...rest } = (error.extensions ?? {}) as { http?: { status?: number } } & Record<string, unknown>;
      if (typeof http?.status === 'number') status = http.status;
      const extensions: Record<string, unknown> = { ...rest, code: rest.code ?? ErrorCode.INTERNAL_SERVER_ERROR };
      if (!production) extensions.stacktrace = error.stack?.split('\n');
      metrics.errors.inc({ code: String(extensions.code) });
      return formatError({ ...error.toJSON(), extensions }, error, log, production);
    });
    return { formatted, status };
  }

  /** An answer made only of errors; `status` unless an error carries its own. */
  function errorResult(errors: readonly GraphQLError[], status: number): OperationResult {
    const f = format(errors);
    return { status: f.status ?? status, body: JSON.stringify({ errors: f.formatted }) };
  }

  function documentOf(query: string): CachedDocument | OperationResult {
    const hit = documents.get(query);
    if (hit) return hit;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      const e = err instanceof GraphQLError ? err : new GraphQLError((err as Error).message);
      return errorResult([withCode(e, RequestErrorCode.GRAPHQL_PARSE_FAILED)], 400);
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length)
      return errorResult(
        invalid.map((e) => withCode(e, RequestErrorCode.GRAPHQL_VALIDATION_FAILED)),
        400,
      );
    const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const entry: CachedDocument = { document, single: ops.length === 1 ? ops[0] : undefined };
    documents.set(query, entry);
    return entry;
  }

  /**
   * Runs one operation with an already-built context. `get` is true for GET requests (queries
   * only: anything else is 405, as Apollo answered); `client` labels the metrics.
   */
  async function run(request: OperationRequest, contextValue: unknown, client: string, get = false): Promise<OperationResult> {
    const end = metrics.duration.startTimer();
    let operationName: string | undefined;
    try {
      const shapeError = checkShape(request);
      if (shapeError) return errorResult([badRequest(shapeError)], 400);
      const query = request.query as string;
      const cached = documentOf(query);
      if ('status' in cached) return cached;
      const requested = (request.operationName as string | null | undefined) ?? undefined;
      const operation = requested === undefined && cached.single ? cached.single : getOperationAST(cached.document, requested);
      operationName = operation?.name?.value;
      if (get && operation && operation.operation !== 'query') {
        const e = badRequest(`GET requests only support query operations, not ${operation.operation} operations`);
        return { ...errorResult([e], 405), headers: { allow: 'POST' } };
      }
      const result = (await execute({
        schema,
        document: cached.document,
        contextValue,
        variableValues: (request.variables as Record<string, unknown> | null | undefined) ?? undefined,
        operationName: requested,
      })) as ExecutionResult;
      if (!operation) {
        const first = result.errors?.[0] ?? new GraphQLError('Unexpected error: no operation resolved');
        return errorResult([withCode(first, RequestErrorCode.OPERATION_RESOLUTION_FAILURE)], 400);
      }
      if (!result.errors?.length) return { status: 200, body: JSON.stringify({ data: result.data, extensions: result.extensions }) };
      const errors = result.errors.map((e) => (isVariableCoercionError(e) && e.extensions?.code == null ? withCode(e, ErrorCode.BAD_USER_INPUT) : e));
      const f = format(errors);
      // Apollo Server 5 (status400ForVariableCoercionErrors): errors and no data at all → 400.
      const status = f.status ?? (result.data === undefined ? 400 : 200);
      return { status, body: JSON.stringify({ errors: f.formatted, data: result.data, extensions: result.extensions }) };
    } finally {
      const labels = { operation: operationName ?? 'anonymous', client };
      metrics.requests.inc(labels);
      end(labels);
    }
  }

  return {
    run,
    /** Formats errors raised outside an operation (the caller-token check): status from the error, else 500. */
    errorResult,
    /** Documents cached now (tests). */
    get cachedDocuments(): number {
      return documents.size;
    },
  };
}

/** Why a request is not a GraphQL request (Apollo Server's messages), or undefined. */
function checkShape(r: OperationRequest): string | undefined {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return 'POST body missing, invalid Content-Type, or JSON object has no keys.';
  if (typeof r.query !== 'string' || r.query === '') {
    if (r.query && typeof r.query === 'object') return 'GraphQL queries must be strings.';
    return 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.';
  }
  if (typeof r.variables === 'string') return '`variables` in a POST body should be provided as an object, not a recursively JSON-encoded string.';
  if (r.variables != null && (typeof r.variables !== 'object' || Array.isArray(r.variables)))
    return '`variables` in a POST body must be an object if provided.';
  if (r.operationName != null && typeof r.operationName !== 'string') return '`operationName` in a POST body must be a string if provided.';
  if (r.extensions != null && (typeof r.extensions !== 'object' || Array.isArray(r.extensions)))
    return '`extensions` in a POST body must be an object if provided.';
  return undefined;
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: RequestErrorCode.BAD_REQUEST } });
}

/** The same error with `extensions.code` set (graphql-js errors carry none). */
function withCode(e: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(e.message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    path: e.path,
    originalError: e.originalError ?? e,
    extensions: { ...e.extensions, code },
  });
}

/** graphql-js's refusal of a variable value (what Apollo Server reports as BAD_USER_INPUT). */
function isVariableCoercionError(e: GraphQLError): boolean {
  const node = e.nodes?.length === 1 ? e.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return false;
  const v = `Variable "$${node.variable.name.value}" `;
  return (
    e.message.startsWith(`${v}has invalid value`) ||
    e.message.startsWith(`${v}got invalid value `) ||
    e.message.startsWith(`${v}of required type `) ||
    e.message.startsWith(`${v}of non-null type `)
  );
}

/**
 * A bounded map, least recently used out first (a `Map` keeps insertion order; a hit is moved to
 * the end). Small on purpose: `@pc/server` keeps no cache library, as `verifiedCallerTokens.ts`.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    if (this.max <= 0) return;
    this.map.delete(key);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, value);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * Keeps stable codes and hides internals: unexpected errors become INTERNAL_SERVER_ERROR with
 * a generic message (the cause is logged), and production responses carry no stack traces.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: Logger, production: boolean): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (!code || code === ErrorCode.INTERNAL_SERVER_ERROR) {
    log.error({ err: (error as { originalError?: unknown }).originalError ?? error, path: formatted.path }, 'unexpected error');
    if (production) {
      return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
  return formatted;
}
