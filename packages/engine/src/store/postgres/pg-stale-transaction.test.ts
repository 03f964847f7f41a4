// A postgres.js transaction handle (`sql.begin`'s `tx`) used after its transaction ended, on
// a real throwaway cluster (test/support/postgres.ts): the guard of patches/postgres@3.4.9.patch
// in `begin` (README dependency table, change 9; docs/engine.md "Storage contract", clause 3),
// and a BEGIN pipelined behind a full pipeline (change 10).
// postgres.js sends a transaction's statements straight to its Connection object, and the
// pool reuses that object: once the server answered COMMIT or ROLLBACK and reported the
// connection idle, for the next query or transaction; after a close, by reconnecting it. Each
// test fails without its change: the stale statement ran in the other transaction (or in
// autocommit), the stale COMMIT committed the other transaction halfway, a statement queued
// at the close or when the server reported idle never settled, a refused ROLLBACK took the
// place of the callback's own error, a refusal's stack did not name the line that wrote the
// statement, the BEGIN behind a full pipeline failed and left its transaction open on the
// pooled connection. A reserved connection's handle (`sql.reserve()`, change 8) after its
// close or its release() is refused the same way. Backends are ended with pg_terminate_backend, as an administrator, a
// restart or a failover does.

import postgres from 'postgres';
import { afterAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { EngineError, isEngineError } from '../../errors.js';
import { withinServerWait } from '../../../../../test/support/server-wait.js';
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

/** The error a statement was rejected with (a test failure if it ran). */
const refusal = (p: Promise<unknown>): Promise<Error & { code?: string }> =>
  p.then(
    () => {
      throw new Error('the statement ran');
    },
    (e: unknown) => e as Error & { code?: string },
  );

/** This file, as the stack of an error names the line of it that wrote a statement. */
const THIS_FILE = 'pg-stale-transaction.test.ts';

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

    // Each refusal is an error of its own, and its stack names the line that wrote the
    // statement (as the stack of any other statement's error does), not only the driver's.
    const first = await refusal(committed`INSERT INTO t VALUES (9)`);
    const second = await refusal(committed.unsafe('INSERT INTO t VALUES (9)'));
    expect([first.code, second.code]).toEqual(['TRANSACTION_ENDED', 'TRANSACTION_ENDED']);
    expect(first).not.toBe(second);
    expect(first.message).toBe(
      'TRANSACTION_ENDED: the transaction of this statement was committed, rolled back or prepared',
    );
    expect(first.stack).toContain(THIS_FILE);
    // An unsafe() statement written after the transaction ended names its line too.
    expect(second.stack).toContain(THIS_FILE);
  });

  it('a COMMIT or ROLLBACK the callback writes itself ends the handle too: what it sends afterwards is refused, not run in the next transaction', async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    await sql`CREATE TABLE t (x int)`;
    const [resume, release] = latch();
    const [committed, isCommitted] = latch();
    let stale: Promise<string> | undefined;
    const first = outcome(
      sql.begin(async (tx) => {
        await tx`INSERT INTO t VALUES (1)`;
        // Answered, the server reports the connection idle and the pool takes it back.
        await tx`COMMIT`;
        isCommitted();
        await resume;
        stale = outcome(tx`INSERT INTO t VALUES (2)`);
        await stale;
      }),
    );
    await committed;

    // The next transaction has the pool's one connection.
    let seen = 0;
    const second = sql.begin(async (tx) => {
      await tx`INSERT INTO t VALUES (3)`;
      release();
      await until(() => stale !== undefined);
      await stale;
      // Time for the first callback's automatic COMMIT or ROLLBACK, which unguarded ended this
      // transaction halfway (its INSERT of 2 and 3 committed, the rest in autocommit).
      await sleep(50);
      await tx`INSERT INTO t VALUES (4)`;
      const [c] = await tx`SELECT count(*)::int AS n FROM t`;
      seen = c!.n as number;
      throw new Error('the second transaction rolls back');
    });
    await expect(second).rejects.toThrow('the second transaction rolls back');
    expect(await stale).toBe('TRANSACTION_ENDED');
    // Its own COMMIT refused as well: begin() reports that it could not end the transaction.
    expect(await first).toBe('TRANSACTION_ENDED');
    expect(seen).toBe(3);

    // A ROLLBACK through unsafe(), the connection then idle in the pool.
    let afterRollback = '';
    expect(
      await outcome(
        sql.begin(async (tx) => {
          await tx`INSERT INTO t VALUES (5)`;
          await tx.unsafe('rollback');
          afterRollback = await outcome(tx`INSERT INTO t VALUES (6)`);
        }),
      ),
    ).toBe('TRANSACTION_ENDED');
    expect(afterRollback).toBe('TRANSACTION_ENDED');
    expect(await rows(db, 't')).toEqual([1]);
  });

  it('statements still queued when the server reports idle after a COMMIT the callback wrote and did not await are rejected (TRANSACTION_ENDED), not left pending', async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    await sql`CREATE TABLE t (x int)`;
    let queued: Promise<string[]> | undefined;
    let errors: Promise<Error[]> | undefined;
    const result = outcome(
      sql.begin(async (tx) => {
        await tx`INSERT INTO t VALUES (1)`;
        // Sent, not awaited: its answer ends the transaction and the server reports idle.
        void tx`COMMIT`.execute();
        // New on the connection, so described before it runs: sent before COMMIT's answer,
        // it runs in autocommit; those behind it wait in the transaction's own queue.
        const described = outcome(tx`INSERT INTO t VALUES (${2})`);
        const behind = [tx`INSERT INTO t VALUES (3)`, tx`SELECT 4`];
        errors = Promise.all(behind.map(refusal));
        queued = Promise.all(behind.map(outcome));
        expect(await described).toBe('ran');
        await queued;
      }),
    );
    await until(() => queued !== undefined);
    // Bounded, so that the test fails instead of hanging (unguarded, they never settled).
    expect(await withinServerWait(queued!, 'still pending')).toEqual([
      'TRANSACTION_ENDED',
      'TRANSACTION_ENDED',
    ]);
    // begin's own COMMIT is refused as well: the transaction had ended.
    expect(await result).toBe('TRANSACTION_ENDED');
    for (const e of await errors!) expect(e.stack).toContain(THIS_FILE);
    expect(await rows(db, 't')).toEqual([1, 2]);
    // The pool's one connection is back in the pool, outside any transaction.
    await sql`INSERT INTO t VALUES (5)`;
    expect(await rows(db, 't')).toEqual([1, 2, 5]);
  });

  it("a callback that throws after a COMMIT it wrote itself: begin rejects with the callback's own error, not with a refused ROLLBACK", async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    await sql`CREATE TABLE t (x int)`;
    const mine = () => Object.assign(new Error('the callback fails'), { code: 'MINE' });
    // COMMIT answered: the transaction had ended when the callback threw; no ROLLBACK is sent.
    const awaited = outcome(
      sql.begin(async (tx) => {
        await tx`INSERT INTO t VALUES (1)`;
        await tx`COMMIT`;
        throw mine();
      }),
    );
    expect(await awaited).toBe('MINE');
    // In a savepoint: neither its ROLLBACK TO nor the transaction's ROLLBACK is sent.
    const inSavepoint = outcome(
      sql.begin(async (tx) => {
        await tx`INSERT INTO t VALUES (2)`;
        await tx.savepoint(async (sp) => {
          await sp`COMMIT`;
          throw mine();
        });
      }),
    );
    expect(await inSavepoint).toBe('MINE');
    // COMMIT not awaited, a described statement sent behind it: the automatic ROLLBACK waits in
    // the transaction's queue when the server reports idle; its refusal is not what begin
    // reports (unguarded and upstream, the ROLLBACK never settled and begin hung).
    let described: Promise<string> | undefined;
    const queued = outcome(
      sql.begin(async (tx) => {
        await tx`INSERT INTO t VALUES (3)`;
        void tx`COMMIT`.execute();
        described = outcome(tx`INSERT INTO t VALUES (${4})`);
        throw mine();
      }),
    );
    expect(await withinServerWait(queued, 'still pending')).toBe('MINE');
    expect(await described).toBe('ran');
    // COMMIT not awaited, nothing queued: the automatic ROLLBACK is sent behind the COMMIT
    // before its answer and runs in autocommit, where the server only warns (docs/engine.md
    // "Storage contract", clause 3).
    const notices: unknown[] = [];
    const warned = postgres(db, { max: 1, onnotice: (n) => notices.push(n.code) });
    onTestFinished(() => warned.end({ timeout: 1 }));
    const sentBehind = outcome(
      warned.begin(async (tx) => {
        await tx`INSERT INTO t VALUES (5)`;
        void tx`COMMIT`.execute();
        throw mine();
      }),
    );
    expect(await sentBehind).toBe('MINE');
    expect(notices).toEqual(['25P01']);
    // What the callbacks' own COMMITs committed remains (and the statement sent behind one).
    expect(await rows(db, 't')).toEqual([1, 2, 3, 4, 5]);
  });

  it("a BEGIN that fills its connection's pipeline takes the connection (porsager/postgres#1189): not a TypeError or UNSAFE_TRANSACTION with its transaction left open", async () => {
    const { db } = await freshDatabase();
    const setup = pool(db);
    const seen: unknown[] = [];
    const expected: unknown[] = [];
    for (const max of [1, 2]) {
      for (const ahead of [99, 100, 101]) {
        const table = `t_${max}_${ahead}`;
        await setup`CREATE TABLE ${setup(table)} (x int)`;
        const sql = postgres(db, { max, onnotice: () => undefined });
        try {
          // One connection open, the pool's others closed (the next statement takes the open
          // one, the one after it connects the next): autocommit statements fill the open
          // one's pipeline (max_pipeline: 100) and the BEGIN is pipelined behind them, then
          // statements of the pool behind it.
          await sql`SELECT 1`;
          const before = Array.from({ length: ahead }, () => outcome(sql`SELECT 1`));
          const tx = outcome(sql.begin((t) => t`INSERT INTO ${t(table)} VALUES (1)`));
          const after = Array.from({ length: 3 }, () => outcome(sql`INSERT INTO ${sql(table)} VALUES (2)`));
          const all = await Promise.race([
            Promise.all([...before, tx, ...after]),
            sleep(5000).then(() => ['still pending']),
          ]);
          // All committed: unguarded, the server's transaction stayed open on the pooled
          // connection, and the statements behind it ran inside it, never committed.
          seen.push({ max, ahead, outcomes: [...new Set(all)], rows: await rows(db, table) });
          expected.push({ max, ahead, outcomes: ['ran'], rows: [1, 2, 2, 2] });
        } finally {
          await sql.end({ timeout: 1 });
        }
      }
    }
    expect(seen).toEqual(expected);
  });

  it("a reserved connection's handle after its connection closed: refused with CONNECTION_CLOSED, each refusal's stack naming its line (an unsafe() one too)", async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    const reserved = await sql.reserve();
    const [r] = await reserved`SELECT pg_backend_pid() AS pid`;
    await terminate(r!.pid as number);
    await until(async () => (await outcome(reserved`SELECT 1`)) === 'CONNECTION_CLOSED');
    // Closed: the reservation's guard (change 8) refuses before any connection is reached.
    const tagged = await refusal(reserved`SELECT 2`);
    const unsafe = await refusal(reserved.unsafe('SELECT 3'));
    expect([tagged.code, unsafe.code]).toEqual(['CONNECTION_CLOSED', 'CONNECTION_CLOSED']);
    expect(tagged.stack).toContain(THIS_FILE);
    expect(unsafe.stack).toContain(THIS_FILE);
    reserved.release();
    expect(await sql`SELECT 1 AS n`).toEqual([{ n: 1 }]);
  });

  it("a reserved connection's handle after release() is refused (RESERVATION_RELEASED): not run in the pool's next transaction, the statements queued at release() rejected", async () => {
    const { db } = await freshDatabase();
    // One connection, one statement pipelined behind the running one (max_pipeline: 1): the
    // reservation's statements behind those wait in the reservation's own queue.
    const options = { max: 1, max_pipeline: 1, onnotice: () => undefined }; // max_pipeline: untyped
    const sql = postgres(db, options);
    onTestFinished(() => sql.end({ timeout: 1 }));
    await sql`CREATE TABLE t (x int)`;
    const reserved = await sql.reserve();
    const inFlight = Promise.all([outcome(reserved`SELECT pg_sleep(0.5)`), outcome(reserved`SELECT 2`)]);
    const queued = [reserved`SELECT 3`, reserved`SELECT 4`];
    const queuedErrors = Promise.all(queued.map(refusal));
    await sleep(100); // handed to the reservation's handler; the first one running
    // Released with two statements in its queue: they never settled before.
    reserved.release();
    expect(await inFlight).toEqual(['ran', 'ran']);
    expect(await withinServerWait(queuedErrors, 'still pending')).toMatchObject([
      { code: 'RESERVATION_RELEASED' },
      { code: 'RESERVATION_RELEASED' },
    ]);
    // The pool's one connection, now in a transaction: the released handle reached it (its
    // INSERT ran inside that transaction and was committed with it) before the guard.
    let tagged: Promise<Error & { code?: string }> | undefined;
    let unsafe: Promise<Error & { code?: string }> | undefined;
    await sql.begin(async (tx) => {
      await tx`INSERT INTO t VALUES (1)`;
      tagged = refusal(reserved`INSERT INTO t VALUES (99)`);
      unsafe = refusal(reserved.unsafe('INSERT INTO t VALUES (98)'));
      await Promise.all([tagged, unsafe]);
    });
    const [a, b] = [await tagged!, await unsafe!];
    expect([a.code, b.code]).toEqual(['RESERVATION_RELEASED', 'RESERVATION_RELEASED']);
    expect(a.stack).toContain(THIS_FILE);
    expect(b.stack).toContain(THIS_FILE);
    expect(await rows(db, 't')).toEqual([1]);
    // A second release() is a no-op; the pool still works.
    reserved.release();
    expect(await sql`SELECT 1 AS n`).toEqual([{ n: 1 }]);
  });

  it("a live transaction's statements are never refused: past the pipeline limit, behind a described statement, in a cursor, after a failed savepoint, after COMMIT AND CHAIN", async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    await sql`CREATE TABLE t (x int)`;
    const counted = await sql.begin(async (tx) => {
      // 250 at once: postgres.js pipelines 100 on the connection, the rest wait in the
      // transaction's queue; the first with parameters is described before it runs.
      await Promise.all(Array.from({ length: 250 }, (_, i) => tx`INSERT INTO t VALUES (${i})`));
      await expect(tx.savepoint((sp) => sp`SELECT 1/0`)).rejects.toMatchObject({ code: '22012' });
      let n = 0;
      for await (const batch of tx`SELECT x FROM t`.cursor(40)) n += batch.length;
      // Ends the transaction and opens the next at once: the connection never reports idle.
      await tx`COMMIT AND CHAIN`;
      await tx`INSERT INTO t VALUES (250)`;
      return n;
    });
    expect(counted).toBe(250);
    expect((await rows(db, 't')).length).toBe(251);
  });

  it('statements queued in a transaction whose connection closes are rejected (they never settled)', async () => {
    const { db } = await freshDatabase();
    const sql = pool(db);
    const [started, isStarted] = latch<number>();
    let statements: Promise<string[]> | undefined;
    let errors: Promise<Error[]> | undefined;
    const tx = outcome(
      sql.begin(async (t) => {
        const [r] = await t`SELECT pg_backend_pid() AS pid`;
        // A statement with parameters that is new on the connection (as every one is after a
        // reconnect) is described before it runs: the statements sent behind it wait in the
        // transaction's own queue until it is answered.
        const queued = [t`SELECT pg_sleep(${30})`, t`SELECT 2`, t`SELECT 3`];
        errors = Promise.all(queued.map(refusal));
        statements = Promise.all(queued.map(outcome));
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
    expect(await withinServerWait(statements!, 'still pending')).toEqual([
      'CONNECTION_CLOSED',
      'CONNECTION_CLOSED',
      'CONNECTION_CLOSED',
    ]);
    // An error of its own for each, its stack naming the line that wrote the statements.
    const each = await errors!;
    expect(new Set(each).size).toBe(3);
    for (const e of each) expect(e.stack).toContain(THIS_FILE);
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
