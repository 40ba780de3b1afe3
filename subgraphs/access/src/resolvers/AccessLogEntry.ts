import type { AccessLogEntryResolvers } from '../generated/graphql';

/** An access log entry; the cabinet is loaded in one batch for the whole page. */
export const AccessLogEntry = {
  cabinet: (e, _, ctx) => (e.cabinetId ? ctx.loaders.cabinetById.load(e.cabinetId) : null),
} satisfies AccessLogEntryResolvers;
