// The logbook's bounded cost (docs/engine.md "Logbook" and "Logbook retention"): one
// `match.revealed` entry per signing key and match per window, however often it is read;
// entries past their term purged behind a checkpointed head, after which the chain still
// verifies — and still fails on an edited entry, a removed checkpoint, or a checkpoint
// moved on to hide more entries (each made by tampering with the SQLite file).

import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { admin, DAY, type Harness, harness, newKeyPair, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('one reveal entry per key and match per window', () => {
  it('300 reads are one entry; a new window and another key each add one', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const reveals = async (keyId: string) =>
      (await h.engine.logbook(1, 1000)).filter(
        (e) => e.action === 'match.revealed' && e.refs.keyId === keyId,
      );
    const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
    expect(await reveals(a.keyId)).toHaveLength(1);
    for (let i = 0; i < 300; i++) {
      await h.engine.getMatch(a.actor, matchId);
      h.clock.advance(60_000); // 300 minutes: still inside the 24 h window
    }
    await h.engine.inbox(a.actor, undefined, 10);
    expect(await reveals(a.keyId)).toHaveLength(1);
    // The window runs from the logged reveal: 24 h after it, the next read is logged again.
    h.clock.advance(DAY - 300 * 60_000);
    await h.engine.getMatch(a.actor, matchId);
    const logged = await reveals(a.keyId);
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatchObject({ refs: { matchIds: matchId }, details: { count: 1, via: 'match' } });
    // Another key of the same organisation (another person) is another actor.
    const kp = newKeyPair();
    const key = await h.engine.addKey(admin, a.org.id, kp.publicKey);
    const other = { ...a.actor, keyId: key.keyId };
    await h.engine.getMatch(other, matchId);
    await h.engine.getMatch(other, matchId);
    expect(await reveals(key.keyId)).toHaveLength(1);
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });

  it('a window of 0 logs every read', async () => {
    h = await harness({ config: { revealLogWindowHours: 0 } });
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
    for (let i = 0; i < 3; i++) await h.engine.getMatch(a.actor, matchId);
    const n = (await h.engine.logbook(1, 1000)).filter((e) => e.action === 'match.revealed').length;
    expect(n).toBe(4);
  });
});

describe('logbook retention behind a checkpointed head', () => {
  const config = { activeTermDays: 1, archiveTermDays: 0, logbookRetentionDays: 1 };

  async function purged() {
    h = await harness({ file: true, config });
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.inbox(a.actor, undefined, 10);
    const before = await h.engine.logbook(1, 1000);
    h.clock.advance(2 * DAY);
    await h.engine.placeSignal(a.actor, placement(2));
    const newest = (await h.engine.logbook(1, 1000)).at(-1)!;
    await h.engine.runRetention(admin);
    return { before, newest };
  }

  it('purges the entries past the term; the rest verifies from the checkpoint, which the chain attests', async () => {
    const { before, newest } = await purged();
    const after = await h.engine.logbook(1, 1000);
    // Every entry of two days ago is gone; the placement of today and what followed stay.
    const lastOld = before.at(-1)!;
    expect(after[0]!.seq).toBe(lastOld.seq + 1);
    expect(after[0]!.prevHash).toBe(lastOld.hash);
    expect(after.some((e) => e.seq === newest.seq && e.hash === newest.hash)).toBe(true);
    const attest = after.filter((e) => e.action === 'logbook.purged');
    expect(attest).toHaveLength(1);
    expect(attest[0]!.details).toEqual({
      throughSeq: lastOld.seq,
      headHash: lastOld.hash,
      entries: before.length,
    });
    expect(await h.engine.verifyLogbook()).toMatchObject({ ok: true, entries: after.length });
    // Appends go on from the head; a second run with nothing past the term purges nothing.
    await h.engine.runRetention(admin);
    expect((await h.engine.logbook(1, 1000)).filter((e) => e.action === 'logbook.purged')).toHaveLength(1);
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });

  it('after a purge, tampering is still detected: an edited entry, a removed or a moved checkpoint', async () => {
    const { before } = await purged();
    const firstKept = before.at(-1)!.seq + 1;
    const path = `${h.dir}/sluis.db`;
    await h.engine.close();
    const variants = {
      edited: (db: Database.Database) =>
        db.prepare('UPDATE logbook SET at = at + 1 WHERE seq = ?').run(firstKept),
      checkpointRemoved: (db: Database.Database) => db.prepare('DELETE FROM logbook_checkpoint').run(),
      checkpointMoved: (db: Database.Database) => {
        // Hide one more entry and move the head onto it: the chain from there is intact,
        // but the logbook.purged entry names another head.
        const r = db.prepare('SELECT seq, at, hash FROM logbook WHERE seq = ?').get(firstKept) as {
          seq: number;
          at: number;
          hash: Buffer;
        };
        db.prepare('DELETE FROM logbook WHERE seq <= ?').run(r.seq);
        db.prepare('UPDATE logbook_checkpoint SET seq = ?, at = ?, hash = ?').run(r.seq, r.at, r.hash);
      },
    };
    const results: Record<string, unknown> = {};
    for (const [name, tamper] of Object.entries(variants)) {
      const copy = `${h.dir}/${name}.db`;
      copyFileSync(path, copy);
      const db = new Database(copy);
      tamper(db);
      db.close();
      const engine = await createEngine({
        store: openSqliteStore({ path: copy }),
        serverSecrets: h.secrets,
        clock: h.clock.fn,
        config,
      });
      try {
        const v = await engine.verifyLogbook();
        results[name] = { ok: v.ok, firstBadSeq: v.firstBadSeq, reason: v.reason };
      } finally {
        await engine.close();
      }
    }
    expect(results).toEqual({
      edited: { ok: false, firstBadSeq: firstKept, reason: 'hash_mismatch' },
      checkpointRemoved: { ok: false, firstBadSeq: 1, reason: 'missing_entry' },
      checkpointMoved: { ok: false, firstBadSeq: firstKept + 1, reason: 'checkpoint' },
    });
  });
});
