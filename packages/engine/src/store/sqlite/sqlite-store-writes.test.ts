// The SQLite store's writes beyond the shared contract (sqlite-store.test.ts runs that): a
// refused batch item or insert without a savepoint, group commit sharing COMMITs and isolating a
// failing operation, the logbook's head kept across a group commit's writes and forgotten where
// one fails or its COMMIT does, another process's lock, compaction a reader blocks, gauge counts, reads
// of committed data only, contact rows counted per signal, and a full disk.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { newSignal, org, stored, uuid } from '../conformance/fixtures.js';
import { chained, queuedWritesChain, refusedItemAfterAppend } from '../conformance/logbook-chain.js';
import type { StoreWriter } from '../store.js';
import { migrate } from './migrations.js';
import { GroupCommitWriter } from './group-commit.js';
import { openSqliteStore } from './sqlite-store.js';
import { SqliteTx } from './sqlite-tx.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-store-'));
let n = 0;
const fresh = () => join(dir, `db-${n++}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite specifics: writes', () => {
  it('a batch item refused after its write fails the whole write (no savepoint: store.ts `batchItem`)', async () => {
    const s = openSqliteStore({ path: fresh() });
    try {
      expect(await refusedItemAfterAppend(s)).toBe('failed');
    } finally {
      await s.close();
    }
  });

  it('the writes of one group commit chain onto each other; after a failed write or a rolled-back savepoint the next reads the head', async () => {
    const s = openSqliteStore({ path: fresh() });
    try {
      const before = s.stats().commits;
      const { rows, heads } = await queuedWritesChain(s);
      // Two writes before the burst, the burst in ONE transaction, one write after it.
      expect(s.stats().commits - before).toBe(4);
      expect(rows).toEqual([
        [2, 'second'],
        [3, 'one-a'],
        [4, 'one-b'],
        [5, 'three'],
        [6, 'four'],
        [7, 'raw'],
        [8, 'seven'],
        [9, 'after'],
      ]);
      // first, second; one-a, one-b; two-lost; three; four-dropped, four; seven; eight-lost; after.
      expect(heads).toEqual([undefined, 1, 2, 3, 4, 4, 5, 5, 7, 8, 8]);
    } finally {
      await s.close();
    }
  });

  it('a batch whose COMMIT fails leaves no head behind: the next batch chains onto the stored head', async () => {
    const s = openSqliteStore({ path: fresh() });
    // The writer's own connection (SqliteCore's `db`), reached past the contract: a foreign key
    // checked only at COMMIT fails the batch's COMMIT (as group-commit.test.ts on a raw connection).
    const raw = (tx: StoreWriter) => (tx as unknown as { db: Database.Database }).db;
    try {
      const { heads, entry } = chained();
      await s.write((tx) => tx.appendLogEntry(entry('first')));
      const before = s.stats();
      const results = await Promise.allSettled([
        s.write((tx) => tx.appendLogEntry(entry('lost-a'))),
        s.write(async (tx) => {
          await tx.appendLogEntry(entry('lost-b'));
          const db = raw(tx);
          db.exec(
            'CREATE TABLE fk_parent (id INTEGER PRIMARY KEY); CREATE TABLE fk_child (p INTEGER REFERENCES fk_parent (id))',
          );
          db.pragma('defer_foreign_keys = ON');
          db.prepare('INSERT INTO fk_child VALUES (42)').run();
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(results[0]).toMatchObject({ reason: { code: 'conflict' } });
      expect(s.stats().commits).toBe(before.commits);
      expect(s.stats().failedOperations - before.failedOperations).toBe(2);
      await s.write((tx) => tx.appendLogEntry(entry('after')));
      const rows = await s.read((tx) => tx.logEntries(1, 10));
      expect(rows.map((r) => [r.seq, r.action])).toEqual([
        [1, 'first'],
        [2, 'after'],
      ]);
      expect(heads).toEqual([undefined, 1, 2, 1]);
    } finally {
      await s.close();
    }
  });

  it('a refused insert without a savepoint undoes only itself: the contact it took is given back', async () => {
    const s = openSqliteStore({ path: fresh() });
    try {
      const o = await s.write((tx) => org(tx, 1));
      const same = { name: 'J. de Vries', role: 'jeugdconsulent', email: 'j@example.nl' };
      const b = await s.write(async (tx) => {
        await tx.insertSignal(newSignal(o, 1, { contact: same }));
        return tx.insertSignal(newSignal(o, 2, { contact: same }));
      });
      // SQLite undoes the failed statement alone and the write goes on and commits.
      await s.write(async (tx) => {
        await expect(
          tx.insertSignal(newSignal(o, 3, { requestId: uuid(5001), contact: same })),
        ).rejects.toThrow();
      });
      await s.write((tx) => tx.deleteSignal(b));
      // one signal still names the contact: a refused insert that gave back more than it
      // took would have deleted the row under it
      expect((await s.read((tx) => tx.getSignal(uuid(1))))?.contact).toEqual(same);
    } finally {
      await s.close();
    }
  });

  it('group commit: many concurrent writes share few COMMITs; a failing one does not affect the others', async () => {
    const s = openSqliteStore({ path: fresh() });
    const before = s.stats();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        s.write(async (tx) => {
          if (i % 10 === 3) throw new EngineError('conflict', 'refused on purpose');
          await tx.insertNonces([{ keyId: 'k', nonce: `n${i}`, expiresAt: 10 ** 12 }]);
          return i;
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(180);
    const after = s.stats();
    expect(after.commits - before.commits).toBeLessThanOrEqual(3);
    expect(after.operations - before.operations).toBe(180);
    expect(after.failedOperations - before.failedOperations).toBe(20);
    expect(await s.read((tx) => tx.unexpiredNonces(0))).toHaveLength(180);
    await s.close();
  });

  it('another process holding the lock is database_busy within the short busy timeout', async () => {
    const path = fresh();
    const s = openSqliteStore({ path });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = performance.now();
      await expect(
        s.write((tx) => tx.insertNonces([{ keyId: 'k', nonce: 'n', expiresAt: 10 ** 12 }])),
      ).rejects.toMatchObject({ code: 'database_busy' });
      // The event loop stood still for the busy timeout only, not for seconds.
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await s.write((tx) => tx.insertNonces([{ keyId: 'k', nonce: 'n', expiresAt: 10 ** 12 }]));
    await s.close();
  });

  it('compact retries a checkpoint a reader blocks, then warns with a code only', async () => {
    const path = fresh();
    const s = openSqliteStore({ path });
    await s.write((tx) => tx.insertNonces([{ keyId: 'k', nonce: 'n1', expiresAt: 10 ** 12 }]));
    const reader = new Database(path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM nonces').get();
    await s.write((tx) => tx.insertNonces([{ keyId: 'k', nonce: 'n2', expiresAt: 10 ** 12 }]));
    const warnings: { code: string | undefined; message: string }[] = [];
    const onWarning = (w: Error & { code?: string }) => warnings.push({ code: w.code, message: w.message });
    process.on('warning', onWarning);
    try {
      await s.compact();
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => w.code)).toContain('SLUIS_CHECKPOINT_INCOMPLETE');
      reader.exec('COMMIT');
      warnings.length = 0;
      await s.compact();
      await new Promise((r) => setImmediate(r));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      reader.close();
    }
    await s.close();
  });

  it('gauge counts per organisation and per match status and kind add up to the full counts', async () => {
    const s = openSqliteStore({ path: fresh() });
    const [o, p] = await s.write(async (tx) => [await org(tx, 1), await org(tx, 2)]);
    await s.write(async (tx) => {
      for (let n = 1; n <= 5; n++) await tx.insertSignal(newSignal(n <= 3 ? o : p, n));
      await tx.updateSignal((await tx.getSignal(uuid(2)))!.rid, { status: 'inactive', endReason: 'ended' });
    });
    expect(await s.read((tx) => tx.signalStateCounts(o))).toEqual({ active: 2, inactive: 1 });
    expect(await s.read((tx) => tx.signalStateCounts(p))).toEqual({ active: 2, inactive: 0 });
    const full = await s.read((tx) => tx.counts());
    expect(full.signals).toEqual({ active: 4, inactive: 1 });
    expect(await s.read((tx) => tx.matchCount('active', 'person'))).toBe(full.matches.active);
    await s.close();
  });

  it('reads on a file store see committed data only', async () => {
    const s = openSqliteStore({ path: fresh() });
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const uncommitted = new Promise<void>((r) => {
      inserted = r;
    });
    const w = s.write(async (tx) => {
      await tx.insertNonces([{ keyId: 'k', nonce: 'uncommitted', expiresAt: 10 ** 12 }]);
      inserted();
      await gate;
    });
    // The row written and not committed (a pause could end before the insert ran, and the read
    // below would then prove nothing).
    await uncommitted;
    expect(await s.read((tx) => tx.unexpiredNonces(0))).toHaveLength(0);
    release();
    await w;
    expect(await s.read((tx) => tx.unexpiredNonces(0))).toHaveLength(1);
    await s.close();
  });

  it('a contact row is counted per signal and overwritten in the file when its last signal goes', async () => {
    const path = fresh();
    const s = openSqliteStore({ path });
    const kept = { name: 'Kept Contactname', role: 'r' };
    const gone = { name: 'Gone Contactname', role: 'r' };
    const o = await s.write((tx) => org(tx, 1));
    const [a, b, c] = await s.write(async (tx) => [
      await tx.insertSignal(newSignal(o, 1, { contact: kept })),
      await tx.insertSignal(newSignal(o, 2, { contact: gone })),
      await tx.insertSignal(newSignal(o, 3, { contact: gone })),
    ]);
    // A refused insert (its request id is taken) is not counted, even when the write goes on.
    await s.write(async (tx) => {
      await expect(
        tx.insertSignal(newSignal(o, 4, { requestId: uuid(5001), contact: kept })),
      ).rejects.toThrow();
      await tx.insertPseudonyms([
        { stored: stored(1), signalRid: a!, epoch: 1, generation: 1, role: 'subject' },
      ]);
    });
    const refs = () => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare('SELECT body, refs FROM contacts ORDER BY rid').all();
      } finally {
        db.close();
      }
    };
    expect(refs()).toEqual([
      { body: '["Kept Contactname","r"]', refs: 1 },
      { body: '["Gone Contactname","r"]', refs: 2 },
    ]);
    await s.write((tx) => tx.deleteSignal(b!));
    await s.write((tx) => tx.updateSignal(c!, { contact: kept }));
    expect(refs()).toEqual([{ body: '["Kept Contactname","r"]', refs: 2 }]);
    await s.compact();
    await s.close();
    const bytes = readFileSync(path);
    expect(bytes.includes('Gone Contactname')).toBe(false);
    expect(bytes.includes('Kept Contactname')).toBe(true);
  });

  it('a disk full mid-placement leaves every contact counted exactly (SQLite rolled the whole transaction back)', async () => {
    const db = new Database(':memory:');
    db.pragma('secure_delete = ON');
    migrate(db, 1);
    const tx = new SqliteTx(db);
    db.exec('BEGIN');
    const o = await org(tx, 1);
    db.exec('COMMIT');
    const contact = { name: 'x'.repeat(40), role: 'r', email: 'x@example.nl' };
    db.exec('BEGIN');
    await tx.insertSignal(newSignal(o, 1, { contact }));
    db.exec('COMMIT');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let failure: unknown;
    for (let n = 2; n < 100_000 && failure === undefined; n++) {
      db.exec('BEGIN');
      try {
        await tx.insertSignal(newSignal(o, n, { contact }));
        db.exec('COMMIT');
      } catch (e) {
        failure = e;
        if (db.inTransaction) db.exec('ROLLBACK');
      }
    }
    expect(String((failure as { code?: string } | undefined)?.code)).toMatch(/^SQLITE_FULL/);
    const signals = (db.prepare('SELECT count(*) AS n FROM signals').get() as { n: number }).n;
    expect(db.prepare('SELECT refs FROM contacts').all()).toEqual([{ refs: signals }]);
    db.close();
  });

  it('a disk full inside a batch item fails the operation as disk_full, not as internal', async () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    const tx = new SqliteTx(db);
    const w = new GroupCommitWriter(db, tx);
    const o = await w.write((t) => org(t, 1));
    const before = (db.prepare('SELECT count(*) AS n FROM signals').get() as { n: number }).n;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const contact = { name: 'x'.repeat(40), role: 'r', email: 'x@example.nl' };
    const e = await w
      .write(async (t) => {
        for (let n = 1; n < 100_000; n++)
          await t.batchItem(() => t.insertSignal(newSignal(o, n, { contact })));
      })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'disk_full' });
    expect((db.prepare('SELECT count(*) AS n FROM signals').get() as { n: number }).n).toBe(before);
    db.close();
  });

  it('a signal whose contact row is missing or another organisation’s reads as a damaged database', async () => {
    const path = fresh();
    const s = openSqliteStore({ path });
    const [o, p] = await s.write(async (tx) => [await org(tx, 1), await org(tx, 2)]);
    const rid = await s.write((tx) => tx.insertSignal(newSignal(o, 1)));
    await s.write((tx) =>
      tx.insertSignal(newSignal(p, 2, { contact: { name: 'P', role: 'r', email: 'p@example.nl' } })),
    );
    await s.close();
    const raw = new Database(path);
    const foreign = (raw.prepare('SELECT rid FROM contacts WHERE org = ?').get(p) as { rid: number }).rid;
    raw.prepare('UPDATE signals SET contact = ? WHERE rid = ?').run(foreign, rid);
    raw.close();
    const again = openSqliteStore({ path });
    await expect(again.read((tx) => tx.getSignalByRid(rid))).rejects.toMatchObject({
      code: 'database_corrupt',
    });
    await again.close();
  });
});
