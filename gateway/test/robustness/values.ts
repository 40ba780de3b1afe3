/**
 * Hostile (and a few valid) values for GraphQL input types, for the robustness suite.
 *
 * Values are plain JSON values. A few things JSON.stringify cannot write (1e400, -0 as written,
 * duplicate keys) are carried as {@link raw} markers and substituted into the body text by
 * {@link toJsonText}.
 */
import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType } from 'graphql';
import type { Random } from '@pc/fixtures';
import { DEMO_PERSONAS } from '@pc/demo';

const RAW_OPEN = '\u0000RAW<';
const RAW_CLOSE = '>RAW\u0000';

/** A marker for JSON text written as is (e.g. `1e400`, which JSON.stringify cannot produce). */
export function raw(text: string): string {
  return `${RAW_OPEN}${text}${RAW_CLOSE}`;
}

/** JSON text of a value, with {@link raw} markers replaced by their text. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  if (!text.includes('RAW<')) return text;
  return text.replace(/"\\u0000RAW<(.*?)>RAW\\u0000"/g, (_m, inner: string) => JSON.parse(`"${inner}"`) as string);
}

/** Strings that have broken parsers, loggers, databases and terminals before. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\udc00\ud800',
  '\u202eevil\u202c',
  '\u200f\u200e\u061c',
  '\u200b\u200c\u200d\u2060\ufeff',
  '\ufeff',
  '\uffff\ufffe',
  '\u2028\u2029',
  '\u0001\u0007\u001b[31m\u007f',
  'e\u0301'.repeat(500),
  '\u{1f469}\u200d\u2695\ufe0f',
  '\u{10ffff}',
  'Олена Коваленко',
  'Оlena', // Latin O + Cyrillic
  '𝕬𝖇𝖈',
  '\\',
  '"',
  "' OR 1=1 --",
  "'; DROP TABLE person; --",
  '%',
  '_%_',
  '$1',
  '${jndi:ldap:x}',
  '<script>alert(1)</script>',
  '<!--',
  '../../../../etc/passwd',
  '{{7*7}}',
  '%s%s%s%n',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'NaN',
  '-0',
  '{"a":1}',
  '[]',
  '99999999999999999999999',
  'ffffffff-ffff-ffff-ffff-fffffffffffg',
  '00000000-0000-0000-0000-000000000000',
  DEMO_PERSONAS.patient.id,
  DEMO_PERSONAS.doctor.id,
  DEMO_PERSONAS.patient.id.toUpperCase(),
  ` ${DEMO_PERSONAS.doctor.id} `,
  'a'.repeat(256),
  'a'.repeat(10_000),
  'я'.repeat(30_000),
];

/** A string of the generator's odd kinds, occasionally very long (100k: over the body limit). */
export function oddString(rnd: Random): string {
  const r = rnd.next();
  if (r < 0.04) return 'x'.repeat(100_000);
  if (r < 0.08) return 'ж'.repeat(rnd.int(1000, 45_000));
  if (r < 0.2) {
    // A random mix of code units, lone surrogates included.
    let s = '';
    const n = rnd.int(1, 40);
    for (let i = 0; i < n; i++)
      s += String.fromCharCode(
        rnd.pick([rnd.int(0, 0x1f), rnd.int(0xd800, 0xdfff), rnd.int(0x200b, 0x202e), rnd.int(0x20, 0x7e), rnd.int(0x400, 0x4ff), 0xfffe, 0xfeff]),
      );
    return s;
  }
  return rnd.pick(ODD_STRINGS);
}

const INVALID_DATES = [
  '2020-02-30',
  '',
  '2020-13-01',
  '2021-02-29',
  '2020-00-10',
  '2020-1-1',
  '20200101',
  '0000-00-00',
  '+275760-09-13',
  '-000001-01-01',
  '2020-02-29T00:00:00Z',
  '2020-02-10 ',
  '２０２０-０１-０１',
  'today',
  '1e400',
];
const VALID_DATES = ['2020-02-29', '1970-01-01', '9999-12-31', '0001-01-01', '2010-06-15'];
const INVALID_DATETIMES = [
  '2020-13-01T00:00:00Z',
  '',
  'not a date',
  '2020-02-30T25:61:61Z',
  '1970-01-01T00:00:00',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '2020-01-01T00:00:00+99:00',
  'T',
  '0',
  '2020-02-29',
];
const VALID_DATETIMES = ['2024-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z', '2099-12-31T23:59:59+02:00'];

/** Values that are wrong for (almost) any type: the shapes of JSON. */
function wrongShape(rnd: Random): unknown {
  return rnd.pick<unknown>([
    true,
    false,
    0,
    -1,
    1.5,
    'x',
    '',
    [],
    [null],
    {},
    { a: 1 },
    raw('1e400'),
    raw('-1e400'),
    raw('-0'),
    raw('1E2'),
    raw('123456789012345678901234567890'),
    raw('{"a":1,"a":2}'),
    raw('"\\ud800"'),
    deepObject(rnd.int(50, 800)),
    deepArray(rnd.int(50, 800)),
  ]);
}

/** `{ a: { a: … } }`, `depth` levels. */
export function deepObject(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** `[[[…]]]`, `depth` levels. */
export function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function hostileScalar(name: string, rnd: Random): unknown {
  switch (name) {
    case 'Int':
      return rnd.pick<unknown>([
        2147483648,
        -2147483649,
        1.5,
        '12',
        '',
        true,
        [1],
        {},
        1e21,
        Number.MAX_SAFE_INTEGER + 2,
        raw('1e400'),
        raw('-0'),
        raw('1.0'),
        -1,
        100_000,
        2147483647,
        -2147483648,
        'NaN',
        'Infinity',
        null,
      ]);
    case 'Float':
      return rnd.pick<unknown>(['NaN', 'Infinity', raw('1e400'), raw('-1e400'), '1.5', true, {}, [1.5], 1e308, -1e308, 5e-324]);
    case 'Boolean':
      return rnd.pick<unknown>(['true', 'false', 1, 0, [], {}, 'yes', '']);
    case 'ID':
      return rnd.pick<unknown>([1.5, true, {}, [], 1e21, -1, 0, raw('1e400'), oddString(rnd), oddString(rnd)]);
    case 'String':
      return rnd.chance(0.8) ? oddString(rnd) : wrongShape(rnd);
    case 'Date':
      return rnd.chance(0.8) ? rnd.pick(INVALID_DATES) : wrongShape(rnd);
    case 'DateTime':
      return rnd.chance(0.8) ? rnd.pick(INVALID_DATETIMES) : wrongShape(rnd);
    default:
      return rnd.chance(0.5) ? oddString(rnd) : wrongShape(rnd);
  }
}

function validScalar(name: string, rnd: Random): unknown {
  switch (name) {
    case 'Int':
      return rnd.int(0, 30);
    case 'Float':
      return rnd.pick([0, 1.5, 50.45, 30.52, -10]);
    case 'Boolean':
      return rnd.chance(0.5);
    case 'ID':
      return rnd.pick([DEMO_PERSONAS.patient.id, DEMO_PERSONAS.doctor.id, '00000000-0000-4000-8000-000000000000', 'abc']);
    case 'Date':
      return rnd.pick(VALID_DATES);
    case 'DateTime':
      return rnd.pick(VALID_DATETIMES);
    default:
      return rnd.pick(['Київ', 'Петренко', 'a', '+380501234567', 'user@example.com', 'THERAPIST']);
  }
}

let collector: Set<string> | undefined;

/**
 * Runs `fn` (synchronous), adding to `into` the name of every enum and scalar type that got a
 * hostile value meanwhile: the run's coverage of the schema's input types.
 */
export function collectHostileTypes<T>(into: Set<string> | undefined, fn: () => T): T {
  const outer = collector;
  collector = into;
  try {
    return fn();
  } finally {
    collector = outer;
  }
}

/** Options of {@link valueFor}. */
export interface ValueOptions {
  /** Probability that a given position gets a hostile value instead of a valid one. */
  hostility: number;
  /** Nesting left (input objects refer to each other). */
  depth?: number;
}

/**
 * A value for an input type: valid at each position with probability `1 - hostility`, otherwise
 * something wrong for that position (wrong type, null for non-null, unknown enum value, missing
 * required fields, unknown fields, too deep, too long, an array for an object…).
 */
export function valueFor(type: GraphQLInputType, rnd: Random, opts: ValueOptions): unknown {
  const depth = opts.depth ?? 6;
  const hostile = rnd.chance(opts.hostility);
  if (isNonNullType(type)) {
    if (hostile && rnd.chance(0.2)) return null;
    return valueFor(type.ofType, rnd, { ...opts, depth });
  }
  if (!hostile && rnd.chance(0.1)) return null;
  if (isListType(type)) {
    if (hostile) {
      const kind = rnd.int(0, 5);
      if (kind === 0) return valueFor(type.ofType, rnd, { ...opts, depth: depth - 1 }); // single value (coerced)
      if (kind === 1) return Array.from({ length: rnd.int(1000, 6000) }, () => validLeaf(type, rnd));
      if (kind === 2) return [[valueFor(type.ofType, rnd, { ...opts, depth: depth - 1 })]];
      if (kind === 3) return [null, null];
      if (kind === 4) return wrongShape(rnd);
    }
    return Array.from({ length: rnd.int(0, 3) }, () => valueFor(type.ofType, rnd, { ...opts, depth: depth - 1 }));
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((v) => v.name);
    if (!hostile) return rnd.pick(values);
    collector?.add(type.name);
    const v = rnd.pick(values);
    return rnd.pick<unknown>([
      'UNKNOWN_VALUE',
      v.toLowerCase(),
      `${v} `,
      ` ${v}`,
      '',
      0,
      1,
      true,
      [v],
      { [v]: true },
      '__proto__',
      `${v}\u0000`,
      `${v}\u200b`,
      oddString(rnd),
    ]);
  }
  if (isScalarType(type)) {
    if (hostile) collector?.add(type.name);
    return hostile ? hostileScalar(type.name, rnd) : validScalar(type.name, rnd);
  }
  if (isInputObjectType(type)) {
    if (hostile) {
      const kind = rnd.int(0, 9);
      if (kind === 0) return wrongShape(rnd);
      if (kind === 1) return [objectFor(type, rnd, opts, depth)];
      if (kind === 2) return oddString(rnd);
      if (kind === 3) return deepObject(rnd.int(100, 2000));
      if (kind === 4) return Object.fromEntries(Array.from({ length: rnd.int(200, 3000) }, (_, i) => [`f${i}`, i]));
    }
    const obj = objectFor(type, rnd, opts, depth);
    if (hostile) {
      const fields = Object.keys(obj);
      const kind = rnd.int(0, 4);
      const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
      if (kind === 0 && required.length) delete obj[rnd.pick(required).name];
      else if (kind === 1 && required.length) obj[rnd.pick(required).name] = null;
      else if (kind === 2)
        obj[rnd.pick(['unknownField', 'id', 'personId', 'taxId', 'role', '__typename', 'constructor'])] = rnd.pick<unknown>([1, 'x', true, { a: 1 }]);
      else if (kind === 3) Object.defineProperty(obj, '__proto__', { value: { polluted: true, personId: DEMO_PERSONAS.doctor.id }, enumerable: true });
      else if (fields.length) obj[rnd.pick(fields)] = wrongShape(rnd);
    }
    return obj;
  }
  return wrongShape(rnd);
}

function objectFor(
  type: Parameters<typeof isInputObjectType>[0] & { getFields(): Record<string, { type: GraphQLInputType; defaultValue?: unknown }> },
  rnd: Random,
  opts: ValueOptions,
  depth: number,
): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(type.getFields())) {
    const required = isNonNullType(field.type) && field.defaultValue === undefined;
    if (!required && rnd.chance(0.5)) continue;
    if (depth <= 0 && !required) continue;
    obj[name] = valueFor(field.type, rnd, { ...opts, depth: depth - 1 });
  }
  return obj;
}

function validLeaf(type: GraphQLInputType, rnd: Random): unknown {
  const named = getNamedType(type);
  if (isEnumType(named)) return rnd.pick(named.getValues()).name;
  if (isScalarType(named)) return validScalar(named.name, rnd);
  return {};
}

/** Where an enum or scalar sits inside a variable's type: field names, `[]` for list items. */
export interface LeafPath {
  type: string;
  path: string[];
}

/** Every enum and scalar position inside an input type (input objects walked once per path). */
export function leafPaths(type: GraphQLInputType, path: string[] = [], seen: string[] = []): LeafPath[] {
  if (isNonNullType(type)) return leafPaths(type.ofType, path, seen);
  if (isListType(type)) return leafPaths(type.ofType, [...path, '[]'], seen);
  if (isInputObjectType(type)) {
    if (seen.includes(type.name)) return [];
    return Object.values(type.getFields()).flatMap((f) => leafPaths(f.type, [...path, f.name], [...seen, type.name]));
  }
  return [{ type: getNamedType(type).name, path }];
}

/** A valid value of `type` except at `path`, where the enum or scalar gets an invalid value. */
export function valueWithHostileAt(type: GraphQLInputType, path: string[], rnd: Random): unknown {
  if (isNonNullType(type)) return valueWithHostileAt(type.ofType, path, rnd);
  if (path.length === 0) {
    // Forced hostile; unwrapped so that null (valid for a nullable position) is not drawn.
    let v: unknown = null;
    for (let i = 0; i < 5 && v === null; i++) v = valueFor(type, rnd, { hostility: 1 });
    return v;
  }
  const [step, ...rest] = path;
  if (isListType(type)) return [valueWithHostileAt(type.ofType, rest, rnd)];
  if (isInputObjectType(type)) {
    const obj = valueFor(type, rnd, { hostility: 0, depth: 3 }) as Record<string, unknown> | null;
    const fields = type.getFields();
    return { ...(obj ?? {}), [step]: valueWithHostileAt(fields[step].type, rest, rnd) };
  }
  return valueFor(type, rnd, { hostility: 1 });
}
