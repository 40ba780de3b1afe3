import { DateScalar, DateTimeScalar } from '@pc/server';
import type { Resolvers } from '../generated/graphql';
import { Mutation } from './Mutation';
import { Person } from './Person';
import { Condition, DiagnosticReport, Encounter, Observation } from './records';

/** Every resolver of the records subgraph, checked against the generated types (npm run codegen). */
export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Mutation,
  Person,
  Encounter,
  Condition,
  DiagnosticReport,
  Observation,
} satisfies Resolvers;
