import type { QueryResolvers } from '../generated/graphql';

/** Query root of the identity subgraph. */
export const Query = {
  me: (_, __, ctx) => ctx.persons.me(),
  person: (_, { id }, ctx) => ctx.persons.byId(id),
} satisfies QueryResolvers;
