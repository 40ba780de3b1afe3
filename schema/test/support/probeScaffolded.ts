/**
 * Run inside a throw-away checkout (see newSubgraph.e2e.test.ts) after `npm run new:subgraph --
 * <name>`: starts that checkout's whole system through the test harness in production mode
 * (`startSystem({ production: true })`: JWKS issuer, random internal secret, Redis when
 * TEST_REDIS_URL is set; free-form operations allowed to the state cabinet, since a new domain's
 * operations are in no persisted list yet) and prints, as JSON, what the gateway answered.
 */
import { startSystem } from '@pc/e2e';

async function main(): Promise<void> {
  const name = process.argv[2];
  const sys = await startSystem({ production: true, edge: { stateFreeForm: true } });
  try {
    const read = `query Read${name} { me { id ${name}Items { title } } }`;
    const patient = await sys.token('patient');
    const withScope = await sys.query(read, {}, patient);
    const withoutScope = await sys.query(read, {}, await sys.token({ scopes: ['person:read'] }));
    // The access log is written in the background (every 50 ms): wait for the read to show.
    const logQuery = '{ me { accessLog(first: 20) { edges { node { action resource operationName } } } } }';
    let accessLog: unknown;
    for (let i = 0; i < 40; i++) {
      accessLog = await sys.query(logQuery, {}, patient);
      if (JSON.stringify(accessLog).includes(`Read${name}`)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write(JSON.stringify({ withScope, withoutScope, accessLog }));
  } finally {
    await sys.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
