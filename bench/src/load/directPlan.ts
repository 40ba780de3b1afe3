/**
 * The "no gateway" side of the federation tax: the query plan @apollo/query-planner makes for an
 * operation over the committed supergraph (the planner our gateway runs), executed by a minimal
 * executor that sends each fetch straight to the subgraph with a caller token, as the gateway
 * would. What is left out is exactly the gateway: HTTP in front, token verification, guards,
 * planning, result merging and shaping inside Apollo.
 *
 * @packageDocumentation
 */
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan, type QueryPlanSelectionNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { postJson } from './postJson';

type Json = Record<string, unknown>;

/** The plan our gateway makes for `query`, and the subgraph fetches in it. */
export function planOperation(supergraphSdl: string, query: string, operationName?: string): { plan: QueryPlan; fetches: FetchNode[] } {
  // Planning only: the SECURITY features (@requiresScopes, @authenticated) are the gateway's to enforce.
  const supergraph = Supergraph.build(supergraphSdl, { supportedFeatures: null });
  const planner = new QueryPlanner(supergraph);
  const operation = operationFromDocument(supergraph.apiSchema(), parse(query), { operationName });
  const plan = planner.buildQueryPlan(operation);
  const fetches: FetchNode[] = [];
  const walk = (n: PlanNode | undefined): void => {
    if (!n) return;
    if (n.kind === 'Fetch') fetches.push(n);
    else if (n.kind === 'Sequence' || n.kind === 'Parallel') n.nodes.forEach(walk);
    else if (n.kind === 'Flatten') walk(n.node);
    else if (n.kind === 'Condition') {
      walk(n.ifClause);
      walk(n.elseClause);
    } else if (n.kind === 'Defer') walk(n.primary.node);
  };
  walk(plan.node as PlanNode | undefined);
  return { plan, fetches };
}

/** Where each subgraph listens, and the headers (caller token) to send it. */
export interface DirectTarget {
  urls: Record<string, URL>;
  headers(subgraph: string): Record<string, string> | Promise<Record<string, string>>;
}

/** Runs the plan against the subgraphs; resolves with the merged `data`, rejects on any error. */
export async function executePlan(plan: QueryPlan, target: DirectTarget, variables: Json = {}): Promise<Json> {
  const data: Json = {};
  await run(plan.node as PlanNode | undefined, data, [data], target, variables);
  return data;
}

async function run(node: PlanNode | undefined, root: Json, at: Json[], target: DirectTarget, variables: Json): Promise<void> {
  if (!node) return;
  switch (node.kind) {
    case 'Sequence':
      for (const n of node.nodes) await run(n, root, at, target, variables);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((n) => run(n, root, at, target, variables)));
      return;
    case 'Flatten':
      await run(node.node, root, collect([root], node.path), target, variables);
      return;
    case 'Condition': {
      const on = Boolean(variables[node.condition]);
      await run(on ? node.ifClause : node.elseClause, root, at, target, variables);
      return;
    }
    case 'Fetch':
      await fetchNode(node, at, target, variables);
      return;
    default:
      throw new Error(`plan node ${node.kind} is not supported by the direct executor`);
  }
}

/** The objects at `path` below `from` ('@' walks into lists, '... on T' keeps objects of type T). */
function collect(from: Json[], path: (string | number)[]): Json[] {
  let current: unknown[] = from;
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || v === undefined) continue;
      if (seg === '@') {
        if (Array.isArray(v)) next.push(...v);
      } else if (typeof seg === 'string' && seg.startsWith('... on ')) {
        if ((v as Json).__typename === seg.slice(7)) next.push(v);
      } else next.push((v as Json)[seg as string]);
    }
    current = next;
  }
  return current.filter((v): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v));
}

/** The representation of `entity` that `requires` asks for (`__typename` and key fields). */
function select(entity: Json, selections: readonly QueryPlanSelectionNode[]): Json | null {
  const out: Json = {};
  let matched = false;
  for (const s of selections) {
    if (s.kind === 'InlineFragment') {
      if (s.typeCondition && entity.__typename !== s.typeCondition) continue;
      const part = select(entity, s.selections);
      if (part) {
        Object.assign(out, part);
        matched = true;
      }
    } else {
      const v = entity[s.name];
      out[s.name] =
        s.selections && v && typeof v === 'object' ? (Array.isArray(v) ? v.map((x) => select(x as Json, s.selections!)) : select(v as Json, s.selections)) : v;
      matched = true;
    }
  }
  return matched ? out : null;
}

function merge(into: Json, from: Json): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (Array.isArray(v) && Array.isArray(cur))
      v.forEach((x, i) => (x && typeof x === 'object' && cur[i] && typeof cur[i] === 'object' ? merge(cur[i] as Json, x as Json) : (cur[i] = x)));
    else if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)) merge(cur as Json, v as Json);
    else into[k] = v;
  }
}

async function fetchNode(node: FetchNode, at: Json[], target: DirectTarget, variables: Json): Promise<void> {
  const vars: Json = {};
  for (const name of node.variableUsages ?? []) vars[name] = variables[name];
  let entities: Json[] = [];
  if (node.requires) {
    const reps: Json[] = [];
    for (const e of at) {
      const rep = select(e, node.requires);
      if (rep) {
        reps.push(rep);
        entities.push(e);
      }
    }
    if (reps.length === 0) return;
    vars.representations = reps;
  } else entities = at;
  const url = target.urls[node.serviceName];
  if (!url) throw new Error(`no URL for subgraph ${node.serviceName}`);
  const res = await postJson(url, { query: node.operation, operationName: node.operationName, variables: vars }, await target.headers(node.serviceName));
  if (res.status !== 200 || res.body.errors?.length || !res.body.data) {
    throw new Error(`${node.serviceName}: HTTP ${res.status} ${JSON.stringify(res.body.errors ?? res.body).slice(0, 300)}`);
  }
  if (node.requires) {
    const results = (res.body.data._entities ?? []) as (Json | null)[];
    results.forEach((r, i) => r && merge(entities[i], r));
  } else for (const e of entities) merge(e, res.body.data);
}
