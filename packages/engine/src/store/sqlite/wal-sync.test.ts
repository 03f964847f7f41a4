// The group commit's fsync (wal-sync.ts, docs/engine.md "SQLite: group commit and durability"):
// a large commit's sync on the thread pool — a write's promise, and a read that could have seen
// it, settle only after a sync that began once the write's COMMIT had returned; commits made
// while a sync runs share the next one — and a small commit's on the main thread at once, which
// makes every commit before it durable too; a failed sync of either kind rejects every waiter and
// the store refuses every call after it.

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { newSignal, org, stored, uuid } from '../conformance/fixtures.js';
import type { NewPlacement } from '../store.js';
import { OVERLAP_MIN_SIGNALS, openSqliteStore } from './sqlite-store.js';
import { walFileSync } from './wal-sync.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-walsync-'));
let n = 0;
const fresh = () => join(dir, `db-${n++}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** No nonce flush during a test: only the test's own writes commit. */
const QUIET = { nonceFlushMs: 1_000_000 };
/** Every commit's sync on the thread pool, however small. */
const OVERLAP_ALL = { ...QUIET, overlapMinSignals: 0 };

/** A sync the test holds and releases (or fails) by hand. */
function heldSync() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  return {
    pending,
    sync: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

/** Whether a promise has settled, after the event loop has had a few turns. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
}

describe('the WAL synced on the thread pool (every commit overlapped)', () => {
  it('a write and a read that saw it settle only once a sync begun after its COMMIT completed', async () => {
    const held = heldSync();
    const s = openSqliteStore({ path: fresh(), ...OVERLAP_ALL, syncWal: held.sync });
    const w1 = s.write((tx) => org(tx, 1));
    expect(await settled(w1)).toBe(false);
    expect(held.pending).toHaveLength(1);
    // Committed (the read connection sees it) but not durable: the read's answer is held too.
    const r1 = s.read((tx) => tx.getOrganisation(uuid(1001)));
    expect(await settled(r1)).toBe(false);
    // A commit made while the sync runs does not start a second one: it waits for the next.
    const w2 = s.write((tx) => org(tx, 2));
    expect(await settled(w2)).toBe(false);
    expect(held.pending).toHaveLength(1);
    held.pending[0]!.resolve();
    expect(await w1).toBeGreaterThan(0);
    expect((await r1)?.name).toBe('Org 1');
    // The second commit's own sync started only now, and holds its write.
    expect(held.pending).toHaveLength(2);
    expect(await settled(w2)).toBe(false);
    // A read that could have seen the second commit waits for it as well.
    const r2 = s.read((tx) => tx.getOrganisation(uuid(1001)));
    expect(await settled(r2)).toBe(false);
    held.pending[1]!.resolve();
    await w2;
    await r2;
    // Everything durable: a read answers without another sync.
    expect((await s.read((tx) => tx.getOrganisation(uuid(1002))))?.name).toBe('Org 2');
    expect(held.pending).toHaveLength(2);
    await s.close();
  });

  it('a refusal inside a committed batch is held like a result: it may rest on what the batch wrote', async () => {
    const held = heldSync();
    const s = openSqliteStore({ path: fresh(), ...OVERLAP_ALL, syncWal: held.sync });
    const first = s.write((tx) => org(tx, 1));
    // Same batch: the second insert of the same id is refused because of the first.
    const again = s.write((tx) => org(tx, 1));
    expect(await settled(again)).toBe(false);
    held.pending[0]!.resolve();
    await first;
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
    await s.close();
  });

  it('close waits for the sync under way, and the last writes settle first', async () => {
    const held = heldSync();
    const s = openSqliteStore({ path: fresh(), ...OVERLAP_ALL, syncWal: held.sync });
    const w = s.write((tx) => org(tx, 1));
    await settled(w);
    const closing = s.close();
    expect(await settled(closing)).toBe(false);
    expect(await settled(w)).toBe(false);
    // The nonce flusher's last flush may have committed behind it: release every sync asked for.
    while (!(await settled(closing))) for (const p of held.pending.splice(0)) p.resolve();
    expect(await w).toBeGreaterThan(0);
  });

  it('a failed sync rejects the waiting write and read, and the store refuses every call after it', async () => {
    const held = heldSync();
    let fatal = 0;
    const path = fresh();
    const s = openSqliteStore({ path, ...OVERLAP_ALL, syncWal: held.sync, onFatal: () => fatal++ });
    const w = s.write((tx) => org(tx, 1));
    await settled(w);
    const r = s.read((tx) => tx.getOrganisation(uuid(1001)));
    await settled(r);
    held.pending[0]!.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    for (const p of [w, r]) {
      const e = await p.then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(EngineError);
      // A code and a fixed text: nothing of the OS error, no path.
      expect(e).toMatchObject({
        code: 'database_unavailable',
        message: 'the write-ahead log could not be made durable',
      });
    }
    expect(fatal).toBe(1);
    await expect(s.write((tx) => org(tx, 2))).rejects.toMatchObject({ code: 'database_unavailable' });
    await expect(s.read((tx) => tx.getOrganisation(uuid(1001)))).rejects.toMatchObject({
      code: 'database_unavailable',
    });
    await expect(s.claimNonce('k', 'n', 10 ** 13, 1)).rejects.toMatchObject({ code: 'database_unavailable' });
    await expect(s.compact()).rejects.toMatchObject({ code: 'database_unavailable' });
    await expect(s.exclusive('job', async () => 1)).rejects.toMatchObject({ code: 'database_unavailable' });
    // No second sync was attempted, and close neither syncs nor checkpoints: the WAL keeps
    // its frames for the next open's recovery.
    await s.close();
    expect(held.pending).toHaveLength(1);
    expect(fatal).toBe(1);
    expect(existsSync(`${path}-wal`) && statSync(`${path}-wal`).size).toBeGreaterThan(0);
  });

  it('with the real fdatasync: each write resolves after a sync that began with its frames in the WAL', async () => {
    const path = fresh();
    const wal = `${path}-wal`;
    let real: ReturnType<typeof walFileSync> | undefined;
    const began: number[] = [];
    const done: number[] = [];
    const s = openSqliteStore({
      path,
      ...OVERLAP_ALL,
      syncWal: async () => {
        real ??= walFileSync(path);
        const size = statSync(wal).size;
        began.push(size);
        await real.sync();
        done.push(size);
      },
    });
    try {
      for (let i = 1; i <= 5; i++) {
        await s.write((tx) => org(tx, i));
        // Nothing else writes: the WAL's size now is its size right after this COMMIT, and a
        // completed sync began when the WAL was already that long.
        expect(done.at(-1)).toBe(statSync(wal).size);
      }
      // Fifty writes asked for in one turn are one batch, one COMMIT, one sync.
      const before = began.length;
      await Promise.all(Array.from({ length: 50 }, (_, i) => s.write((tx) => org(tx, 100 + i))));
      expect(began.length - before).toBe(1);
      expect(done.at(-1)).toBe(statSync(wal).size);
    } finally {
      await s.close();
      real?.close();
    }
  });
});

/** `n` new signals of organisation `o`, each with one stored pseudonym, as the batch path writes them. */
const placements = (o: number, from: number, n: number): NewPlacement[] =>
  Array.from({ length: n }, (_, i) => ({
    signal: newSignal(o, from + i),
    pseudonyms: [{ stored: stored((from + i) % 256), role: 'subject' as const, epoch: 1, generation: 1 }],
  }));

describe('the WAL synced by the size of the commit (the default)', () => {
  it('a small commit syncs on the main thread at once: it settles without a sync on the pool', async () => {
    const held = heldSync();
    let now = 0;
    const s = openSqliteStore({ path: fresh(), ...QUIET, syncWal: held.sync, syncWalNow: () => void now++ });
    const o = await s.write((tx) => org(tx, 1));
    await s.write((tx) => tx.insertPlacements(placements(o, 1, OVERLAP_MIN_SIGNALS - 1)));
    expect((await s.read((tx) => tx.getOrganisation(uuid(1001))))?.name).toBe('Org 1');
    expect(held.pending).toHaveLength(0);
    expect(now).toBe(2);
    await s.close();
  });

  it('a commit of OVERLAP_MIN_SIGNALS new signals is synced on the pool; a small commit after it makes both durable', async () => {
    const held = heldSync();
    let now = 0;
    const s = openSqliteStore({ path: fresh(), ...QUIET, syncWal: held.sync, syncWalNow: () => void now++ });
    const o = await s.write((tx) => org(tx, 1));
    const large = s.write((tx) => tx.insertPlacements(placements(o, 1, OVERLAP_MIN_SIGNALS)));
    expect(await settled(large)).toBe(false);
    expect(held.pending).toHaveLength(1);
    // A read that could see the large commit is held behind its sync.
    const r = s.read((tx) => tx.getOrganisation(uuid(1001)));
    expect(await settled(r)).toBe(false);
    // The small commit's fdatasync on the main thread syncs the whole WAL, the large commit's
    // frames with it: both settle, and the read, before the pool's sync returns.
    const small = s.write((tx) => org(tx, 2));
    expect(await small).toBeGreaterThan(0);
    expect(await large).toHaveLength(OVERLAP_MIN_SIGNALS);
    await r;
    expect(now).toBe(2);
    held.pending[0]!.resolve();
    await s.close();
  });

  it('a failed sync on the main thread rejects the write and the store refuses every call after it', async () => {
    let fatal = 0;
    let fail = false;
    const s = openSqliteStore({
      path: fresh(),
      ...QUIET,
      onFatal: () => fatal++,
      syncWalNow: () => {
        if (fail) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      },
    });
    await s.write((tx) => org(tx, 1));
    fail = true;
    await expect(s.write((tx) => org(tx, 2))).rejects.toMatchObject({
      code: 'database_unavailable',
      message: 'the write-ahead log could not be made durable',
    });
    expect(fatal).toBe(1);
    await expect(s.write((tx) => org(tx, 3))).rejects.toMatchObject({ code: 'database_unavailable' });
    await expect(s.read((tx) => tx.getOrganisation(uuid(1001)))).rejects.toMatchObject({
      code: 'database_unavailable',
    });
    await s.close();
    expect(fatal).toBe(1);
  });
});
