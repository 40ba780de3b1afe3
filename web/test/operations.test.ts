/**
 * The app's operations are the state cabinet's list: every operation a screen uses is a document
 * of schema/operations/state and is in the committed manifest (schema/persisted-queries/state.json,
 * whose staleness schema/test/persistedQueries.test.ts checks against those documents).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readManifests, operationsDir } from '@pc/schema';

const src = join(__dirname, '..', 'src');

function usedOperations(): string[] {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f) && !f.startsWith('generated'));
  const names = files.flatMap((f) => [...readFileSync(join(src, f), 'utf8').matchAll(/\b([A-Z][A-Za-z0-9]+)Document\b/g)].map((m) => m[1]));
  return [...new Set(names)].sort();
}

describe("the web app's operations", () => {
  it('are all on the state cabinet’s persisted list, from its documents', () => {
    const used = usedOperations();
    expect(used.length).toBeGreaterThanOrEqual(12);
    const listed = new Set(readManifests().state.operations.map((o) => o.name));
    const documents = new Set(readdirSync(join(operationsDir, 'state')).map((f) => f.replace(/\.graphql$/, '')));
    expect(used.filter((n) => !listed.has(n))).toEqual([]);
    expect(used.filter((n) => !documents.has(n))).toEqual([]);
  });
});
