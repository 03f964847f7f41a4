// The group-commit writer on a raw connection: a failed COMMIT rejects the whole batch
// and the next batch works; its hooks run where work is undone and where a transaction ends;
// SQLITE_FULL maps to disk_full and the writer recovers when space returns; nothing resolves
// before its COMMIT.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { StoreWriter } from '../store.js';
import { GroupCommitWriter } from './group-commit.js';

function setup() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec(
    'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id)); CREATE TABLE t (x)',
  );
  const w = new GroupCommitWriter(db, {} as StoreWriter);
  const count = () => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  return { db, w, count };
}

describe('GroupCommitWriter', () => {
  it('a non-SQLite exception becomes internal and keeps the original as its cause (S5)', async () => {
    const { w } = setup();
    const bug = new TypeError('a bug in an operation');
    const e = await w
      .write(async () => {
        throw bug;
      })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'internal' });
    expect((e as Error).cause).toBe(bug);
    const sqlite = await w
      .write(async () => {
        throw Object.assign(new Error('no such column: secret'), { code: 'SQLITE_ERROR' });
      })
      .catch((x: unknown) => x);
    expect(sqlite).toMatchObject({ code: 'internal' });
    // A SQLite message can name columns or values: it is not kept.
    expect((sqlite as Error).cause).toBeUndefined();
  });

  it('a failed COMMIT rejects every operation of its batch; the next batch commits', async () => {
    const { db, w, count } = setup();
    const results = await Promise.allSettled([
      w.write(async () => {
        db.prepare('INSERT INTO t VALUES (1)').run();
      }),
      w.write(async () => {
        db.pragma('defer_foreign_keys = ON');
        db.prepare('INSERT INTO c VALUES (42)').run(); // violation surfaces at COMMIT
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results[0]).toMatchObject({ reason: { code: 'conflict' } });
    expect(count()).toBe(0);
    expect(db.inTransaction).toBe(false);
    await w.write(async () => {
      db.prepare('INSERT INTO t VALUES (2)').run();
    });
    expect(count()).toBe(1);
    expect(w.stats.commits).toBe(1);
  });

  it('tells where work is undone: a failed operation before the next one runs, and every transaction’s end', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id))');
    const events: string[] = [];
    const w = new GroupCommitWriter(
      db,
      {} as StoreWriter,
      () => events.push(`ended${db.inTransaction ? ' in a transaction' : ''}`),
      () => events.push('rolledBack'),
    );
    const op = (name: string, fails = false) =>
      w.write(async () => {
        events.push(name);
        if (fails) throw new Error('a failing operation');
      });
    await Promise.allSettled([op('one'), op('two', true), op('three')]);
    expect(events).toEqual(['one', 'two', 'rolledBack', 'three', 'ended']);
    // A failed COMMIT: no operation failed, the transaction ends all the same.
    events.length = 0;
    await Promise.allSettled([
      op('four'),
      w.write(async () => {
        events.push('five');
        db.pragma('defer_foreign_keys = ON');
        db.prepare('INSERT INTO c VALUES (42)').run();
      }),
    ]);
    expect(events).toEqual(['four', 'five', 'ended']);
    // SQLite rolling the whole transaction back (disk full): the operation and the transaction.
    events.length = 0;
    db.exec('CREATE TABLE t (x BLOB)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const full = w.write(async () => {
      events.push('six');
      db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024));
    });
    await expect(full).rejects.toMatchObject({ code: 'disk_full' });
    expect(events).toEqual(['six', 'rolledBack', 'ended']);
  });

  it('maps SQLITE_FULL to disk_full and recovers when space returns', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x BLOB)');
    const w = new GroupCommitWriter(db, {} as StoreWriter);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 1}`);
    const big = Buffer.alloc(64 * 1024);
    await expect(
      w.write(async () => {
        db.prepare('INSERT INTO t VALUES (?)').run(big);
      }),
    ).rejects.toMatchObject({ code: 'disk_full' });
    db.pragma('max_page_count = 1000000');
    await w.write(async () => {
      db.prepare('INSERT INTO t VALUES (?)').run(big);
    });
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(1);
  });

  it('resolves only after COMMIT and refuses work after close', async () => {
    const { db, w } = setup();
    let committedWhenResolved = false;
    await w.write(async () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
    });
    committedWhenResolved = !db.inTransaction;
    expect(committedWhenResolved).toBe(true);
    await w.close();
    await expect(w.write(async () => undefined)).rejects.toMatchObject({ code: 'store_closed' });
  });
});
