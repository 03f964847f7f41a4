// The WAL checkpoint off the event loop (wal-checkpointer.ts, docs/engine.md "Storage"): the
// writer never checkpoints inside a COMMIT, a worker thread does; under steady writes the WAL
// starts again once it passes its bound; a reader holding an old snapshot keeps every
// checkpoint from passing it, and once it lets go the WAL is reset at the next round.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { org } from '../conformance/fixtures.js';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-wal-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RESET = 200;

/** `count` writes, each its own COMMIT (awaited one by one), each changing a page or more. */
async function writes(s: SqliteStore, rid: number, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await s.write((tx) => tx.setPlacementHour(rid, i, { count: i, alerted: false }));
  }
}

/** Waits until the worker has reported a round after the writes so far. */
async function nextRound(s: SqliteStore): Promise<{ log: number; checkpointed: number }> {
  const start = s.walCheckpoints()!.rounds;
  for (let i = 0; i < 100 && s.walCheckpoints()!.rounds === start; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(s.walCheckpoints()!.rounds).toBeGreaterThan(start);
  return s.walCheckpoints()!.last!;
}

describe('WAL checkpointer', () => {
  it('checkpoints on a worker, and under steady writes the WAL starts again past its bound', async () => {
    const path = join(dir, `db-${n++}.sqlite`);
    const s = openSqliteStore({ path, walResetFrames: RESET });
    try {
      const rid = await s.write((tx) => org(tx, 1));
      const logs: number[] = [];
      for (let round = 0; round < 6; round++) {
        await writes(s, rid, round * 150, 150);
        logs.push((await nextRound(s)).log);
      }
      // 900 commits of at least one page each: without a reset the WAL would hold ≥ 900
      // frames by the last round; with it, never much more than a round's writes past RESET.
      expect(Math.max(...logs)).toBeLessThan(900);
      expect(logs.at(-1)).toBeLessThan(RESET + 2 * 150);
    } finally {
      await s.close();
    }
  });

  it('a reader holding a snapshot stops the checkpoint; once it lets go the WAL is reset', async () => {
    const path = join(dir, `db-${n++}.sqlite`);
    const s = openSqliteStore({ path, walResetFrames: RESET });
    const other = new Database(path, { readonly: true });
    try {
      const rid = await s.write((tx) => org(tx, 1));
      await writes(s, rid, 0, 10);
      other.exec('BEGIN');
      other.prepare('SELECT count(*) FROM organisations').get();
      await writes(s, rid, 10, 400);
      const blocked = await nextRound(s);
      expect(blocked.log).toBeGreaterThanOrEqual(400);
      expect(blocked.checkpointed).toBeLessThan(blocked.log);
      other.exec('COMMIT');
      // The next rounds copy everything and the writer starts the WAL again.
      for (let i = 0; i < 4; i++) {
        await writes(s, rid, 500 + i * 20, 20);
        await nextRound(s);
      }
      expect(s.walCheckpoints()!.last!.log).toBeLessThan(RESET);
    } finally {
      other.close();
      await s.close();
    }
  });

  it('its worker does not keep the process alive (an open store never holds an exit back)', async () => {
    // A ref'd worker shows as an active MessagePort: with one, a process whose start failed with
    // the store still open waited for its forced exit (docs/operations.md "Shutdown").
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    const before = ports();
    const s = await openSqliteStore({ path: join(dir, `ref-${n++}.db`) });
    try {
      expect(s.walCheckpoints()).toBeDefined();
      expect(ports()).toBe(before);
    } finally {
      await s.close();
    }
  });
});
