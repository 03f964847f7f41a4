// A postgres.js transaction handle (`sql.begin`'s `tx`) used after its transaction ended, on
// a real throwaway cluster (test/support/postgres.ts): the guard of patches/postgres@3.4.9.patch
// in `begin` (README dependency table, change 9; docs/engine.md "Storage contract", clause 3).
// postgres.js sends a transaction's statements straight to its Connection object, and the
// pool reuses that object: after COMMIT or ROLLBACK for the next query or transaction, after
// a close by reconnecting it. Each test fails without the guard: the stale statement ran in
// the other transaction (or in autocommit), the stale COMMIT committed the other transaction
// halfway, a statement queued at the close never settled. Backends are ended with
// pg_terminate_backend, as an administrator, a restart or a failover does.

import postgres from 'postgres';
import { afterAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { EngineError, isEngineError } from '../../errors.js';
import { org } from '../conformance/fixtures.js';
import { openPostgresStore } from './pg-store.js';

const url = inject('postgresUrl');
const admin = url === '' ? undefined : postgres(url, { max: 2, onnotice: () => undefined });
const created: string[] = [];
let n = 0;

/** A new, empty database on the cluster; its URL and name. */
async function freshDatabase(): Promise<{ db: string; name: string }> {
  const name = `sluis_st${process.pid}_${n++}`;
  await admin!.unsafe(`CREATE DATABASE ${name}`);
  created.push(name);
  return { db: url.replace(/\/postgres$/, `/${name}`), name };
}

/** A postgres.js pool of one connection on `db` for the running test alone, ended when it ends. */
function pool(db: string) {
  const sql = postgres(db, { max: 1, onnotice: () => undefined });
  onTestFinished(() => sql.end({ timeout: 1 }));
  return sql;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise and the function that settles it. */
function latch<T = void>(): [Promise<T>, (value: T) => void] {
  let settle!: (value: T) => void;
  return [new Promise<T>((r) => (settle = r)), settle];
}

/** How a statement ended: 'ran' or the code it was rejected with. */
const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ran',
    (e: unknown) => String((e as { code?: unknown }).code),
  );

async function terminate(pid: number): Promise<void> {
  await admin!`SELECT pg_terminate_backend(${pid})`;
}

async function rows(db: string, table: string): Promise<number[]> {
  const raw = postgres(db, { max: 1, onnotice: () => undefined });
  try {
    return (await raw.unsafe(`SELECT x FROM ${table} ORDER BY x`)).map((r) => r.x as number);
  } finally {
    await raw.end({ timeout: 1 });
  }
}

afterAll(async () => {
  if (admin === undefined) return;
  for (const name of created) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end({ timeout: 5 });
});

describe.skipIf(url === '')('postgres.js: a transaction handle after its transaction ended', () => {
  it('a transaction whose connection closed while it awaited something else sends nothing into the transaction on the reconnected connection', async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    await sql`CREATE TABLE t (x int)`;
    const [resume, release] = latch();
    const [started, isStarted] = latch<number>();
    let stale: Promise<string> | undefined;
    const first = outcome(
      sql.begin(async (tx) => {
        const [r] = await tx`SELECT pg_backend_pid() AS pid`;
        isStarted(r!.pid as number);
        // Nothing in flight on the connection: no statement of this transaction learns of the close.
        await resume;
        stale = outcome(tx`INSERT INTO t VALUES (1)`);
        await stale;
      }),
    );
    const firstPid = await started;
    await terminate(firstPid);
    expect(await first).toBe('CONNECTION_CLOSED');

    // The pool's one Connection object, reconnected for the next transaction (another backend).
    let secondPid = 0;
    let staleOutcome = '';
    let seen = 0;
    const second = sql.begin(async (tx) => {
      const [r] = await tx`SELECT pg_backend_pid() AS pid`;
      secondPid = r!.pid as number;
      await tx`INSERT INTO t VALUES (2)`;
      release();
      await until(() => stale !== undefined);
      // The first callback goes on: its INSERT, then (returning) its automatic COMMIT. Unguarded,
      // both were sent on this connection: the INSERT ran in this transaction, the COMMIT ended
      // it, and what this transaction did next ran in autocommit.
      staleOutcome = await stale!;
      await sleep(50);
      await tx`INSERT INTO t VALUES (3)`;
      const [c] = await tx`SELECT count(*)::int AS n FROM t`;
      seen = c!.n as number;
      throw new Error('the second transaction rolls back');
    });
    await expect(second).rejects.toThrow('the second transaction rolls back');
    expect(secondPid).not.toBe(firstPid);
    expect(staleOutcome).toBe('CONNECTION_CLOSED');
    expect(seen).toBe(2);
    // Nothing of either transaction remains.
    expect(await rows(db, 't')).toEqual([]);
  });

  it('a handle kept past COMMIT or ROLLBACK is refused (TRANSACTION_ENDED): not run in the next transaction, not in autocommit', async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    await sql`CREATE TABLE t (x int)`;
    let committed!: postgres.TransactionSql;
    await sql.begin(async (tx) => {
      committed = tx;
      await tx`INSERT INTO t VALUES (1)`;
      // Started, not awaited: handed over before COMMIT, so still sent before it (as unguarded).
      void tx`INSERT INTO t VALUES (0)`.catch(() => undefined);
    });
    let rolledBack!: postgres.TransactionSql;
    await expect(
      sql.begin(async (tx) => {
        rolledBack = tx;
        await tx`INSERT INTO t VALUES (2)`;
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    // The next transaction has the pool's one connection.
    await sql.begin(async (tx) => {
      await tx`INSERT INTO t VALUES (3)`;
      expect(await outcome(committed`INSERT INTO t VALUES (4)`)).toBe('TRANSACTION_ENDED');
      expect(await outcome(rolledBack`INSERT INTO t VALUES (5)`)).toBe('TRANSACTION_ENDED');
      expect(await outcome(committed.savepoint((sp) => sp`INSERT INTO t VALUES (6)`))).toBe(
        'TRANSACTION_ENDED',
      );
    });
    // The connection idle in the pool: unguarded, these ran in autocommit.
    expect(await outcome(committed`INSERT INTO t VALUES (7)`)).toBe('TRANSACTION_ENDED');
    expect(await outcome(rolledBack`INSERT INTO t VALUES (8)`)).toBe('TRANSACTION_ENDED');
    expect(await rows(db, 't')).toEqual([0, 1, 3]);
  });

  it('statements queued in a transaction whose connection closes are rejected (they never settled)', async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    const [started, isStarted] = latch<number>();
    let statements: Promise<string[]> | undefined;
    const tx = outcome(
      sql.begin(async (t) => {
        const [r] = await t`SELECT pg_backend_pid() AS pid`;
        // A statement with parameters that is new on the connection (as every one is after a
        // reconnect) is described before it runs: the statements sent behind it wait in the
        // transaction's own queue until it is answered.
        statements = Promise.all([t`SELECT pg_sleep(${30})`, t`SELECT 2`, t`SELECT 3`].map(outcome));
        isStarted(r!.pid as number);
        await statements;
      }),
    );
    const pid = await started;
    await until(async () => {
      const [r] =
        await admin!`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${pid} AND state = 'active' AND query LIKE 'SELECT pg_sleep%'`;
      return r!.n === 1;
    });
    await terminate(pid);
    expect(await tx).toBe('CONNECTION_CLOSED');
    // Bounded, so that the test fails instead of hanging.
    expect(await Promise.race([statements!, sleep(3000).then(() => 'still pending')])).toEqual([
      'CONNECTION_CLOSED',
      'CONNECTION_CLOSED',
      'CONNECTION_CLOSED',
    ]);
  });

  it('the store: a write operation that awaits something else while its connection is ended does not finish inside its repeat', async () => {
    // The engine's write operations await only their own statements (docs/engine.md "Storage
    // contract", clause 3: no I/O in a write), and a statement in flight is rejected at the
    // close before any reconnect. This operation waits for a promise instead, as a future one
    // could; its first run goes on after the store repeated it on the pool's one connection.
    const { db, name } = await freshDatabase();
    const s = await openPostgresStore({ url: db, maxConnections: 1 });
    onTestFinished(() => s.close());
    await s.write((tx) => org(tx, 9));
    const [resume, release] = latch();
    const [waiting, isWaiting] = latch();
    let stale: Promise<string> | undefined;
    let staleOutcome = '';
    let runs = 0;
    const write = s.write(async (tx) => {
      const run = ++runs;
      await org(tx, run);
      if (run === 1) {
        isWaiting();
        await resume;
        stale = outcome(org(tx, 10));
        await stale;
        return;
      }
      release();
      await until(() => stale !== undefined);
      staleOutcome = await stale!;
      // Time for the first run's COMMIT (after its operation returned), which unguarded ended
      // this run's transaction: its later statements committed on their own.
      await sleep(50);
      await org(tx, 3);
      throw new EngineError('conflict', 'the repeat refuses: nothing of the operation may remain');
    });
    await waiting;
    await admin!.unsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = '${name}' AND application_name = 'sluis'`);
    expect(isEngineError(await write.catch((e: unknown) => e), 'conflict')).toBe(true);
    expect(runs).toBe(2);
    expect(staleOutcome).toBe('CONNECTION_CLOSED');
    expect((await s.read((tx) => tx.listOrganisations())).map((o) => o.name)).toEqual(['Org 9']);
  });
});

/** Waits (polling, at most 5 s) until `done` answers true. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  const end = performance.now() + 5000;
  while (!(await done())) {
    if (performance.now() > end) throw new Error('condition not reached in time');
    await sleep(5);
  }
}
