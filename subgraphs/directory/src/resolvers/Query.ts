import type { QueryResolvers } from '../generated/graphql';
import { selects } from './selects';

/** Query root of the directory subgraph: public reads, no token needed. */
export const Query = {
  doctor: (_, { id }, ctx) => ctx.directory.doctor(id),
  division: (_, { id }, ctx) => ctx.directory.division(id),
  legalEntity: (_, { id }, ctx) => ctx.directory.legalEntity(id),
  searchDoctors: (_, args, ctx, info) => ctx.directory.searchDoctors(args, selects(info, 'totalCount')),
} satisfies QueryResolvers;
