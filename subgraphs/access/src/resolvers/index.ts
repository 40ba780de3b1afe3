import { DateTimeScalar } from '@pc/server';
import type { Resolvers } from '../generated/graphql';
import { AccessGrant } from './AccessGrant';
import { AccessLogEntry } from './AccessLogEntry';
import { Cabinet } from './Cabinet';
import { Mutation } from './Mutation';
import { Person } from './Person';

/** Every resolver of the access subgraph, one file per type, checked against the generated types. */
export const resolvers = { DateTime: DateTimeScalar, Person, AccessGrant, Cabinet, AccessLogEntry, Mutation } satisfies Resolvers;
