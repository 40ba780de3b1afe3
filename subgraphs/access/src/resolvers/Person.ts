import type { PersonResolvers } from '../generated/graphql';

/** Access-management fields of Person; the person's record itself is the identity subgraph's. */
export const Person = {
  __resolveReference: (ref) => ({ id: ref.id }),
  accessGrants: (p, args, ctx) => ctx.grants.forPerson(p.id, args.status, args.cabinetName),
  accessLog: (p, args, ctx) => ctx.accessLog.page(p.id, args.first, args.after),
} satisfies PersonResolvers;
