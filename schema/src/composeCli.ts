/** `npm run compose`: writes schema/supergraph.graphql from every subgraph's schema.graphql. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from './compose';
import { repoRoot } from './subgraphList';

try {
  const sdl = composeSupergraph();
  const out = join(repoRoot, 'schema', 'supergraph.graphql');
  writeFileSync(out, sdl);
  process.stdout.write(`wrote ${out}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
