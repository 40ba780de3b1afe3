import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildManifest, composeSupergraph, readCabinetFolders, readManifests, readSubgraphList, repoRoot, subgraphSchemaPath, validateManifests } from '../src';

const supergraph = () => readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8');

describe('persisted query lists', () => {
  it('exist for every cabinet folder and are up to date (run `npm run persisted-queries` if this fails)', async () => {
    const committed = readManifests();
    for (const folder of Object.keys(readCabinetFolders())) {
      expect(committed[folder]).toEqual(await buildManifest(folder));
    }
  });

  it('use Apollo manifest format with id = sha256(body)', () => {
    for (const m of Object.values(readManifests())) {
      expect(m).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
      for (const op of m.operations) expect(op.id).toBe(createHash('sha256').update(op.body).digest('hex'));
    }
  });

  it('every listed operation validates against the current supergraph', () => {
    expect(validateManifests(supergraph())).toEqual([]);
  });

  it('a schema change that breaks a listed operation is caught', () => {
    // Remove `fullName` from Doctor in a copy of the directory schema: partners query it.
    const broken = composeSupergraph(readSubgraphList(), (name) => {
      const sdl = readFileSync(subgraphSchemaPath(name), 'utf8');
      return name === 'directory' ? sdl.replace(/^\s*(".*"\s*\n\s*)?fullName: String!\s*$/m, '') : sdl;
    });
    const problems = validateManifests(broken);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.flatMap((p) => p.errors).join('\n')).toContain('fullName');
  });
});
