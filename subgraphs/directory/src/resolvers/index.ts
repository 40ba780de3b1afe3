import type { Resolvers } from '../generated/graphql';
import { Division } from './Division';
import { Doctor } from './Doctor';
import { LegalEntity } from './LegalEntity';
import { Mutation } from './Mutation';
import { Query } from './Query';

/** Every resolver of the directory subgraph, one file per type, checked against the generated types. */
export const resolvers = { Query, Mutation, Doctor, Division, LegalEntity } satisfies Resolvers;
