export * from './createSubgraphServer';
export * from './metrics';
export * from './runSubgraph';
export * from './loaders';
export * from './scalars';
export * from './SubgraphClient';
export * from './lifecycle';
export * from './serviceHost';
