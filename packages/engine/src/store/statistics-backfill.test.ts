// The management-information backfill (SQLite step 16, PostgreSQL step 10,
// statistics-backfill.ts) on both stores: a database built at the step before, holding
// organisations, signals (active, withdrawn, expired) and matches (with outcomes on either
// side, one contact after more than 366 days) across months, migrated by opening it with the
// real store; the counters must be exactly the ones written out below. With live counters
// already present, the months from the first of them on must stay exactly as they were
// (a cell that may have been exported never changes: docs/privacy.md §3a).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PG_MIGRATIONS } from './postgres/pg-migrations.js';
import { openPostgresStore } from './postgres/pg-store.js';
import { APPLICATION_ID, applyMigration, MIGRATIONS } from './sqlite/migrations.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { StatisticRow, Store } from './store.js';
import { testDatabases } from '../testing/pg-databases.js';

const DAY = 86_400_000;
const t = (iso: string) => Date.parse(`${iso}Z`);
const ORGS = [
  { rid: 1, type: 'school' },
  { rid: 2, type: 'police' },
  { rid: 3, type: 'youth_care' },
] as const;
// rid, org, state (0 active, 1 withdrawn 'ended', 2 expired), placed, ended
const SIGNALS: readonly [number, number, number, number, number | null][] = [
  [1, 1, 0, t('2026-01-10T09:00:00'), null],
  [2, 2, 0, t('2026-01-20T09:00:00'), null],
  [3, 3, 1, t('2026-01-05T09:00:00'), t('2026-02-03T09:00:00')],
  [4, 1, 2, t('2025-12-31T23:59:59.999'), t('2026-02-10T09:00:00')], // expiry is no withdrawal
  [5, 1, 0, t('2026-02-15T09:00:00'), null],
  [6, 2, 0, t('2026-03-02T09:00:00'), null],
  [7, 3, 1, t('2026-01-06T09:00:00'), t('2026-03-04T09:00:00')],
];
// rid, a, b, status, created, [at, outcome code] of a, of b (0 contact_made … 3 client_refused)
type Side = readonly [number, number] | null;
const MATCHES: readonly [number, number, number, number, number, Side, Side][] = [
  [1, 1, 2, 0, t('2026-01-20T10:00:00'), [t('2026-01-23T11:00:00'), 0], [t('2026-02-01T08:00:00'), 1]],
  [2, 1, 5, 1, t('2026-02-15T10:00:00'), null, [t('2026-02-25T10:00:00'), 0]], // two schools: once
  [3, 2, 3, 1, t('2026-01-20T10:00:00'), [t('2026-03-05T10:00:00'), 3], null],
  [4, 5, 6, 0, t('2026-03-02T10:00:00'), [t('2026-03-03T10:00:00'), 0], null],
  [5, 2, 4, 0, t('2024-11-01T10:00:00'), null, [t('2024-11-01T10:00:00') + 440 * DAY, 0]], // capped at 366
];

type Cell = [month: number, type: string, metric: number, value: number];
/** What the rows give for the months before March 2026 (metric codes: STATISTIC_METRICS, 100 + days). */
const BEFORE_MARCH: Cell[] = [
  [202411, 'police', 2, 1],
  [202411, 'school', 2, 1],
  [202512, 'school', 0, 1],
  [202601, 'police', 0, 1],
  [202601, 'police', 2, 2],
  [202601, 'school', 0, 1],
  [202601, 'school', 2, 1],
  [202601, 'school', 3, 2],
  [202601, 'school', 103, 1],
  [202601, 'school', 466, 1],
  [202601, 'youth_care', 0, 2],
  [202601, 'youth_care', 2, 1],
  [202602, 'police', 4, 1],
  [202602, 'school', 0, 1],
  [202602, 'school', 2, 1],
  [202602, 'school', 3, 1],
  [202602, 'school', 110, 1],
  [202602, 'youth_care', 1, 1],
];
/** …and for March 2026, when no month was counted live. */
const MARCH: Cell[] = [
  [202603, 'police', 0, 1],
  [202603, 'police', 2, 1],
  [202603, 'police', 6, 1],
  [202603, 'school', 2, 1],
  [202603, 'school', 3, 1],
  [202603, 'school', 101, 1],
  [202603, 'youth_care', 1, 1],
];
/** Counted live after the counting step: March 2026 on. */
const LIVE: Cell[] = [
  [202603, 'police', 0, 1],
  [202603, 'school', 2, 5],
  [202604, 'school', 0, 9],
];

const hex16 = (n: number, tag: number) => (tag * 1000 + n).toString(16).padStart(32, '0');

/** The fixture's INSERT statements; `contact` is the signal's contact column value as SQL. */
function fixtureSql(contact: string, blob: (hex: string) => string, live: boolean): string[] {
  return [
    ...ORGS.map(
      (o) => `INSERT INTO organisations (rid, id, name, type, status, budget, created_at)
        VALUES (${o.rid}, 'org-${o.rid}', 'Org ${o.rid}', '${o.type}', 0, 100, 1)`,
    ),
    ...SIGNALS.map(
      ([rid, org, state, placed, ended]) => `INSERT INTO signals
        (rid, id, org, state, flags, contact, informed, placed_at, expires_at, ended_at, request_id, request_hash)
        VALUES (${rid}, ${blob(hex16(rid, 1))}, ${org}, ${state}, 0, ${contact}, 0, ${placed}, ${placed + 730 * DAY},
        ${ended ?? 'NULL'}, ${blob(hex16(rid, 2))}, ${blob('00'.repeat(8))})`,
    ),
    ...MATCHES.map(
      ([rid, a, b, status, created, sa, sb]) => `INSERT INTO matches
        (rid, id, kind, status, a, b, created_at, ended_at, contact_a, outcome_a, contact_b, outcome_b)
        VALUES (${rid}, ${blob(hex16(rid, 3))}, 0, ${status}, ${a}, ${b}, ${created}, ${status === 1 ? created + DAY : 'NULL'},
        ${sa?.[0] ?? 'NULL'}, ${sa?.[1] ?? 'NULL'}, ${sb?.[0] ?? 'NULL'}, ${sb?.[1] ?? 'NULL'})`,
    ),
    ...(live
      ? LIVE.map(
          ([m, type, metric, value]) =>
            `INSERT INTO statistics VALUES (${m}, '${type}', ${metric}, ${value})`,
        )
      : []),
  ];
}

const byCell = (x: Cell, y: Cell) => x[0] - y[0] || x[1].localeCompare(y[1]) || x[2] - y[2];
const sorted = (cells: Cell[]) => [...cells].sort(byCell);

/** The counters of a store just opened (and so migrated); the store is closed after. */
async function countersOf(store: Store): Promise<Cell[]> {
  try {
    const rows: StatisticRow[] = await store.read((tx) => tx.statistics(190001, 299912));
    return rows.map((r): Cell => [r.month, r.organisationType, r.metric, r.value]).sort(byCell);
  } finally {
    await store.close();
  }
}

/**
 * The cases, on one store: `migrated(live)` builds a database at the step before the
 * backfill (with the live counters when `live`), opens it with the store and answers its
 * counters.
 */
function backfillCases(migrated: (live: boolean) => Promise<Cell[]>): void {
  it('with no counter yet, counts every month the rows give', async () => {
    expect(await migrated(false)).toEqual(sorted([...BEFORE_MARCH, ...MARCH]));
  });
  it('with live counters from March, fills only the months before and leaves March on as it was', async () => {
    expect(await migrated(true)).toEqual(sorted([...BEFORE_MARCH, ...LIVE]));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'sluis-backfill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('statistics backfill: SQLite step 16', () => {
  const STEP = 16;
  async function migrated(live: boolean): Promise<Cell[]> {
    const path = join(dir, `v${STEP - 1}-${live}.sqlite`);
    const db = new Database(path);
    for (let v = 0; v < STEP - 1; v++) {
      db.transaction(() => {
        applyMigration(db, MIGRATIONS[v]!);
        if (v === 0) {
          db.pragma(`application_id = ${APPLICATION_ID}`);
          db.prepare('INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)').run();
        }
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
    for (const s of fixtureSql('0', (h) => `x'${h}'`, live)) db.exec(s);
    db.close();
    return countersOf(openSqliteStore({ path }));
  }

  backfillCases(migrated);
});

const url = inject('postgresUrl');

describe.skipIf(url === '')('statistics backfill: PostgreSQL step 10', () => {
  const STEP = 10;
  const databases = testDatabases('sluis_backfill_');
  afterAll(() => databases.dropAll());

  async function migrated(live: boolean): Promise<Cell[]> {
    const db = await databases.create();
    const raw = postgres(db, { max: 1, onnotice: () => undefined });
    // Built step by step as migratePostgres does, up to the step before.
    for (let v = 0; v < STEP - 1; v++) {
      await raw.unsafe(PG_MIGRATIONS[v]!);
      if (v === 0) {
        await raw.unsafe(`CREATE TABLE sluis_schema (version integer NOT NULL);
          INSERT INTO sluis_schema (version) VALUES (0);
          INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)`);
      }
      await raw.unsafe(`UPDATE sluis_schema SET version = ${v + 1}`);
    }
    for (const s of fixtureSql(`'[]'`, (h) => `'\\x${h}'::bytea`, live)) await raw.unsafe(s);
    await raw.end();
    return countersOf(await openPostgresStore({ url: db }));
  }

  backfillCases(migrated);
});
