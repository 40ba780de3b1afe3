import type { MutationResolvers } from '../generated/graphql';

/** Mutations: thin; the rules and authorization live in the services. */
export const Mutation = {
  submitDeclarationRequest: (_, { input }, ctx) => ctx.requests.submit(input),
  cancelDeclarationRequest: (_, { input }, ctx) => ctx.requests.cancel(input),
  terminateDeclaration: (_, { input }, ctx) => ctx.declarations.terminate(input),
  signDeclarationRequest: (_, { input }, ctx) => ctx.requests.sign(input),
  rejectDeclarationRequest: (_, { input }, ctx) => ctx.requests.reject(input),
} satisfies MutationResolvers;
