// `migrate-store`: moves an installation from its SQLite file into an empty PostgreSQL
// database (docs/operations.md "Moving to PostgreSQL"). Invariants:
// - the source is only read, from one consistent snapshot (one read transaction), so the
//   tool may run beside a live server; a commit to the source during the copy is detected
//   (PRAGMA data_version) and the copy is then not declared finished;
// - a target that holds anything but an unfinished import is refused (`target_not_empty`);
// - the copy is resumable: rows keep their primary keys and go in copy order (the key, or
//   the SQLite key where transfer-plan.ts `COPY_ORDER` says), in batches
//   that each commit, so a rerun continues after the target's last key; a marker table
//   (`sluis_import`, holding the source's fingerprint) makes every sluis instance refuse the
//   database until the copy is verified (`import_unfinished`); a rerun against a source
//   that changed since starts the copy over;
// - the copy is verified (transfer-verify.ts) before the marker goes, and a stop (`signal`) at
//   any point leaves the marker.

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { EngineError, schemaTooNew } from '../../errors.js';
import { migratePostgres } from '../postgres/pg-migrations.js';
import { connectPostgres, type PostgresStoreOptions } from '../postgres/pg-connect.js';
import type { Sql } from '../postgres/pg-core.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../sqlite/migrations.js';
import { mapSqliteError } from '../sqlite/sqlite-errors.js';
import { mapPgError } from '../postgres/pg-errors.js';
import { NOT_COPIED, planTransfer, quote, type TableCopy, toTarget } from './transfer-plan.js';
import { type TransferVerification, verifyTransfer } from './transfer-verify.js';

export interface TransferOptions {
  /** The SQLite database file (read only). */
  readonly from: string;
  readonly to: PostgresStoreOptions;
  /** Rows per INSERT (one commit each); default 1000. */
  readonly batchRows?: number;
  /** Matches compared in full after the copy; default 200. */
  readonly sampleMatches?: number;
  /** After each committed batch (the CLI prints progress); the copy waits for a returned promise. */
  readonly onProgress?: (table: string, rowsSoFar: number) => void | Promise<void>;
  /** Stops the copy between two batches, or before or after the verification (Ctrl-C): the marker stays, a rerun resumes. */
  readonly signal?: AbortSignal;
}

export interface TransferReport {
  /** fresh: an empty target; resumed: an unfinished copy of the same source went on; restarted: of a changed source, cleared first. */
  readonly start: 'fresh' | 'resumed' | 'restarted';
  /** Rows sent by this run, per table (a merged table's row once per batch that holds its key). */
  readonly copied: Readonly<Record<string, number>>;
  readonly verification: TransferVerification;
  /** The source was written during the copy: the target is left marked unfinished (stop the server, run again). */
  readonly sourceChanged: boolean;
  /** Verified and the source unchanged: the marker is gone and the database may serve. */
  readonly finished: boolean;
}

/** Stays below PostgreSQL's 65,535 parameters per statement. */
const MAX_PARAMETERS = 60_000;

function openSource(path: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw mapSqliteError(e);
  }
  const appId = db.pragma('application_id', { simple: true });
  const version = Number(db.pragma('user_version', { simple: true }));
  if (appId !== APPLICATION_ID) {
    db.close();
    throw new EngineError('database_corrupt', 'the source is not a sluis database');
  }
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw version > SCHEMA_VERSION
      ? schemaTooNew('the source', { store: 'sqlite', database: version, known: SCHEMA_VERSION })
      : new EngineError(
          'schema_mismatch',
          'the source has an older schema: start this sluis version on it once',
        );
  }
  return db;
}

/**
 * What identifies the source's content for a resume: per table its row count and largest
 * key, and the logbook head. Equal fingerprints mean an interrupted copy may go on.
 */
function fingerprintOf(db: Database.Database, plan: readonly TableCopy[]): string {
  const h = createHash('sha256');
  for (const t of plan) {
    const first = quote(t.key[0]!.name);
    const r = db.prepare(`SELECT count(*) AS n, max(${first}) AS k FROM ${quote(t.table)}`).get() as {
      n: number;
      k: unknown;
    };
    h.update(`${t.table}:${r.n}:`);
    h.update(Buffer.isBuffer(r.k) ? r.k : String(r.k));
  }
  const head = db.prepare('SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: Buffer }
    | undefined;
  h.update(head === undefined ? 'no logbook' : Buffer.concat([Buffer.from(`${head.seq}:`), head.hash]));
  return h.digest('hex');
}

async function copiedTables(sql: Sql): Promise<string[]> {
  const rows = await sql<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`;
  return rows.map((r) => r.tablename).filter((t) => !NOT_COPIED.has(t));
}

/** Empty: no row in any table but epoch 1 as a new database registers it. */
async function isEmpty(sql: Sql): Promise<boolean> {
  for (const t of await copiedTables(sql)) {
    const where = t === 'epochs' ? ' WHERE epoch <> 1' : '';
    const [r] = await sql.unsafe(`SELECT EXISTS (SELECT 1 FROM ${quote(t)}${where}) AS any`);
    if (r?.any === true) return false;
  }
  return true;
}

/** Readies the migrated target: marked, and empty or holding this source's unfinished copy. */
async function prepareTarget(sql: Sql, fingerprint: string, now: number): Promise<TransferReport['start']> {
  const [m] = await sql`SELECT to_regclass('sluis_import') IS NOT NULL AS present`;
  if (m?.present === true) {
    const [row] = await sql`SELECT source FROM sluis_import`;
    if (row?.source === fingerprint) return 'resumed';
    // The marker proves the rows are an earlier, unfinished copy: nothing else is lost.
    const tables = (await copiedTables(sql)).map(quote).join(', ');
    await sql.begin(async (t) => {
      await t.unsafe(`TRUNCATE ${tables} RESTART IDENTITY`);
      await t`UPDATE sluis_import SET source = ${fingerprint}, started_at = ${now}`;
    });
    return 'restarted';
  }
  if (!(await isEmpty(sql)))
    throw new EngineError('target_not_empty', 'the PostgreSQL database already holds data');
  await sql.begin(async (t) => {
    await t`CREATE TABLE sluis_import (source text NOT NULL, started_at bigint NOT NULL)`;
    await t`INSERT INTO sluis_import (source, started_at) VALUES (${fingerprint}, ${now})`;
    // The source's own epochs replace the one a new database registers.
    await t`DELETE FROM epochs`;
  });
  return 'fresh';
}

/**
 * The two SQLite reads of a table's batches, in its copy order: the first batch, and the one
 * after a row's key (`?` per key column, then the batch size).
 */
export function batchReads(t: TableCopy): { first: string; next: string } {
  const keys = t.key.map((c) => quote(c.name));
  const columns = t.columns.map((c) => `${c.source} AS ${quote(c.name)}`).join(', ');
  const from = `SELECT ${columns} FROM ${quote(t.table)}`;
  const order = `ORDER BY ${keys.join(', ')} LIMIT ?`;
  return {
    first: `${from} ${order}`,
    next: `${from} WHERE (${keys.join(', ')}) > (${keys.map(() => '?').join(', ')}) ${order}`,
  };
}

/** Copies one table from after the target's last key, batch by batch; the rows inserted. */
async function copyTable(
  source: Database.Database,
  sql: Sql,
  t: TableCopy,
  options: TransferOptions,
): Promise<number> {
  const keys = t.key.map((c) => quote(c.name));
  const desc = t.key.map((c) => `${quote(c.name)}${c.pgType === 'text' ? ' COLLATE "C"' : ''} DESC`);
  const [last] = await sql.unsafe(
    `SELECT ${keys.join(', ')} FROM ${quote(t.table)} ORDER BY ${desc.join(', ')} LIMIT 1`,
  );
  let after: unknown[] | undefined = last === undefined ? undefined : t.key.map((c) => last[c.name]);
  const reads = batchReads(t);
  const first = source.prepare(reads.first).raw(true);
  const next = source.prepare(reads.next).raw(true);
  const batch = Math.max(
    1,
    Math.min(options.batchRows ?? 1000, Math.floor(MAX_PARAMETERS / t.columns.length)),
  );
  const names = t.columns.map((c) => c.name);
  const keyAt = t.key.map((k) => t.columns.indexOf(k));
  let copied = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = (after === undefined ? first.all(batch) : next.all(...after, batch)) as unknown[][];
    if (rows.length === 0) return copied;
    let values = rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c.name, toTarget(c, r[i])])));
    if (t.merge === undefined) {
      await sql`INSERT INTO ${sql(t.table)} ${sql(values, names)}`;
    } else {
      // One row per key within the batch (an upsert may not touch a row twice) and in the
      // target: the one with the largest `wins` value.
      const key = t.merge.key.map((c) => c.name);
      const wins = t.merge.wins.name;
      const kept = new Map<string, Record<string, unknown>>();
      for (const v of values) {
        const k = JSON.stringify(key.map((n) => v[n]));
        const had = kept.get(k);
        if (had === undefined || Number(had[wins]) < Number(v[wins])) kept.set(k, v);
      }
      values = [...kept.values()];
      const set = names.filter((n) => !key.includes(n)).map((n) => `${quote(n)} = EXCLUDED.${quote(n)}`);
      // `set` holds at least `wins`, which the plan keeps out of the key (transfer-plan.ts `mergeOf`).
      const onConflict = `ON CONFLICT (${key.map(quote).join(', ')}) DO UPDATE SET ${set.join(', ')} WHERE ${quote(t.table)}.${quote(wins)} < EXCLUDED.${quote(wins)}`;
      await sql`INSERT INTO ${sql(t.table)} ${sql(values, names)} ${sql.unsafe(onConflict)}`;
    }
    copied += values.length;
    const lastRow = rows[rows.length - 1]!;
    after = keyAt.map((i) => lastRow[i]);
    await options.onProgress?.(t.table, copied);
  }
}

export async function transferSqliteToPostgres(options: TransferOptions): Promise<TransferReport> {
  const source = openSource(options.from);
  const sql = await connectPostgres(options.to, {}, 1);
  try {
    // One read transaction: every read below sees the same snapshot of the source.
    source.prepare('BEGIN').run();
    const versionAtStart = source.pragma('data_version', { simple: true });
    const now = (options.to.clock ?? Date.now)();
    // The schema first (as an instance would create it), so the plan reads both catalogues.
    await migratePostgres(sql, now);
    const plan = await planTransfer(source, sql);
    const fingerprint = fingerprintOf(source, plan);
    const start = await prepareTarget(sql, fingerprint, now);
    const copied: Record<string, number> = {};
    for (const t of plan) copied[t.table] = await copyTable(source, sql, t, options);
    for (const t of plan) {
      for (const c of t.identity) {
        await sql.unsafe(
          `SELECT setval(pg_get_serial_sequence('${t.table}', '${c}'), (SELECT coalesce(max(${quote(c)}), 0) + 1 FROM ${quote(t.table)}), false)`,
        );
      }
    }
    // A stop that came after the last batch: before the verification, and after it, before the
    // marker goes — the database stays unfinished and a rerun verifies (nothing left to copy).
    options.signal?.throwIfAborted();
    const verification = await verifyTransfer(source, sql, plan, options.sampleMatches ?? 200);
    source.prepare('COMMIT').run();
    // data_version moves when another connection committed since this one last read.
    const sourceChanged = source.pragma('data_version', { simple: true }) !== versionAtStart;
    const finished = verification.ok && !sourceChanged;
    options.signal?.throwIfAborted();
    if (finished) await sql`DROP TABLE sluis_import`;
    return { start, copied, verification, sourceChanged, finished };
  } catch (e) {
    if (e instanceof EngineError || (e instanceof Error && e.name === 'AbortError')) throw e;
    throw e instanceof Error && e.name === 'SqliteError' ? mapSqliteError(e) : mapPgError(e);
  } finally {
    source.close();
    await sql.end({ timeout: 5 });
  }
}
