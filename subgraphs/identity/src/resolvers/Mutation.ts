import type { MutationResolvers } from '../generated/graphql';

/** Mutation root: each change of personal data goes through PersonUpdateService. */
export const Mutation = {
  updateContacts: (_, { input }, ctx) => ctx.updates.updateContacts(input),
  updateAddresses: (_, { input }, ctx) => ctx.updates.updateAddresses(input),
  updateDocuments: (_, { input }, ctx) => ctx.updates.updateDocuments(input),
  updateEmergencyContact: (_, { input }, ctx) => ctx.updates.updateEmergencyContact(input),
} satisfies MutationResolvers;
