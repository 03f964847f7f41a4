// The follow-up overview's query plans on both stores (docs/performance.md "Follow-up
// overview"): for every combination of status, follow-up state, outcome, organisation
// type, age bounds, order and keyset position, the page must walk the matches_follow_up
// index in its order for at most `scan` matches — no sort of the matching rows, no scan
// of the matches or signals table — so a page's cost is bounded whatever the filters.
// (PostgreSQL may read a small status by an index and sort its top `scan`: also bounded.) The statements are the
// stores' own (followUpPageStatement, followUpPageQuery) on a database of 20,000 matches
// with statistics gathered, so PostgreSQL's planner chooses as it would in production.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { FollowUpOutcome, MatchStatus } from '../api.js';
import { FOLLOW_UP_SCAN } from '../domain/matches.js';
import { followUpPageQuery } from './postgres/pg-matches.js';
import { analyzeExactly, nodes, type PlanNode } from './postgres/pg-migrations.test-util.js';
import { openPostgresStore } from './postgres/pg-store.js';
import { followUpPageStatement } from './sqlite/sqlite-matches.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { FollowUpPageQuery } from './store.js';
import { testDatabases } from '../testing/pg-databases.js';

const MATCHES = 20_000;

/** Every combination the engine can ask (FollowUpPageQuery), with one value per filter. */
function combinations(): FollowUpPageQuery[] {
  const out: FollowUpPageQuery[] = [];
  for (const status of ['active', 'ended'] as MatchStatus[])
    for (const withoutOutcome of [null, true, false])
      for (const outcome of [null, 'client_refused'] as (FollowUpOutcome | null)[])
        for (const organisationType of [null, 'general_practice'])
          for (const aged of [false, true])
            for (const order of ['asc', 'desc'] as const)
              for (const deep of [false, true])
                out.push({
                  status,
                  createdFrom: aged ? 5_000 * 60_000 : null,
                  createdTo: aged ? 15_000 * 60_000 : null,
                  withoutOutcome,
                  outcome,
                  organisationType,
                  // Signal i expires at i + 1 (below): none is due at 1, so the filter passes all.
                  dueBy: status === 'active' ? 1 : null,
                  order,
                  after: deep
                    ? { createdAt: 10_000 * 60_000, id: '00000000-0000-4000-8000-000000002710' }
                    : null,
                  limit: 101,
                  scan: FOLLOW_UP_SCAN,
                });
  return out;
}
const label = (q: FollowUpPageQuery) =>
  JSON.stringify({ ...q, after: q.after !== null, limit: undefined, createdTo: undefined });

// Organisations 1..4 (youth care, school, police, general practice on 1 in 100); match j
// joins signal 2j-1 (youth care) and 2j; 3 in 10 have an outcome on side a, 1 in 20 ended.
const ORGS = `INSERT INTO organisations (rid, id, name, type, status, budget, created_at) VALUES
  (1, 'o1', 'O1', 'youth_care', 0, 100, 1), (2, 'o2', 'O2', 'school', 0, 100, 1),
  (3, 'o3', 'O3', 'police', 0, 100, 1), (4, 'o4', 'O4', 'general_practice', 0, 100, 1)`;
const signalOrg = (i: string) =>
  `CASE WHEN ${i} % 2 = 1 THEN 1 WHEN (${i} / 2) % 100 = 0 THEN 4 ELSE 2 + (${i} / 2) % 2 END`;
const matchCols = (j: string) => `${j}, 0, CASE WHEN ${j} % 20 = 7 THEN 1 ELSE 0 END, 2 * ${j} - 1, 2 * ${j},
  ${j} * 60000, CASE WHEN ${j} % 10 < 3 THEN ${j} * 60000 + 86400000 END, CASE WHEN ${j} % 10 < 3 THEN ${j} % 4 END`;
const MATCH_INSERT = 'INSERT INTO matches (rid, kind, status, a, b, created_at, contact_a, outcome_a, id)';

const dir = mkdtempSync(join(tmpdir(), 'sluis-plans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('follow-up page plans: SQLite', () => {
  it('every filter and order walks matches_follow_up in order, without a sort', async () => {
    const path = join(dir, 'plans.sqlite');
    await (await openSqliteStore({ path })).close();
    const db = new Database(path);
    try {
      db.exec(ORGS);
      db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${2 * MATCHES})
        INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash)
        SELECT i, randomblob(16), ${signalOrg('i')}, 0, 0, 0, 0, i, i + 1, randomblob(16), randomblob(8) FROM n`);
      db.exec(`WITH RECURSIVE n(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM n WHERE j < ${MATCHES})
        ${MATCH_INSERT} SELECT ${matchCols('j')}, randomblob(16) FROM n`);
      db.exec('ANALYZE');
      const qs = combinations();
      expect(qs).toHaveLength(192);
      for (const q of qs) {
        const { sql, args } = followUpPageStatement(q);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map(
          (r) => r.detail,
        );
        expect(plan.slice(0, 3), label(q)).toEqual([
          'CO-ROUTINE m',
          expect.stringMatching(/^SEARCH matches USING INDEX matches_follow_up \(status=\?/),
          'SCAN m',
        ]);
        expect(
          plan.filter((d) => /TEMP B-TREE/.test(d)),
          label(q),
        ).toEqual([]);
        // The four joins are primary-key look-ups, one row each.
        expect(
          plan.filter((d) => /USING INTEGER PRIMARY KEY \(rowid=\?\)/.test(d)),
          label(q),
        ).toHaveLength(4);
      }
      // The first page's rows really come in the index's order with the filters applied.
      const { sql, args } = followUpPageStatement(qs[0]!);
      const rows = db.prepare(sql).all(...args) as { created_at: number }[];
      expect(rows).toHaveLength(101);
      expect(rows.map((r) => r.created_at)).toEqual([...rows.map((r) => r.created_at)].sort((x, y) => x - y));
    } finally {
      db.close();
    }
  });
});

const url = inject('postgresUrl');

describe.skipIf(url === '')('follow-up page plans: PostgreSQL', () => {
  const databases = testDatabases('sluis_plans_');
  afterAll(() => databases.dropAll());

  it('every filter and order reads matches by an index, at most `scan` of them, joins by key', async () => {
    const db = await databases.create();
    await (await openPostgresStore({ url: db })).close();
    const sql = postgres(db, { max: 1, onnotice: () => undefined });
    try {
      await sql.unsafe(ORGS);
      await sql.unsafe(`INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash)
        SELECT i, decode(md5('s' || i), 'hex'), ${signalOrg('i')}, 0, 0, '[]', 0, i, i + 1,
        decode(md5('r' || i), 'hex'), '\\x00' FROM generate_series(1, ${2 * MATCHES}) i`);
      await sql.unsafe(`${MATCH_INSERT} SELECT ${matchCols('j')}, decode(md5('m' || j), 'hex')
        FROM generate_series(1, ${MATCHES}) j`);
      // Statistics of every row, the same every run (pg-migrations.test-util.ts `analyzeExactly`).
      await analyzeExactly(sql, ['organisations', 'signals', 'matches']);
      const bad: string[] = [];
      for (const q of combinations()) {
        const [row] = await sql`EXPLAIN (FORMAT JSON) ${followUpPageQuery(sql, q)}`;
        const plan = nodes((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
        const shape = plan.map(
          (n) => `${n['Node Type']}(${n['Relation Name'] ?? ''}${n['Index Name'] ?? ''})`,
        );
        // Sorts only as the inner walk's top-N (a Sort right under a Limit: at most `scan` rows).
        const sortsBounded = plan.every(
          (n) => !(n.Plans ?? []).some((c) => /Sort/.test(c['Node Type'])) || n['Node Type'] === 'Limit',
        );
        const walks = plan.filter((n) => n['Relation Name'] === 'matches');
        // The active matches (19,000 here) are walked in the index's order; the 1,000 ended
        // ones the planner may also read by an index and sort top-N, which costs less.
        const ordered =
          walks.length === 1 &&
          walks[0]!['Node Type'] === 'Index Scan' &&
          walks[0]!['Index Name'] === 'matches_follow_up';
        const byIndex =
          walks.length === 1 &&
          walks[0]!['Node Type'] === 'Bitmap Heap Scan' &&
          (walks[0]!.Plans ?? []).every((c) => c['Node Type'] === 'Bitmap Index Scan');
        const ok =
          (q.status === 'active' ? ordered : ordered || byIndex) &&
          sortsBounded &&
          !plan.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] !== 'organisations');
        if (!ok) bad.push(`${label(q)}: ${shape.join(' ')}`);
      }
      expect(bad).toEqual([]);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
