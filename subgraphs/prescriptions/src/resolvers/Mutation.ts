import type { MutationResolvers } from '../generated/graphql';

/** Mutations: thin; the rules and authorization live in the services. */
export const Mutation = {
  createPrescription: (_, { input }, ctx) => ctx.prescriptions.create(input),
  rejectPrescription: (_, { input }, ctx) => ctx.prescriptions.reject(input),
  dispensePrescription: (_, { input }, ctx) => ctx.dispenses.dispense(input),
} satisfies MutationResolvers;
