// `@sluis/engine/postgres`: the PostgreSQL store, its schema version and the diagnosis of a
// failed connection. Apart from the package's index, so a server on SQLite loads none of it,
// nor postgres.js (docs/performance.md "Case 4 on a crowded machine"); the index keeps their
// types and the URL check (store/postgres/pg-url.ts), which configuration needs on every
// server. The move from SQLite is `@sluis/engine/transfer`, which no server loads.

export { openPostgresStore } from './store/postgres/pg-store.js';
export { PG_SCHEMA_VERSION } from './store/postgres/pg-migrations.js';
export { diagnosePostgresConnection } from './store/transfer/connect-diagnosis.js';
