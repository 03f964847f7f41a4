// The PostgreSQL store's connections on a real throwaway cluster (test/support/postgres.ts):
// a lost server answering database_unavailable; the driver's failure modes fixed in
// patches/postgres@3.4.9.patch (README dependency table, changes 1–6: pooled connections
// that the server closed replaced, a job's connection attempt refused during a restart not
// costing the pool a connection, a job waiting while a connection is cut getting one, a
// write's ROLLBACK on a closed connection neither failing the statement queued for its
// reconnect nor holding up close, a connection ended with a statement in flight leaving
// nothing behind, a write cut before COMMIT not hanging its reconnected connection, close
// not waiting for a statement the server ended); and clause 3 (pg-core.ts, pg-store.ts): a
// read or a write cut before COMMIT run again, a write cut after COMMIT not — through a TCP
// relay that orders the attempts, holds answers back and cuts connections, or by ending
// backends with pg_terminate_backend. Conformance, traits and migrations: pg-store.test.ts.
// Skipped, and said so by the run, when the machine has no PostgreSQL server binaries.

import { afterAll, describe, expect, inject, it } from 'vitest';
import { EngineError, isEngineError } from '../../errors.js';
import { latch, org } from '../conformance/fixtures.js';
import { freshPort } from '../../../../../test/support/ports.js';
import { withinServerWait } from '../../../../../test/support/server-wait.js';
import { openPostgresStore } from './pg-store.js';
import {
  admin,
  backends,
  closeMs,
  countOrganisations,
  directStore,
  dropDatabases,
  endBackends,
  freshDatabase,
  lockWaiter,
  lockedStore,
  relayedStore,
  running,
  sleep,
  startRelay,
  testStore,
  until,
} from './pg-connections.test-util.js';

const url = inject('postgresUrl');

afterAll(() => dropDatabases());

describe.skipIf(url === '')('PostgreSQL specifics', () => {
  it('pooled connections that the server closed (a restart, a failover) are replaced: the next write and read succeed', async () => {
    const { name, s } = await directStore(4);
    // Open every pooled connection, so that each is idle in the pool when the server ends it.
    await Promise.all([1, 2, 3, 4].map((i) => s.write((tx) => org(tx, i))));
    expect(await endBackends(name)).toBeGreaterThanOrEqual(4);
    // Without the repeat of a write whose connection was gone before COMMIT, some of these
    // answered database_unavailable although the database was up.
    await Promise.all([5, 6, 7, 8].map((i) => s.write((tx) => org(tx, i))));
    const names = (await s.read((tx) => tx.listOrganisations())).map((o) => o.name).sort();
    expect(names).toEqual(['Org 1', 'Org 2', 'Org 3', 'Org 4', 'Org 5', 'Org 6', 'Org 7', 'Org 8']);
  });

  it('a job whose connection could not be opened (PostgreSQL restarting) leaves the pool whole: maxConnections jobs run at once after', async () => {
    const { name, relay, s } = await relayedStore(2);
    // The server ends every pooled connection (a restart): both are closed in the pool.
    await endBackends(name);
    await until(() => relay.open() === 0);
    await sleep(20);

    // Two jobs each reserve a connection (`exclusive`) while PostgreSQL comes back: the
    // attempt for the second is refused, the first one's gets through but only after that.
    relay.hold(true);
    const ran: string[] = [];
    const first = s.exclusive('job-a', async () => void ran.push('a'));
    const forFirst = await relay.next();
    const second = s.exclusive('job-b', async () => void ran.push('b')).catch((e: unknown) => e);
    relay.refuse(await relay.next());
    expect(isEngineError(await second, 'database_unavailable')).toBe(true);
    relay.pass(forFirst);
    // The first job runs on the connection opened for it. Unpatched, postgres.js had moved
    // its reserve from the waiting queue to the refused connection's next attempt: the
    // connection that opened went idle, and that attempt, refused too, failed the job.
    const outcome = first.then(
      () => 'ran',
      () => 'failed',
    );
    expect(await withinServerWait(outcome, 'still waiting')).toBe('ran');
    expect(ran).toEqual(['a']);
    // That next attempt comes all the same; refused, it answers nobody (the job has its
    // connection) and the pool stays whole.
    relay.refuse(await relay.next());
    // Same process, loopback: the reset is read within a poll of the event loop; 200 ms is
    // margin for a loaded machine.
    await sleep(200);

    // PostgreSQL is back. Without the patch (patches/postgres@3.4.9.patch, the reserve
    // part) the refused job stayed in the pool's waiting queue and the connection that
    // opened was handed to it: lost, so one job at a time ran from then on.
    relay.hold(false);
    let running = 0;
    const [allRunning, together] = latch();
    const job = (n: string) =>
      s.exclusive(n, async () => {
        if (++running === 2) together();
        // Bounded, so that a starved pool fails the test rather than hanging it.
        return withinServerWait(
          allRunning.then(() => 'together'),
          'alone',
        );
      });
    expect(await Promise.all([job('job-c'), job('job-d')])).toEqual(['together', 'together']);
  });

  it('a job waiting for a connection while a pooled one is cut gets the reconnected one (not left waiting)', async () => {
    const { name, relay, s } = await relayedStore(1);
    // The pool's one connection runs a statement, so a job's reserve waits in the pool's queue.
    const busy = s.unsafe('SELECT pg_sleep(30)').catch((e: unknown) => e);
    await until(async () => (await running(name, 'SELECT pg_sleep%')) === 1);
    const job = s.exclusive('job-a', async () => 'ran');
    await sleep(50);
    // The network drops the connection; postgres.js opens it again for the waiting reserve.
    relay.cut();
    expect(isEngineError(await busy, 'database_unavailable')).toBe(true);
    // Without the patch (patches/postgres@3.4.9.patch, the reserve handed to a reconnect)
    // the reserve left the waiting queue for that attempt and was forgotten when it
    // succeeded: the job waited for ever. Bounded, so that the test fails instead of hanging.
    expect(await withinServerWait(job, 'still waiting')).toBe('ran');
  });

  it('a connection the server ended with a statement in flight: the statement after its reconnect runs, and close does not wait', async () => {
    const { name, s } = await directStore(1);
    /** Runs a statement on the pool's one connection and has the server end it meanwhile (an administrator, a failover). */
    const endedInFlight = async () => {
      const busy = s.unsafe('SELECT pg_sleep(30)').catch((e: unknown) => e);
      await until(async () => (await endBackends(name, 'SELECT pg_sleep%')) === 1);
      // The server answers 57P01 and closes; the statement in flight sees the closed connection.
      expect(isEngineError(await busy, 'database_unavailable')).toBe(true);
    };
    await endedInFlight();
    // Without the patch (the connection's state reset when its socket closes) the ended
    // backend's 57P01 answer was kept and given to the first statement after the
    // reconnect: a job (not repeated, unlike a write) failed with database_unavailable.
    expect(await s.exclusive('job-a', async () => 'ran')).toBe('ran');
    expect((await s.read((tx) => tx.listOrganisations())).length).toBe(0);

    await endedInFlight();
    // …and the closed connection still counted the statement as running, so the pool's
    // end waited for its timeout (5 s) instead of closing at once.
    expect(await closeMs(s)).toBeLessThan(2000);
  });

  it('a write whose connection is ended while it waits for a lock is repeated on the other connection, and close does not wait', async () => {
    const { lock, name, s, waitingWrite } = await lockedStore(2);
    // Both pooled connections open: the repeat goes to the other one at once.
    await Promise.all([s.unsafe('SELECT pg_sleep(0.1)'), s.unsafe('SELECT pg_sleep(0.1)')]);
    expect(await backends(name)).toBe(2);
    const { write, pid } = await waitingWrite();
    await admin!.unsafe(`SELECT pg_terminate_backend(${pid})`);
    // The write runs again on the other connection and waits for the lock there.
    await lockWaiter(name, pid);
    await lock.release();
    expect(typeof (await write)).toBe('number');
    expect((await s.read((tx) => tx.listOrganisations())).map((o) => o.name)).toEqual(['Org 1']);
    // postgres.js sent the ended transaction's ROLLBACK to the closed connection. Without
    // the patch's settling of it (patches/postgres@3.4.9.patch, the `!socket` write) the
    // connection kept it as its statement in flight and the pool's end waited 5 s for it.
    expect(await closeMs(s)).toBeLessThan(2000);
  });

  it('a statement queued for the reconnect of a connection ended mid-transaction runs (pool of one)', async () => {
    const { lock, name, s, waitingWrite } = await lockedStore(1);
    const { write, pid } = await waitingWrite();
    // Waits in the pool's queue: the one connection is the write's.
    const queued = s.unsafe('SELECT 1 AS one').catch((e: unknown) => e);
    await sleep(50);
    await admin!.unsafe(`SELECT pg_terminate_backend(${pid})`);
    // The pool reconnects with the queued statement. Without the patch (the `!socket`
    // write leaving the reconnect's statement alone) the ended transaction's ROLLBACK,
    // failing on the closed connection, failed the queued statement with it although it
    // was never sent: database_unavailable.
    expect(await queued).toEqual([{ one: 1 }]);
    await lockWaiter(name, pid);
    await lock.release();
    expect(typeof (await write)).toBe('number');
    expect(await closeMs(s)).toBeLessThan(2000);
  });

  it('close called while a statement is in flight returns once the server ends its connection (not after 5 s)', async () => {
    const { name, s } = await directStore(1);
    const busy = s.unsafe('SELECT pg_sleep(30)').catch((e: unknown) => e);
    await until(async () => (await running(name, 'SELECT pg_sleep%')) === 1);
    // A restart during close: close waits for the statement, then the server ends it.
    const closing = s.close();
    await sleep(50);
    const t0 = performance.now();
    await endBackends(name, 'SELECT pg_sleep%');
    expect(isEngineError(await busy, 'database_unavailable')).toBe(true);
    // Without the patch (a connection closed while its end() waits ends at once) the
    // pool's end waited its timeout, 5 s.
    await closing;
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a write whose connection is cut before COMMIT runs again and commits once (clause 3)', async () => {
    const { db, relay, s } = await relayedStore(1);
    let runs = 0;
    const names = await s.write(async (tx) => {
      await org(tx, 1);
      if (++runs === 1) {
        // The insert ran on the server; the connection is lost before the operation ends.
        relay.stall();
        setTimeout(() => relay.cut(), 100);
      }
      return (await tx.listOrganisations()).map((o) => o.name);
    });
    expect(names).toEqual(['Org 1']);
    expect(runs).toBe(2);
    expect(await countOrganisations(db)).toBe(1);
  });

  it('a write whose connection is cut after COMMIT was sent is not run again and answers database_unavailable', async () => {
    const { db, relay, s } = await relayedStore(1);
    let runs = 0;
    // postgres.js sends COMMIT as a statement of its own (Parse "commit\0").
    const stalled = relay.stallWhenSent('commit\0');
    const write = s
      .write(async (tx) => {
        runs++;
        return org(tx, 1);
      })
      .catch((e: unknown) => e);
    await stalled;
    // The server committed; its answer never arrives.
    await until(async () => (await countOrganisations(db)) === 1);
    relay.cut();
    // The outcome is unknown to the store, so it is not repeated (pg-store.ts `committing`):
    // a repeat would have been refused as a conflict (the organisation exists).
    expect(isEngineError(await write, 'database_unavailable')).toBe(true);
    expect(runs).toBe(1);
    expect(await countOrganisations(db)).toBe(1);
  });

  it('a read whose connection is lost with its statement in flight runs again on a fresh connection (clause 3)', async () => {
    const { relay, s } = await relayedStore(1);
    await s.write((tx) => org(tx, 1));
    relay.stall();
    const read = s.read((tx) => tx.listOrganisations()).catch((e: unknown) => e);
    await sleep(100);
    relay.cut();
    const names = await read;
    expect(Array.isArray(names) ? names.map((o) => o.name) : names).toEqual(['Org 1']);
  });

  it('with a URL naming two hosts, a statement whose fresh connection is cut during its first statement is answered', async () => {
    const db = await freshDatabase();
    // Two relays to the same cluster: a URL naming two hosts (failover, docs/operations.md).
    const a = await startRelay(db);
    const b = await startRelay(db);
    const twoHosts = a.url.replace(/@([^/]+)\//, (_, h: string) => `@${h},${new URL(b.url).host}/`);
    const s = await testStore(twoHosts, 1);
    // The pooled connections go; the next statement opens a fresh one and is its first statement.
    a.cut();
    b.cut();
    await until(() => a.open() + b.open() === 0);
    // postgres.js may read the reset after the relays counted it (a loaded machine): a statement
    // sent before fails on the old connection (database_unavailable) without reaching a relay,
    // and the next one opens the fresh connection. Sent again until one reaches a relay.
    let first: Promise<unknown> | undefined;
    for (let attempt = 1; first === undefined; attempt++) {
      const stalled = Promise.race([a.stallWhenSent('SELECT 4242'), b.stallWhenSent('SELECT 4242')]);
      const sent = s.unsafe('SELECT 4242 AS n').catch((e: unknown) => e);
      const early = await withinServerWait(
        Promise.race([stalled.then(() => undefined), sent.then((r) => ({ r }))]),
        'neither sent nor answered',
      );
      if (early === undefined) first = sent;
      else {
        expect(typeof early === 'object' && isEngineError(early.r, 'database_unavailable')).toBe(true);
        expect(attempt).toBeLessThan(3);
      }
    }
    a.cut();
    b.cut();
    // Without the patch (patches/postgres@3.4.9.patch, closed() rejects directly) a
    // connection still `connecting` rejected nothing when a second host was named, and the
    // statement was dropped unanswered. Bounded, so that the test fails instead of hanging.
    const answer = await withinServerWait(first, 'still waiting');
    expect(isEngineError(answer, 'database_unavailable')).toBe(true);
    expect(await s.unsafe('SELECT 1 AS n')).toEqual([{ n: 1 }]);
  });

  it('a job whose reserved connection the server ends leaves the pool whole (pool of one): reads and jobs run after', async () => {
    const { name, s } = await directStore(1);
    const [isEntered, entered] = latch();
    const [held, proceed] = latch();
    const job = s.exclusive('job-a', async () => {
      entered();
      await held;
      return 'ran';
    });
    await isEntered;
    // A restart while the job runs: the server ends its reserved connection.
    await until(async () => (await endBackends(name, '%pg_try_advisory_lock%')) === 1);
    await sleep(100);
    proceed();
    expect(await job).toBe('ran');
    // Without the patch (patches/postgres@3.4.9.patch, reserve()) release() put the closed
    // connection back in the pool without a socket and nothing reconnected it: every
    // statement routed to it failed or waited. Bounded, so that the test fails instead of hanging.
    const read = s.read((tx) => tx.listOrganisations()).catch((e: unknown) => e);
    expect(await withinServerWait(read, 'still waiting')).toEqual([]);
    const again = s.exclusive('job-a', async () => 'ran again').catch((e: unknown) => e);
    expect(await withinServerWait(again, 'still waiting')).toBe('ran again');
  });

  it('a read repeats a lost connection for about 0.75 s in all, 08P01 (a pooler reporting trouble behind it) too', async () => {
    const { s } = await directStore();
    // The error a postgres.js statement rejects with, thrown by the operation itself: the
    // store decides on its code alone (pg-errors.ts isConnectionLoss).
    const failing = (code: string) => {
      let runs = 0;
      const t0 = performance.now();
      return s
        .read(async () => {
          runs++;
          throw Object.assign(new Error('from the driver'), { code });
        })
        .catch((e: unknown) => ({ e, runs, ms: performance.now() - t0 }));
    };
    const lost = await failing('08006');
    expect(isEngineError(lost.e, 'database_unavailable')).toBe(true);
    // Five runs, waiting 50, 100, 200 and 400 ms between them.
    expect(lost.runs).toBe(5);
    expect(lost.ms).toBeGreaterThanOrEqual(740);
    const pooler = await failing('08P01');
    expect(isEngineError(pooler.e, 'database_unavailable')).toBe(true);
    expect(pooler.runs).toBe(5);
    // A statement the database cancelled at the statement timeout is not repeated.
    const cancelled = await failing('57014');
    expect(isEngineError(cancelled.e, 'database_busy')).toBe(true);
    expect(cancelled.runs).toBe(1);
  });

  it('a critical section entered inside a savepoint that failed is entered again (its lock went with the rollback)', async () => {
    const { name, s } = await directStore();
    const value = new Uint8Array(32).fill(7);
    const advisoryLocks = async () =>
      (
        (await admin!.unsafe(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
             WHERE l.locktype = 'advisory' AND l.granted AND d.datname = '${name}'`,
        )) as unknown as { n: number }[]
      )[0]!.n;
    const seen = await s.write(async (tx) => {
      await tx
        .savepoint(async () => {
          await tx.findSignalsByStored([value], 'subject');
          throw new EngineError('conflict', 'refused inside the savepoint');
        })
        .catch(() => undefined);
      const afterRollback = await advisoryLocks();
      await tx.findSignalsByStored([value], 'subject');
      return { afterRollback, afterAgain: await advisoryLocks() };
    });
    // The rollback released the person's lock; the next lookup took it again (before the
    // fix it trusted a cache of held locks and read without the section).
    expect(seen).toEqual({ afterRollback: 0, afterAgain: 1 });
  });

  it('a server that cannot be reached is database_unavailable, and the password is not in the error', async () => {
    const port = await freshPort(); // nothing listens there (test/support/ports.ts)
    const bad = `postgres://sluis@127.0.0.1:${port}/nowhere`;
    const err = await openPostgresStore({
      url: bad,
      password: 'secret-password',
      connectTimeoutSeconds: 2,
    }).catch((e: unknown) => e);
    expect(isEngineError(err, 'database_unavailable')).toBe(true);
    expect(JSON.stringify({ m: (err as Error).message, s: String(err) })).not.toContain('secret-password');
  });
});
