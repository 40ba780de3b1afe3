import type { DeclarationsContext } from '../context';
import type { Declaration as DeclarationRow } from '../entities/Declaration';

/** Declaration: references to the owners' entities are keys only; the gateway fetches the rest. */
export const Declaration = {
  __resolveReference: (ref: { id: string }, ctx: DeclarationsContext) => ctx.declarations.declarationById(ref.id),
  person: (d: DeclarationRow) => ({ __typename: 'Person', id: d.personId }),
  doctor: (d: DeclarationRow) => ({ __typename: 'Doctor', id: d.doctorId }),
  division: (d: DeclarationRow) => ({ __typename: 'Division', id: d.divisionId }),
  declarationRequest: (d: DeclarationRow, _: unknown, ctx: DeclarationsContext) =>
    d.declarationRequestId ? ctx.loaders.requestById.load(d.declarationRequestId) : null,
};
