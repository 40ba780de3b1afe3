import type { SubgraphModule } from '@pc/server';
import { describeSubgraphContract } from '@pc/testing';
import { readSubgraphList, subgraphSchemaPath } from '../src';

// Every subgraph in the composition list keeps the same contract; a new domain is covered by
// adding its line to schema/subgraphs.json.
for (const { name } of readSubgraphList()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = (require(`@pc/${name}`) as { subgraph: SubgraphModule }).subgraph;
  describeSubgraphContract(mod, subgraphSchemaPath(name));
}
