import type { AccessContext } from '../context';

/** Mutations of the access subgraph; grantAccess and setCabinetBlocked are internal (@inaccessible). */
export const Mutation = {
  revokeAccessGrant: (_: unknown, { input }: { input: { id: string } }, ctx: AccessContext) => ctx.grants.revoke(input.id),
  grantAccess: (_: unknown, { input }: { input: { personId: string; cabinetId: string; scopes: string[]; expiresAt?: Date | null } }, ctx: AccessContext) =>
    ctx.grants.grant(input),
  setCabinetBlocked: (_: unknown, { input }: { input: { id: string; blocked: boolean } }, ctx: AccessContext) =>
    ctx.grants.setCabinetBlocked(input.id, input.blocked),
};
