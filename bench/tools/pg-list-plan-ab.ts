// The organisation's list on PostgreSQL prepared against unnamed (docs/performance.md "Three
// scans made seeks"): 200,000 signals of 20 organisations (one holding every other, the others
// placed side by side) and 1,000 of an organisation admitted last, at schema
// PG_SCHEMA_VERSION, under statistics of every row (autovacuum off for the table, whose
// ANALYZE would invalidate the cached plans). Each side on its own connection lists the
// large organisation ten times, then in alternated rounds the late organisation's first page
// and the large one's (101 rows, without a status filter, oldest first): A prepared, as
// postgres.js runs a tagged statement (the plan cache may turn to the generic plan after
// five runs), B unnamed, as pg-signals.ts `listSignalsQuery` runs it (planned for its values
// at every run). Per round the median per call, wall time in this process. Also prints
// whether A's statement turned generic. Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/pg-list-plan-ab.ts [rounds] [calls]

import postgres from 'postgres';
import { openPostgresStore } from '@sluis/engine/postgres';
import { listSignalsStatement } from '../../packages/engine/src/store/postgres/pg-signals.js';
import { findPostgresBinaries, startPostgres } from '../../test/support/postgres.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 5);
const calls = Number(process.argv[3] ?? 200);
const bin = findPostgresBinaries();
if (bin === undefined) throw new Error('no PostgreSQL server binaries');
const cluster = await startPostgres(bin);
try {
  await (await openPostgresStore({ url: cluster.url })).close();
  const fill = postgres(cluster.url, { max: 1, onnotice: () => undefined });
  await fill.unsafe(`INSERT INTO organisations (id, name, type, status, budget, created_at)
      SELECT 'org-' || o, 'Org ' || o, 'youth_care', 0, 100, 1 FROM generate_series(1, 21) o;
    INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash)
      SELECT i, decode(md5('s' || i), 'hex'),
        CASE WHEN i > 200000 THEN 21 WHEN i % 2 = 0 THEN 1 ELSE 2 + i / 2 % 19 END,
        CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END, 0, '["A","B",null,null]', 0, i, i + 1,
        decode(md5('r' || i), 'hex'), '\\x00'
      FROM generate_series(1, 201000) i;
    ALTER TABLE signals SET (autovacuum_enabled = off);
    ALTER TABLE signals ALTER COLUMN org SET STATISTICS 10000`);
  await fill.unsafe('VACUUM ANALYZE signals');
  await fill.end();

  const large = listSignalsStatement(1, undefined, 0, 101);
  const late = listSignalsStatement(21, undefined, 0, 101);
  const sides = [
    { name: 'A prepared', prepare: true },
    { name: 'B unnamed', prepare: false },
  ].map((s) => ({ ...s, sql: postgres(cluster.url, { max: 1, onnotice: () => undefined }) }));
  const run = (s: (typeof sides)[number], q: typeof large) =>
    s.sql.unsafe(q.text, [...q.params], { prepare: s.prepare });
  for (const s of sides) for (let i = 0; i < 10; i++) await run(s, large);
  const medians = new Map<string, number[]>();
  const time = async (key: string, fn: () => Promise<unknown>) => {
    const each: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await fn();
      each.push(performance.now() - t0);
    }
    medians.set(key, [...(medians.get(key) ?? []), spread(each).median]);
  };
  for (let r = 0; r < rounds; r++)
    for (const s of r % 2 === 0 ? sides : [...sides].reverse()) {
      await time(`${s.name}: late organisation`, () => run(s, late));
      await time(`${s.name}: large organisation`, () => run(s, large));
    }
  for (const [key, m] of medians) {
    const { median, min, max } = spread(m);
    console.log(`${key}: median ${median.toFixed(3)} ms (rounds ${min.toFixed(3)}–${max.toFixed(3)})`);
  }
  for (const s of sides) {
    const rows = await s.sql.unsafe(`SELECT generic_plans::int AS g, custom_plans::int AS c
      FROM pg_prepared_statements WHERE statement LIKE '%FROM signals WHERE org = $1%'`);
    const [plan] = await s.sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${late.text}`, [
      ...late.params,
    ]);
    const top = (plan!['QUERY PLAN'] as { Plan: { Plans?: Record<string, unknown>[] } }[])[0]!.Plan
      .Plans?.[0];
    console.log(
      `${s.name}: list statements kept on the connection ${JSON.stringify(rows)}; unnamed EXPLAIN of the late list: ${String(top?.['Index Name'])}, ${String(top?.['Shared Hit Blocks'])} pages`,
    );
    await s.sql.end();
  }
} finally {
  cluster.stop();
}
