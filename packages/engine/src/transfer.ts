// `@sluis/engine/transfer`: the copy of an SQLite installation into PostgreSQL
// (store/transfer/sqlite-to-postgres.ts), loaded by `migrate-store` alone. Apart from the
// package's index and from `@sluis/engine/postgres`, so no server, on SQLite or on
// PostgreSQL, loads it (docs/performance.md "Case 4 on a crowded machine").

export { transferSqliteToPostgres } from './store/transfer/sqlite-to-postgres.js';
