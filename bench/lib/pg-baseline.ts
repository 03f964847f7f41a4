// PostgreSQL baselines in the same cluster and with the same durability as the store under
// test (fsync on, synchronous_commit on): a naive loop of single-row durable INSERTs at a
// given concurrency (each its own commit, waiting for its WAL flush), and the same rows
// written in bulk, by multi-row INSERT and by COPY. Rows are shaped like a signal, as the
// SQLite baselines' (sqlite-baseline.ts): a random id, a 32-byte pseudonym, a contact.

import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { quantile } from './stats.js';

const CONTACT = '{"name":"J. de Vries","role":"jeugdconsulent","email":"j.devries@example.nl"}';

export interface PgBaseline {
  readonly sql: postgres.Sql;
  close(): Promise<void>;
}

/** The naive loop's table (and the bulk baselines'). */
export const NAIVE_TABLE = 'baseline_signal';
/**
 * The PostgreSQL floor's table (floor-server.ts): the same columns and indexes as the naive
 * loop's, so that the floor's rows do not grow the table the naive loop measures on.
 */
export const FLOOR_TABLE = 'floor_signal';
export type BaselineTable = typeof NAIVE_TABLE | typeof FLOOR_TABLE;

/**
 * A pool on `url` with a fresh naive loop's table and, with `floorTable` (case 8, whose floor
 * servers insert into the same database), a fresh floor's table (dropped and created).
 */
export async function openPgBaseline(
  url: string,
  connections: number,
  { floorTable = false }: { readonly floorTable?: boolean } = {},
): Promise<PgBaseline> {
  const sql = postgres(url, { max: connections, onnotice: () => undefined });
  for (const table of floorTable ? [NAIVE_TABLE, FLOOR_TABLE] : [NAIVE_TABLE]) {
    await sql.unsafe(`DROP TABLE IF EXISTS ${table};
      CREATE TABLE ${table} (id text PRIMARY KEY, organisation integer NOT NULL,
        stored bytea NOT NULL, contact text NOT NULL, placed_at bigint NOT NULL);
      CREATE INDEX ${table}_stored ON ${table}(stored)`);
  }
  return { sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * One signal-shaped row into `table` in its own durable commit: the naive loop's unit of work
 * (NAIVE_TABLE), and the PostgreSQL floor server's one statement per request (FLOOR_TABLE,
 * floor-server.ts).
 */
export function insertBaselineRow(sql: postgres.Sql, table: BaselineTable): Promise<unknown> {
  // Two fixed statements, not an identifier parameter: the naive loop's text stays the one
  // of the earlier recorded runs.
  return table === NAIVE_TABLE
    ? sql`INSERT INTO baseline_signal (id, organisation, stored, contact, placed_at)
    VALUES (${randomUUID()}, 1, ${randomBytes(32)}, ${CONTACT}, ${Date.now()})`
    : sql`INSERT INTO floor_signal (id, organisation, stored, contact, placed_at)
    VALUES (${randomUUID()}, 1, ${randomBytes(32)}, ${CONTACT}, ${Date.now()})`;
}

export interface NaivePgResult {
  readonly rate: number;
  readonly p99Ms: number;
  readonly inserts: number;
}

/** Single-row durable INSERTs by `concurrency` workers, each on its own connection, for `seconds`. */
export async function naivePgInserts(
  b: PgBaseline,
  concurrency: number,
  seconds: number,
): Promise<NaivePgResult> {
  const latencies: number[] = [];
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const s = performance.now();
      await insertBaselineRow(b.sql, NAIVE_TABLE);
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  return {
    rate: (latencies.length * 1000) / ms,
    inserts: latencies.length,
    p99Ms: quantile(
      latencies.sort((x, y) => x - y),
      0.99,
    ),
  };
}

/**
 * Rows per second of `rows` rows written `batch` at a time by `write(n)` (n rows, one
 * commit), by `inFlight` workers at once; the rows are made inside the timed span.
 */
async function batchedRate(
  rows: number,
  batch: number,
  inFlight: number,
  write: (n: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < rows) {
      const n = Math.min(batch, rows - next);
      next += n;
      await write(n);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (rows * 1000) / (performance.now() - t0);
}

/** Rows per second of `rows` rows written `batch` per multi-row INSERT (one commit each), `inFlight` at once. */
export function multiRowPgInsertRate(
  b: PgBaseline,
  rows: number,
  batch: number,
  inFlight: number,
): Promise<number> {
  return batchedRate(rows, batch, inFlight, async (n) => {
    const items = Array.from({ length: n }, () => ({
      id: randomUUID(),
      organisation: 1,
      stored: randomBytes(32),
      contact: CONTACT,
      placed_at: Date.now(),
    }));
    await b.sql`INSERT INTO baseline_signal ${b.sql(items)}`;
  });
}

/** Rows per second of `rows` rows written by COPY FROM STDIN, `batch` per COPY (one commit each), `inFlight` at once. */
export function copyPgRate(b: PgBaseline, rows: number, batch: number, inFlight: number): Promise<number> {
  return batchedRate(rows, batch, inFlight, async (n) => {
    let text = '';
    for (let i = 0; i < n; i++) {
      text += `${randomUUID()}\t1\t\\\\x${randomBytes(32).toString('hex')}\t${CONTACT}\t${Date.now()}\n`;
    }
    const stream =
      await b.sql`COPY baseline_signal (id, organisation, stored, contact, placed_at) FROM STDIN`.writable();
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', () => resolve());
      stream.end(text);
    });
  });
}
