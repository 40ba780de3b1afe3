import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';

/** One `@cacheControl` application as the supergraph carries it. */
export interface CacheHint {
  maxAge?: number;
  scope?: string;
  inheritMaxAge?: boolean;
}

interface FieldInfo {
  hint?: CacheHint;
  /** Named type the field returns (lists and non-null unwrapped). */
  type: string;
}

interface TypeInfo {
  hint?: CacheHint;
  fields: Map<string, FieldInfo>;
}

/**
 * The `@cacheControl` hints of a supergraph, read once at start. Composition keeps them through
 * `@composeDirective`, but merges the applications of every subgraph into one (a type hinted by
 * one subgraph is hinted in the supergraph whoever else adds fields to it), so they are trusted
 * only for fetches to the subgraphs that define the directive's scope enum themselves
 * (`participants`: its `@join__type` graphs). A subgraph that does not use cache hints (the
 * declarations subgraph adding `acceptingNewPatients` to a hinted entity) is never cached.
 */
export interface CacheHints {
  /** The directive's name in the supergraph (`cacheControl`, or as the `@link` imports it); null when there is none. */
  directive: string | null;
  /** Subgraphs (by name) whose fetches the hints apply to. */
  participants: Set<string>;
  types: Map<string, TypeInfo>;
}

/** What {@link entityFetchPolicy} decided for one subgraph operation: cache each entity for `maxAge` seconds. */
export interface FetchPolicy {
  maxAge: number;
}

const LINK_URL = /\/cacheControl\/v\d+(\.\d+)?$/;

/** Reads the hints of a supergraph SDL (or its parsed document). */
export function readCacheHints(supergraph: string | DocumentNode): CacheHints {
  const doc = typeof supergraph === 'string' ? parse(supergraph) : supergraph;
  const directive = cacheControlName(doc);
  const types = new Map<string, TypeInfo>();
  const graphNames = new Map<string, string>();
  const joinGraphs = new Map<string, string[]>();
  let scopeType: string | undefined;
  for (const def of doc.definitions) {
    if (def.kind === Kind.DIRECTIVE_DEFINITION && def.name.value === directive) {
      const scope = def.arguments?.find((a) => a.name.value === 'scope');
      if (scope) scopeType = namedType(scope.type);
    }
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'join__Graph') {
      for (const v of def.values ?? []) {
        const name = stringArg(
          v.directives?.find((d) => d.name.value === 'join__graph'),
          'name',
        );
        if (name) graphNames.set(v.name.value, name);
      }
    }
    if ('directives' in def && 'name' in def && def.name && def.kind !== Kind.DIRECTIVE_DEFINITION) {
      const graphs = (def.directives ?? []).filter((d) => d.name.value === 'join__type').map((d) => enumArg(d, 'graph'));
      joinGraphs.set(
        def.name.value,
        graphs.filter((g): g is string => Boolean(g)),
      );
    }
    if (
      def.kind === Kind.OBJECT_TYPE_DEFINITION ||
      def.kind === Kind.OBJECT_TYPE_EXTENSION ||
      def.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      def.kind === Kind.INTERFACE_TYPE_EXTENSION
    ) {
      const info = types.get(def.name.value) ?? { fields: new Map<string, FieldInfo>() };
      info.hint ??= hintOf(def.directives, directive);
      for (const f of def.fields ?? []) info.fields.set(f.name.value, { hint: hintOf(f.directives, directive), type: namedType(f.type) });
      types.set(def.name.value, info);
    }
  }
  const participants = new Set((scopeType ? (joinGraphs.get(scopeType) ?? []) : []).map((g) => graphNames.get(g)).filter((n): n is string => Boolean(n)));
  return { directive, participants, types };
}

/**
 * Whether an `_entities` fetch to `subgraph` may be answered per entity from the cache, and for
 * how long: every field it selects, at any depth, must have a PUBLIC hint with a `maxAge` of its
 * own or from its parent type (a field returning a hinted type is bound by that type's hint too),
 * and the result is the smallest `maxAge` met (0: not cacheable). Anything else — another root
 * field, a mutation, a field or type without a hint, a PRIVATE scope, a subgraph that does not
 * take part — is null: the fetch goes to the subgraph as always.
 */
export function entityFetchPolicy(hints: CacheHints, subgraph: string, document: DocumentNode): FetchPolicy | null {
  if (!hints.directive || !hints.participants.has(subgraph)) return null;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].operation !== 'query') return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = operations[0].selectionSet.selections;
  const entities = root.length === 1 && root[0].kind === Kind.FIELD && root[0].name.value === '_entities' && !root[0].alias ? root[0] : undefined;
  if (!entities?.selectionSet) return null;
  let maxAge = Infinity;
  const bound = (hint: CacheHint | undefined): boolean => {
    if (!hint) return true;
    if (hint.scope === 'PRIVATE') return false;
    if (hint.maxAge !== undefined && !hint.inheritMaxAge) maxAge = Math.min(maxAge, hint.maxAge);
    return true;
  };
  const seen = new Set<string>();
  // `parent` undefined: the `_Entity` union, where only fragments on entity types and __typename are expected.
  const walk = (parent: string | undefined, set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        const type = s.typeCondition?.name.value ?? parent;
        if (type === undefined || (parent === undefined && !bound(hints.types.get(type)?.hint))) return false;
        return walk(type, s.selectionSet);
      }
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(s.name.value);
        if (!f || seen.has(f.name.value)) return Boolean(f);
        seen.add(f.name.value);
        const type = f.typeCondition.name.value;
        if (parent === undefined && !bound(hints.types.get(type)?.hint)) return false;
        return walk(type, f.selectionSet);
      }
      if (s.name.value === '__typename') return true;
      if (parent === undefined) return false;
      const type = hints.types.get(parent);
      const field = type?.fields.get(s.name.value);
      if (!type || !field) return false;
      // The field's own hint, else its parent type's (a scalar inherits, as in Apollo Server).
      const own = field.hint && field.hint.maxAge !== undefined && !field.hint.inheritMaxAge ? field.hint : undefined;
      const effective = own ?? type.hint;
      if (!effective || effective.maxAge === undefined || effective.scope === 'PRIVATE' || field.hint?.scope === 'PRIVATE') return false;
      if (!bound({ maxAge: effective.maxAge })) return false;
      if (!s.selectionSet) return true;
      if (!bound(hints.types.get(field.type)?.hint)) return false;
      return walk(field.type, s.selectionSet);
    });
  if (!walk(undefined, entities.selectionSet)) return null;
  return Number.isFinite(maxAge) && maxAge > 0 ? { maxAge } : null;
}

/** The local name of the cacheControl directive: imported by an `@link` to a `…/cacheControl/vX.Y` spec, or `cacheControl` when defined without one. */
function cacheControlName(doc: DocumentNode): string | null {
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of def.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringArg(link, 'url');
      if (!url || !LINK_URL.test(url)) continue;
      const namespace = stringArg(link, 'as') ?? 'cacheControl';
      const imports = link.arguments?.find((a) => a.name.value === 'import')?.value;
      if (imports?.kind === Kind.LIST) {
        for (const item of imports.values) {
          if (item.kind === Kind.STRING && item.value === '@cacheControl') return 'cacheControl';
          if (item.kind === Kind.OBJECT) {
            const field = (n: string) => item.fields.find((f) => f.name.value === n)?.value;
            const name = field('name');
            const as = field('as');
            if (name?.kind === Kind.STRING && name.value === '@cacheControl') return (as?.kind === Kind.STRING ? as.value : name.value).replace(/^@/, '');
          }
        }
      }
      return `${namespace}__cacheControl`;
    }
  }
  const defined = doc.definitions.some((d) => d.kind === Kind.DIRECTIVE_DEFINITION && d.name.value === 'cacheControl');
  return defined ? 'cacheControl' : null;
}

function hintOf(directives: readonly ConstDirectiveNode[] | undefined, name: string | null): CacheHint | undefined {
  const d = name ? directives?.find((x) => x.name.value === name) : undefined;
  if (!d) return undefined;
  const hint: CacheHint = {};
  for (const a of d.arguments ?? []) {
    if (a.name.value === 'maxAge' && a.value.kind === Kind.INT) hint.maxAge = Number(a.value.value);
    if (a.name.value === 'scope' && a.value.kind === Kind.ENUM) hint.scope = a.value.value;
    if (a.name.value === 'inheritMaxAge' && a.value.kind === Kind.BOOLEAN) hint.inheritMaxAge = a.value.value;
  }
  return hint;
}

function stringArg(d: DirectiveNode | undefined, name: string): string | undefined {
  const v = d?.arguments?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.STRING ? v.value : undefined;
}

function enumArg(d: DirectiveNode, name: string): string | undefined {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.ENUM ? v.value : undefined;
}

function namedType(t: TypeNode): string {
  return t.kind === Kind.NAMED_TYPE ? t.name.value : namedType(t.type);
}
