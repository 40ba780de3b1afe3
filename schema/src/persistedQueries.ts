import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePersistedQueryManifest, type PersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { repoRoot } from './subgraphList';

/** Source operations: one folder per list (a cabinet, doctors, anonymous callers) under schema/operations/. */
export const operationsDir = join(repoRoot, 'schema', 'operations');
/** Generated lists: schema/persisted-queries/<folder>.json (Apollo's manifest format). */
export const manifestsDir = join(repoRoot, 'schema', 'persisted-queries');

/**
 * Folder name → who its list is for, as written in schema/operations/cabinets.json: a cabinet
 * (OAuth client) id, `role:DOCTOR` or `anonymous` (see {@link readListAudiences}).
 */
export function readCabinetFolders(): Record<string, string> {
  const raw = JSON.parse(readFileSync(join(operationsDir, 'cabinets.json'), 'utf8')) as Record<string, string>;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('//')));
}

/** Who a persisted query list is for. */
export type ListAudience =
  /** The tokens of one cabinet (OAuth client); folder `state` is the state cabinet. */
  | { kind: 'cabinet'; cabinetId: string }
  /** Doctors' tools: every token with the DOCTOR role, whatever cabinet issued it (or none). */
  | { kind: 'role'; role: 'DOCTOR' }
  /** Callers without a token (the public directory). */
  | { kind: 'anonymous' };

/** Parses one value of cabinets.json. */
export function parseListAudience(value: string): ListAudience {
  if (value === 'anonymous') return { kind: 'anonymous' };
  if (value === 'role:DOCTOR') return { kind: 'role', role: 'DOCTOR' };
  if (value.startsWith('role:')) throw new Error(`schema/operations/cabinets.json: unknown role list "${value}" (only role:DOCTOR)`);
  return { kind: 'cabinet', cabinetId: value };
}

/** Folder name → who its list is for. */
export function readListAudiences(): Record<string, ListAudience> {
  return Object.fromEntries(Object.entries(readCabinetFolders()).map(([folder, v]) => [folder, parseListAudience(v)]));
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
  // Only for validating documents: the SECURITY features (@requiresScopes, @authenticated) are the gateway's to enforce.
  return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
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
