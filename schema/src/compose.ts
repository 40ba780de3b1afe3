import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readSubgraphList, subgraphSchemaPath, type SubgraphEntry } from './subgraphList';

/** Composition failed; the message lists every composition error. */
export class CompositionError extends Error {}

/** The URL written into the supergraph for a subgraph (the gateway can override it). */
export const defaultSubgraphUrl = (e: SubgraphEntry): string => `http://127.0.0.1:${e.port}/graphql`;

/**
 * Composes subgraph SDLs into the supergraph SDL with @apollo/composition (Rover would download
 * a binary, which these machines cannot). `sdl` lets a test compose a modified copy.
 */
export function composeSupergraph(
  entries: SubgraphEntry[] = readSubgraphList(),
  sdl: (name: string) => string = (n) => readFileSync(subgraphSchemaPath(n), 'utf8'),
): string {
  const result = composeServices(entries.map((e) => ({ name: e.name, url: defaultSubgraphUrl(e), typeDefs: parse(sdl(e.name)) })));
  if (result.errors) {
    throw new CompositionError(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
