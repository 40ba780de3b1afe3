import type { SubgraphEntry } from '@pc/schema';

/**
 * The ports the bench binds, all from BENCH_PORT_BASE: the fixed services first, then one port
 * per subgraph by its place in the list. A subgraph's registry port plays no part, so any
 * registry port works and no subgraph can land on a fixed service's port.
 */
export interface BenchPorts {
  gateway: number;
  /** Hive Gateway, the peer. */
  peer: number;
  /** Our gateway's /metrics (production serves it on its own port). */
  metrics: number;
  /** The bench issuer's JWKS. */
  jwks: number;
  /** Port of each subgraph by name. */
  subgraphs: Record<string, number>;
}

/** Ports below `base + FIRST_SUBGRAPH_OFFSET` are the fixed services'. */
export const FIRST_SUBGRAPH_OFFSET = 10;

export function benchPorts(base: number, subgraphs: SubgraphEntry[]): BenchPorts {
  return {
    gateway: base,
    peer: base + 1,
    metrics: base + 2,
    jwks: base + 3,
    subgraphs: Object.fromEntries(subgraphs.map((e, i) => [e.name, base + FIRST_SUBGRAPH_OFFSET + i])),
  };
}
