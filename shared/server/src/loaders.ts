/**
 * Orders batch results by key, as DataLoader requires: `rows` come back from SQL in any
 * order; missing keys get `fallback` (null by default).
 */
export function byKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K, fallback: R | null = null): (R | null)[] {
  const index = new Map<K, R>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((k) => index.get(k) ?? fallback);
}

/** Groups rows by key for one-to-many loaders; every key gets an array (possibly empty). */
export function groupByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const k of keys) groups.set(k, []);
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}
