import type { IdentityContext } from '../context';

/** Query root of the identity subgraph. */
export const Query = {
  me: (_: unknown, __: unknown, ctx: IdentityContext) => ctx.persons.me(),
};
