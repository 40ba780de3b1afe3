import type { AccessLogActorKind, AccessLogEntryResolvers } from '../generated/graphql';

/** The stored `actor_role` as the API names it; a patient acting on someone else's log entry is their representative. */
export function actorKind(e: { actor: string; actorRole: string; personId: string }): AccessLogActorKind {
  switch (e.actorRole) {
    case 'REPRESENTATIVE':
    case 'DOCTOR':
    case 'PHARMACIST':
    case 'SERVICE':
      return e.actorRole;
    default:
      return e.actor === e.personId ? 'PERSON' : 'REPRESENTATIVE';
  }
}

/** An access log entry; the cabinet is loaded in one batch for the whole page. */
export const AccessLogEntry = {
  cabinet: (e, _, ctx) => (e.cabinetId ? ctx.loaders.cabinetById.load(e.cabinetId) : null),
  actor: (e) => {
    const kind = actorKind(e);
    // Rows written before subject_id: a representative's entry in the represented person's log.
    return { id: e.actor, kind, onBehalfOf: e.subjectId ?? (kind === 'REPRESENTATIVE' && e.actor !== e.personId ? e.personId : null) };
  },
} satisfies AccessLogEntryResolvers;
