// The batch floor (docs/performance.md "Twentieth pass: the durable floor"): what bulk import can
// reach with the rows a signal really needs. Batches of case 3's shape (500 signals, one in ten
// about a person the previous batch placed) are placed in-process through the engine's batch
// path (`engine.placeSignals`, the code behind POST /v1/signals/batch), one at a time, each with
// the nonce its request would have claimed, while every statement on the writer is recorded
// with its bound values and outcome (statement-floor.ts), after a copy of the database was taken.
// The replay runs the recorded statements raw on a fresh copy of that copy — in the recorded
// transactions (one BEGIN IMMEDIATE … COMMIT a batch, SAVEPOINT/RELEASE per operation, the nonce
// flush included), with the store's settings and its WAL checkpointer (durable-floor-writer.ts),
// prepared once, rows as arrays — and the figure is rows per second of wall time. A statement
// that fails or returns another outcome than in the recording throws.

import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { statementKind } from './durable-floor.js';
import { storeCheckpointer } from './durable-floor-writer.js';
import { engineOnFile } from './engine-on-file.js';
import { benchContact } from './population.js';
import { outcomeOf, type Recorded, recordStatements } from './statement-floor.js';

export interface RecordedBatches {
  readonly rows: number;
  readonly batch: number;
  /** Signals the database holds when a replay starts (the warm-up's). */
  readonly startSignals: number;
  /** COMMITs in the recording. */
  readonly commits: number;
  /** Statements per batch by kind (statementKind), transaction control included. */
  readonly kinds: ReadonlyMap<string, number>;
  /** Rows per second of wall time of one replay on a fresh copy. */
  replay(): { readonly rowsPerSecond: number; readonly cpuMsPerRow: number };
  remove(): void;
}

/** Records `rows` signals placed through the batch path, `batch` a call, after `warm` batches. */
export async function recordBatchFloor(rows: number, batch: number, warm = 2): Promise<RecordedBatches> {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-bench-batch-floor-'));
  const recorder = recordStatements(true);
  try {
    const placer = await engineOnFile(join(dir, 'sluis.db'), 4, 'Bulk organisation');
    const { store, engine, actors } = placer;
    let n = 0;
    let previous: { epoch: number; value: string }[][] = [];
    const place = async (calls: number) => {
      for (let c = 0; c < calls; c++) {
        const org = n / batch;
        const actor = actors[org % actors.length]!;
        const items = [];
        for (let i = 0; i < batch; i++, n++) {
          items.push({
            requestId: `00000000-0000-4000-a000-${n.toString(16).padStart(12, '0')}`,
            subject:
              i % 10 === 9 && previous.length === batch
                ? previous[i]!
                : [{ epoch: 1, value: randomBytes(32).toString('base64url') }],
            contact: benchContact(n, org % actors.length),
            informed: { status: 'citizen' as const, date: '2026-01-05' },
          });
        }
        previous = items.map((it) => it.subject);
        const now = Date.now();
        await store.claimNonce(actor.keyId, randomBytes(16).toString('base64url'), now + 300_000, now);
        const results = await engine.placeSignals(actor, items);
        if (results.some((r) => !r.ok)) throw new Error('batch floor: a placement was refused');
      }
    };
    await place(warm);
    await sleep(600); // the warm-up's nonces flushed
    const database = join(dir, 'replay.db');
    await store.backup(database);
    recorder.on.value = true;
    await place(Math.ceil(rows / batch));
    await sleep(600); // the recorded batches' nonces flushed, inside the recording
    recorder.on.value = false;
    await engine.close();
    placer.serverSecrets.destroy();
    recorder.undo();
    const writer = recorder.log.find((r) => r.sql === 'BEGIN IMMEDIATE')?.db;
    // The store's own WAL reset between batches is the replay's checkpointer's to run.
    const writes = recorder.log.filter((r) => r.db === writer && !/^PRAGMA wal_checkpoint/i.test(r.sql));
    const batches = Math.ceil(rows / batch);
    const kinds = new Map<string, number>();
    for (const r of writes) kinds.set(statementKind(r.sql), (kinds.get(statementKind(r.sql)) ?? 0) + 1);
    let runs = 0;
    return {
      rows: batches * batch,
      startSignals: warm * batch,
      batch,
      commits: writes.filter((r) => r.sql === 'COMMIT').length,
      kinds: new Map([...kinds].map(([k, c]) => [k, c / batches])),
      replay() {
        const copy = join(dir, `run-${runs++}.db`);
        copyFileSync(database, copy);
        try {
          return replayOn(copy, writes, batches * batch);
        } finally {
          for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
        }
      },
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    recorder.undo();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function replayOn(path: string, writes: readonly Recorded[], rows: number) {
  const db = new Database(path, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  const checkpointer = storeCheckpointer(db, path);
  try {
    checkpointer.ready();
    const prepared = new Map<string, Database.Statement>();
    const plan = writes.map((r) => {
      let s = prepared.get(r.sql);
      if (s === undefined) {
        s = db.prepare(r.sql);
        if (s.reader) s.raw(true);
        prepared.set(r.sql, s);
      }
      return { s, r };
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < plan.length; k++) {
      const { s, r } = plan[k]!;
      if (r.sql === 'BEGIN IMMEDIATE') checkpointer.between();
      let out: unknown;
      if (r.method === 'iterate') for (const _ of s.iterate(...r.args)) void _;
      else out = (s[r.method] as (...a: unknown[]) => unknown).apply(s, r.args as unknown[]);
      if (r.outcome !== undefined && r.outcome >= 0 && outcomeOf(r.method, out) !== r.outcome) {
        throw new Error(
          `batch floor: statement ${k} (${statementKind(r.sql)}) returned ${outcomeOf(r.method, out)}, recorded ${r.outcome}: the copy is not the recording's state`,
        );
      }
      if (r.sql === 'COMMIT') checkpointer.committed();
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { rowsPerSecond: rows / seconds, cpuMsPerRow: (cpu.user + cpu.system) / 1000 / rows };
  } finally {
    // Not awaited (the replay is synchronous); a worker that failed only checkpointed less.
    void checkpointer.stop().catch(() => undefined);
    db.close();
  }
}
