// `@sluis/engine/postgres`: the PostgreSQL store, its schema version and the move from SQLite
// to it. Apart from the package's index, so a server on SQLite loads none of it, nor
// postgres.js (docs/performance.md "Case 4 on a crowded machine"); the index keeps their types
// and the URL check (store/postgres/pg-url.ts), which configuration needs on every server.

export { openPostgresStore } from './store/postgres/pg-store.js';
export { PG_SCHEMA_VERSION } from './store/postgres/pg-migrations.js';
export { transferSqliteToPostgres } from './store/transfer/sqlite-to-postgres.js';
export { diagnosePostgresConnection } from './store/transfer/connect-diagnosis.js';
