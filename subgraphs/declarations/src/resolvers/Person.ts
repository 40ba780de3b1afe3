import type { PersonResolvers } from '../generated/graphql';

/** Person, extended with the person's declarations; who may read them is decided in DeclarationService. */
export const Person = {
  __resolveReference: (ref) => ({ id: ref.id }),
  declarations: (p, args, ctx) => ctx.declarations.ofPerson(p.id, args.status),
  activeDeclaration: (p, _, ctx) => ctx.declarations.currentOf(p.id),
  declarationRequests: (p, args, ctx) => ctx.declarations.requestsOf(p.id, args.status),
} satisfies PersonResolvers;
