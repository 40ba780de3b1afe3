import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompositionError, composeSupergraph, readSubgraphList, repoRoot, subgraphSchemaPath } from '../src';

describe('supergraph', () => {
  it('is up to date with the subgraph schemas (run `npm run compose` if this fails)', () => {
    const committed = readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8');
    expect(composeSupergraph()).toBe(committed);
  });

  it('fails composition with a clear error when subgraphs disagree', () => {
    const entries = readSubgraphList();
    const broken = (name: string) =>
      name === entries[0].name ? readFileSync(subgraphSchemaPath(name), 'utf8') + '\ntype Query { me: Int }\n' : readFileSync(subgraphSchemaPath(name), 'utf8');
    expect(() => composeSupergraph(entries, broken)).toThrow(CompositionError);
  });
});
