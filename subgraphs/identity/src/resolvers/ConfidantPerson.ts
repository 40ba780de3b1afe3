import { isConfidantActive } from '../domain/personData';
import type { ConfidantPersonResolvers } from '../generated/graphql';

/** A legal representative; `active` depends on today's date, so it is derived per request. */
export const ConfidantPerson = {
  active: (confidant, _, ctx) => isConfidantActive(confidant, ctx.persons.today),
} satisfies ConfidantPersonResolvers;
