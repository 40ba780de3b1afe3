import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One entry of the composition list. */
export interface SubgraphEntry {
  /** Folder under `subgraphs/`, package `@pc/<name>`, PostgreSQL schema. */
  name: string;
  /** Default port (overridable with PORT in that subgraph's environment). */
  port: number;
}

/** The repository root. */
export const repoRoot = resolve(__dirname, '..', '..');

/**
 * The composition list, `schema/subgraphs.json`: adding a domain is a folder under
 * `subgraphs/` plus one line here. The runner, the composer and the test harness all read it.
 */
export function readSubgraphList(): SubgraphEntry[] {
  return JSON.parse(readFileSync(join(repoRoot, 'schema', 'subgraphs.json'), 'utf8')) as SubgraphEntry[];
}

/** Path of a subgraph's schema.graphql. */
export const subgraphSchemaPath = (name: string): string => join(repoRoot, 'subgraphs', name, 'schema.graphql');
