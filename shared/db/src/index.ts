export * from './createDataSource';
export * from './embeddedPostgres';
export * from './postgresAdmin';
