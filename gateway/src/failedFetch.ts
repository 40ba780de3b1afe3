import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '@pc/errors';

/** The message of {@link ErrorCode.DEPENDENCY_UNAVAILABLE}: names no service, URL or address. */
export const DEPENDENCY_UNAVAILABLE_MESSAGE = 'Temporarily unavailable: a service this field depends on did not answer. Retry later.';

/** A subgraph call that never got an HTTP answer: connection refused or reset, timeout. */
export class SubgraphUnreachableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`subgraph unreachable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** A subgraph answered with an HTTP error status (`RemoteGraphQLDataSource.errorFromResponse`). */
export class SubgraphHttpError extends GraphQLError {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`subgraph answered HTTP ${status}`);
  }
}

/** How a failed fetch is reported: one error per path, this code and message. */
export interface FetchFailure {
  code: string;
  message: string;
}

/**
 * What the client is told about a fetch that failed below GraphQL. Unreachable, 5xx, a refused
 * caller token (401/403: the gateway and the subgraph disagree, nothing the client can fix), a
 * body that is not GraphQL JSON → DEPENDENCY_UNAVAILABLE. A 4xx whose first GraphQL error is
 * BAD_USER_INPUT keeps that code and message. Anything else (a bug in the gateway, a subgraph
 * out of step with the supergraph) → INTERNAL_SERVER_ERROR.
 */
export function classifyFetchFailure(err: unknown): FetchFailure {
  const unavailable = { code: ErrorCode.DEPENDENCY_UNAVAILABLE, message: DEPENDENCY_UNAVAILABLE_MESSAGE };
  if (err instanceof SubgraphUnreachableError) return unavailable;
  if (err instanceof SubgraphHttpError) {
    if (err.status >= 500 || err.status === 401 || err.status === 403 || err.status === 408 || err.status === 429) return unavailable;
    const first = (err.body as { errors?: GraphQLFormattedError[] } | undefined)?.errors?.[0];
    const code = first?.extensions?.code;
    // Only input the client can fix is its business; a subgraph that cannot parse or validate what
    // the gateway planned (a deploy out of step with the supergraph) is an internal fault.
    if (first && code === ErrorCode.BAD_USER_INPUT) return { code, message: first.message };
    return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
  }
  // A 200 whose body is not JSON (a proxy's HTML page) or not an object.
  if (err instanceof SyntaxError || /^Expected JSON response body/.test((err as Error)?.message ?? '')) return unavailable;
  return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
}

type Path = (string | number)[];

/**
 * The paths, relative to the subgraph operation, of every field a failed fetch leaves empty: for
 * an `_entities` fetch `["_entities", i, field]` for each representation `i` and each field the
 * fetch selects on its type (or `["_entities", i]` when none can be named), which
 * @apollo/gateway rewrites to the entity's path in the client's response; for a root fetch the
 * response names of its root fields. `__typename` is never missing (the gateway has it).
 */
export function failedFetchPaths(query: string, document: DocumentNode | undefined, variables: Record<string, unknown> | undefined): Path[] {
  let doc = document;
  try {
    doc ??= parse(query);
  } catch {
    return [];
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [];
  const rootFields = collectFields(operation.selectionSet, undefined, fragments);
  const representations = variables?.representations;
  const entities = rootFields.find((f) => f.name.value === '_entities');
  if (entities && Array.isArray(representations)) {
    return representations.flatMap((rep, i): Path[] => {
      const typename = (rep as { __typename?: unknown } | null)?.__typename;
      const names = responseNames(collectFields(entities.selectionSet, typeof typename === 'string' ? typename : undefined, fragments));
      return names.length ? names.map((n) => ['_entities', i, n]) : [['_entities', i]];
    });
  }
  return responseNames(rootFields).map((n) => [n]);
}

function responseNames(fields: FieldNode[]): string[] {
  return [...new Set(fields.map((f) => f.alias?.value ?? f.name.value))].filter((n) => n !== '__typename');
}

/** Fields selected directly in a selection set (through fragments whose type condition matches `typename`, if given). */
function collectFields(
  set: SelectionSetNode | undefined,
  typename: string | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (!s.typeCondition || !typename || s.typeCondition.name.value === typename) out.push(...collectFields(s.selectionSet, typename, fragments, seen));
    } else {
      const f = fragments.get(s.name.value);
      if (f && !seen.has(f.name.value) && (!typename || f.typeCondition.name.value === typename)) {
        seen.add(f.name.value);
        out.push(...collectFields(f.selectionSet, typename, fragments, seen));
      }
    }
  }
  return out;
}

/** A GraphQL response standing for a failed fetch: no data, one error per path. */
export function failedFetchResponse(failure: FetchFailure, paths: Path[]): { errors: GraphQLFormattedError[] } {
  const extensions = { code: failure.code };
  return { errors: (paths.length ? paths : [undefined]).map((path) => ({ message: failure.message, ...(path ? { path } : {}), extensions })) };
}
