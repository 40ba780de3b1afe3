import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { subgraphUrlSetting, type SubgraphEntry } from '@pc/schema';
import type { BenchIssuer } from '../auth/benchIssuer';
import { benchPorts } from './benchPorts';
import { spawnService, stopServices, waitReady, type Service } from './processes';

/** Options of {@link startBenchSystem}. */
export interface BenchSystemOptions {
  databaseUrl: string;
  issuer: BenchIssuer;
  /** First of the bench's ports ({@link benchPorts}: gateway, peer, metrics, JWKS, then one per subgraph). */
  portBase: number;
  dataDir: string;
  probeDir: string;
  logDir: string;
  /** `--cpu-prof` output for every process: both gateways and each subgraph. */
  cpuProfDir?: string;
  /** Start Hive Gateway too. */
  withPeer: boolean;
  /** The gateway's REDIS_URL (production runs with Redis); none: in-memory counters and APQ. */
  redisUrl?: string;
  /** The subgraphs to run and the supergraph both gateways serve. */
  subgraphs: SubgraphEntry[];
  supergraphPath: string;
}

/** The running system: our gateway, the peer, every subgraph of the composition list, in production mode. */
export interface BenchSystem {
  services: Service[];
  gateway: Service;
  peer?: Service;
  subgraphs: Service[];
  /** GraphQL URL of each subgraph by name. */
  subgraphUrls: Record<string, string>;
  /** The INTERNAL_TOKEN_SECRET of this run (random, ≥ 32 characters, as production demands). */
  internalTokenSecret: string;
  stop(): Promise<void>;
}

/**
 * Starts every subgraph of the list (normally `schema/subgraphs.json`) as its own process on the bench's ports,
 * then our gateway and (optionally) Hive Gateway on the same subgraphs, all with NODE_ENV=production,
 * a fresh INTERNAL_TOKEN_SECRET and the bench issuer's JWKS.
 */
export async function startBenchSystem(o: BenchSystemOptions): Promise<BenchSystem> {
  const secret = randomBytes(32).toString('base64url');
  const list = o.subgraphs;
  const ports = benchPorts(o.portBase, list);
  const portOf = (e: SubgraphEntry) => ports.subgraphs[e.name];
  const subgraphUrls = Object.fromEntries(list.map((e) => [e.name, `http://127.0.0.1:${portOf(e)}/graphql`]));
  const production = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    INTERNAL_TOKEN_SECRET: secret,
    DATABASE_URL: o.databaseUrl,
    DATA_DIR: o.dataDir,
    HOST: '127.0.0.1',
    // Where a subgraph that calls another finds it (`<NAME>_URL`, from the list).
    ...Object.fromEntries(list.map((e) => [subgraphUrlSetting(e.name), subgraphUrls[e.name]])),
  };
  const common = { probeDir: o.probeDir, logDir: o.logDir };
  const services: Service[] = [];
  const stop = () => stopServices([...services].reverse());
  try {
    const subgraphs = list.map((e) => {
      const env = { ...production, PORT: String(portOf(e)) };
      return spawnService({
        ...common,
        cpuProfDir: o.cpuProfDir,
        name: e.name,
        role: 'subgraph',
        entry: join('subgraphs', e.name, 'src', 'index.ts'),
        env,
        url: subgraphUrls[e.name],
      });
    });
    services.push(...subgraphs);
    await Promise.all(subgraphs.map((s) => waitReady(s, s.url.replace(/\/graphql$/, '/readyz'))));

    const subgraphUrlsEnv = Object.entries(subgraphUrls)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const gateway = spawnService({
      ...common,
      name: 'gateway',
      role: 'gateway',
      entry: join('gateway', 'src', 'index.ts'),
      cpuProfDir: o.cpuProfDir,
      url: `http://127.0.0.1:${ports.gateway}/graphql`,
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(ports.gateway),
        INTERNAL_TOKEN_SECRET: secret,
        DATABASE_URL: o.databaseUrl,
        DATA_DIR: o.dataDir,
        SUBGRAPH_URLS: subgraphUrlsEnv,
        SUPERGRAPH_PATH: o.supergraphPath,
        JWKS_URL: o.issuer.jwksUrl,
        JWT_ISSUER: o.issuer.issuer,
        JWT_AUDIENCE: o.issuer.audience,
        ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
        // The rate limits (600/min per person, 60,000/min per cabinet) would turn a load test into a test of the limiter.
        RATE_LIMIT_POINTS: '1000000000',
        RATE_LIMIT_CABINET_POINTS: '0',
        // Production serves /metrics on its own port (default 9464); keep it inside the bench's range.
        METRICS_PORT: String(ports.metrics),
      },
    });
    services.push(gateway);
    let peer: Service | undefined;
    if (o.withPeer) {
      peer = spawnService({
        ...common,
        name: 'hive',
        role: 'peer',
        entry: join('bench', 'src', 'peer', 'hiveGateway.ts'),
        cpuProfDir: o.cpuProfDir,
        url: `http://127.0.0.1:${ports.peer}/graphql`,
        env: {
          NODE_ENV: 'production',
          PORT: String(ports.peer),
          SUPERGRAPH_PATH: o.supergraphPath,
          SUBGRAPH_URLS: subgraphUrlsEnv,
          JWKS_URL: o.issuer.jwksUrl,
          JWT_ISSUER: o.issuer.issuer,
          JWT_AUDIENCE: o.issuer.audience,
          INTERNAL_TOKEN_SECRET: secret,
        },
      });
      services.push(peer);
    }
    await waitReady(gateway, `http://127.0.0.1:${ports.gateway}/readyz`);
    if (peer) await waitReady(peer, `http://127.0.0.1:${ports.peer}/healthcheck`);
    return { services, gateway, peer, subgraphs, subgraphUrls, internalTokenSecret: secret, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
