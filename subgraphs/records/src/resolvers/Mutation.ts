import type { MutationResolvers } from '../generated/graphql';

/** Mutations: thin; the rules and authorization live in RecordWrites. */
export const Mutation = {
  recordEncounter: (_, { input }, ctx) => ctx.writes.recordEncounter(input),
  recordDiagnosticReport: (_, { input }, ctx) => ctx.writes.recordDiagnosticReport(input),
  markEnteredInError: (_, { input }, ctx) => ctx.writes.markEnteredInError(input),
} satisfies MutationResolvers;
