import { DateScalar, DateTimeScalar } from '@pc/server';
import { Person } from './Person';
import { Query } from './Query';

/** Every resolver of the identity subgraph, one file per type. */
export const resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Query, Person };
