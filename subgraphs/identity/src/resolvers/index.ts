import { DateScalar, DateTimeScalar } from '@pc/server';
import type { Resolvers } from '../generated/graphql';
import { ConfidantPerson } from './ConfidantPerson';
import { Mutation } from './Mutation';
import { Person } from './Person';
import { PersonChange } from './PersonChange';
import { Query } from './Query';

/** Every resolver of the identity subgraph, one file per type, checked against the generated types. */
export const resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Query, Mutation, Person, ConfidantPerson, PersonChange } satisfies Resolvers;
