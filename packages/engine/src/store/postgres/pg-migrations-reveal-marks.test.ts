// PostgreSQL step 22 (docs/operations.md "Upgrade", docs/privacy.md §2 art. 17), as SQLite's step
// 32 in ../sqlite/migrations-reveal-marks.test.ts: a database at step 21, made by the real SQL of
// the steps before (pg-migrations.test-util.ts), with a day's reveal marks of many keys and
// matches, keeps every mark; the erasure's delete of one match's marks reads reveal_marks_match,
// never the whole table. Skipped, and said so by the run, without PostgreSQL server binaries.

import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { revealMarksOfMatchDelete } from './pg-bookkeeping.js';
import {
  analyzeExactly,
  nodes,
  openMigrated,
  type PlanNode,
  stepDatabases,
} from './pg-migrations.test-util.js';

const url = inject('postgresUrl');
const databases = stepDatabases('sluis_rm');

/** Match n's id, and its 16 bytes as the store keeps them. */
const uuidOf = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
const bytesOf = (n: number) => Buffer.from(uuidOf(n).replaceAll('-', ''), 'hex');

describe.skipIf(url === '')('PostgreSQL step 22: reveal marks by match', () => {
  it('a database of schema 21 migrates on: every mark kept, one match’s deleted by reveal_marks_match', async () => {
    // 200 viewers × 100 matches, match m's marks at time m.
    const { db, raw } = await databases.atSchema(21);
    await raw.unsafe(`INSERT INTO reveal_marks (key_id, match, at)
      SELECT 'k' || k, decode(lpad(m::text, 8, '0') || '000040008000000000000000', 'hex'), m
      FROM generate_series(1, 200) k, generate_series(1, 100) m`);
    const digest = `SELECT md5(string_agg(r::text, ',' ORDER BY key_id, match)) AS d, count(*)::int AS n
      FROM reveal_marks r WHERE at <> 7`;
    const [rows] = await raw.unsafe(digest);
    await raw.end();

    const s = await openMigrated(db);
    try {
      const defs = (await s.unsafe(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'reveal_marks_match'`,
      )) as { indexdef: string }[];
      expect(defs.map((d) => d.indexdef)).toEqual([
        'CREATE INDEX reveal_marks_match ON public.reveal_marks USING btree (match)',
      ]);
      expect(await s.read((tx) => tx.lastRevealLogged('k2', uuidOf(7)))).toBe(7);

      // The plan, with statistics of every row (pg-migrations.test-util.ts `analyzeExactly`),
      // custom and generic (a prepared statement's after five runs); in a transaction rolled back.
      const sql = postgres(db, { max: 1, onnotice: () => undefined });
      try {
        await analyzeExactly(sql, ['reveal_marks']);
        const q = () => revealMarksOfMatchDelete(sql, bytesOf(7));
        const [custom] = await sql`EXPLAIN (FORMAT JSON) ${q()}`;
        const { string } = await q().describe();
        await sql.unsafe(`PREPARE d AS ${string}`);
        await sql`SET plan_cache_mode = force_generic_plan`;
        const [generic] = await sql.unsafe(
          `EXPLAIN (FORMAT JSON) EXECUTE d('\\x${bytesOf(7).toString('hex')}')`,
        );
        for (const row of [custom!, generic!]) {
          const plan = nodes((row['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
          expect(plan.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
          expect(plan.flatMap((n) => (n['Index Name'] === undefined ? [] : [n['Index Name']]))).toEqual([
            'reveal_marks_match',
          ]);
        }
      } finally {
        await sql.end();
      }

      expect(await s.write((tx) => tx.deleteRevealMarksOfMatch(uuidOf(7)))).toBe(200);
      expect(await s.read((tx) => tx.lastRevealLogged('k2', uuidOf(7)))).toBeUndefined();
      expect(await s.unsafe(digest.replace(' WHERE at <> 7', ''))).toEqual([rows]);
    } finally {
      await s.close();
    }
  });
});
