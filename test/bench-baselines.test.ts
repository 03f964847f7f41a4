// The benchmark's raw baselines against the stores they stand for (bench/lib/sqlite-baseline.ts,
// pg-baseline.ts, signal-id.ts, durable-floor-writer.ts; docs/performance.md "Since: the raw rows
// keep the server's id"): the raw rows keep their id as each store keeps a signal's (and draw it
// as the engine draws one), so neither id index costs more than the other at size, and the
// floors' WAL checkpointer, a copy of the SQLite store's, uses the store's constants (the bench
// imports the engine through its public exports only, so it cannot import them). The benchmark's
// figures are never asserted here (timing targets live in bench/ only).

import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@sluis/engine';
import { openPostgresStore } from '@sluis/engine/postgres';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  CHECKPOINT_EVERY_MS,
  JOURNAL_SIZE_LIMIT,
  RESET_FRAMES,
  storeCheckpointer,
} from '../bench/lib/durable-floor-writer.js';
import {
  copyPgRate,
  FLOOR_TABLE,
  insertBaselineRow,
  multiRowPgInsertRate,
  NAIVE_TABLE,
  openPgBaseline,
} from '../bench/lib/pg-baseline.js';
import { insertRows, openBaseline } from '../bench/lib/sqlite-baseline.js';
import * as store from '../packages/engine/src/store/sqlite/wal-checkpointer.js';
import { createDatabase, psql, psqlValue } from './support/postgres.js';

const postgresUrl = inject('postgresUrl');

interface Db {
  pragma(source: string, options?: { simple: boolean }): unknown;
  prepare(sql: string): { get(...args: unknown[]): unknown; all(...args: unknown[]): unknown[] };
  close(): void;
}

/** The bench's own copy of better-sqlite3 (a dependency of bench/, not of test/). */
const Database = createRequire(new URL('../bench/package.json', import.meta.url))('better-sqlite3') as new (
  path: string,
  options?: { readonly: boolean },
) => Db;

/** How `table` keeps its `id`: the table's kind, the column, and every index that starts with it. */
function idShape(db: Db, table: string) {
  const list = db.pragma(`table_list(${table})`) as { wr: number }[];
  const columns = db.pragma(`table_info(${table})`) as {
    name: string;
    type: string;
    notnull: number;
    pk: number;
  }[];
  const indexes = db.pragma(`index_list(${table})`) as { name: string; unique: number; partial: number }[];
  return {
    withoutRowid: list[0]?.wr,
    primaryKey: columns.filter((c) => c.pk > 0).map((c) => `${c.name} ${c.type}`),
    id: columns.filter((c) => c.name === 'id').map((c) => `${c.type}${c.notnull ? ' NOT NULL' : ''}`),
    idIndexes: indexes
      .map((i) => ({
        columns: (db.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name),
        unique: i.unique,
        partial: i.partial,
      }))
      .filter((i) => i.columns[0] === 'id'),
  };
}

describe('the raw baselines', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluis-bench-baselines-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keep the id as the store keeps a signal’s: 16 bytes in a rowid table, under a unique index of its own', async () => {
    const path = join(dir, 'sluis.db');
    await openSqliteStore({ path }).close();
    const server = new Database(path, { readonly: true });
    const raw = openBaseline(dir);
    try {
      const expected = {
        withoutRowid: 0,
        primaryKey: ['rid INTEGER'],
        id: ['BLOB NOT NULL'],
        idIndexes: [{ columns: ['id'], unique: 1, partial: 0 }],
      };
      expect(idShape(server, 'signals')).toEqual(expected);
      expect(idShape(raw, 'signal')).toEqual(expected);

      insertRows(raw, 1_000, 500);
      // Every id a UUID v4's 16 bytes (version nibble 4, variant 10), as the engine's newUuidBytes.
      expect(
        raw
          .prepare(
            `SELECT count(*) AS n, count(DISTINCT id) AS ids,
              sum(typeof(id) = 'blob' AND length(id) = 16) AS sixteen,
              sum(substr(hex(id), 13, 1) = '4' AND substr(hex(id), 17, 1) IN ('8', '9', 'A', 'B')) AS v4,
              sum(length(stored) = 32) AS stored
            FROM signal`,
          )
          .get(),
      ).toEqual({ n: 1_000, ids: 1_000, sixteen: 1_000, v4: 1_000, stored: 1_000 });
    } finally {
      raw.close();
      server.close();
    }
  });

  it('are checkpointed with the store’s constants', async () => {
    expect(CHECKPOINT_EVERY_MS).toBe(store.CHECKPOINT_EVERY_MS);
    expect(RESET_FRAMES).toBe(store.RESET_FRAMES);
    expect(JOURNAL_SIZE_LIMIT).toBe(store.JOURNAL_SIZE_LIMIT);

    const db = openBaseline(dir);
    try {
      const checkpointer = storeCheckpointer(db, join(dir, 'baseline.db'));
      try {
        checkpointer.ready();
        expect(db.pragma('journal_size_limit', { simple: true })).toBe(store.JOURNAL_SIZE_LIMIT);
        expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      } finally {
        await checkpointer.stop();
      }
    } finally {
      db.close();
    }
  });
});

/** How PostgreSQL table `table` keeps its `id`: its primary key, the column, the indexes that start with it. */
function pgIdShape(url: string, table: string): string {
  const id = `(SELECT attnum FROM pg_attribute WHERE attrelid = '${table}'::regclass AND attname = 'id')`;
  return psqlValue(
    url,
    `SELECT concat_ws(' | ',
      (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' identity ' || a.attidentity::text, ', ')
        FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = '${table}'::regclass AND i.indisprimary),
      (SELECT format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END
        FROM pg_attribute WHERE attrelid = '${table}'::regclass AND attname = 'id'),
      (SELECT string_agg(CASE WHEN i.indisunique THEN 'unique' ELSE 'not unique' END
          || ' on ' || i.indnkeyatts || CASE WHEN i.indpred IS NULL THEN '' ELSE ', partial' END, ', ')
        FROM pg_index i WHERE i.indrelid = '${table}'::regclass AND NOT i.indisprimary AND i.indkey[0] = ${id}))`,
  );
}

describe.skipIf(postgresUrl === '')('the PostgreSQL raw baselines', () => {
  const name = `sluis_bench_baselines_${process.pid}`;
  afterEach(() => psql(postgresUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('keep the id as the PostgreSQL store keeps a signal’s: 16 bytes, unique, beside a bigint identity key', async () => {
    psql(postgresUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const url = createDatabase(postgresUrl, name);
    await (await openPostgresStore({ url })).close();
    const b = await openPgBaseline(url, 2, { floorTable: true });
    try {
      const expected = 'rid bigint identity d | bytea NOT NULL | unique on 1';
      expect(pgIdShape(url, 'signals')).toBe(expected);
      expect(pgIdShape(url, NAIVE_TABLE)).toBe(expected);
      expect(pgIdShape(url, FLOOR_TABLE)).toBe(expected);

      // The naive loop's rows, the floor's, the multi-row INSERT's and COPY's.
      for (let i = 0; i < 10; i++) await insertBaselineRow(b.sql, NAIVE_TABLE);
      for (let i = 0; i < 10; i++) await insertBaselineRow(b.sql, FLOOR_TABLE);
      await multiRowPgInsertRate(b, 1_000, 500, 2);
      await copyPgRate(b, 1_000, 500, 2);
      // Every id a UUID v4's 16 bytes (version nibble 4, variant 10), as the engine's newUuidBytes.
      const rows = (table: string) =>
        psqlValue(
          url,
          `SELECT concat_ws(' ', count(*), count(DISTINCT id),
            count(*) FILTER (WHERE octet_length(id) = 16),
            count(*) FILTER (WHERE get_byte(id, 6) >> 4 = 4 AND get_byte(id, 8) >> 6 = 2),
            count(*) FILTER (WHERE octet_length(stored) = 32)) FROM ${table}`,
        );
      expect(rows(NAIVE_TABLE)).toBe('2010 2010 2010 2010 2010');
      expect(rows(FLOOR_TABLE)).toBe('10 10 10 10 10');
    } finally {
      await b.close();
    }
  });
});
