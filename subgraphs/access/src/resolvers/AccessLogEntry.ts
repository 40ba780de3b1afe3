import type { AccessContext } from '../context';
import type { AccessLogEntry as Entry } from '../entities/AccessLogEntry';

/** An access log entry; the cabinet is loaded in one batch for the whole page. */
export const AccessLogEntry = {
  cabinet: (e: Entry, _: unknown, ctx: AccessContext) => (e.cabinetId ? ctx.loaders.cabinetById.load(e.cabinetId) : null),
};
