// A holder's inbox on PostgreSQL prepared against unnamed (docs/performance.md "Three scans
// made seeks", the inbox's cost): organisation O's 20,000 signals, one match each with a second
// organisation's signal and one O event per match, at schema PG_SCHEMA_VERSION after VACUUM
// ANALYZE. O's holders: a light one with 10 signals, a caseload of 200, the rest spread over 98.
// Each side on its own connection runs pg-events.ts `holderEventsStatement` (a page of 101): A
// prepared, as postgres.js runs a tagged statement, B unnamed, as `holderEventsQuery` runs it
// (described first, then bound: a second round trip). Cases: the light holder's first page, the
// caseload's, and the light holder's poll after the last 100 events; alternated rounds, per
// round the median per call, wall time in this process; a fourth case, `SELECT $1::int8`, is
// the protocol alone (B − A there is the describe's round trip with nothing to parse or plan).
// Also prints whether A's statement turned generic, and where the time goes: per case and
// side the server's own times (pg_stat_statements with track_planning: planning and execution
// per call; the server log with log_min_duration_statement = 0: parse, bind — the custom
// plan is made there — and execute per message), both plans by EXPLAIN (ANALYZE, SUMMARY),
// and B's first round trip alone (`describe()`: Parse, Describe, Flush; Sync after the
// answer; on a connection of its own, as it keeps a named statement each time). Not part of
// `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/pg-inbox-plan-ab.ts [rounds] [calls]

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import { openPostgresStore } from '@sluis/engine/postgres';
import { holderEventsStatement } from '../../packages/engine/src/store/postgres/pg-events.js';
import { findPostgresBinaries, startPostgres } from '../../test/support/postgres.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 5);
const calls = Number(process.argv[3] ?? 200);
const cluster = await startPostgres(findPostgresBinaries()!, [
  'shared_preload_libraries=pg_stat_statements',
  'pg_stat_statements.track_planning=on',
]);
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
  await fill.unsafe('CREATE EXTENSION pg_stat_statements');
  await fill.end();
  const cases = [
    ['light holder, first page', holderEventsStatement(1, 0, 101, 1)],
    ['caseload holder, first page', holderEventsStatement(1, 0, 101, 2)],
    ['light holder, poll after last-100', holderEventsStatement(1, 19900, 101, 1)],
    ['protocol alone: SELECT $1::int8', { text: 'SELECT $1::int8 AS x', params: [1] }],
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
  }

  // Where the time goes. The server's planning and execution per call (pg_stat_statements;
  // both sides are one normalised statement, so it is reset before each side's calls).
  const [a, b] = sides as [(typeof sides)[number], (typeof sides)[number]];
  const ms = (x: unknown) => Number(x).toFixed(3);
  for (const [name, q] of cases.slice(0, 3)) {
    for (const s of name.startsWith('caseload') ? [b, a] : [a, b]) {
      await s.sql.unsafe('SELECT pg_stat_statements_reset()');
      for (let i = 0; i < calls; i++) await run(s, q);
      const [st] =
        await s.sql.unsafe(`SELECT calls::int, plans::int, mean_plan_time, mean_exec_time, rows::int
        FROM pg_stat_statements WHERE query LIKE '%FROM events WHERE org = $1 AND seq > $2%'`);
      console.log(
        `${s.name}: ${name}: server per call: planning ${ms(st?.mean_plan_time)} ms, execution ${ms(st?.mean_exec_time)} ms (calls ${st?.calls}, plans ${st?.plans}, rows ${st?.rows})`,
      );
    }
    // Both plans, with their planning and execution time.
    const [prep] = await a.sql.unsafe(
      `SELECT name FROM pg_prepared_statements WHERE statement LIKE '%FROM events WHERE org = $1 AND seq > $2%'`,
    );
    const explain = async (s: (typeof sides)[number], text: string, params: number[]) => {
      const [row] = await s.sql.unsafe(`EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) ${text}`, params);
      const [top] = row!['QUERY PLAN'] as {
        Plan: Record<string, unknown>;
        'Planning Time': number;
        'Execution Time': number;
        JIT?: unknown;
      }[];
      const shape: string[] = [];
      const walk = (n: Record<string, unknown>) => {
        shape.push(`${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`);
        for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
      };
      walk(top!.Plan);
      return `planning ${ms(top!['Planning Time'])} ms, execution ${ms(top!['Execution Time'])} ms, cost ${String(top!.Plan['Total Cost'])}, JIT ${top!.JIT === undefined ? 'no' : 'yes'}: ${shape.join(' > ')}`;
    };
    const [org, after, holder, limit] = q.params;
    console.log(
      `A prepared: ${name}: EXPLAIN EXECUTE: ${await explain(a, `EXECUTE "${String(prep?.name)}"(${org}, ${after}, ${holder}, ${limit})`, [])}`,
    );
    console.log(`B unnamed: ${name}: EXPLAIN: ${await explain(b, q.text, [...q.params])}`);
    // B's first round trip alone: Parse and Describe. postgres.js's `describe()` parses a
    // named statement and keeps it, so on a connection of its own: B's does not fill up.
    const d = postgres(cluster.url, { max: 1, onnotice: () => undefined });
    const each: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await d.unsafe(q.text, [...q.params]).describe();
      each.push(performance.now() - t0);
    }
    await d.end();
    console.log(`B unnamed: ${name}: describe alone (Parse, Describe): median ${ms(spread(each).median)} ms`);
  }

  // Per protocol message, from the server log (log_min_duration_statement = 0 on both sides'
  // connections for these calls only; A and B one call each in turn, told apart by the
  // statement's name): parse, bind (the custom plan is made there), execute.
  const log = join(dirname(cluster.dataDir), 'server.log');
  for (const s of sides) await s.sql.unsafe('SET log_min_duration_statement = 0');
  for (const [name, q] of cases) {
    const from = readFileSync(log, 'utf8').length;
    for (let i = 0; i < calls; i++) for (const s of i % 2 === 0 ? [a, b] : [b, a]) await run(s, q);
    const lines = readFileSync(log, 'utf8').slice(from);
    const by = new Map<string, number[]>();
    for (const m of lines.matchAll(/duration: ([0-9.]+) ms {2}(parse|bind|execute) (\S+):/g)) {
      const key = `${m[3] === '<unnamed>' ? b.name : a.name} ${m[2]}`;
      by.set(key, [...(by.get(key) ?? []), Number(m[1])]);
    }
    for (const s of sides) {
      const parts = ['parse', 'bind', 'execute'].map((k) => {
        const v = by.get(`${s.name} ${k}`);
        return `${k} ${v === undefined ? '-' : `${ms(spread(v).median)} ms (${v.length})`}`;
      });
      console.log(`${s.name}: ${name}: server log medians: ${parts.join(', ')}`);
    }
  }
  for (const s of sides) await s.sql.end();
} finally {
  cluster.stop();
}
