import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createLogger } from '@pc/logging';
import { readSubgraphList, repoRoot } from '@pc/schema';
import { startBenchIssuer } from './auth/benchIssuer';
import { runAutocannon } from './load/measure';
import { listedOperation, loadFixtures } from './load/scenarios';
import { summariseProfile } from './report/report';
import { selectPool } from './seed/seedDataset';
import { startBenchSystem } from './system/startBenchSystem';
import { openSubgraphDataSources } from './seed/benchDatabase';
async function main() {
  const url = 'postgres://postgres@127.0.0.1:5432/pc_bench_quick';
  const log = createLogger({ service: 'x', level: 'warn' });
  const mods = ['declarations'].map((n) => require(`@pc/${n}`).subgraph);
  const ds = await openSubgraphDataSources(url, mods, log);
  const poolIds = await selectPool(ds.declarations, 500);
  await ds.declarations.destroy();
  const issuer = await startBenchIssuer(5109);
  const dir = `/tmp/prof-${Date.now()}`; mkdirSync(dir);
  const prof = process.argv.includes('--prof');
  const sys = await startBenchSystem({ databaseUrl: url, issuer, portBase: 5100, dataDir: dir, probeDir: dir, logDir: dir, cpuProfDir: prof ? dir : undefined, gatewayWorkers: 1, withPeer: true, subgraphs: readSubgraphList(), supergraphPath: join(repoRoot, 'schema', 'supergraph.graphql') });
  const pool = new Pool({ connectionString: url });
  const f = await loadFixtures(pool, poolIds, issuer, 10);
  const op = listedOperation('zdorovia', 'PartnerProfile');
  let i = 0;
  for (const [name, svc, flavour] of [['gateway', sys.gateway, 'persisted'], ['hive', sys.peer!, 'text']] as const) {
    const steps = [{ build: () => ({ headers: { authorization: `Bearer ${f.partnerTokens[i++ % f.partnerTokens.length]}` }, body: flavour === 'persisted' ? { operationName: op.name, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } } : { operationName: op.name, query: op.body } }) }];
    await runAutocannon(svc.url, steps, 20, 2);
    const r = await runAutocannon(svc.url, steps, 20, Number(process.env.SECS ?? 8));
    console.log(name, r.rps, r.latencyMs, r.errors, r.sampleError);
  }
  await pool.end();
  const t0 = Date.now(); await sys.stop(); console.log("stopped in", Date.now() - t0, sys.services.map((s) => `${s.name}:${s.child.exitCode}/${s.child.signalCode}`).join(" ")); await issuer.stop();
  if (prof) for (const file of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1]);
    if (pid !== sys.gateway.child.pid) continue;
    const s = summariseProfile(join(dir, file), 30);
    console.log(file); console.table(s.packages); console.table(s.functions);
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
