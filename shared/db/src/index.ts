export * from './createDataSource';
export * from './embeddedPostgres';
export * from './postgresAdmin';
export * from './pgliteTemplate';
export * from './readRetry';
export * from './readReplica';
export * from './hotQuery';
export * from './hotEntities';
