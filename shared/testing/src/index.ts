export * from './callers';
export * from './startSubgraph';
export * from './testDatabase';
export * from './subgraphContract';
export * from './useSubgraph';
