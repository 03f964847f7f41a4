// The schema step that holds the parent links of people restricted or under a pending
// objection before the hold existed (parent-holds-backfill.ts; docs/operations.md "Upgrade"),
// on both stores from the step before, with the same rows: which links it holds, with which
// bit, that it touches no subject row and no link of a free person, and that running it again
// changes nothing. The PostgreSQL half runs on the run's throwaway cluster (skipped, and said
// so, when the machine has no PostgreSQL server binaries).

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { testDatabases } from '../testing/pg-databases.js';
import { PARENT_HOLDS_BACKFILL } from './parent-holds-backfill.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './postgres/pg-migrations.js';
import { openPostgresStore } from './postgres/pg-store.js';
import { MIGRATIONS, SCHEMA_VERSION } from './sqlite/migrations.js';
import { databaseAt } from './sqlite/migrations.test-util.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

const CREATED_AT = 1_700_000_000_000;
const value = (n: number) => Buffer.alloc(32, n);

/**
 * [rid, state, flags, subject value, parent values]. Flags (sqlite/codec.ts): bit 0 restricted,
 * bit 1 has parents, bits 2-3 the objection (1 pending, 3 rejected). Person 9 is restricted,
 * person 8 under a pending objection, person 5 both on an archived signal (state 1); person 6's
 * objection was rejected and person 7 is free. Children 1-3 name them as parents.
 */
const SIGNALS: readonly [number, number, number, number, number[]][] = [
  [1, 0, 1, 9, []],
  [2, 0, 4, 8, []],
  [3, 0, 12, 6, []],
  [4, 1, 0, 7, []],
  [5, 1, 5, 5, []],
  [6, 0, 2, 1, [9, 7]],
  [7, 0, 2, 2, [8, 6]],
  [8, 0, 2, 3, [5, 9]],
];

/** Each signal's rows as `role:value-byte:hold`, sorted, in rid order. */
const WANT = [
  ['subject:9:0'],
  ['subject:8:0'],
  ['subject:6:0'],
  ['subject:7:0'],
  ['subject:5:0'],
  ['parent:7:0', 'parent:9:1', 'subject:1:0'],
  ['parent:6:0', 'parent:8:2', 'subject:2:0'],
  ['parent:5:3', 'parent:9:1', 'subject:3:0'],
];

async function rowsOf(store: Store): Promise<string[][]> {
  const out: string[][] = [];
  for (const [rid] of SIGNALS) {
    const rows = await store.read((tx) => tx.pseudonymsOf(rid));
    out.push(rows.map((r) => `${r.role}:${r.stored[0]}:${r.held ?? 0}`).sort());
  }
  return out;
}
const heldLinks = (store: Store) =>
  store.read(async (tx) =>
    (await tx.heldParentLinks([9, 8, 7, 6, 5].map(value))).map((l) => `${l.stored[0]}:${l.held}`).sort(),
  );

describe('the parent-holds step on SQLite, from the step before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-parent-holds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the links of people restricted or under a pending objection; nothing else; again changes nothing', async () => {
    const step = MIGRATIONS.indexOf(PARENT_HOLDS_BACKFILL);
    expect(step).toBeGreaterThan(0);
    const path = join(dir, 'before.sqlite');
    const db = databaseAt(path, step);
    db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (1, ?, ?, ?, 0, NULL, 100, ?)',
    ).run(randomUUID(), 'Organisatie 1', 'youth_care', CREATED_AT);
    db.prepare(`INSERT INTO contacts (rid, org, body, refs) VALUES (1, 1, '["A","B",null,null]', ?)`).run(
      SIGNALS.length,
    );
    const signal = db.prepare(
      `INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash, pfx)
       VALUES (?, ?, 1, ?, ?, 1, 3, ?, ?, ?, ?, ?)`,
    );
    const pseudonym = db.prepare(
      'INSERT INTO signal_pseudonyms (stored, signal, role, epoch, generation) VALUES (?, ?, ?, 1, 1)',
    );
    for (const [rid, state, flags, subject, parents] of SIGNALS) {
      const values = [subject, ...parents].map(value);
      signal.run(
        rid,
        Buffer.alloc(16, rid),
        state,
        flags,
        CREATED_AT,
        CREATED_AT + 1e9,
        randomUUID(),
        Buffer.alloc(16, rid),
        Buffer.concat(values.map((v) => v.subarray(0, 8))),
      );
      for (const [i, v] of values.entries()) pseudonym.run(v, rid, i === 0 ? 0 : 1);
    }
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      expect(await rowsOf(store)).toEqual(WANT);
      expect(await heldLinks(store)).toEqual(['5:3', '8:2', '9:1', '9:1']);
    } finally {
      await store.close();
    }
    // Idempotent: the step run once more on the migrated file changes no row.
    const raw = new Database(path);
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const before = raw.prepare('SELECT total_changes() AS n').get() as { n: number };
      raw.exec(PARENT_HOLDS_BACKFILL);
      expect(raw.prepare('SELECT total_changes() AS n').get()).toEqual(before);
    } finally {
      raw.close();
    }
  });
});

const url = inject('postgresUrl');
const databases = testDatabases('sluis_ph');
afterAll(() => databases.dropAll());

describe.skipIf(url === '')('the parent-holds step on PostgreSQL, from the step before', () => {
  it('holds the same links as on SQLite; again changes nothing', async () => {
    const step = PG_MIGRATIONS.indexOf(PARENT_HOLDS_BACKFILL);
    expect(step).toBeGreaterThan(0);
    // The database at the step before, built step by step as migratePostgres does.
    const db = await databases.create();
    const raw = postgres(db, { max: 1, onnotice: () => undefined });
    try {
      await raw.unsafe(PG_MIGRATIONS[0]!);
      await raw.unsafe(`CREATE TABLE sluis_schema (version integer NOT NULL);
        INSERT INTO sluis_schema (version) VALUES (${step});
        INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)`);
      for (let v = 1; v < step; v++) await raw.unsafe(PG_MIGRATIONS[v]!);
      await raw`INSERT INTO organisations (rid, id, name, type, status, budget, created_at)
        VALUES (1, 'org-1', 'Org 1', 'youth_care', 0, 100, 1)`;
      for (const [rid, state, flags, subject, parents] of SIGNALS) {
        await raw`INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash)
          VALUES (${rid}, ${Buffer.alloc(16, rid)}, 1, ${state}, ${flags}, '["A","B",null,null]', 3,
            ${CREATED_AT}, ${CREATED_AT + 1e9}, ${Buffer.alloc(16, 100 + rid)}, ${Buffer.alloc(16, rid)})`;
        for (const [i, v] of [subject, ...parents].entries()) {
          await raw`INSERT INTO signal_pseudonyms (stored, signal, role, epoch, generation)
            VALUES (${value(v)}, ${rid}, ${i === 0 ? 0 : 1}, 1, 1)`;
        }
      }
    } finally {
      await raw.end({ timeout: 5 });
    }

    const s = await openPostgresStore({ url: db });
    try {
      const [v] = (await s.unsafe('SELECT version FROM sluis_schema')) as { version: number }[];
      expect(v?.version).toBe(PG_SCHEMA_VERSION);
      expect(await rowsOf(s)).toEqual(WANT);
      expect(await heldLinks(s)).toEqual(['5:3', '8:2', '9:1', '9:1']);
      // Idempotent: the step run once more changes no row.
      const rows =
        'SELECT signal, role, encode(stored, $$hex$$) AS v, held FROM signal_pseudonyms ORDER BY 1, 2, 3';
      const before = await s.unsafe(rows);
      await s.unsafe(PARENT_HOLDS_BACKFILL);
      expect(await s.unsafe(rows)).toEqual(before);
    } finally {
      await s.close();
    }
  });
});
