// The logbook: every state change and reveal is recorded with ids only; verify() passes
// on an honest chain and detects an edited, a removed and a reordered entry, each made by
// tampering with the SQLite file directly.

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { admin, type Harness, harness, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function scenario(): Promise<string> {
  h = await harness({ file: true });
  const [a, b] = [await h.org(), await h.org()];
  const s = await h.engine.placeSignal(a.actor, placement(1));
  await h.engine.placeSignal(b.actor, placement(1));
  await h.engine.inbox(a.actor, undefined, 100);
  await h.engine.withdrawSignal(a.actor, s.signal.id, 'ended');
  await h.engine.runRetention(admin);
  const path = `${h.dir}/sluis.db`;
  await h.engine.close();
  return path;
}

async function verifyFile(path: string) {
  const engine = await createEngine({
    store: openSqliteStore({ path }),
    serverSecrets: h.secrets,
    clock: h.clock.fn,
  });
  try {
    return await engine.verifyLogbook();
  } finally {
    await engine.close();
  }
}

describe('logbook', () => {
  it('records actions with ids only, chained by hash', async () => {
    h = await harness();
    const a = await h.org();
    const r = await h.engine.placeSignal(a.actor, placement(1));
    const log = await h.engine.logbook(1, 100);
    expect(log.map((e) => e.action)).toEqual(['organisation.admitted', 'signal.placed']);
    const placed = log[1]!;
    // The actor names organisation and key; the refs only what it does not.
    expect(placed.actor).toEqual(a.actor);
    expect(placed.refs).toEqual({ signalId: r.signal.id, requestId: expect.any(String) });
    expect(placed.prevHash).toBe(log[0]!.hash);
    expect(JSON.stringify(log)).not.toContain('de Vries');
    expect(await h.engine.verifyLogbook()).toMatchObject({ ok: true, entries: 2, headHash: placed.hash });
    expect((await h.engine.logbook(2, 1))[0]?.prevHash).toBe(log[0]!.hash);
  });

  it('an honest chain verifies after reopening', async () => {
    const path = await scenario();
    const v = await verifyFile(path);
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThan(5);
  });

  it('detects an edited entry', async () => {
    const path = await scenario();
    const db = new Database(path);
    db.prepare(`UPDATE logbook SET details = '{"reason":"error"}' WHERE seq = 4`).run();
    db.close();
    expect(await verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('detects a removed entry', async () => {
    const path = await scenario();
    const db = new Database(path);
    db.prepare('DELETE FROM logbook WHERE seq = 3').run();
    db.close();
    expect(await verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('detects reordered entries', async () => {
    const path = await scenario();
    const db = new Database(path);
    db.exec(`
      UPDATE logbook SET seq = -1 WHERE seq = 3;
      UPDATE logbook SET seq = 3 WHERE seq = 4;
      UPDATE logbook SET seq = 4 WHERE seq = -1;`);
    db.close();
    expect(await verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });
});
