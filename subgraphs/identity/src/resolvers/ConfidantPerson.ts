import type { IdentityContext } from '../context';
import { type ConfidantPerson as ConfidantPersonData, isConfidantActive } from '../domain/personData';

/** A legal representative; `active` depends on today's date, so it is derived per request. */
export const ConfidantPerson = {
  active: (confidant: ConfidantPersonData, _: unknown, ctx: IdentityContext) => isConfidantActive(confidant, ctx.persons.today),
};
