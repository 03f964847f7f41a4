// PostgreSQL step 21 (docs/operations.md "Upgrade", docs/engine.md "The model"), as SQLite's
// step 31 in ../sqlite/migrations-scan-indexes.test.ts: a database at step 20, made by the real
// SQL of the steps before (pg-migrations.test-util.ts), with removed and active people, their
// mail notices and 60,300 signals of 22 organisations. Three reads that scanned or sorted a table
// answer as before and now seek an index: retention's removed people past the term
// (people_removed), a person's mail notices on deletion (mail_outbox_person), and an
// organisation's own list without a status filter, in rid order without a sort
// (signals_org_rid). No row changes. Skipped, and said so by the run, when the machine has no
// PostgreSQL server binaries (CI fails instead).

import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { removedPeopleQuery } from './pg-organisations.js';
import {
  analyzeExactly,
  nodes,
  openMigrated,
  type PlanNode,
  stepDatabases,
} from './pg-migrations.test-util.js';
import { listSignalsStatement } from './pg-signals.js';
import { openPostgresStore } from './pg-store.js';

const url = inject('postgresUrl');
const databases = stepDatabases('sluis_si');

describe.skipIf(url === '')('PostgreSQL step 21: three scans made seeks', () => {
  it('a database of schema 20 migrates on: removed people, a person’s notices and the unfiltered list read their indexes', async () => {
    // Schema 20 is what the PostgreSQL store wrote before step 21 (pg-migrations.ts). 5,000
    // people of organisation 1 and 100 of the municipality, every fiftieth removed (at its rid;
    // the municipality's at its rid − 5,000); 20,000 mail notices, four a person of
    // organisation 1; 30,000 signals of 21 organisations placed side by side (as many
    // organisations place at once): every hundredth organisation 1's (a small share, as each
    // organisation's is among hundreds), two in three of those held by people 1–300 — a removed
    // person's by the one before them, but person 50 (removed, due) still holds theirs — and the
    // others, by their keys, organisation 2 + i mod 20's; then 300 of organisation 22, admitted
    // last (a small share at the end of the rid order).
    const { db, raw } = await databases.atSchema(20);
    const people = 5100;
    const removedAt = (p: number) => (p % 50 !== 0 ? null : p > 5000 ? p - 5000 : p);
    const orgOf = (i: number) => (i > 60_000 ? 22 : i % 100 === 1 ? 1 : 2 + (i % 20));
    await raw.unsafe(`INSERT INTO organisations (id, name, type, status, budget, created_at)
      SELECT 'org-' || o, 'Org ' || o, 'youth_care', 0, 100, 1 FROM generate_series(1, 22) o;
      INSERT INTO people (rid, id, org, display_name, roles, status, created_at, removed_at)
        SELECT p, 'p' || p, CASE WHEN p <= 5000 THEN 1 END, 'Persoon ' || p, 1,
          CASE WHEN p % 50 = 0 THEN 1 ELSE 0 END, 1,
          CASE WHEN p % 50 <> 0 THEN NULL WHEN p > 5000 THEN p - 5000 ELSE p END
        FROM generate_series(1, ${people}) p;
      INSERT INTO mail_outbox (id, person, match, status, attempts, next_attempt_at, created_at)
        SELECT decode(md5('n' || m), 'hex'), 1 + m % 5000, decode(md5('m' || m), 'hex'), m % 2, 0, 0, 1
        FROM generate_series(1, 20000) m;
      INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash, person)
        SELECT i, decode(md5('s' || i), 'hex'),
          CASE WHEN i > 60000 THEN 22 WHEN i % 100 = 1 THEN 1 ELSE 2 + i % 20 END,
          CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END, 0, '["A","B",null,null]', 0, i, i + 1,
          decode(md5('r' || i), 'hex'), '\\x00',
          CASE WHEN i > 60000 OR i % 100 <> 1 OR i % 3 = 0 THEN NULL
            WHEN (1 + i / 100) % 50 = 0 AND 1 + i / 100 <> 50 THEN i / 100 ELSE 1 + i / 100 END
        FROM generate_series(1, 60300) i`);
    const before = 2500;
    const removedPeople = Array.from({ length: people }, (_, i) => i + 1).filter(
      (p) => removedAt(p) !== null,
    );
    const due = removedPeople.filter((p) => removedAt(p)! < before && p !== 50).sort((a, b) => a - b);
    expect(due).toHaveLength(50);
    const digest = `SELECT (SELECT md5(string_agg(s::text, ',' ORDER BY rid)) FROM signals s) AS s,
      (SELECT md5(string_agg(p::text, ',' ORDER BY rid)) FROM people p) AS p,
      (SELECT md5(string_agg(m::text, ',' ORDER BY rid)) FROM mail_outbox m) AS m`;
    const [rows] = await raw.unsafe(digest);
    await raw.end();

    const s = await openMigrated(db);
    try {
      expect(await s.unsafe(digest)).toEqual([rows]);
      const defs = (await s.unsafe(
        `SELECT indexname, indexdef FROM pg_indexes
          WHERE indexname IN ('people_removed', 'mail_outbox_person', 'signals_org_rid') ORDER BY indexname`,
      )) as { indexdef: string }[];
      expect(defs.map((d) => d.indexdef)).toEqual([
        'CREATE INDEX mail_outbox_person ON public.mail_outbox USING btree (person)',
        'CREATE INDEX people_removed ON public.people USING btree (removed_at) WHERE (status = 1)',
        'CREATE INDEX signals_org_rid ON public.signals USING btree (org, rid)',
      ]);
      // The answers: retention's due people (person 50 waits for its signals), the lists.
      expect(await s.read((tx) => tx.removedPeopleBefore(before, 1000))).toEqual(due);
      expect(await s.read((tx) => tx.removedPeopleBefore(before, 7))).toEqual(due.slice(0, 7));
      for (const org of [1, 5, 22]) {
        const all = Array.from({ length: 60_300 }, (_, i) => i + 1).filter((i) => orgOf(i) === org);
        const page = (after: number, order: 'oldest' | 'newest') =>
          s.read(async (tx) =>
            (await tx.listSignals(org, undefined, after, 101, undefined, order)).map((r) => r.rid),
          );
        expect(await page(0, 'oldest')).toEqual(all.slice(0, 101));
        expect(await page(all[150]!, 'oldest')).toEqual(all.slice(151, 252));
        expect(await page(0, 'newest')).toEqual(all.slice(-101).reverse());
        expect(await page(all[150]!, 'newest')).toEqual(all.slice(49, 150).reverse());
      }

      // The plans, with statistics of every row (pg-migrations.test-util.ts
      // `analyzeExactly`); each also as the generic plan a prepared statement turns to after
      // five runs, where the values prove nothing.
      const sql = postgres(db, { max: 1, onnotice: () => undefined });
      try {
        await analyzeExactly(sql, ['people', 'signals', 'mail_outbox']);
        let n = 0;
        const planOf = (row: postgres.Row | undefined) =>
          nodes((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
        // A statement's plan for its values and its generic plan.
        const plans = async (text: string, args: readonly number[]) => {
          const [custom] = await sql.unsafe(`EXPLAIN (FORMAT JSON) ${text}`, [...args]);
          const name = `p${++n}`;
          await sql.unsafe(`PREPARE ${name} AS ${text}`);
          await sql`SET plan_cache_mode = force_generic_plan`;
          const [generic] = await sql.unsafe(`EXPLAIN (FORMAT JSON) EXECUTE ${name}(${args.join(', ')})`);
          await sql`RESET plan_cache_mode`;
          return [custom, generic].map(planOf);
        };
        const textOf = async (q: postgres.PendingQuery<postgres.Row[]>) => (await q.describe()).string;
        // How a plan reads a table: its nodes on the table (a bitmap's heap scan names the
        // table, its index scan only the index) and the indexes of that table it uses.
        const on = (plan: PlanNode[], table: string) => ({
          scans: plan
            .filter((n) => n['Relation Name'] === table && n['Node Type'].endsWith('Scan'))
            .map((n) => n['Node Type']),
          indexes: plan.flatMap((n) => (n['Index Name']?.startsWith(`${table}_`) ? [n['Index Name']] : [])),
        });
        // Retention: the removed people by people_removed, never a scan of the table; each
        // one's signals by the holder's index.
        for (const plan of await plans(await textOf(removedPeopleQuery(sql, before, 100)), [before, 100])) {
          expect(on(plan, 'people').indexes).toEqual(['people_removed']);
          expect(on(plan, 'people').scans).not.toContain('Seq Scan');
          expect(on(plan, 'signals').indexes).toEqual(['signals_person']);
        }
        // A person's deletion: their notices by mail_outbox_person.
        for (const plan of await plans(
          await textOf(sql`DELETE FROM mail_outbox WHERE person = ${17}`),
          [17],
        )) {
          expect(on(plan, 'mail_outbox').indexes).toEqual(['mail_outbox_person']);
          expect(on(plan, 'mail_outbox').scans).not.toContain('Seq Scan');
        }
        // The organisation's own list without a status filter, of an organisation admitted
        // last: one walk of signals_org_rid in rid order, both directions, from the start and
        // after a cursor; never a sort. (Before step 21 it walked signals_pkey from the cursor
        // through every older signal of the others.) The generic plan assumes an average
        // organisation's share and walks signals_pkey in rid order with the organisation as a
        // filter, also never a sort (docs/performance.md "Three scans made seeks"), which is
        // why the store never prepares the list (below); an organisation with a large share
        // walks signals_pkey in either, which reads about its page over its share.
        for (const [order, after] of [
          ['oldest', 0],
          ['oldest', 60_050],
          ['newest', 0],
          ['newest', 60_250],
        ] as const) {
          const { text, params } = listSignalsStatement(22, undefined, after, 101, undefined, order);
          const [custom, generic] = await plans(text, params);
          expect(on(custom!, 'signals'), `${order} ${after}`).toEqual({
            scans: ['Index Scan'],
            indexes: ['signals_org_rid'],
          });
          expect(on(generic!, 'signals'), `${order} ${after}, generic`).toEqual({
            scans: ['Index Scan'],
            indexes: ['signals_pkey'],
          });
          for (const plan of [custom!, generic!])
            expect(plan.some((n) => n['Node Type'] === 'Sort')).toBe(false);
        }

        // That generic plan is no hypothesis: prepared (as postgres.js prepares a tagged
        // statement), on a connection that has listed a large organisation ten times, the
        // plan cache turns to it and serves the late organisation's list by signals_pkey.
        const large = listSignalsStatement(5, undefined, 0, 101);
        const late = listSignalsStatement(22, undefined, 0, 101);
        for (let i = 0; i < 10; i++) await sql.unsafe(large.text, [...large.params], { prepare: true });
        await sql.unsafe(late.text, [...late.params], { prepare: true });
        const listed = `SELECT name, generic_plans::int AS generic_plans FROM pg_prepared_statements
          WHERE NOT from_sql AND statement LIKE '%FROM signals WHERE org = $1%ORDER BY rid%'`;
        const [cached] = (await sql.unsafe(listed)) as { name: string; generic_plans: number }[];
        expect(cached?.generic_plans).toBeGreaterThan(0);
        const [used] = await sql.unsafe(`EXPLAIN (FORMAT JSON) EXECUTE "${cached!.name}"(22, 0, 101)`);
        expect(on(planOf(used), 'signals').indexes).toEqual(['signals_pkey']);
        // Unnamed, as the store runs it (pg-signals.ts `listSignalsQuery`), the same text with
        // the same values on that same connection is planned for them: signals_org_rid, a few
        // pages read, where the generic plan's walk reads every older signal of the others.
        const [run] = await sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${late.text}`, [
          ...late.params,
        ]);
        const walk = planOf(run).find((n) => n['Relation Name'] === 'signals');
        expect(walk?.['Index Name']).toBe('signals_org_rid');
        expect(walk!['Shared Hit Blocks']! + walk!['Shared Read Blocks']!).toBeLessThan(20);

        // The store: on its one connection, after ten lists of the large organisation, the
        // late one's list answers and no statement of the list is kept there to turn generic.
        const one = await openPostgresStore({ url: db, maxConnections: 1 });
        try {
          for (let i = 0; i < 10; i++) await one.read((tx) => tx.listSignals(5, undefined, 0, 101));
          const got = await one.read((tx) => tx.listSignals(22, undefined, 0, 101));
          expect(got.map((r) => r.rid)).toEqual(Array.from({ length: 101 }, (_, i) => 60_001 + i));
          expect(await one.unsafe(listed)).toEqual([]);
        } finally {
          await one.close();
        }
      } finally {
        await sql.end({ timeout: 5 });
      }
    } finally {
      await s.close();
    }
  });

  it('steps 12 and 21 build again an index an interrupted CREATE INDEX CONCURRENTLY left invalid', async () => {
    // An operator's CONCURRENTLY build cut short leaves the index marked invalid (as this does
    // by hand, the test cluster's role being a superuser); IF NOT EXISTS alone would keep it.
    const { db, raw } = await databases.atSchema(11);
    const validity = `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname IN ('signals_person', 'signals_org_rid') ORDER BY c.relname`;
    await raw.unsafe(`CREATE INDEX signals_person ON signals(org, person, rid) WHERE person IS NOT NULL;
      CREATE INDEX signals_org_rid ON signals(org, rid);
      UPDATE pg_index SET indisvalid = false
        WHERE indexrelid IN ('signals_person'::regclass, 'signals_org_rid'::regclass)`);
    expect(await raw.unsafe(validity)).toEqual([
      { name: 'signals_org_rid', valid: false },
      { name: 'signals_person', valid: false },
    ]);
    await raw.end();
    const s = await openPostgresStore({ url: db });
    try {
      expect(await s.unsafe(validity)).toEqual([
        { name: 'signals_org_rid', valid: true },
        { name: 'signals_person', valid: true },
      ]);
      const defs = (await s.unsafe(
        `SELECT indexdef FROM pg_indexes WHERE indexname IN ('signals_org_rid', 'signals_person') ORDER BY indexname`,
      )) as { indexdef: string }[];
      expect(defs.map((d) => d.indexdef)).toEqual([
        'CREATE INDEX signals_org_rid ON public.signals USING btree (org, rid)',
        'CREATE INDEX signals_person ON public.signals USING btree (org, person, rid) WHERE (person IS NOT NULL)',
      ]);
    } finally {
      await s.close();
    }
  });
});
