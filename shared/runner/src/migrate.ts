/**
 * Runs every subgraph's migrations against DATABASE_URL and exits: the Kubernetes Job that goes
 * before a rollout (k8s/base/migrate.yaml, written by `npm run k8s`), `node dist/shared/runner/src/migrate.js`. The
 * subgraphs are those of the composition list; each one's migrations are those its module lists.
 * A service that starts later finds nothing left to run.
 */
import { createDataSource, openDatabase } from '@pc/db';
import { createLogger } from '@pc/logging';
import { readSubgraphList } from '@pc/schema';
import type { SubgraphModule } from '@pc/server';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const log = createLogger({ service: 'migrate', level: 'info' });
  for (const { name } of readSubgraphList()) {
    // The list names the packages; each is loaded when its turn comes.
    const mod = ((await import(`@pc/${name}`)) as { subgraph: SubgraphModule }).subgraph;
    // Two connections: openDatabase holds one for the advisory lock while the migrations run on another.
    const ds = createDataSource({ url, schema: mod.name, entities: mod.entities, migrations: mod.migrations, poolSize: 2, log });
    const started = Date.now();
    await openDatabase(ds);
    await ds.destroy();
    log.info({ subgraph: name, ms: Date.now() - started }, 'migrated');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
