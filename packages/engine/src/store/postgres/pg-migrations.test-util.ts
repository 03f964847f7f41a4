// Test support for the PostgreSQL migration tests (not part of the build): fresh databases on
// the run's throwaway cluster (dropped after the file's tests), one at any schema version made by
// the real steps the way migratePostgres makes them, and the nodes of an EXPLAIN (FORMAT JSON)
// plan and statistics of every row to read one under.

import postgres from 'postgres';
import { afterAll, expect } from 'vitest';
import { testDatabases } from '../../testing/pg-databases.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-migrations.js';
import { openPostgresStore } from './pg-store.js';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  /** Pages read, with EXPLAIN (ANALYZE, BUFFERS). */
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** Every node of a plan, the root first. */
export const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/**
 * Statistics of every row for the plan assertions: autovacuum turned off for these tables
 * first (its ANALYZE, by a sample of 30,000 rows, could run beside this one and replace its
 * statistics; the ALTER waits for or cancels a run under way), then ANALYZE at the largest
 * target, whose sample of 3,000,000 rows covers a test's table. A plan read after this is the
 * planner's answer to exact statistics, the same every run: under autovacuum's sample a late
 * organisation's list was planned once in many runs as a bitmap and a sort.
 */
export async function analyzeExactly(sql: postgres.Sql, tables: readonly string[]): Promise<void> {
  for (const t of tables) await sql.unsafe(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
  await sql`SET default_statistics_target = 10000`;
  await sql.unsafe(`VACUUM ANALYZE ${tables.join(', ')}`);
  await sql`RESET default_statistics_target`;
}

/** The databases of one test file (named `prefix…`): `fresh()` an empty one, `atSchema(version)` one at that step. */
export function stepDatabases(prefix: string) {
  const databases = testDatabases(prefix);
  afterAll(() => databases.dropAll());
  return {
    /** A new, empty database on the cluster; its URL. */
    fresh: () => databases.create(),
    /**
     * A fresh database at schema `version`, built step by step as migratePostgres did, and one
     * connection to it (the caller fills it and ends the connection).
     */
    async atSchema(version: number) {
      const db = await databases.create();
      const raw = postgres(db, { max: 1, onnotice: () => undefined });
      await raw.unsafe(PG_MIGRATIONS[0]!);
      await raw.unsafe(`CREATE TABLE sluis_schema (version integer NOT NULL);
        INSERT INTO sluis_schema (version) VALUES (${version});
        INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)`);
      for (let v = 1; v < version; v++) await raw.unsafe(PG_MIGRATIONS[v]!);
      return { db, raw };
    },
  };
}

/** The store opened on `db`, which its open migrated to PG_SCHEMA_VERSION (checked). */
export async function openMigrated(db: string) {
  const s = await openPostgresStore({ url: db });
  const [v] = (await s.unsafe('SELECT version FROM sluis_schema')) as { version: number }[];
  expect(v?.version).toBe(PG_SCHEMA_VERSION);
  return s;
}
