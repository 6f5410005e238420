export { POSTGRES } from './postgres.token';
export type { Queryable } from './queryable';
export { inTransaction } from './in-transaction';
export { migrate, type MigrateOptions } from './migrate';
export { postgresConfig, type PostgresConfig } from './postgres-config';
export { PostgresModule, type PostgresModuleOptions } from './postgres.module';
