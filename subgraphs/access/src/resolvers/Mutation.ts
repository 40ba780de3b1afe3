import type { MutationResolvers } from '../generated/graphql';

/** Mutations of the access subgraph; grantAccess and setCabinetBlocked are internal (@inaccessible). */
export const Mutation = {
  revokeAccessGrant: (_, { input }, ctx) => ctx.grants.revoke(input.id),
  grantAccess: (_, { input }, ctx) => ctx.grants.grant(input),
  setCabinetBlocked: (_, { input }, ctx) => ctx.grants.setCabinetBlocked(input.id, input.blocked),
} satisfies MutationResolvers;
