export * from './compose';
export * from './subgraphList';
