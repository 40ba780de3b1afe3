import { DateScalar, DateTimeScalar } from '@pc/server';
import type { Resolvers } from '../generated/graphql';
import { Dispense } from './Dispense';
import { Mutation } from './Mutation';
import { Person } from './Person';
import { Prescription } from './Prescription';

/** Every resolver of the prescriptions subgraph, one file per type, checked against the generated types. */
export const resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Mutation, Person, Prescription, Dispense } satisfies Resolvers;
