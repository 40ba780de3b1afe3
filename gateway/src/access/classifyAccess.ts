import type { SupergraphDirectives } from '@pc/schema/src/supergraphDirectives';
import {
  Kind,
  getNamedType,
  isAbstractType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** READ or CHANGE, as shown in AccessLogEntry.action. */
export type AccessAction = 'READ' | 'CHANGE';

/** One thing an operation did to the person's data. */
export interface AccessTouch {
  action: AccessAction;
  resource: string;
}

/**
 * Which parts of the schema are a person's data, as the domains declare them with `@accessLog`
 * in their `schema.graphql` (carried into the supergraph by `@composeDirective`). Every object
 * of a listed type in a response is a read of its resource; a field may name its own resource
 * (a `Person` field of another domain: `Person.declarations` → `declarations`) or `null` (not
 * logged: `Person.accessLog`). Nothing here names a domain type.
 */
export interface AccessRules {
  /** Resource of every object of these types, by type name (`@accessLog(resource:)` on a type). */
  types: Record<string, string>;
  /** Per field, `Type.field`: its own resource, or `null` for "not logged" (`@accessLog(ignore: true)`). */
  fields: Record<string, string | null>;
}

/** The rules of the `@accessLog` directives of a supergraph. */
export function accessRulesFrom(directives: Pick<SupergraphDirectives, 'accessLogTypes' | 'accessLogFields'>): AccessRules {
  return { types: Object.fromEntries(directives.accessLogTypes), fields: Object.fromEntries(directives.accessLogFields) };
}

/** No rules: nothing is personal data (a schema loaded without supergraph directives). */
export const NO_ACCESS_RULES: AccessRules = { types: {}, fields: {} };

/**
 * What an executed operation read or changed, judged from the operation and the data actually
 * returned (a field that came back null or missing read nothing). A query is a READ of every
 * resource whose data is in the response. A mutation is a CHANGE of the resource its payload
 * carries, unless the payload reports user errors (nothing was changed) or came back null.
 * Payloads whose `userErrors` were not selected count as a change: for an audit log an attempt
 * too many is better than a change too few.
 */
export function classifyAccess(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  data: Record<string, unknown> | null | undefined,
  rules: AccessRules,
): AccessTouch[] {
  if (!data) return [];
  const touched = new Set<string>();
  if (operation.operation === 'query') {
    const root = schema.getQueryType();
    if (root) walk({ schema, fragments, rules, reaching: typesReachingResources(schema, rules), out: touched }, root, operation.selectionSet, data);
    return [...touched].map((resource) => ({ action: 'READ' as const, resource }));
  }
  if (operation.operation === 'mutation') {
    const root = schema.getMutationType();
    if (!root) return [];
    for (const field of collectFields(schema, root, operation.selectionSet, fragments, undefined)) {
      const value = data[field.alias?.value ?? field.name.value];
      if (value === null || value === undefined) continue;
      const def = root.getFields()[field.name.value];
      const resource = def && payloadResource(getNamedType(def.type), rules);
      if (!resource) continue;
      const errors = (value as { userErrors?: unknown }).userErrors;
      if (Array.isArray(errors) && errors.length > 0) continue;
      touched.add(resource);
    }
    return [...touched].map((resource) => ({ action: 'CHANGE' as const, resource }));
  }
  return [];
}

/** The resource a mutation changes: its return type's, or that of the first mapped field of its payload. */
function payloadResource(type: ReturnType<typeof getNamedType>, rules: AccessRules): string | undefined {
  if (!isObjectType(type)) return undefined;
  const own = typeResource(type.name, rules);
  if (own) return own;
  for (const f of Object.values(type.getFields())) {
    const r = typeResource(getNamedType(f.type).name, rules);
    if (r) return r;
  }
  return undefined;
}

function typeResource(typeName: string, rules: AccessRules): string | undefined {
  return rules.types[typeName];
}

const reachable = new WeakMap<GraphQLSchema, WeakMap<AccessRules, Set<string>>>();

/**
 * The object types below which a resource can be found: a type with a resource of its own, one
 * with a field that names a resource, or one with a field of such a type (through interfaces and
 * unions too). Computed once per schema and rules, as a fixpoint over the schema's object types.
 * The walk does not descend into anything else: a search page's twenty doctors with their
 * divisions and locations are public data, and looking at each of their fields was most of the
 * classification's cost (a gateway profile under load).
 */
function typesReachingResources(schema: GraphQLSchema, rules: AccessRules): Set<string> {
  let bySchema = reachable.get(schema);
  if (!bySchema) reachable.set(schema, (bySchema = new WeakMap()));
  let reaching = bySchema.get(rules);
  if (reaching) return reaching;
  reaching = new Set<string>();
  const objects = Object.values(schema.getTypeMap()).filter(isObjectType);
  const fieldTypes = (t: GraphQLObjectType): string[] =>
    Object.values(t.getFields()).flatMap((f) => {
      const named = getNamedType(f.type);
      return isAbstractType(named) ? schema.getPossibleTypes(named).map((o) => o.name) : isObjectType(named) ? [named.name] : [];
    });
  for (const t of objects) {
    if (t.name in rules.types || Object.keys(t.getFields()).some((f) => rules.fields[`${t.name}.${f}`])) reaching.add(t.name);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const t of objects) {
      if (!reaching.has(t.name) && fieldTypes(t).some((n) => reaching!.has(n))) {
        reaching.add(t.name);
        changed = true;
      }
    }
  }
  bySchema.set(rules, reaching);
  return reaching;
}

/** A field's resource: its own (or `null`), else its type's. */
function fieldResource(typeName: string, fieldName: string, rules: AccessRules): string | null | undefined {
  const coordinate = `${typeName}.${fieldName}`;
  return coordinate in rules.fields ? rules.fields[coordinate] : rules.types[typeName];
}

/** What a walk over one response carries: the schema, the operation's fragments, the rules, and what it found. */
interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  rules: AccessRules;
  /** {@link typesReachingResources}, looked up once per response. */
  reaching: Set<string>;
  out: Set<string>;
}

function walk(w: Walk, type: GraphQLObjectType, selectionSet: SelectionSetNode, data: unknown): void {
  if (Array.isArray(data)) {
    for (const item of data) walk(w, type, selectionSet, item);
    return;
  }
  if (data === null || typeof data !== 'object') return;
  const obj = data as Record<string, unknown>;
  const typeName = typeof obj.__typename === 'string' ? obj.__typename : undefined;
  for (const field of collectFields(w.schema, type, selectionSet, w.fragments, typeName)) {
    const name = field.name.value;
    if (name.startsWith('__')) continue;
    const value = obj[field.alias?.value ?? name];
    if (value === null || value === undefined) continue;
    const resource = fieldResource(type.name, name, w.rules);
    if (resource) w.out.add(resource);
    const def = type.getFields()[name];
    if (!def || !field.selectionSet) continue;
    const named = getNamedType(def.type);
    if (isObjectType(named)) {
      if (w.reaching.has(named.name)) walk(w, named, field.selectionSet, value);
    } else if (isAbstractType(named)) {
      if (!w.schema.getPossibleTypes(named).some((t) => w.reaching.has(t.name))) continue;
      // Each item names its concrete type only if __typename was selected; without it the
      // fragments on concrete types cannot be matched, and only the shared fields are walked.
      for (const item of Array.isArray(value) ? value : [value]) {
        const concrete = item && typeof item === 'object' ? w.schema.getType(String((item as { __typename?: string }).__typename)) : undefined;
        if (isObjectType(concrete)) walk(w, concrete, field.selectionSet, item);
      }
    }
  }
}

/** The fields selected on an object of `type`, through inline fragments and named fragments. */
function collectFields(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  typeName: string | undefined,
  seen = new Set<string>(),
) {
  const fields: FieldNode[] = [];
  const applies = (condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const t = schema.getType(condition);
    return isAbstractType(t) ? schema.isSubType(t, type) : typeName === condition;
  };
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) fields.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (applies(s.typeCondition?.name.value)) fields.push(...collectFields(schema, type, s.selectionSet, fragments, typeName, seen));
    } else if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value)) {
      const f = fragments[s.name.value];
      seen.add(s.name.value);
      if (f && applies(f.typeCondition.name.value)) fields.push(...collectFields(schema, type, f.selectionSet, fragments, typeName, seen));
    }
  }
  return fields;
}
