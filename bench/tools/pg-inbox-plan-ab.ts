// A holder's inbox on PostgreSQL prepared against unnamed (docs/performance.md "Three scans
// made seeks", the inbox's cost): organisation O's 20,000 signals, one match each with a second
// organisation's signal and one O event per match, at schema PG_SCHEMA_VERSION after VACUUM
// ANALYZE. O's holders: a light one with 10 signals, a caseload of 200, the rest spread over 98.
// Each side on its own connection runs pg-events.ts `holderEventsStatement` (a page of 101): A
// prepared, as postgres.js runs a tagged statement, B unnamed, as `holderEventsQuery` runs it
// (described first, then bound: a second round trip). Cases: the light holder's first page, the
// caseload's, and the light holder's poll after the last 100 events; alternated rounds, per
// round the median per call, wall time in this process. Also prints whether A's statement
// turned generic. Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/pg-inbox-plan-ab.ts [rounds] [calls]

import postgres from 'postgres';
import { openPostgresStore } from '@sluis/engine/postgres';
import { holderEventsStatement } from '../../packages/engine/src/store/postgres/pg-events.js';
import { findPostgresBinaries, startPostgres } from '../../test/support/postgres.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 5);
const calls = Number(process.argv[3] ?? 200);
const cluster = await startPostgres(findPostgresBinaries()!);
try {
  await (await openPostgresStore({ url: cluster.url })).close();
  const fill = postgres(cluster.url, { max: 1, onnotice: () => undefined });
  // O (rid 1): 20,000 signals, holder 1 holds 10 (every 2,000th), holder 2 a caseload of 200,
  // the rest spread over 98; P (rid 2): the same 20,000 people; one match and one O event each.
  await fill.unsafe(`INSERT INTO organisations (id, name, type, status, budget, created_at)
      SELECT 'org-' || o, 'Org ' || o, 'youth_care', 0, 100, 1 FROM generate_series(1, 2) o;
    INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash, person)
      SELECT i, decode(md5('s' || i), 'hex'), CASE WHEN i > 20000 THEN 2 ELSE 1 END, 0, 0, '["A","B",null,null]', 0, i, i + 1,
        decode(md5('r' || i), 'hex'), '\\x00',
        CASE WHEN i > 20000 THEN NULL WHEN i % 2000 = 0 THEN 1 WHEN i % 100 = 1 THEN 2 ELSE 3 + i % 98 END
      FROM generate_series(1, 40000) i;
    INSERT INTO matches (id, kind, status, a, b, created_at)
      SELECT decode(md5('m' || i), 'hex'), 0, 0, i, 20000 + i, i FROM generate_series(1, 20000) i;
    INSERT INTO events (org, seq, type, match, at)
      SELECT 1, i, 0, decode(md5('m' || i), 'hex'), i FROM generate_series(1, 20000) i`);
  await fill.unsafe('VACUUM ANALYZE');
  await fill.end();
  const cases = [
    ['light holder, first page', holderEventsStatement(1, 0, 101, 1)],
    ['caseload holder, first page', holderEventsStatement(1, 0, 101, 2)],
    ['light holder, poll after last-100', holderEventsStatement(1, 19900, 101, 1)],
  ] as const;
  const sides = [
    { name: 'A prepared', prepare: true },
    { name: 'B unnamed', prepare: false },
  ].map((s) => ({ ...s, sql: postgres(cluster.url, { max: 1, onnotice: () => undefined }) }));
  const run = (s: (typeof sides)[number], q: (typeof cases)[number][1]) =>
    s.sql.unsafe(q.text, [...q.params], { prepare: s.prepare });
  for (const s of sides) for (const [, q] of cases) await run(s, q);
  const medians = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++)
    for (const s of r % 2 === 0 ? sides : [...sides].reverse())
      for (const [name, q] of cases) {
        const each: number[] = [];
        for (let i = 0; i < calls; i++) {
          const t0 = performance.now();
          await run(s, q);
          each.push(performance.now() - t0);
        }
        const key = `${s.name}: ${name}`;
        medians.set(key, [...(medians.get(key) ?? []), spread(each).median]);
      }
  for (const [key, m] of medians) {
    const { median, min, max } = spread(m);
    console.log(`${key}: median ${median.toFixed(3)} ms (rounds ${min.toFixed(3)}–${max.toFixed(3)})`);
  }
  for (const s of sides) {
    const rows = await s.sql.unsafe(`SELECT generic_plans::int AS g, custom_plans::int AS c
      FROM pg_prepared_statements WHERE statement LIKE '%FROM events WHERE org = $1 AND seq > $2%'`);
    console.log(`${s.name}: inbox statements kept ${JSON.stringify(rows)}`);
    await s.sql.end();
  }
} finally {
  cluster.stop();
}
