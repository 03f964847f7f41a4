// The prepared-statement cache shared by SqliteTx and its per-aggregate statement classes.
// Every SQL text is prepared once per connection and reused (a placement runs ~15 statements),
// and values are always bound as parameters, never string-built into the SQL.

import type Database from 'better-sqlite3';
import type { Row } from './sqlite-rows.js';

/** Returns the connection's prepared statement for `sql`, preparing it on first use. */
export type Prepare = (sql: string) => Database.Statement<unknown[], Row>;

export function statementCache(db: Database.Database): Prepare {
  const stmts = new Map<string, Database.Statement<unknown[], Row>>();
  return (sql) => {
    let s = stmts.get(sql);
    if (s === undefined) {
      s = db.prepare<unknown[], Row>(sql);
      stmts.set(sql, s);
    }
    return s;
  };
}
