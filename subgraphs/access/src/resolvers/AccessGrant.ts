import type { AccessContext } from '../context';
import { grantStatus } from '../domain/grants';
import type { AccessGrant as Grant } from '../entities/AccessGrant';

/** A grant; its status is computed at read time, so expiry needs no background job. */
export const AccessGrant = {
  __resolveReference: (ref: { id: string }, ctx: AccessContext) => ctx.grants.byReference(ref.id),
  cabinet: (g: Grant, _: unknown, ctx: AccessContext) => ctx.loaders.cabinetById.load(g.cabinetId),
  status: (g: Grant) => grantStatus(g, new Date()),
};
