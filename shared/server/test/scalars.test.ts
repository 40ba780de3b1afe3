import { buildSchema, getVariableValues, parse, validate, type OperationDefinitionNode } from 'graphql';
import { DateScalar, DateTimeScalar, useSharedScalars } from '../src/scalars';

describe('Date', () => {
  it.each(['2020-02-29', '2024-12-31', '1990-01-01', '0050-03-01'])('accepts %s', (v) => {
    expect(DateScalar.parseValue(v)).toBe(v);
  });
  it.each(['2020-02-30', '2021-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-1', '20240101', '', 20240101, null])('refuses %p', (v) => {
    expect(() => DateScalar.parseValue(v)).toThrow(/Date must be YYYY-MM-DD/);
  });
});

describe('DateTime', () => {
  it.each(['2024-05-01T10:00:00Z', '2024-05-01T13:00:00.123+03:00', '2024-02-29T23:59:59-05:00', '2024-05-01T10:00Z'])('accepts %s', (v) => {
    expect((DateTimeScalar.parseValue(v) as Date).getTime()).toBe(new Date(v).getTime());
  });
  it.each([
    '2020-02-30T00:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T10:60:00Z',
    '2024-05-01T10:00:00',
    '2024-05-01',
    'March 7, 2020',
    '1714557600000',
    '2024-05-01T10:00:00+25:00',
  ])('refuses %p', (v) => {
    expect(() => DateTimeScalar.parseValue(v)).toThrow(/DateTime must be ISO 8601/);
  });
  it('serializes what PostgreSQL hands back as UTC ISO 8601', () => {
    expect(DateTimeScalar.serialize(new Date('2024-05-01T13:00:00+03:00'))).toBe('2024-05-01T10:00:00.000Z');
    expect(DateTimeScalar.serialize('2024-05-01 13:00:00+03')).toBe('2024-05-01T10:00:00.000Z');
  });
});

describe('useSharedScalars', () => {
  const sdl = 'scalar Date scalar DateTime type Query { day(on: Date!): Int at(t: DateTime): Int }';

  it('makes a schema built from SDL (the gateway API schema) check literals at validation and variables at coercion', () => {
    const plain = buildSchema(sdl);
    expect(validate(plain, parse('{ day(on: "2020-02-30") }'))).toEqual([]);
    const schema = buildSchema(sdl);
    expect(useSharedScalars(schema)).toEqual(['Date', 'DateTime']);
    expect(validate(schema, parse('{ day(on: "2020-02-30") }')).map((e) => e.message)).toEqual(['Date must be YYYY-MM-DD, got "2020-02-30"']);
    expect(validate(schema, parse('{ day(on: "2020-02-29") }'))).toEqual([]);
    const op = parse('query($d: Date!) { day(on: $d) }').definitions[0] as OperationDefinitionNode;
    const { errors } = getVariableValues(schema, op.variableDefinitions!, { d: '2020-02-30' });
    expect(errors?.map((e) => e.message)).toEqual(['Variable "$d" got invalid value "2020-02-30"; Date must be YYYY-MM-DD, got "2020-02-30"']);
  });
});
