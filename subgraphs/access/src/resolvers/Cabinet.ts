import type { CabinetResolvers } from '../generated/graphql';

/** A cabinet: public facts (name, kind, website), resolvable by id from other subgraphs. */
export const Cabinet = {
  __resolveReference: (ref, ctx) => (/^[0-9a-f-]{36}$/i.test(ref.id) ? ctx.loaders.cabinetById.load(ref.id) : null),
} satisfies CabinetResolvers;
