// What `migrate-store` copies from an SQLite store into a PostgreSQL one, read from both
// catalogues rather than written down twice (docs/operations.md "Moving to PostgreSQL").
// The PostgreSQL schema keeps the SQLite encodings column for column (pg-migrations.ts), so
// a table copies by name; the few places where the two differ are listed here, and any
// column or table this list does not account for makes the plan refuse: a schema step
// added on one side only can never lose data silently, it fails the transfer test.

import type Database from 'better-sqlite3';
import { EngineError } from '../../errors.js';
import type { Sql } from '../postgres/pg-core.js';
import { decodeLogText } from '../sqlite/logbook-codec.js';

/** PostgreSQL tables that hold no installation data (the schema marker, the import marker). */
export const NOT_COPIED = new Set(['sluis_schema', 'sluis_import']);

/** SQLite columns computed by SQLite expressions: the contact row a signal names (schema step 6). */
const SOURCE_EXPRESSION: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  signals: { contact: '(SELECT c.body FROM contacts c WHERE c.rid = signals.contact)' },
};

/** SQLite cells decoded in JavaScript: the logbook's compact text form (logbook-codec.ts). */
const SOURCE_DECODER: Readonly<Record<string, Readonly<Record<string, (v: unknown) => unknown>>>> = {
  logbook: Object.fromEntries(
    ['actor', 'action', 'refs', 'details'].map((c) => [
      c,
      (v: unknown) => decodeLogText(v as string | Buffer),
    ]),
  ),
};

/**
 * SQLite-only storage that PostgreSQL derives or does not need: the contacts table (folded
 * into signals.contact above), a signal's pseudonym prefixes (an index substitute), the
 * global event counter (the per-organisation `seq` is the cursor).
 */
const SQLITE_ONLY_TABLES = new Set(['contacts']);
const SQLITE_ONLY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  signals: ['pfx'],
  events: ['cursor'],
};

/**
 * Tables copied in the order of their SQLite primary key rather than PostgreSQL's, so that each
 * batch is a range of the source's b-tree instead of a sort of the whole table. The order must
 * name every column of the PostgreSQL key (so it is unique there too, and the resume point is
 * one row): the nonces, which SQLite keys by expiry (schema step 18, docs/engine.md "Nonces").
 */
const COPY_ORDER: Readonly<Record<string, readonly string[]>> = {
  nonces: ['expires_at', 'key_id', 'nonce'],
};

/**
 * Tables whose SQLite rows may repeat PostgreSQL's key, with the column whose largest value
 * wins: the copy keeps one row per key, the one with the largest. The nonces: keyed by expiry,
 * SQLite can hold a nonce twice when it was claimed again after its expiry while the clock
 * stepped back, until a later flush prunes the old row (docs/engine.md "Nonces"); the later
 * expiry is the one that counts. (With the copy order starting at the expiry, largest is also
 * last; the guards in the copy are defensive.)
 */
const MERGED_ON_KEY: Readonly<Record<string, string>> = { nonces: 'expires_at' };

export interface ColumnCopy {
  readonly name: string;
  /** information_schema data_type on PostgreSQL. */
  readonly pgType: string;
  /** The SQLite expression that yields it. */
  readonly source: string;
  readonly decode: ((v: unknown) => unknown) | undefined;
}

export interface TableCopy {
  readonly table: string;
  readonly columns: readonly ColumnCopy[];
  /** The copy order and the resume point: the primary key's columns, or COPY_ORDER's. */
  readonly key: readonly ColumnCopy[];
  /** Where SQLite's rows may repeat PostgreSQL's key (MERGED_ON_KEY): that key, and the column whose largest value wins. */
  readonly merge: { readonly key: readonly ColumnCopy[]; readonly wins: ColumnCopy } | undefined;
  /** Identity columns whose sequence is moved past the copied rows. */
  readonly identity: readonly string[];
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new EngineError('internal', 'unexpected name in the schema');
  return `"${name}"`;
};
export const quote = ident;

function mismatch(what: string): EngineError {
  return new EngineError('schema_mismatch', `the SQLite and PostgreSQL schemas differ (${what})`);
}

/** The tables in an order that satisfies every foreign key (parents first). */
function parentsFirst(
  tables: readonly string[],
  fks: readonly { child: string; parent: string }[],
): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (done.has(t)) return;
    if (path.has(t)) throw mismatch(`foreign keys form a cycle at ${t}`);
    path.add(t);
    for (const fk of fks) if (fk.child === t && fk.parent !== t) visit(fk.parent, path);
    path.delete(t);
    done.add(t);
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t, new Set());
  return out;
}

/** Reads both catalogues and builds the copy plan, or refuses with `schema_mismatch`. */
export async function planTransfer(source: Database.Database, target: Sql): Promise<TableCopy[]> {
  const pgColumns = await target<
    { table_name: string; column_name: string; data_type: string; is_identity: string }[]
  >`
    SELECT c.table_name, c.column_name, c.data_type, c.is_identity
      FROM information_schema.columns c JOIN pg_tables t ON t.tablename = c.table_name AND t.schemaname = c.table_schema
     WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`;
  const pgKeys = await target<{ table_name: string; column_name: string }[]>`
    SELECT tc.table_name, k.column_name FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage k
        ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
     ORDER BY tc.table_name, k.ordinal_position`;
  const fks = await target<{ child: string; parent: string }[]>`
    SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
      FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`;

  const sqliteTables = (
    source
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  const pgTables = [...new Set(pgColumns.map((c) => c.table_name))].filter((t) => !NOT_COPIED.has(t));
  for (const t of sqliteTables) {
    if (!SQLITE_ONLY_TABLES.has(t) && !pgTables.includes(t))
      throw mismatch(`table ${t} has no PostgreSQL counterpart`);
  }

  const plan: TableCopy[] = [];
  for (const table of parentsFirst(pgTables, fks)) {
    if (!sqliteTables.includes(table)) throw mismatch(`table ${table} has no SQLite counterpart`);
    const sqliteCols = new Set(
      (source.pragma(`table_info(${ident(table)})`) as { name: string }[]).map((c) => c.name),
    );
    const columns: ColumnCopy[] = pgColumns
      .filter((c) => c.table_name === table)
      .map((c) => {
        const expression = SOURCE_EXPRESSION[table]?.[c.column_name];
        if (expression === undefined && !sqliteCols.has(c.column_name)) {
          throw mismatch(`column ${table}.${c.column_name} has no SQLite source`);
        }
        return {
          name: c.column_name,
          pgType: c.data_type,
          source: expression ?? ident(c.column_name),
          decode: SOURCE_DECODER[table]?.[c.column_name],
        };
      });
    const covered = new Set([...columns.map((c) => c.name), ...(SQLITE_ONLY_COLUMNS[table] ?? [])]);
    for (const c of sqliteCols)
      if (!covered.has(c)) throw mismatch(`column ${table}.${c} would not be copied`);
    const pgKey = pgKeys
      .filter((k) => k.table_name === table)
      .map((k) => columns.find((c) => c.name === k.column_name)!);
    if (pgKey.length === 0) throw mismatch(`table ${table} has no primary key`);
    const order = COPY_ORDER[table];
    const key = order === undefined ? pgKey : order.map((name) => columns.find((c) => c.name === name));
    if (key.some((c) => c === undefined) || !pgKey.every((k) => key.includes(k))) {
      throw mismatch(`the copy order of ${table} is not a key of it`);
    }
    const identity = pgColumns
      .filter((c) => c.table_name === table && c.is_identity === 'YES')
      .map((c) => c.column_name);
    plan.push({
      table,
      columns,
      key: key as ColumnCopy[],
      merge: mergeOf(table, columns, pgKey),
      identity,
    });
  }
  return plan;
}

function mergeOf(
  table: string,
  columns: readonly ColumnCopy[],
  pgKey: readonly ColumnCopy[],
): TableCopy['merge'] {
  const name = MERGED_ON_KEY[table];
  if (name === undefined) return undefined;
  const wins = columns.find((c) => c.name === name);
  if (wins === undefined || pgKey.includes(wins)) throw mismatch(`the merge column of ${table}`);
  return { key: pgKey, wins };
}

/** A SQLite cell as the PostgreSQL column takes it. */
export function toTarget(column: ColumnCopy, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const value = column.decode === undefined ? v : column.decode(v);
  if (column.pgType === 'boolean') return value !== 0 && value !== false;
  return value;
}
