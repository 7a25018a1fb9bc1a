export { Database, parseDatabaseUrl, type Dialect, type DatabaseOptions } from './connection';
export { migrateUp, migrateDown, migrationNames } from './migrate';
export { changeStatus, changeStatuses, recordCreated, type ChangeContext } from './status-change';
export { bulkInsert, chunks } from './bulk';
export type * from './models';
