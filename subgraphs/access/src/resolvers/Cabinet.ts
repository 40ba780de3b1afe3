import type { AccessContext } from '../context';

/** A cabinet: public facts (name, kind, website), resolvable by id from other subgraphs. */
export const Cabinet = {
  __resolveReference: (ref: { id: string }, ctx: AccessContext) => (/^[0-9a-f-]{36}$/i.test(ref.id) ? ctx.loaders.cabinetById.load(ref.id) : null),
};
