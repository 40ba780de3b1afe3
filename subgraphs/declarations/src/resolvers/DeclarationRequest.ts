import type { DeclarationsContext } from '../context';
import type { DeclarationRequest as RequestRow } from '../entities/DeclarationRequest';

/** DeclarationRequest: owners' entities as keys; the signed declaration through a loader. */
export const DeclarationRequest = {
  __resolveReference: (ref: { id: string }, ctx: DeclarationsContext) => ctx.declarations.requestById(ref.id),
  person: (r: RequestRow) => ({ __typename: 'Person', id: r.personId }),
  doctor: (r: RequestRow) => ({ __typename: 'Doctor', id: r.doctorId }),
  division: (r: RequestRow) => ({ __typename: 'Division', id: r.divisionId }),
  declaration: (r: RequestRow, _: unknown, ctx: DeclarationsContext) => (r.status === 'SIGNED' ? ctx.declarations.ofRequest(r.id) : null),
};
