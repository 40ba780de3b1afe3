/**
 * Free-form GraphQL documents generated from the supergraph's API schema: valid ones, and the
 * hostile shapes production must refuse with a 4xx (too deep, too many aliases, too large,
 * fragment cycles and bombs, unknown fields, syntax garbage, introspection…).
 */
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isUnionType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Random } from '@pc/fixtures';
import { oddString, valueFor } from './values';

/** A document and the variables it is sent with. */
export interface GeneratedDocument {
  query: string;
  variables?: unknown;
  operationName?: unknown;
}

const NAME_RE = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** GraphQL literal text of a (possibly wrong) value at a position of type `type`. */
export function printLiteral(value: unknown, type: GraphQLInputType | undefined, rnd: Random, level = 0): string {
  if (level > 200) return '1';
  const t = type && isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return 'null';
  if (t && isEnumType(t) && typeof value === 'string' && NAME_RE.test(value)) return value;
  if (Array.isArray(value)) {
    const item = t && isListType(t) ? t.ofType : undefined;
    return `[${value
      .slice(0, 200)
      .map((v) => printLiteral(v, item, rnd, level + 1))
      .join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = t && isInputObjectType(t) ? t.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).slice(0, 100);
    return `{${entries.map(([k, v]) => `${NAME_RE.test(k) ? k : 'bad_key'}: ${printLiteral(v, fields[k]?.type, rnd, level + 1)}`).join(', ')}}`;
  }
  if (typeof value === 'string') {
    if (value.startsWith('\u0000RAW<')) return value.slice(5, -5);
    // Block strings now and then: a different lexer path.
    if (rnd.chance(0.1) && !value.includes('"""')) return `"""${value}"""`;
    return JSON.stringify(value.length > 3000 ? value.slice(0, 3000) : value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '1e400';
  return String(value);
}

interface SelectionOptions {
  /** Probability of a hostile argument value at each position. */
  hostility: number;
  /** Declare arguments as variables (collected in `vars`) instead of writing literals. */
  vars?: { defs: string[]; values: Record<string, unknown> };
}

function argumentsFor(field: GraphQLField<unknown, unknown>, rnd: Random, opts: SelectionOptions): string {
  const parts: string[] = [];
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (!required && rnd.chance(0.6)) continue;
    if (required && rnd.chance(opts.hostility * 0.1)) continue; // missing required argument
    const value = valueFor(arg.type, rnd, { hostility: opts.hostility, depth: 3 });
    if (opts.vars && rnd.chance(0.8)) {
      const name = `v${opts.vars.defs.length}`;
      // Sometimes declare the variable with a wrong type: a validation error, not a crash.
      const declared = rnd.chance(opts.hostility * 0.2) ? rnd.pick(['Int', 'String!', '[ID]', 'Boolean', 'Date', 'NoSuchType']) : String(arg.type);
      opts.vars.defs.push(`$${name}: ${declared}`);
      opts.vars.values[name] = value;
      parts.push(`${arg.name}: $${name}`);
    } else {
      parts.push(`${arg.name}: ${printLiteral(value, arg.type, rnd)}`);
    }
  }
  if (rnd.chance(opts.hostility * 0.05)) parts.push(`${rnd.pick(['nope', 'limit', 'id'])}: 1`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** A selection set on a composite type, `depth` levels deep at most. */
export function selectionSet(type: GraphQLCompositeType, depth: number, rnd: Random, opts: SelectionOptions): string {
  if (isUnionType(type)) {
    const members = type.getTypes();
    return `{ __typename ${members
      .filter(() => rnd.chance(0.7))
      .map((m) => `... on ${m.name} ${selectionSet(m, depth, rnd, opts)}`)
      .join(' ')} }`;
  }
  const fields = Object.values(type.getFields());
  const picked = new Set<GraphQLField<unknown, unknown>>();
  const n = rnd.int(1, Math.min(4, fields.length));
  for (let i = 0; i < n; i++) picked.add(rnd.pick(fields));
  const parts: string[] = [];
  for (const f of picked) {
    const named = getNamedType(f.type);
    const alias = rnd.chance(0.1) ? `a${rnd.int(0, 99)}: ` : '';
    if (isLeafType(named)) parts.push(`${alias}${f.name}${argumentsFor(f, rnd, opts)}`);
    else if (isCompositeType(named)) {
      parts.push(`${alias}${f.name}${argumentsFor(f, rnd, opts)} ${depth > 1 ? selectionSet(named, depth - 1, rnd, opts) : '{ __typename }'}`);
    }
  }
  if (isInterfaceType(type) && rnd.chance(0.3)) parts.push('__typename');
  return `{ ${parts.join(' ') || '__typename'} }`;
}

/** A valid-looking operation on Query or Mutation, args as literals or variables. */
export function operation(schema: GraphQLSchema, rnd: Random, opts: { hostility: number; useVariables: boolean; mutation?: boolean }): GeneratedDocument {
  const root = opts.mutation && schema.getMutationType() ? schema.getMutationType()! : schema.getQueryType()!;
  const vars = opts.useVariables ? { defs: [] as string[], values: {} as Record<string, unknown> } : undefined;
  const sel = selectionSet(root, rnd.int(1, 5), rnd, { hostility: opts.hostility, vars });
  const keyword = root === schema.getMutationType() ? 'mutation' : 'query';
  const name = `Fuzz${rnd.int(0, 9999)}`;
  const header = vars && vars.defs.length ? `${keyword} ${name}(${vars.defs.join(', ')})` : `${keyword} ${name}`;
  return { query: `${header} ${sel}`, variables: vars?.values, operationName: name };
}

/** A path of composite fields that keeps going (types referring back to each other), for depth. */
function deepDocument(schema: GraphQLSchema, rnd: Random, levels: number): string {
  let type: GraphQLCompositeType = schema.getQueryType()!;
  const open: string[] = [];
  for (let i = 0; i < levels; i++) {
    if (isUnionType(type)) {
      const m: GraphQLObjectType = rnd.pick(type.getTypes());
      open.push(`... on ${m.name} {`);
      type = m;
      continue;
    }
    const composite = Object.values(type.getFields()).filter((f) => isCompositeType(getNamedType(f.type)));
    if (!composite.length) break;
    const f = rnd.pick(composite);
    const args = f.args
      .filter((a) => isNonNullType(a.type))
      .map((a) => `${a.name}: ${printLiteral(valueFor(a.type, rnd, { hostility: 0, depth: 2 }), a.type, rnd)}`);
    open.push(`${f.name}${args.length ? `(${args.join(', ')})` : ''} {`);
    type = getNamedType(f.type) as GraphQLCompositeType;
  }
  return `query Deep { ${open.join(' ')} __typename ${'}'.repeat(open.length)} }`;
}

/** A hostile free-form document of one of several kinds; `kind` names which one. */
export function hostileDocument(schema: GraphQLSchema, rnd: Random, kind: string): GeneratedDocument {
  const q = schema.getQueryType()!;
  switch (kind) {
    case 'valid':
      return operation(schema, rnd, { hostility: 0, useVariables: rnd.chance(0.5), mutation: rnd.chance(0.15) });
    case 'hostile-literals':
      return operation(schema, rnd, { hostility: 0.6, useVariables: false, mutation: rnd.chance(0.3) });
    case 'hostile-variables':
      return operation(schema, rnd, { hostility: 0.6, useVariables: true, mutation: rnd.chance(0.3) });
    case 'deep': {
      const r = rnd.int(0, 3);
      if (r === 0) return { query: deepDocument(schema, rnd, rnd.int(8, 60)) };
      if (r === 1) {
        const n = rnd.int(10, 400);
        return { query: `{ ${'... on Query { '.repeat(n)} __typename ${'} '.repeat(n)}}` };
      }
      if (r === 2) return { query: `{ searchDoctors(filter: ${nestedObjectLiteral(rnd.int(20, 600))}) { totalCount } }` };
      return { query: `{ doctor(id: ${'['.repeat(rnd.int(10, 900))}"x"${']'.repeat(rnd.int(10, 900))}) { id } }` };
    }
    case 'aliases': {
      const n = rnd.pick([16, 50, 200, 1000]);
      const field = rnd.pick(['__typename', 'me { id }', 'searchDoctors(first: 1) { totalCount }', `doctor(id: "x") { id }`]);
      return { query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }` };
    }
    case 'huge': {
      const r = rnd.int(0, 4);
      if (r === 0) return { query: `{ __typename } # ${'x'.repeat(rnd.int(19_900, 90_000))}` };
      if (r === 1) return { query: `{ ${'__typename '.repeat(rnd.int(1_500, 8_000))}}` };
      if (r === 2) return { query: `{ doctor(id: "${'9'.repeat(rnd.int(15_000, 19_900))}") { id } }` };
      if (r === 3) return { query: `${' '.repeat(rnd.int(19_000, 19_990))}{ __typename }` };
      return { query: `{ searchDoctors(filter: { name: ${JSON.stringify(oddString(rnd))} }) { totalCount } }` };
    }
    case 'fragment-cycle': {
      const r = rnd.int(0, 2);
      if (r === 0) return { query: 'query C { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' };
      if (r === 1) return { query: 'query C { ...A } fragment A on Query { __typename ...A }' };
      const n = rnd.int(3, 40);
      const frags = Array.from({ length: n }, (_, i) => `fragment F${i} on Query { __typename ...F${(i + 1) % n} }`);
      return { query: `query C { ...F0 } ${frags.join(' ')}` };
    }
    case 'fragment-bomb': {
      // Each fragment spreads the next twice: 2^levels expansions if nothing stops it.
      const levels = rnd.int(6, 14);
      const frags = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
      return { query: `query B { ...F0 } ${frags.join(' ')} fragment F${levels} on Query { searchDoctors(first: 1) { totalCount } }` };
    }
    case 'unknown': {
      return {
        query: rnd.pick([
          '{ nonexistentField }',
          '{ me { nope } }',
          '{ doctor(id: "x", nope: 1) { id } }',
          '{ ... on NoSuchType { id } }',
          '{ __typename @nosuchdirective }',
          'subscription S { me { id } }',
          'query A { __typename } query A { __typename }',
          `{ ${q.name.toLowerCase()} }`,
          '{ doctor { id } }',
          '{ searchDoctors { edges { node { nope { x } } } } }',
          'query Q($v: Int) { __typename }',
          'query Q { doctor(id: $undefined) { id } }',
          'fragment F on Doctor { id }',
          '{ me }',
          '{ __type(name: "Person") { fields { name } } }',
          'mutation { nope }',
          '{ constructor } ',
          '{ __proto__ { id } }',
        ]),
      };
    }
    case 'syntax': {
      const base = operation(schema, rnd, { hostility: 0, useVariables: false }).query;
      const r = rnd.int(0, 8);
      if (r === 0) return { query: base.slice(0, rnd.int(0, base.length - 1)) };
      if (r === 1) {
        const at = rnd.int(0, base.length);
        return {
          query:
            base.slice(0, at) +
            rnd.pick(['{', '}', '(', ')', '"', '"""', '$', '@', '...', ':', '!', '#', '\u0000', '\ud800', '\u200b', '&', '|', '=', '\\']) +
            base.slice(at),
        };
      }
      if (r === 2) return { query: '{'.repeat(rnd.int(100, 1999)) };
      if (r === 3) return { query: oddString(rnd) };
      if (r === 4) return { query: `{ doctor(id: "${'\\u'}${rnd.pick(['d800', 'zzzz', '12', 'FFFFFF'])}") { id } }` };
      if (r === 5) return { query: '' };
      if (r === 6) return { query: '   \n\t  ' };
      if (r === 7) return { query: `{ searchDoctors(first: ${rnd.pick(['99999999999999999999', '1.5', '-0', '0x10', '1e999', '+1', '.5'])}) { totalCount } }` };
      return { query: base.replace(/ /g, () => (rnd.chance(0.1) ? '\u00a0' : ' ')) };
    }
    case 'directives': {
      const n = rnd.pick([5, 21, 100]);
      return {
        query: `query D($b: Boolean!) { __typename ${'@skip(if: $b) '.repeat(n)} }`,
        variables: { b: rnd.pick<unknown>([true, false, 'true', null, 1, {}, []]) },
      };
    }
    case 'introspection':
      return {
        query: rnd.pick([
          '{ __schema { types { name } } }',
          'query IntrospectionQuery { __schema { queryType { name } types { name fields { name } } } }',
          '{ __type(name: "Person") { name fields { name } } }',
          '{ a: __schema { queryType { name } } }',
          '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }',
        ]),
      };
    case 'multi-operation': {
      const a = operation(schema, rnd, { hostility: 0, useVariables: false });
      const b = operation(schema, rnd, { hostility: 0, useVariables: false });
      return { query: `${a.query} ${b.query}`, operationName: rnd.pick<unknown>([undefined, 'Nope', a.operationName, '', 5, { a: 1 }, ['x']]) };
    }
    default:
      throw new Error(`unknown document kind ${kind}`);
  }
}

function nestedObjectLiteral(depth: number): string {
  return `${'{name: "a", near: '.repeat(depth)}null${'}'.repeat(depth)}`;
}
