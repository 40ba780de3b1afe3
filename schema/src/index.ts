export * from './compose';
export * from './subgraphList';
export * from './persistedQueries';
