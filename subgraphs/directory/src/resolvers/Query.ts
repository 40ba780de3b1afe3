import type { DirectoryContext } from '../context';
import type { SearchDoctorsArgs } from '../domain/searchArgs';

/** Query root of the directory subgraph: public reads, no token needed. */
export const Query = {
  doctor: (_: unknown, { id }: { id: string }, ctx: DirectoryContext) => ctx.directory.doctor(id),
  division: (_: unknown, { id }: { id: string }, ctx: DirectoryContext) => ctx.directory.division(id),
  legalEntity: (_: unknown, { id }: { id: string }, ctx: DirectoryContext) => ctx.directory.legalEntity(id),
  searchDoctors: (_: unknown, args: SearchDoctorsArgs, ctx: DirectoryContext) => ctx.directory.searchDoctors(args),
};
