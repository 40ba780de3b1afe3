import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One entry of the composition list. */
export interface SubgraphEntry {
  /** Folder under `subgraphs/`, package `@pc/<name>`, PostgreSQL schema, docker-compose service. */
  name: string;
  /** Default port (overridable with PORT in that subgraph's environment). */
  port: number;
}

/** The repository root. */
export const repoRoot = resolve(__dirname, '..', '..');

/** Port of the gateway; no subgraph may take it. */
export const GATEWAY_PORT = 4000;

/** Path of the registry, `schema/subgraphs.json`, of a checkout. */
export const subgraphListPath = (root: string = repoRoot): string => join(root, 'schema', 'subgraphs.json');

/**
 * The composition list, `schema/subgraphs.json`: adding a domain is a folder under `subgraphs/`
 * plus one line here (`npm run new:subgraph -- <name>` writes both). The runner, the composer,
 * the docker-compose generator, the test harness and the bench all read it, and derive from it
 * every name, port and `<NAME>_URL` setting. Order matters only to the test harness, which
 * starts the subgraphs one after another: a subgraph that calls others comes after them.
 */
export function readSubgraphList(root: string = repoRoot): SubgraphEntry[] {
  return checkSubgraphList(JSON.parse(readFileSync(subgraphListPath(root), 'utf8')) as SubgraphEntry[]);
}

/** A subgraph name: lowercase letters (it is a folder, a package, a PostgreSQL schema, a service and part of an env name). */
export const SUBGRAPH_NAME = /^[a-z]{2,30}$/;

/** Names taken by the other services of docker-compose.yml, the top-level packages (@pc/gateway…), or PostgreSQL's `public` schema. */
export const RESERVED_SUBGRAPH_NAMES: readonly string[] = ['gateway', 'postgres', 'redis', 'public', 'schema', 'bench'];

/** Why `name` cannot be a subgraph's name, or null when it can. */
export function subgraphNameProblem(name: string): string | null {
  if (!SUBGRAPH_NAME.test(name))
    return `"${name}" is not a subgraph name: 2-30 lowercase letters (a folder, package, PostgreSQL schema, compose service and env prefix)`;
  if (RESERVED_SUBGRAPH_NAMES.includes(name)) return `"${name}" is taken (${RESERVED_SUBGRAPH_NAMES.join(', ')} are reserved)`;
  return null;
}

/** Refuses a list with a bad or reserved name, a duplicate name or port, or a port outside 1024-65535 or the gateway's. */
export function checkSubgraphList(list: SubgraphEntry[]): SubgraphEntry[] {
  const names = new Set<string>();
  const ports = new Set<number>();
  for (const e of list) {
    const problem = subgraphNameProblem(e.name);
    if (problem) throw new Error(`schema/subgraphs.json: ${problem}`);
    if (!Number.isInteger(e.port) || e.port < 1024 || e.port > 65535 || e.port === GATEWAY_PORT) {
      throw new Error(`schema/subgraphs.json: ${e.name} has port ${e.port} (an integer 1024-65535, not the gateway's ${GATEWAY_PORT})`);
    }
    if (names.has(e.name)) throw new Error(`schema/subgraphs.json: ${e.name} is listed twice`);
    if (ports.has(e.port)) throw new Error(`schema/subgraphs.json: port ${e.port} is listed twice`);
    names.add(e.name);
    ports.add(e.port);
  }
  return list;
}

/** The registry as written: one subgraph per line, so adding one is a one-line diff. */
export function formatSubgraphList(list: SubgraphEntry[]): string {
  return `[\n${list.map((e) => `  { "name": ${JSON.stringify(e.name)}, "port": ${e.port} }`).join(',\n')}\n]\n`;
}

/** The port a new subgraph gets: one above the highest listed (the gateway's + 1 for an empty list). */
export const nextFreePort = (list: SubgraphEntry[]): number => Math.max(GATEWAY_PORT, ...list.map((e) => e.port)) + 1;

/** The setting through which a process finds a subgraph: `IDENTITY_URL` for identity. */
export const subgraphUrlSetting = (name: string): string => `${name.toUpperCase()}_URL`;

/** Path of a subgraph's schema.graphql. */
export const subgraphSchemaPath = (name: string, root: string = repoRoot): string => join(root, 'subgraphs', name, 'schema.graphql');
