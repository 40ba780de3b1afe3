/**
 * `npm run compose`: from the composition list (schema/subgraphs.json) writes
 * schema/supergraph.graphql (every subgraph's schema.graphql composed) and
 * docker/docker-compose.yml. Tests fail when a committed file is stale. (The Kubernetes manifests
 * are a build artifact: `npm run k8s`, run by `npm run build`.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { composeSupergraph } from './compose';
import { dockerComposeFile } from './dockerCompose';
import { readSubgraphList, repoRoot } from './subgraphList';

try {
  const list = readSubgraphList();
  const outputs: [string, string][] = [
    [join(repoRoot, 'schema', 'supergraph.graphql'), composeSupergraph(list)],
    [join(repoRoot, 'docker', 'docker-compose.yml'), dockerComposeFile(list)],
  ];
  for (const [path, text] of outputs) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
