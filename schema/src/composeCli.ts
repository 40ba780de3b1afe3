/**
 * `npm run compose`: from the composition list (schema/subgraphs.json) writes
 * schema/supergraph.graphql (every subgraph's schema.graphql composed) and
 * docker/docker-compose.yml and the Kubernetes manifests in docker/k8s/. Tests fail when a
 * committed file is stale.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { composeSupergraph } from './compose';
import { dockerComposeFile } from './dockerCompose';
import { kubernetesManifests } from './kubernetes';
import { readSubgraphList, repoRoot } from './subgraphList';

try {
  const list = readSubgraphList();
  const outputs: [string, string][] = [
    [join(repoRoot, 'schema', 'supergraph.graphql'), composeSupergraph(list)],
    [join(repoRoot, 'docker', 'docker-compose.yml'), dockerComposeFile(list)],
  ];
  // Generated whole: a subgraph removed from the list leaves no manifest behind.
  const k8s = join(repoRoot, 'docker', 'k8s');
  for (const dir of ['base', 'overlays']) rmSync(join(k8s, dir), { recursive: true, force: true });
  for (const [path, text] of Object.entries(kubernetesManifests(list))) outputs.push([join(k8s, path), text]);
  for (const [path, text] of outputs) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
