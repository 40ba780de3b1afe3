import type { AccessContext } from '../context';
import type { AccessGrantStatus } from '../domain/grants';

/** Access-management fields of Person; the person's record itself is the identity subgraph's. */
export const Person = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  accessGrants: (p: { id: string }, args: { status?: AccessGrantStatus[] | null; cabinetName?: string | null }, ctx: AccessContext) =>
    ctx.grants.forPerson(p.id, args.status, args.cabinetName),
  accessLog: (p: { id: string }, args: { first?: number | null; after?: string | null }, ctx: AccessContext) =>
    ctx.accessLog.page(p.id, args.first, args.after),
};
