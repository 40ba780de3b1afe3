import { GraphQLError, GraphQLScalarType, Kind, isScalarType, type GraphQLSchema } from 'graphql';

/**
 * The custom scalars of the supergraph, defined once. Subgraphs put them in their resolver maps;
 * the gateway installs the same parsing into its API schema ({@link useSharedScalars}), so an
 * impossible date is refused at the edge (a literal at validation, a variable at coercion) and
 * never reaches a subgraph.
 */

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Whether year-month-day is a real calendar day (no 2020-02-30, no month 13). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, no 0–99 → 1900s mapping
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE_RE.test(value) || !isCalendarDay(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)))) {
    throw badInput(`Date must be YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `Date`: a calendar date `YYYY-MM-DD` (api.md). Kept as a string end to end: no time zone can shift it. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : parseDate(v)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** ISO 8601 date and time with a zone: `2024-05-01T10:00:00Z`, `2024-05-01T13:00:00.123+03:00`. */
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-](\d{2}):(\d{2}))$/;

function parseDateTime(value: unknown): Date {
  const m = typeof value === 'string' ? DATE_TIME_RE.exec(value) : null;
  const valid =
    m !== null &&
    isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3])) &&
    Number(m[4]) <= 23 &&
    Number(m[5]) <= 59 &&
    Number(m[6] ?? 0) <= 59 &&
    (m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59));
  const d = valid ? new Date(value as string) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    throw badInput(`DateTime must be ISO 8601 with a time zone (e.g. 2024-05-01T10:00:00Z), got ${JSON.stringify(value)}`);
  }
  return d;
}

/** Output of an instant: whatever the resolver holds (Date or a string PostgreSQL returned), in UTC ISO 8601. */
function serializeDateTime(v: unknown): string {
  const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(v)}`);
  return d.toISOString();
}

/** `DateTime`: an instant, ISO 8601 with zone (UTC on output). */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with time zone',
  serialize: serializeDateTime,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Every custom scalar of the supergraph, by name. */
export const sharedScalars: readonly GraphQLScalarType[] = [DateScalar, DateTimeScalar];

/**
 * Gives the scalars of a schema built from SDL (the gateway's API schema, whose custom scalars
 * accept anything) the shared parsing and serialization, in place. Returns the names installed.
 */
export function useSharedScalars(schema: GraphQLSchema): string[] {
  const installed: string[] = [];
  for (const shared of sharedScalars) {
    const type = schema.getType(shared.name);
    if (!type || !isScalarType(type)) continue;
    type.serialize = shared.serialize;
    type.parseValue = shared.parseValue;
    type.parseLiteral = shared.parseLiteral;
    installed.push(shared.name);
  }
  return installed;
}
