import type { DeclarationsContext } from '../context';
import type { DeclarationStatus } from '../entities/Declaration';
import type { DeclarationRequestStatus } from '../entities/DeclarationRequest';

type PersonRef = { id: string };

/** Person, extended with the person's declarations; who may read them is decided in DeclarationService. */
export const Person = {
  __resolveReference: (ref: PersonRef) => ({ id: ref.id }),
  declarations: (p: PersonRef, args: { status?: DeclarationStatus[] | null }, ctx: DeclarationsContext) => ctx.declarations.ofPerson(p.id, args.status),
  activeDeclaration: (p: PersonRef, _: unknown, ctx: DeclarationsContext) => ctx.declarations.currentOf(p.id),
  declarationRequests: (p: PersonRef, args: { status?: DeclarationRequestStatus[] | null }, ctx: DeclarationsContext) =>
    ctx.declarations.requestsOf(p.id, args.status),
};
