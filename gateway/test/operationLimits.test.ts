import { ApolloServer } from '@apollo/server';
import { getComplexity } from 'graphql-query-complexity';
import { COST_KEY_MAX, operationLimitsPlugin } from '../src/edge/operationLimits';
import { operationInputPlugin } from '../src/pipeline/operationInput';
import type { GatewayContext } from '../src/context';

// The estimate, counted: the real graphql-query-complexity behind a spy.
jest.mock('graphql-query-complexity', () => {
  const actual = jest.requireActual<typeof import('graphql-query-complexity')>('graphql-query-complexity');
  return { ...actual, getComplexity: jest.fn(actual.getComplexity) };
});

const typeDefs = `
  type Doctor { id: ID! divisions: [Division!]! }
  type Division { id: ID! name: String! }
  type DoctorEdge { node: Doctor! }
  type DoctorConnection { edges: [DoctorEdge!]! }
  input Filter { name: String, speciality: String }
  type Query { searchDoctors(first: Int, note: String, filter: Filter): DoctorConnection! }
`;
const resolvers = { Query: { searchDoctors: () => ({ edges: [] }) } };
const QUERY =
  'query Find($first: Int, $note: String, $filter: Filter) { searchDoctors(first: $first, note: $note, filter: $filter) { edges { node { id divisions { id name } } } } }';

describe('operation limits: the cost estimate per document and variables', () => {
  let server: ApolloServer<GatewayContext>;
  const estimate = jest.mocked(getComplexity);
  const run = async (variables: Record<string, unknown>) => {
    const res = await server.executeOperation({ query: QUERY, variables }, { contextValue: {} as GatewayContext });
    return res.body.kind === 'single' ? (res.body.singleResult.errors?.map((e) => e.extensions?.code) ?? []) : ['?'];
  };

  beforeAll(async () => {
    server = new ApolloServer<GatewayContext>({ typeDefs, resolvers, plugins: [operationInputPlugin(), operationLimitsPlugin({ maxCost: 500 })] });
    await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => estimate.mockClear());

  it('is computed once for a repeated operation with the same variables', async () => {
    for (let i = 0; i < 3; i++) expect(await run({ first: 5 })).toEqual([]);
    expect(estimate).toHaveBeenCalledTimes(1);
  });

  it('is computed again for other variables: a larger `first` is refused, the small one still served', async () => {
    expect(await run({ first: 5 })).toEqual([]);
    expect(await run({ first: 400 })).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(await run({ first: 400 })).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(await run({ first: 5 })).toEqual([]);
    expect(estimate).toHaveBeenCalledTimes(1); // first: 5 was known from the test before; first: 400 once
  });

  it('is not remembered for variables too long to be a key (each such request is estimated)', async () => {
    const note = 'x'.repeat(COST_KEY_MAX);
    expect(await run({ first: 5, note })).toEqual([]);
    expect(await run({ first: 5, note })).toEqual([]);
    expect(estimate).toHaveBeenCalledTimes(2);
  });

  it('is not estimated for variables that do not coerce (refused as BAD_USER_INPUT; thousands of unknown fields made the estimate quadratic)', async () => {
    const filter = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}`, i]));
    // The plugins in the gateway's order: operationInputPlugin refuses it; Apollo still runs the limits' hook.
    expect(await run({ first: 5, filter })).toEqual(['BAD_USER_INPUT']);
    expect(estimate).not.toHaveBeenCalled();
  });
});
