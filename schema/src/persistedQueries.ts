import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePersistedQueryManifest, type PersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { repoRoot } from './subgraphList';

/** Source operations: one folder per cabinet under schema/operations/. */
export const operationsDir = join(repoRoot, 'schema', 'operations');
/** Generated lists: schema/persisted-queries/<folder>.json (Apollo's manifest format). */
export const manifestsDir = join(repoRoot, 'schema', 'persisted-queries');

/** Folder name → cabinet (OAuth client) id, from schema/operations/cabinets.json. */
export function readCabinetFolders(): Record<string, string> {
  const raw = JSON.parse(readFileSync(join(operationsDir, 'cabinets.json'), 'utf8')) as Record<string, string>;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('//')));
}

/**
 * Builds one cabinet's persisted query list with @apollo/generate-persisted-query-manifest, so the
 * bodies are exactly what Apollo Client sends (it adds `__typename` the same way) and
 * `id = sha256(body)`.
 */
export async function buildManifest(folder: string): Promise<PersistedQueryManifest> {
  const manifest = await generatePersistedQueryManifest({ documents: [join(operationsDir, folder, '*.graphql')], output: '' }, undefined);
  manifest.operations.sort((a, b) => a.name.localeCompare(b.name));
  return manifest;
}

/** Writes every cabinet's list; returns the files written. */
export async function writeManifests(): Promise<string[]> {
  const written: string[] = [];
  for (const folder of Object.keys(readCabinetFolders())) {
    const file = join(manifestsDir, `${folder}.json`);
    writeFileSync(file, JSON.stringify(await buildManifest(folder), null, 2) + '\n');
    written.push(file);
  }
  return written;
}

/** Reads every committed list, keyed by folder name. */
export function readManifests(): Record<string, PersistedQueryManifest> {
  const out: Record<string, PersistedQueryManifest> = {};
  for (const f of readdirSync(manifestsDir).filter((n) => n.endsWith('.json'))) {
    out[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(manifestsDir, f), 'utf8')) as PersistedQueryManifest;
  }
  return out;
}

/** The API schema clients see (the supergraph without federation machinery). */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** One operation that no longer validates against the schema. */
export interface ManifestProblem {
  list: string;
  operation: string;
  errors: string[];
}

/**
 * Checks every operation of every list against a supergraph: a schema change that would break a
 * partner's persisted query shows up here (and fails the build) before it ships.
 */
export function validateManifests(supergraphSdl: string, manifests = readManifests()): ManifestProblem[] {
  const schema = apiSchemaOf(supergraphSdl);
  const problems: ManifestProblem[] = [];
  for (const [list, m] of Object.entries(manifests)) {
    for (const op of m.operations) {
      const errors = validate(schema, parse(op.body)).map((e) => e.message);
      if (errors.length) problems.push({ list, operation: op.name, errors });
    }
  }
  return problems;
}

