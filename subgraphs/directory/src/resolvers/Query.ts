import type { GraphQLResolveInfo } from 'graphql';
import type { DirectoryContext } from '../context';
import type { SearchDoctorsArgs } from '../domain/searchArgs';
import { selects } from './selects';

/** Query root of the directory subgraph: public reads, no token needed. */
export const Query = {
  doctor: (_: unknown, { id }: { id: string }, ctx: DirectoryContext) => ctx.directory.doctor(id),
  division: (_: unknown, { id }: { id: string }, ctx: DirectoryContext) => ctx.directory.division(id),
  legalEntity: (_: unknown, { id }: { id: string }, ctx: DirectoryContext) => ctx.directory.legalEntity(id),
  searchDoctors: (_: unknown, args: SearchDoctorsArgs, ctx: DirectoryContext, info: GraphQLResolveInfo) =>
    ctx.directory.searchDoctors(args, selects(info, 'totalCount')),
};
