import type { PersonChangeResolvers } from '../generated/graphql';

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** A change-history entry: stored columns renamed to the API's words, values as JSON text. */
export const PersonChange = {
  at: (c) => c.changedAt,
  cabinetId: (c) => c.clientId,
  changedBy: (c) => c.subject,
  changes: (c) => Object.keys(c.newValues).map((field) => ({ field, oldValue: json(c.oldValues[field]), newValue: json(c.newValues[field]) })),
} satisfies PersonChangeResolvers;
