import type { PersonChangeRow } from '../loaders/createLoaders';

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** A change-history entry: stored columns renamed to the API's words, values as JSON text. */
export const PersonChange = {
  at: (c: PersonChangeRow) => c.changedAt,
  cabinetId: (c: PersonChangeRow) => c.clientId,
  changedBy: (c: PersonChangeRow) => c.subject,
  changes: (c: PersonChangeRow) => Object.keys(c.newValues).map((field) => ({ field, oldValue: json(c.oldValues[field]), newValue: json(c.newValues[field]) })),
};
