import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { selects } from '../src/resolvers/selects';

const schema = buildSchema('type Query { page: Page } type Page { total: Int items: [Int] }');

function seen(query: string): boolean {
  let result = false;
  execute({
    schema,
    document: parse(query),
    rootValue: {
      page: (_: unknown, __: unknown, info: GraphQLResolveInfo) => {
        result = selects(info, 'total');
        return {};
      },
    },
  });
  return result;
}

describe('selects', () => {
  it('finds a field selected directly, in an inline fragment or in a named fragment', () => {
    expect(seen('{ page { total } }')).toBe(true);
    expect(seen('{ page { ... on Page { total } } }')).toBe(true);
    expect(seen('{ page { ...F } } fragment F on Page { items ...G } fragment G on Page { total }')).toBe(true);
  });

  it('is false when the field is not asked for', () => {
    expect(seen('{ page { items } }')).toBe(false);
    expect(seen('{ page { ...F } } fragment F on Page { items }')).toBe(false);
  });
});
