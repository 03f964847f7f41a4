// The PostgreSQL store on a real throwaway cluster (test/support/postgres.ts): the shared
// conformance suite and the store traits, a fresh database per store; and migrations (a newer
// schema and a foreign database refused, databases of older schemas migrated on with their
// rows and plans; step 21's in pg-migrations-scan-indexes.test.ts). The driver's failure modes
// and clause 3 are in pg-connections.test.ts. Skipped, and said so by the run, when the machine
// has no PostgreSQL server binaries (CI fails instead).

import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { runStoreConformance } from '../conformance.js';
import { org } from '../conformance/fixtures.js';
import { refusedItemAfterAppend } from '../conformance/logbook-chain.js';
import type { IndexedLogAction, Store } from '../store.js';
import { runStoreTraits } from '../traits.js';
import { LOCK_MIGRATION } from './pg-locks.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-migrations.js';
import { logEntriesWithActionQuery } from './pg-bookkeeping.js';
import { eventsAfterQuery, holderEventsStatement } from './pg-events.js';
import { listSignalsStatement } from './pg-signals.js';
import { analyzeExactly, nodes, type PlanNode, stepDatabases } from './pg-migrations.test-util.js';
import { openPostgresStore } from './pg-store.js';

const url = inject('postgresUrl');

const databases = stepDatabases('sluis_t');
const freshDatabase = databases.fresh;
const databaseAtSchema = databases.atSchema;

describe.skipIf(url === '')('conformance: PostgreSQL', () => {
  runStoreConformance(async () => openPostgresStore({ url: await freshDatabase() }), it);
});

describe.skipIf(url === '')('traits: PostgreSQL', () => {
  const urls = new WeakMap<Store, string>();
  runStoreTraits(
    async () => {
      const db = await freshDatabase();
      const s = await openPostgresStore({ url: db });
      urls.set(s, db);
      return s;
    },
    it,
    {
      groupCommit: { skip: 'each write is its own transaction on a pooled connection' },
      instances: { reopen: (s) => openPostgresStore({ url: urls.get(s)! }) },
      deletedContentLeavesFiles: {
        skip: 'VACUUM frees a deleted row without zeroing it and the WAL keeps it: measured in test/e2e/pg-erasure-scan.test.ts',
      },
      keyStateCache: {
        skip: 'several instances share the data: every request reads the committed key and organisation rows',
      },
    },
    (name, reason) => it.skip(`${name} — ${reason}`, () => undefined),
  );
});
describe.skipIf(url === '')('PostgreSQL specifics', () => {
  it('a batch item refused after its write is undone alone and the write commits (its savepoint: store.ts `batchItem`)', async () => {
    const s = await openPostgresStore({ url: await freshDatabase() });
    try {
      expect(await refusedItemAfterAppend(s)).toBe('committed');
    } finally {
      await s.close();
    }
  });

  it('migrates once, reopens at the same version, refuses a newer schema and a foreign database', async () => {
    const db = await freshDatabase();
    const s = await openPostgresStore({ url: db });
    // a new database is created, not migrated (no schema_migrated line: docs/operations.md "Logs")
    expect(s.schemaMigration).toBeUndefined();
    await s.write((tx) => org(tx, 1));
    await s.close();
    const again = await openPostgresStore({ url: db });
    expect(again.schemaMigration).toBeUndefined();
    expect((await again.read((tx) => tx.listOrganisations())).map((o) => o.name)).toEqual(['Org 1']);
    expect((await again.read((tx) => tx.listEpochs())).map((e) => e.epoch)).toEqual([1]);
    await again.unsafe('UPDATE sluis_schema SET version = version + 1');
    await again.close();
    await expect(openPostgresStore({ url: db })).rejects.toMatchObject({
      code: 'schema_too_new',
      schema: { store: 'postgres', database: PG_SCHEMA_VERSION + 1, known: PG_SCHEMA_VERSION },
      message: `the database was written by a newer sluis version (database schema ${PG_SCHEMA_VERSION + 1}, this build knows up to ${PG_SCHEMA_VERSION})`,
    });

    const foreign = await freshDatabase();
    const raw = postgres(foreign, { max: 1, onnotice: () => undefined });
    await raw.unsafe('CREATE TABLE customers (id int)');
    await raw.end();
    await expect(openPostgresStore({ url: foreign })).rejects.toMatchObject({ code: 'database_corrupt' });
  });

  it('a migration outlasts the statement timeout (an instance waiting for another’s migration, a long index build) and the pool keeps its timeout after', async () => {
    const db = await freshDatabase();
    // Another instance holds the migration lock for longer than this store's statement timeout.
    const other = postgres(db, { max: 1, onnotice: () => undefined });
    const held = await other.reserve();
    await held`SELECT pg_advisory_lock(${LOCK_MIGRATION}, 0)`;
    const opening = openPostgresStore({ url: db, statementTimeoutMs: 200, maxConnections: 1 });
    await new Promise((r) => setTimeout(r, 600));
    await held`SELECT pg_advisory_unlock(${LOCK_MIGRATION}, 0)`;
    held.release();
    await other.end();
    const s = await opening;
    try {
      expect((await s.read((tx) => tx.listEpochs())).map((e) => e.epoch)).toEqual([1]);
      // The one pooled connection, used by the migration, bounds requests again.
      const [row] = await s.unsafe('SHOW statement_timeout');
      expect(row).toEqual({ statement_timeout: '200ms' });
    } finally {
      await s.close();
    }
  });

  it('a database of schema 2 migrates on: a recorded contact reads as contact_made, epochs as hmac, no people', async () => {
    // Schema 2 is what the PostgreSQL store wrote before follow-up outcomes, epoch kinds and
    // people (pg-migrations.ts steps 3–5), built here step by step as migratePostgres did.
    const db = await freshDatabase();
    const raw = postgres(db, { max: 1, onnotice: () => undefined });
    await raw.unsafe(PG_MIGRATIONS[0]!);
    await raw.unsafe(`CREATE TABLE sluis_schema (version integer NOT NULL);
      INSERT INTO sluis_schema (version) VALUES (2);
      INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)`);
    await raw.unsafe(PG_MIGRATIONS[1]!);
    await raw.unsafe(`INSERT INTO organisations (id, name, type, status, budget, created_at)
      VALUES ('org-1', 'Org 1', 'wijkteam', 0, 100, 1)`);
    for (const n of [1, 2]) {
      await raw.unsafe(`INSERT INTO signals (id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash)
        VALUES (decode('${String(n).padStart(32, '0')}', 'hex'), 1, 0, 0, '["A","B","C","D"]', 0, 1, 99, decode('${String(n).padStart(32, '1')}', 'hex'), '\\x00')`);
    }
    const id = '00000000-0000-4000-8000-000000000001';
    await raw.unsafe(`INSERT INTO matches (id, kind, status, a, b, created_at, contact_a)
      VALUES (decode('${id.replaceAll('-', '')}', 'hex'), 0, 0, 1, 2, 5, 7)`);
    await raw.end();

    const s = await openPostgresStore({ url: db });
    try {
      expect(s.schemaMigration).toEqual({ from: 2, to: PG_SCHEMA_VERSION });
      const m = await s.read((tx) => tx.getMatch(id));
      expect([m?.contactMadeA, m?.outcomeA, m?.contactMadeB, m?.outcomeB]).toEqual([
        7,
        'contact_made',
        null,
        null,
      ]);
      expect((await s.read((tx) => tx.listEpochs())).map((e) => [e.epoch, e.kind, e.publicKey])).toEqual([
        [1, 'hmac', null],
      ]);
      expect(await s.read((tx) => tx.listPeople(null))).toEqual([]);
      expect(await s.read((tx) => tx.followUpCounts('active'))).toMatchObject({
        matches: 1,
        withoutOutcome: 0,
      });
      const [v] = (await s.unsafe('SELECT version FROM sluis_schema')) as { version: number }[];
      expect(v?.version).toBe(PG_SCHEMA_VERSION);
    } finally {
      await s.close();
    }
  });

  it('a database of schema 18 migrates on: the key entries are read from logbook_key_actions alone', async () => {
    // Schema 18 is what the PostgreSQL store wrote before the partial index of the webhook key
    // entries (pg-migrations.ts step 19, docs/keys.md §4.5): 20,000 placement entries and five
    // key entries, one of them a `webhook_key.signing` the index leaves out.
    const { db, raw } = await databaseAtSchema(18);
    const keys: Record<number, string> = {
      5: 'webhook_key.added',
      7000: 'webhook_key.added',
      12000: 'webhook_key.signing',
      15000: 'webhook_key.retired',
      19999: 'webhook_key.retired',
    };
    await raw.unsafe(`INSERT INTO logbook (seq, at, actor, action, refs, details, hash)
      SELECT g, g, '{"kind":"system"}', CASE g ${Object.entries(keys)
        .map(([seq, a]) => `WHEN ${seq} THEN '${a}'`)
        .join(' ')} ELSE 'signal.placed' END, '{"keyId":"k' || g || '"}', '{}', '\\x00'
      FROM generate_series(1, 20000) g`);
    await raw.end();

    const s = await openPostgresStore({ url: db });
    try {
      const [def] = (await s.unsafe(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'logbook_key_actions'`,
      )) as { indexdef: string }[];
      expect(def?.indexdef).toBe(
        `CREATE INDEX logbook_key_actions ON public.logbook USING btree (seq) WHERE (action = ANY (ARRAY['webhook_key.added'::text, 'webhook_key.retired'::text]))`,
      );
      const read = (after: number, actions: IndexedLogAction[], limit = 10) =>
        s.read(async (tx) =>
          (await tx.logEntriesWithAction(after, actions, limit)).map((r) => [r.seq, r.action]),
        );
      const both: IndexedLogAction[] = ['webhook_key.added', 'webhook_key.retired'];
      const want = Object.entries(keys)
        .filter(([, a]) => a !== 'webhook_key.signing')
        .map(([seq, a]) => [Number(seq), a]);
      expect(await read(0, both)).toEqual(want);
      expect(await read(5, both, 2)).toEqual(want.slice(1, 3));
      expect(await read(0, ['webhook_key.retired'])).toEqual(want.slice(2));

      // The plan, with statistics of every row (`analyzeExactly`): the partial index alone, in
      // seq order, never a scan of the table. Generic, as a prepared statement's plan becomes
      // after five runs: the bound actions then prove nothing, the literal predicate does.
      const sql = postgres(db, { max: 1, onnotice: () => undefined });
      try {
        await analyzeExactly(sql, ['logbook']);
        // EXPLAIN of a query with bound values plans for those values; a prepared statement
        // under force_generic_plan shows the plan the values cannot help.
        await sql`SET plan_cache_mode = force_generic_plan`;
        const { string } = await logEntriesWithActionQuery(sql, 0, both, 1000).describe();
        await sql.unsafe(`PREPARE page AS ${string}`);
        for (const actions of ["'webhook_key.added', 'webhook_key.retired'", "'webhook_key.added'"]) {
          const [row] = await sql.unsafe(`EXPLAIN (FORMAT JSON) EXECUTE page(0, ARRAY[${actions}], 1000)`);
          const plan = nodes((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
          expect(
            plan
              .filter((n) => n['Relation Name'] === 'logbook')
              .map((n) => [n['Node Type'], n['Index Name']]),
            actions,
          ).toEqual([['Index Scan', 'logbook_key_actions']]);
        }
      } finally {
        await sql.end({ timeout: 5 });
      }
    } finally {
      await s.close();
    }
  });

  it('a database of schema 11 migrates on: the signals stay, a holder list and inbox read signals_person', async () => {
    // Schema 11 is what the PostgreSQL store wrote before the holder's index (pg-migrations.ts
    // step 12), built here step by step as migratePostgres did. Organisation 1: 20,000
    // signals, one in three placed by its key alone, the others held by people 1–200 (a
    // caseload of ≈ 67 each); organisation 2: 10,000 by its key, each matching one of
    // organisation 1's, with an event in organisation 1's inbox.
    const { db, raw } = await databaseAtSchema(11);
    const personOf = (rid: number) => (rid > 20_000 || rid % 3 === 0 ? null : 1 + (rid % 200));
    const stateOf = (rid: number) => (rid % 7 === 0 ? 1 : 0);
    await raw.unsafe(`INSERT INTO organisations (id, name, type, status, budget, created_at, event_seq)
      VALUES ('org-1', 'Org 1', 'youth_care', 0, 100, 1, 10000), ('org-2', 'Org 2', 'school', 0, 100, 1, 0);
      INSERT INTO people (id, org, display_name, roles, status, created_at)
        SELECT 'p' || p, 1, 'Persoon ' || p, 1, 0, 1 FROM generate_series(1, 200) p;
      INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash, person)
        SELECT i, decode(md5('s' || i), 'hex'), CASE WHEN i > 20000 THEN 2 ELSE 1 END,
          CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END, 0, '["A","B",null,null]', 0, i, i + 1,
          decode(md5('r' || i), 'hex'), '\\x00',
          CASE WHEN i > 20000 OR i % 3 = 0 THEN NULL ELSE 1 + i % 200 END
        FROM generate_series(1, 30000) i;
      INSERT INTO matches (rid, id, kind, status, a, b, created_at)
        SELECT j, decode(md5('m' || j), 'hex'), 0, 0, 2 * j, 20000 + j, j FROM generate_series(1, 10000) j;
      INSERT INTO events (org, seq, type, match, at)
        SELECT 1, j, 0, decode(md5('m' || j), 'hex'), j FROM generate_series(1, 10000) j`);
    const digest = `SELECT md5(string_agg(s::text, ',' ORDER BY rid)) AS d FROM signals s`;
    const [before] = await raw.unsafe(digest);
    await raw.end();

    const s = await openPostgresStore({ url: db });
    try {
      const [v] = (await s.unsafe('SELECT version FROM sluis_schema')) as { version: number }[];
      expect(v?.version).toBe(PG_SCHEMA_VERSION);
      expect(await s.unsafe(digest)).toEqual([before]);
      const [def] = (await s.unsafe(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'signals_person'`,
      )) as { indexdef: string }[];
      expect(def?.indexdef).toBe(
        'CREATE INDEX signals_person ON public.signals USING btree (org, person, rid) WHERE (person IS NOT NULL)',
      );
      for (const person of [1, 2, 117, 200]) {
        const held = Array.from({ length: 20_000 }, (_, i) => i + 1).filter(
          (rid) => personOf(rid) === person,
        );
        for (const status of [undefined, 'active', 'inactive'] as const) {
          const want = held.filter(
            (rid) => status === undefined || (stateOf(rid) === 0) === (status === 'active'),
          );
          const page = await s.read((tx) => tx.listSignals(1, status && { status, at: 0 }, 0, 20, person));
          expect(page.map((r) => r.rid)).toEqual(want.slice(0, 20));
          expect(page.every((r) => r.personRid === person)).toBe(true);
        }
        const events = await s.read((tx) => tx.eventsAfter(1, 0, 1000, person));
        expect(events.map((e) => e.cursor)).toEqual(
          held.filter((rid) => rid % 2 === 0 && rid <= 20_000).map((rid) => rid / 2),
        );
      }

      // The plans, with statistics of every row (`analyzeExactly`).
      const sql = postgres(db, { max: 1, onnotice: () => undefined });
      try {
        await analyzeExactly(sql, ['signals', 'matches', 'events']);
        // The list and the inbox run unnamed, their values bound (pg-signals.ts
        // `listSignalsQuery`, pg-events.ts `holderEventsQuery`): plans for those values.
        const planOf = async ({ text, params }: { text: string; params: readonly number[] }) => {
          const [row] = await sql.unsafe(`EXPLAIN (FORMAT JSON) ${text}`, [...params]);
          return nodes((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
        };
        const planOfList = (...args: Parameters<typeof listSignalsStatement>) =>
          planOf(listSignalsStatement(...args));
        // The signals are read through signals_person alone, never by a scan of the table.
        const onSignals = (plan: PlanNode[]) => [
          ...plan.filter((n) => n['Relation Name'] === 'signals').map((n) => n['Node Type']),
          ...plan.flatMap((n) => (n['Index Name']?.startsWith('signals') ? [n['Index Name']] : [])),
        ];
        // A holder's list, in every status: one walk of the index in rid order, no sort.
        for (const status of [undefined, 'active', 'inactive'] as const) {
          const at = status && { status, at: 0 };
          const plan = await planOfList(1, at, 0, 101, 117);
          expect(onSignals(plan), String(status)).toEqual(['Index Scan', 'signals_person']);
          expect(plan.some((n) => n['Node Type'] === 'Sort')).toBe(false);
          // Newest first (API 1.9.0): the same index backwards, from the last row or a cursor.
          for (const before of [0, 10_000]) {
            const back = await planOfList(1, at, before, 101, 117, 'newest');
            expect(onSignals(back), `${status} ${before}`).toEqual(['Index Scan', 'signals_person']);
            expect(back.find((n) => n['Relation Name'] === 'signals')?.['Scan Direction']).toBe('Backward');
            expect(back.some((n) => n['Node Type'] === 'Sort')).toBe(false);
          }
        }
        // The inbox's holder join starts from the holder's signals in the index.
        const inbox = holderEventsStatement(1, 0, 101, 117);
        const custom = await planOf(inbox);
        expect(onSignals(custom)).not.toContain('Seq Scan');
        expect(onSignals(custom).filter((r) => r.startsWith('signals'))).toEqual(['signals_person']);
        // Then the events of those matches by events_match: none of the others read.
        const onEvents = (plan: PlanNode[]) =>
          plan.filter((n) => n['Relation Name'] === 'events').map((n) => n['Index Name']);
        expect(onEvents(custom)).toEqual(['events_match']);

        // Generic, as a prepared statement's plan may become after five runs, where the values
        // prove nothing. The organisation's events after a cursor: events_pkey (org, seq) in
        // order, as for any values (the index leads with the organisation).
        await sql.unsafe(`PREPARE events AS ${(await eventsAfterQuery(sql, 1, 0, 101).describe()).string}`);
        await sql`SET plan_cache_mode = force_generic_plan`;
        const [ev] = await sql.unsafe('EXPLAIN (FORMAT JSON) EXECUTE events(1, 0, 101)');
        await sql`RESET plan_cache_mode`;
        const events = nodes((ev!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
        expect(events.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []))).toEqual(['events_pkey']);
        expect(events.some((n) => n['Node Type'] === 'Seq Scan' || n['Node Type'] === 'Sort')).toBe(false);
        // The inbox prepared (as postgres.js prepares a tagged statement): after ten runs on
        // one connection the plan cache takes the generic plan, which walks the
        // organisation's events from the cursor until it has a page.
        for (let i = 0; i < 10; i++) await sql.unsafe(inbox.text, [...inbox.params], { prepare: true });
        const kept = `SELECT name, generic_plans::int AS generic_plans FROM pg_prepared_statements
          WHERE NOT from_sql AND statement LIKE '%FROM events WHERE org = $1%match IN%'`;
        const [cached] = (await sql.unsafe(kept)) as { name: string; generic_plans: number }[];
        expect(cached?.generic_plans).toBeGreaterThan(0);
        const [gen] = await sql.unsafe(`EXPLAIN (FORMAT JSON) EXECUTE "${cached!.name}"(1, 0, 117, 101)`);
        const generic = nodes((gen!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
        expect(onEvents(generic)).toEqual(['events_pkey']);
        expect(generic.find((n) => n['Node Type'].endsWith('Scan'))?.['Index Name']).toBe('events_pkey');
        // The store runs it unnamed (pg-events.ts `holderEventsQuery`): on its one connection,
        // after ten inbox pages, no statement of it is kept to turn generic.
        const one = await openPostgresStore({ url: db, maxConnections: 1 });
        try {
          for (let i = 0; i < 10; i++) await one.read((tx) => tx.eventsAfter(1, 0, 101, 117));
          expect(await one.unsafe(kept)).toEqual([]);
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

  it('a database of schema 13 migrates on: the e-mail of every removed person is cleared, nobody else’s row changes', async () => {
    // Schema 13 is what the PostgreSQL store wrote before removal's clearing reached people
    // removed earlier (pg-migrations.ts step 14), built here step by step as migratePostgres did.
    const db = await freshDatabase();
    const raw = postgres(db, { max: 1, onnotice: () => undefined });
    await raw.unsafe(PG_MIGRATIONS[0]!);
    await raw.unsafe(`CREATE TABLE sluis_schema (version integer NOT NULL);
      INSERT INTO sluis_schema (version) VALUES (13);
      INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)`);
    for (let v = 1; v < 13; v++) await raw.unsafe(PG_MIGRATIONS[v]!);
    await raw.unsafe(`INSERT INTO organisations (id, name, type, status, budget, created_at)
      VALUES ('org-1', 'Org 1', 'youth_care', 0, 100, 1);
      INSERT INTO people (id, org, display_name, email, roles, status, created_at, removed_at) VALUES
        ('gone-1', 1, 'Persoon 1', 'vertrokken.een@jeugdzorg.example.nl', 1, 1, 1, 5),
        ('gone-2', NULL, 'Persoon 2', 'oud.loket@gemeente.example.nl', 1, 1, 1, 6),
        ('gone-3', 1, 'Persoon 3', NULL, 1, 1, 1, 7),
        ('here-1', 1, 'Persoon 4', 'actief.hulpverlener@jeugdzorg.example.nl', 1, 0, 1, NULL),
        ('here-2', NULL, 'Persoon 5', 'actief.loket@gemeente.example.nl', 1, 0, 1, NULL)`);
    // As text, so that both connections (the store's reads bigint as a number) answer alike.
    const rows = `SELECT rid::text, id, org::text, display_name, email, roles::text, status::text,
      created_at::text, removed_at::text FROM people ORDER BY rid`;
    const before = (await raw.unsafe(rows)) as Record<string, unknown>[];
    await raw.end();

    const s = await openPostgresStore({ url: db });
    try {
      const [v] = (await s.unsafe('SELECT version FROM sluis_schema')) as { version: number }[];
      expect(v?.version).toBe(PG_SCHEMA_VERSION);
      expect(await s.unsafe(rows)).toEqual(before.map((r) => (r.status === '1' ? { ...r, email: null } : r)));
      const email = async (id: string) => (await s.read((tx) => tx.getPerson(id)))?.email;
      expect([await email('gone-1'), await email('gone-2'), await email('gone-3')]).toEqual([
        null,
        null,
        null,
      ]);
      expect([await email('here-1'), await email('here-2')]).toEqual([
        'actief.hulpverlener@jeugdzorg.example.nl',
        'actief.loket@gemeente.example.nl',
      ]);
    } finally {
      await s.close();
    }
  });
});
