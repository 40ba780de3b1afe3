export * from './compose';
export * from './subgraphList';
export * from './persistedQueries';
export * from './dockerCompose';
export * from './kubernetes';
export * from './newSubgraph';
