/**
 * Cost of the gateway's @requiresScopes/@authenticated enforcement per request
 * (gateway/src/pipeline/authorization.ts), in isolation: the decision for CabinetHome computed
 * afresh (a cache miss) and through the plugin's hooks with the decision cached (every request
 * after the first of an operation and scope set).
 *
 *   node -r @swc-node/register gateway/bench/authorization.ts [iterations]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { PATIENT_SCOPES } from '@pc/demo';
import { supergraphDirectives, supergraphPath } from '@pc/schema/src/supergraphDirectives';
import { parse } from 'graphql';
import { attachSupergraphDirectives, authorizationPlugin, authorizeOperation } from '../src/pipeline/authorization';

const N = Number(process.argv[2] ?? 50_000);
const sdl = readFileSync(supergraphPath, 'utf8');
const schema = Supergraph.build(sdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES }).apiSchema().toGraphQLJSSchema();
const directives = supergraphDirectives(sdl);
attachSupergraphDirectives(schema, sdl);
const document = parse(readFileSync(join(__dirname, '..', '..', 'schema', 'operations', 'state', 'CabinetHome.graphql'), 'utf8'));
const all = { authenticated: true, scopes: new Set(PATIENT_SCOPES) };
const noDecl = { authenticated: true, scopes: new Set(PATIENT_SCOPES.filter((s) => !s.startsWith('declaration:'))) };

function time(label: string, fn: () => unknown): void {
  for (let i = 0; i < Math.min(N, 5_000); i++) fn(); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) fn();
    runs.push(Number(process.hrtime.bigint() - t) / 1e3 / N);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label.padEnd(62)} median ${runs[2].toFixed(2)} µs  (min ${runs[0].toFixed(2)}, max ${runs[4].toFixed(2)})`);
}

async function main(): Promise<void> {
  time('decision computed (miss), all scopes → run as is', () => authorizeOperation(schema, directives, document, 'CabinetHome', all));
  time('decision computed (miss), no declaration:* → filtered', () => authorizeOperation(schema, directives, document, 'CabinetHome', noDecl));

  const plugin = authorizationPlugin();
  const hooks = async (scopes: string[]) => {
    const listener = (await plugin.requestDidStart!({} as never))!;
    const rc = {
      schema,
      document,
      operationName: 'CabinetHome',
      queryHash: 'cabinet-home-hash',
      contextValue: { caller: { subject: 'p', roles: ['PATIENT'], scopes, clientId: 'c', tokenId: 't', requestId: 'r' } },
    };
    await listener.didResolveOperation!(rc as never);
  };
  const allScopes = [...PATIENT_SCOPES];
  const fewer = PATIENT_SCOPES.filter((s) => !s.startsWith('declaration:'));
  // The plugin's hooks are async: time them in an awaited loop, cache warm.
  for (const [label, scopes] of [
    ['plugin didResolveOperation, cached, all scopes', allScopes],
    ['plugin didResolveOperation, cached, no declaration:* (swap doc)', fewer],
  ] as const) {
    for (let i = 0; i < 5_000; i++) await hooks([...scopes]);
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < N; i++) await hooks([...scopes]);
      runs.push(Number(process.hrtime.bigint() - t) / 1e3 / N);
    }
    runs.sort((a, b) => a - b);
    console.log(`${label.padEnd(62)} median ${runs[2].toFixed(2)} µs  (min ${runs[0].toFixed(2)}, max ${runs[4].toFixed(2)})`);
  }
}

void main();
