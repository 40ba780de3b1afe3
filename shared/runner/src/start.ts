/**
 * `npm start`: the whole system on one machine. Starts the embedded PostgreSQL (PGlite, data in
 * DATA_DIR) unless DATABASE_URL is set, then every subgraph of the composition list as its own
 * process (each migrates and seeds its demo data), then the gateway; prints where everything is.
 * A process that crashes is restarted with backoff (supervise.ts); after repeated crashes
 * everything stops. Ctrl-C / SIGTERM stops the processes gracefully and closes the database.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { commonSpec, num, parseConfig, port, str } from '@pc/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@pc/db';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { readSubgraphList, repoRoot, subgraphUrlSetting } from '@pc/schema';
import { supervise, type Supervised } from './supervise';
import { developmentTokens, startWebServer, type RunningWebServer } from './webServer';

const config = parseConfig({
  ...commonSpec,
  PORT: port({ default: 4000 }),
  // Added to every subgraph's registry port: a second stack (or a test) beside a running one.
  SUBGRAPH_PORT_OFFSET: num({ default: 0 }),
  /** Where the state cabinet's web app is served. */
  WEB_PORT: port({ default: 4173 }),
  /** Production sign-in of the web app: the OpenID Connect issuer (authorization code + PKCE) and the app's client id. */
  WEB_OIDC_ISSUER: str({ default: '' }),
  WEB_OIDC_CLIENT_ID: str({ default: DEMO_CABINETS.state.id }),
});
const children: Supervised[] = [];
let embedded: EmbeddedPostgres | undefined;
let web: RunningWebServer | undefined;
let stopping = false;
// Run from the compiled tree (`npm run start:prod`, `node dist/shared/runner/src/start.js`): the
// services start from their compiled JavaScript beside it, with no runtime transpiler.
const compiled = __filename.endsWith('.js');
const ext = compiled ? '.js' : '.ts';

/** Starts a service process and restarts it when it crashes (the seeds are idempotent, so a restart re-seeds nothing). */
function startProcess(name: string, entry: string, env: Record<string, string>): Supervised {
  const supervised = supervise({
    name,
    start: () =>
      spawn(process.execPath, compiled ? [entry] : ['-r', '@swc-node/register', entry], {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
      }),
    onGiveUp: () => void stop(1),
  });
  children.push(supervised);
  return supervised;
}

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Whether nothing listens on `port` (127.0.0.1) right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const srv = createServer();
    srv.once('error', () => resolveFree(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolveFree(true)));
  });
}

/**
 * Waits (up to `timeoutMs`) until the services' ports are free: a previous `npm start` that was
 * just stopped may still be finishing its requests on them, and a service started meanwhile would
 * fail to bind and wait for a restart. After the timeout it starts anyway (and says why).
 */
async function waitForFreePorts(ports: number[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  for (;;) {
    const busy: number[] = [];
    for (const p of ports) if (!(await portIsFree(p))) busy.push(p);
    if (busy.length === 0) return;
    if (Date.now() > deadline) {
      process.stderr.write(`ports ${busy.join(', ')} are still in use; starting anyway\n`);
      return;
    }
    if (!said) process.stdout.write(`waiting for ports ${busy.join(', ')} (a previous run still stopping?)\n`);
    said = true;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (stopping) throw new Error('stopping');
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Each process drains for SHUTDOWN_DELAY_MS first; after Ctrl-C (SIGINT to every process) this
  // SIGTERM is their second signal, which skips the delay.
  await web?.close();
  await Promise.all(children.map((c) => c.stop()));
  await embedded?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  const started = Date.now();
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  const dataDir = resolve(config.DATA_DIR);
  let databaseUrl = config.DATABASE_URL;
  let databaseReady: Promise<unknown> = Promise.resolve();
  if (!databaseUrl) {
    // The embedded database opens while the services load their code (both take seconds on
    // 2 cores); the subgraphs retry their connection until it answers.
    const port = await freePort();
    databaseUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    databaseReady = startEmbeddedPostgres({ dataDir: join(dataDir, 'pglite'), port, fromTemplate: true }).then((db) => {
      embedded = db;
      process.stdout.write(`embedded PostgreSQL (PGlite) on ${db.url}, data in ${join(dataDir, 'pglite')}\n`);
    });
  }
  // Names, ports and the `<NAME>_URL` settings by which subgraphs find each other all come from
  // the composition list (schema/subgraphs.json); nothing here names a subgraph.
  const subgraphs = readSubgraphList().map((s) => ({ ...s, port: s.port + config.SUBGRAPH_PORT_OFFSET }));
  const urlOf = (s: { port: number }) => `http://127.0.0.1:${s.port}/graphql`;
  const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [subgraphUrlSetting(s.name), urlOf(s)]));
  const shared = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SEED_DEMO: 'true', ...subgraphUrls };
  await waitForFreePorts([...subgraphs.map((s) => s.port), config.PORT, config.WEB_PORT]);
  // The web app first (its URL is the first thing printed), with the development sign-in: tokens
  // from the gateway's development issuer, the key pair in DATA_DIR (as `npm run token`).
  const distDir = join(repoRoot, 'web', 'dist');
  // Awaited before the gateway starts: the key pair is created once, and both read the same key.
  const devToken = await developmentTokens(process.env, dataDir);
  // The web app is an extra: a busy WEB_PORT leaves the supergraph running without it.
  web = await startWebServer(
    {
      distDir,
      gatewayUrl: `http://127.0.0.1:${config.PORT}/graphql`,
      devToken,
      signIn: config.WEB_OIDC_ISSUER ? { authority: config.WEB_OIDC_ISSUER, clientId: config.WEB_OIDC_CLIENT_ID } : undefined,
    },
    config.WEB_PORT,
  ).catch((err: Error) => {
    process.stderr.write(`web app not served: ${err.message} (WEB_PORT=${config.WEB_PORT})\n`);
    return undefined;
  });
  if (web) process.stdout.write(`web app (state cabinet) ${web.url}\n`);
  for (const s of subgraphs) {
    startProcess(s.name, join('subgraphs', s.name, 'src', `index${ext}`), { ...shared, PORT: String(s.port) });
  }
  await databaseReady;
  // The gateway loads a static supergraph and plans the listed operations without calling the
  // subgraphs, so it starts alongside their migrations and seeds.
  const gatewayPort = config.PORT;
  // The gateway reads grants and appends the access log in the access schema (docs/access.md).
  startProcess('gateway', join('gateway', 'src', `index${ext}`), {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PORT: String(gatewayPort),
    SUBGRAPH_URLS: subgraphs.map((s) => `${s.name}=${urlOf(s)}`).join(','),
  });
  await Promise.all(subgraphs.map((s) => waitReady(`http://127.0.0.1:${s.port}/readyz`)));
  await waitReady(`http://127.0.0.1:${gatewayPort}/readyz`);

  const lines = [
    '',
    `Patient cabinet supergraph ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ...(web ? [`  web app (state cabinet)   ${web.url}${existsSync(join(distDir, 'index.html')) ? '' : ' (building now; npm run build:web)'}`] : []),
    `  gateway + Apollo Sandbox  http://127.0.0.1:${gatewayPort}/graphql`,
    ...subgraphs.map((s) => `  ${s.name.padEnd(24)} ${urlOf(s)} (only through the gateway)`),
    '',
    'Demo personas (npm run --silent token -- --demo <name>):',
    ...Object.entries(DEMO_PERSONAS).map(([k, v]) => `  ${k.padEnd(12)} ${v.role.padEnd(8)} ${v.id}`),
    'Demo cabinets (--client <id>):',
    ...Object.entries(DEMO_CABINETS).map(([k, v]) => `  ${k.padEnd(12)} ${v.kind.padEnd(8)} ${v.id}`),
    '',
    'Try:',
    `  TOKEN=$(npm run --silent token -- --demo patient)`,
    `  curl -s http://127.0.0.1:${gatewayPort}/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ me { id firstName lastName } }"}'`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (web && !existsSync(join(distDir, 'index.html'))) buildWebApp();
}

/** Builds web/dist on a fresh checkout (a few seconds), after the services are up. */
function buildWebApp(): void {
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: join(repoRoot, 'web'),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code) => process.stdout.write(code === 0 ? `web app built: ${web?.url}\n` : `web app build failed (${code}); try npm run build:web\n`));
}

main().catch((err) => {
  process.stderr.write(`npm start failed: ${(err as Error).stack ?? err}\n`);
  void stop(1);
});
