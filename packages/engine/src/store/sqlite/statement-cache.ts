// The prepared-statement cache shared by SqliteTx and its per-aggregate statement classes.
// Every SQL text is prepared once per connection and reused (a placement runs ~15 statements),
// and values are always bound as parameters, never string-built into the SQL.

import type Database from 'better-sqlite3';
import type { Row } from './sqlite-rows.js';

/** Returns the connection's prepared statement for `sql`, preparing it on first use. */
export type Prepare = (sql: string) => Database.Statement<unknown[], Row>;

/**
 * How a cache's statements return rows: `object` (better-sqlite3's default, one object per row
 * with a property per column), `value` (the first column's value alone: `pluck`) or `array`
 * (the columns in order: `raw`). A statement's mode belongs to the statement, so each mode has
 * a cache of its own and one SQL text may be prepared in several. `value` and `array` skip
 * building an object whose property names are looked up per column and row: a one-column read
 * costs about a third of its object form (docs/performance.md "Thirty-third pass: the national
 * year's own work").
 */
export type RowMode = 'object' | 'value' | 'array';

export function statementCache(db: Database.Database, mode: RowMode = 'object'): Prepare {
  const stmts = new Map<string, Database.Statement<unknown[], Row>>();
  return (sql) => {
    let s = stmts.get(sql);
    if (s === undefined) {
      s = db.prepare<unknown[], Row>(sql);
      if (mode === 'value') s.pluck();
      else if (mode === 'array') s.raw();
      stmts.set(sql, s);
    }
    return s;
  };
}
