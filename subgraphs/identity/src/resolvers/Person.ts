import type { IdentityContext } from '../context';

/** The Person entity; references from other subgraphs resolve through the per-request loader. */
export const Person = {
  __resolveReference: (ref: { id: string }, ctx: IdentityContext) => ctx.persons.byReference(ref.id),
};
