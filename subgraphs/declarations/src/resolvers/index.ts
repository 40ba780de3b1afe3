import { DateScalar, DateTimeScalar } from '@pc/server';
import type { Resolvers } from '../generated/graphql';
import { Declaration } from './Declaration';
import { DeclarationRequest } from './DeclarationRequest';
import { Doctor } from './Doctor';
import { Mutation } from './Mutation';
import { Person } from './Person';

/** Every resolver of the declarations subgraph, one file per type, checked against the generated types. */
export const resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Mutation, Person, Doctor, Declaration, DeclarationRequest } satisfies Resolvers;
