import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import config, { generates } from '../../codegen';
import type { AccessGrantResolvers, MutationResolvers } from '@pc/access/src/generated/graphql';
import { readSubgraphList, repoRoot } from '../src/subgraphList';

type CodegenSections = ReturnType<typeof generates>;

/**
 * Runs the root codegen config into memory (GraphQL Code Generator's `generate` without saving),
 * in a child process: the CLI loads ES modules that jest's CommonJS runtime cannot. Returns file
 * name (relative to the root) → content.
 */
async function generateInMemory(sections: CodegenSections): Promise<Map<string, string>> {
  const script = `require('@graphql-codegen/cli').generate({ ...JSON.parse(process.env.CODEGEN_CONFIG), cwd: process.cwd(), silent: true }, false)
    .then((files) => process.stdout.write(JSON.stringify(files)), (e) => { console.error(e); process.exit(1); })`;
  const env = { ...process.env, NODE_OPTIONS: '', CODEGEN_CONFIG: JSON.stringify({ ...config, generates: sections }) };
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: repoRoot, env, maxBuffer: 64 << 20 });
  const files = JSON.parse(stdout) as { filename: string; content: string }[];
  return new Map(files.map((f) => [f.filename.replace(`${repoRoot}/`, ''), f.content]));
}

describe('generated resolver types (npm run codegen)', () => {
  it('covers every subgraph of schema/subgraphs.json', () => {
    expect(Object.keys(generates()).sort()).toEqual(
      readSubgraphList()
        .map((s) => `subgraphs/${s.name}/src/generated/graphql.ts`)
        .sort(),
    );
  });

  it('are up to date with each schema.graphql and resolvers/mappers.ts', async () => {
    const fresh = await generateInMemory(generates());
    expect([...fresh.keys()].sort()).toEqual(Object.keys(generates()).sort());
    for (const [file, content] of fresh) {
      // On failure: run `npm run codegen` and commit the result.
      expect({ file, upToDate: readFileSync(join(repoRoot, file), 'utf8') === content }).toEqual({ file, upToDate: true });
    }
  });

  it('a schema change not followed by codegen makes them stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
    try {
      const [name] = readSubgraphList().map((s) => s.name);
      const file = `subgraphs/${name}/src/generated/graphql.ts`;
      const changed = join(dir, 'schema.graphql');
      writeFileSync(changed, `${readFileSync(join(repoRoot, 'subgraphs', name, 'schema.graphql'), 'utf8')}\ntype CodegenProbe { id: ID! }\n`);
      const section = generates()[file] as object;
      const fresh = await generateInMemory({ [file]: { ...section, schema: changed } });
      expect(fresh.get(file)).toContain('CodegenProbe');
      expect(fresh.get(file)).not.toBe(readFileSync(join(repoRoot, file), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('type resolvers by the schema and by the mappers (checked by tsc, which npm test runs first)', () => {
    const checked = {
      // The parent is the mapper (the AccessGrant entity), not the GraphQL type: cabinetId exists.
      cabinet: (g, _args, ctx) => ctx.loaders.cabinetById.load(g.cabinetId).then((c) => c ?? Promise.reject(new Error('missing'))),
      // @ts-expect-error a nullable result for the non-null AccessGrant.status
      status: () => null,
    } satisfies AccessGrantResolvers;
    const typo = {
      // @ts-expect-error a resolver for a field the schema does not have
      grantedBy: () => 'someone',
    } satisfies AccessGrantResolvers;
    const mutation = {
      // @ts-expect-error the generated RevokeAccessGrantInput has no personId
      revokeAccessGrant: (_, { input }, ctx) => ctx.grants.revoke(input.personId),
    } satisfies MutationResolvers;
    expect(Object.keys({ ...checked, ...typo, ...mutation })).toEqual(['cabinet', 'status', 'grantedBy', 'revokeAccessGrant']);
  });
});
