import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { AUTHENTICATED_SPEC, REQUIRES_SCOPES_SPEC, supergraphDirectives, type SupergraphDirectives } from '@pc/schema/src/supergraphDirectives';
import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  print,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLInterfaceType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from '../context';

/**
 * Enforcement of the domains' `@authenticated` and `@requiresScopes` (read from the supergraph)
 * the way Apollo Router does it: before planning, every selected field the caller may not see is
 * removed from the operation — a field is refused when its own requirement or that of the type it
 * returns is not met, and so is a fragment on a refused type — the rest is planned and executed,
 * and each refused field answers `null` (propagated like any null: a non-null field nulls its
 * parent) with an error at its path — code `FORBIDDEN` (`UNAUTHENTICATED` without a token), as
 * the API promises, and `extensions.reason` `UNAUTHORIZED_FIELD_OR_TYPE`, the Router's name — (`@` for a list level, as the
 * Router writes it). With `reject`, an operation with any refused field is refused whole instead.
 *
 * Scopes: `@requiresScopes(scopes: [["a", "b"], ["c"]])` is met when the caller holds every scope
 * of at least one inner list. The caller's scopes are those left after the guards (for a patient:
 * token scopes ∩ the cabinet's grant); a caller is authenticated when a token was verified.
 *
 * The decision depends only on the operation and the caller's scope set, so it is cached per
 * (schema, query hash, operation name, authenticated, scope set).
 */

/** Apollo Router's code for a refused field; ours is `extensions.reason` (the code is the API's FORBIDDEN / UNAUTHENTICATED). */
export const UNAUTHORIZED_FIELD_OR_TYPE = 'UNAUTHORIZED_FIELD_OR_TYPE';

/** Specs whose `for: SECURITY` this gateway honours (see {@link gatewaySupergraphSdl}). */
export const ENFORCED_SECURITY_SPECS = [REQUIRES_SCOPES_SPEC, AUTHENTICATED_SPEC] as const;

/**
 * The supergraph as handed to @apollo/gateway. Composition marks `requiresScopes` and
 * `authenticated` `for: SECURITY`: a gateway that does not know them must refuse the supergraph
 * (and @apollo/gateway does). This gateway enforces both with {@link authorizationPlugin}, so it
 * drops the mark from exactly those two links; any other SECURITY feature (e.g. `@policy`) still
 * makes @apollo/gateway refuse to start.
 */
export function gatewaySupergraphSdl(sdl: string): string {
  return sdl.replace(/(@link\(url: "([^"]+)"), for: SECURITY\)/g, (all, head: string, url: string) =>
    ENFORCED_SECURITY_SPECS.some((spec) => url.startsWith(`${spec}/`)) ? `${head})` : all,
  );
}

const directivesBySchema = new WeakMap<GraphQLSchema, SupergraphDirectives>();

/**
 * Remembers the directives of the supergraph an API schema was built from (called on every
 * schema load, `onSchemaLoadOrUpdate`): the API schema itself carries no directives.
 */
export function attachSupergraphDirectives(apiSchema: GraphQLSchema, supergraphSdl: string): SupergraphDirectives {
  const directives = supergraphDirectives(supergraphSdl);
  directivesBySchema.set(apiSchema, directives);
  return directives;
}

/** The supergraph directives of an API schema, when it was loaded through the gateway. */
export function directivesOf(schema: GraphQLSchema): SupergraphDirectives | undefined {
  return directivesBySchema.get(schema);
}

/** Whom a decision is for. */
export interface AuthorizationSubject {
  authenticated: boolean;
  scopes: ReadonlySet<string>;
}

/** A response path: response keys, `@` for each list level. */
export type ResponsePath = string[];

/** What to do with one operation for one scope set; `null` from {@link authorizeOperation}: run it as is. */
export interface AuthorizationDecision {
  /** Paths of the refused fields (one error each). */
  unauthorized: ResponsePath[];
  /** The operation without them (fragments inlined); `null` when nothing is left to run. */
  document: DocumentNode | null;
  operation: OperationDefinitionNode | null;
  /** Where to write `null` in the response: the refused fields and those left empty, after null propagation. */
  nullTargets: ResponsePath[];
  /** Tells the filtered operation's query plan apart from the original's. */
  hashSuffix: string;
}

/** A position the walk passed: a field (its key and type) inside the objects of the previous one. */
interface Step {
  key: string;
  type: GraphQLOutputType;
}

/**
 * Which fields of `operationName` in `document` the subject may not see, and the operation
 * without them. `null` when everything is allowed (the common case: run the original).
 */
export function authorizeOperation(
  schema: GraphQLSchema,
  directives: SupergraphDirectives,
  document: DocumentNode,
  operationName: string | null | undefined,
  subject: AuthorizationSubject,
): AuthorizationDecision | null {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation) return null;
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const unauthorized: ResponsePath[] = [];
  const removed: Step[][] = [];

  const meets = (sets: string[][] | undefined) => !sets || sets.length === 0 || sets.some((set) => set.every((s) => subject.scopes.has(s)));
  const typeAllowed = (type: GraphQLNamedType): boolean => {
    if (directives.authenticatedTypes.has(type.name) && !subject.authenticated) return false;
    return meets(directives.typeScopes.get(type.name));
  };
  // Fields selected on an abstract type directly (not in a fragment on a member) are refused
  // when any member may not be seen (the Router refuses members with differing requirements).
  const directOnAbstract = (type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined): boolean =>
    isAbstractType(type) &&
    !!selectionSet?.selections.some((s) => s.kind === Kind.FIELD && s.name.value !== '__typename') &&
    schema.getPossibleTypes(type).some((t) => !typeAllowed(t));
  const fieldAllowed = (parent: GraphQLObjectType | GraphQLInterfaceType, name: string, returns: GraphQLOutputType): boolean => {
    const parents = isInterfaceType(parent) ? [parent, ...schema.getPossibleTypes(parent)] : [parent];
    for (const p of parents) {
      const coordinate = `${p.name}.${name}`;
      if (directives.authenticatedFields.has(coordinate) && !subject.authenticated) return false;
      if (!meets(directives.fieldScopes.get(coordinate))) return false;
    }
    return typeAllowed(getNamedType(returns));
  };

  const transform = (parent: GraphQLNamedType, selectionSet: SelectionSetNode, path: Step[]): SelectionSetNode | null => {
    const kept: SelectionNode[] = [];
    let changed = false;
    for (const sel of selectionSet.selections) {
      if (sel.kind === Kind.FIELD) {
        const next = transformField(parent, sel, path);
        if (next !== sel) changed = true;
        if (next) kept.push(next);
      } else {
        const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : undefined;
        const condition = sel.kind === Kind.INLINE_FRAGMENT ? sel.typeCondition?.name.value : fragment?.typeCondition.name.value;
        const type = condition ? schema.getType(condition) : parent;
        const body = sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : fragment?.selectionSet;
        if (!type || !body) {
          kept.push(sel);
          continue;
        }
        if (!typeAllowed(type)) {
          unauthorized.push(responsePath(path));
          changed = true;
          continue;
        }
        const inner = transform(type, body, path);
        // Named fragments are inlined: their content may differ per scope set.
        if (sel.kind === Kind.FRAGMENT_SPREAD) changed = true;
        if (inner === body && sel.kind === Kind.INLINE_FRAGMENT) {
          kept.push(sel);
          continue;
        }
        changed = true;
        if (inner)
          kept.push({
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: condition ? { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: condition } } : undefined,
            directives: sel.directives,
            selectionSet: inner,
          });
      }
    }
    if (!changed) return selectionSet;
    return kept.length ? { kind: Kind.SELECTION_SET, selections: kept } : null;
  };

  const transformField = (parent: GraphQLNamedType, field: FieldNode, path: Step[]): FieldNode | null => {
    const name = field.name.value;
    if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return field;
    const def = parent.getFields()[name];
    if (!def) return field;
    const here = [...path, { key: field.alias?.value ?? name, type: def.type }];
    if (!fieldAllowed(parent, name, def.type) || directOnAbstract(getNamedType(def.type), field.selectionSet)) {
      unauthorized.push(responsePath(here));
      removed.push(here);
      return null;
    }
    if (!field.selectionSet) return field;
    const inner = transform(getNamedType(def.type), field.selectionSet, here);
    if (inner === field.selectionSet) return field;
    if (!inner) {
      // Nothing of it may be seen: it answers null too (an empty selection cannot be planned).
      removed.push(here);
      return null;
    }
    return { ...field, selectionSet: inner };
  };

  const selectionSet = transform(root, operation.selectionSet, []);
  if (selectionSet === operation.selectionSet) return null;
  const filtered: OperationDefinitionNode | null = selectionSet ? { ...operation, selectionSet } : null;
  const filteredDocument: DocumentNode | null = filtered ? { kind: Kind.DOCUMENT, definitions: [filtered] } : null;
  return {
    unauthorized,
    operation: filtered,
    document: filteredDocument,
    nullTargets: removed.map(nullTarget),
    // Of the filtered text itself: two scope sets refusing different fragments at one path must not share a plan.
    hashSuffix: createHash('sha256')
      .update(filteredDocument ? print(filteredDocument) : '')
      .digest('hex')
      .slice(0, 16),
  };
}

function responsePath(steps: Step[]): ResponsePath {
  const out: string[] = [];
  for (const s of steps) {
    out.push(s.key);
    for (let t = s.type; ;) {
      if (isNonNullType(t)) t = t.ofType;
      else if (isListType(t)) {
        out.push('@');
        t = t.ofType;
      } else break;
    }
  }
  // A refused field's own list level is not part of its path.
  while (out.length > 1 && out[out.length - 1] === '@') out.pop();
  return out;
}

/**
 * Where the null of a removed field lands once propagated: the field itself when nullable, else
 * the nearest nullable position above it (a list item, a field); `[]` is the whole `data`.
 */
function nullTarget(steps: Step[]): ResponsePath {
  // Positions from the top: each field's value, then each list level's items.
  const positions: { path: ResponsePath; nullable: boolean }[] = [];
  const path: string[] = [];
  for (const s of steps) {
    path.push(s.key);
    let t: GraphQLOutputType = s.type;
    positions.push({ path: [...path], nullable: !isNonNullType(t) });
    for (;;) {
      if (isNonNullType(t)) t = t.ofType;
      if (!isListType(t)) break;
      t = t.ofType;
      path.push('@');
      positions.push({ path: [...path], nullable: !isNonNullType(t) });
    }
  }
  // The removed field's value is the position right after its parent's last level.
  let i = positions.length - 1;
  while (i >= 0 && positions[i].path[positions[i].path.length - 1] === '@') i--;
  for (; i >= 0; i--) if (positions[i].nullable) return positions[i].path;
  return [];
}

/** Writes `null` at `target` in every object the path reaches (lists are walked at `@`). */
export function writeNull(data: Record<string, unknown>, target: ResponsePath): void {
  const visit = (value: unknown, i: number): void => {
    if (value === null || value === undefined) return;
    const step = target[i];
    const last = i === target.length - 1;
    if (step === '@') {
      if (!Array.isArray(value)) return;
      if (last) value.fill(null);
      else for (const item of value) visit(item, i + 1);
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) return;
    const obj = value as Record<string, unknown>;
    if (last) obj[step] = null;
    else visit(obj[step], i + 1);
  };
  visit(data, 0);
}

/**
 * Applies the nulls of a decision to a response's data; returns the new `data` (`null` when the
 * propagation reached the root). Targets nested inside an already-nulled one change nothing.
 */
export function applyNulls(data: Record<string, unknown> | null | undefined, targets: ResponsePath[]): Record<string, unknown> | null {
  if (data === null) return null;
  const out = data ?? {};
  if (targets.some((t) => t.length === 0)) return null;
  for (const t of [...targets].sort((a, b) => a.length - b.length)) writeNull(out, t);
  return out;
}

/**
 * The public code of a refusal (the API's contract): `UNAUTHENTICATED` for a caller without a
 * verified token, `FORBIDDEN` for one whose scopes fall short. The Router's name of the event is
 * kept as `extensions.reason`.
 */
export const refusalCode = (authenticated: boolean): string => (authenticated ? 'FORBIDDEN' : 'UNAUTHENTICATED');

/** The errors of a decision, formatted as the response carries them. */
export function unauthorizedErrors(
  decision: AuthorizationDecision,
  authenticated = true,
): { message: string; path: string[]; extensions: { code: string; reason: string } }[] {
  const code = refusalCode(authenticated);
  const message = authenticated ? 'Not allowed: the token or the cabinet grant lacks a scope this field requires' : 'Sign in to see this field';
  return decision.unauthorized.map((path) => ({ message, path: [...path], extensions: { code, reason: UNAUTHORIZED_FIELD_OR_TYPE } }));
}

/** Options of {@link authorizationPlugin}. */
export interface AuthorizationOptions {
  /** Refuse the whole operation when any field is refused (Router's `reject_unauthorized`); default: remove them. */
  reject?: boolean;
  /** Decisions kept per schema; default 10,000. */
  cacheSize?: number;
}

const NOTHING = Symbol('nothing refused');

/**
 * The Apollo plugin: decides in `didResolveOperation` (after the guards narrowed the caller,
 * before planning), swaps in the filtered operation, and in `willSendResponse` writes the nulls
 * and errors of the refused fields. Schemas loaded without supergraph directives are not checked.
 */
export function authorizationPlugin(opts: AuthorizationOptions = {}): ApolloServerPlugin<GatewayContext> {
  const caches = new WeakMap<GraphQLSchema, LRUCache<string, AuthorizationDecision | typeof NOTHING>>();
  const decide = (rc: GraphQLRequestContextDidResolveOperation<GatewayContext>): AuthorizationDecision | null => {
    const schema = rc.schema;
    const directives = directivesOf(schema);
    if (!directives) return null;
    let cache = caches.get(schema);
    if (!cache) caches.set(schema, (cache = new LRUCache({ max: opts.cacheSize ?? 10_000 })));
    const caller = rc.contextValue.caller;
    const authenticated = caller.subject !== null;
    const scopes = [...new Set(caller.scopes)].sort();
    const key = `${rc.queryHash}\0${rc.operationName ?? ''}\0${authenticated ? 1 : 0}\0${scopes.join(' ')}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit === NOTHING ? null : hit;
    const decision = authorizeOperation(schema, directives, rc.document, rc.operationName, { authenticated, scopes: new Set(scopes) });
    cache.set(key, decision ?? NOTHING);
    return decision;
  };
  return {
    async requestDidStart() {
      let decision: AuthorizationDecision | null = null;
      let authenticated = true;
      return {
        async didResolveOperation(rc) {
          if (rc.contextValue.warmUp) return;
          decision = decide(rc);
          if (!decision) return;
          authenticated = rc.contextValue.caller.subject !== null;
          if (opts.reject) {
            throw new GraphQLError('Not allowed: the operation selects fields the caller may not see', {
              extensions: {
                code: refusalCode(authenticated),
                reason: UNAUTHORIZED_FIELD_OR_TYPE,
                paths: decision.unauthorized,
                http: { status: authenticated ? 403 : 401 },
              },
            });
          }
          if (decision.document && decision.operation) {
            // The pipeline hands these to @apollo/gateway, which plans by queryHash: the filtered
            // operation gets its own plan-cache key.
            const writable = rc as unknown as { document: DocumentNode; operation: OperationDefinitionNode; queryHash: string };
            writable.document = decision.document;
            writable.operation = decision.operation;
            writable.queryHash = `${rc.queryHash}:authz:${decision.hashSuffix}`;
          }
        },
        async responseForOperation() {
          // Nothing may be seen: no plan, no subgraph call; willSendResponse fills in the nulls.
          return decision && !decision.document ? { http: { headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: {} } } } : null;
        },
        async willSendResponse(rc) {
          if (!decision || rc.response.body.kind !== 'single') return;
          const result = rc.response.body.singleResult;
          // No data at all (the execution failed as a whole) stays so; only the errors are added.
          if (result.data !== undefined) result.data = applyNulls(result.data, decision.nullTargets);
          result.errors = [...(result.errors ?? []), ...unauthorizedErrors(decision, authenticated)];
        },
      };
    },
  };
}
