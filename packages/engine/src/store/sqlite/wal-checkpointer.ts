// The WAL checkpoint off the event loop (docs/engine.md "Storage", WAL checkpoints). SQLite's
// automatic checkpoint runs inside the COMMIT that passes 1,000 WAL pages, on the writer
// connection: the main thread copies pages into the database file and fsyncs it while every
// request waits. Here the writer has `wal_autocheckpoint = 0` and a worker thread with its own
// connection runs a PASSIVE checkpoint (never blocks the writer or a reader) at most every
// CHECKPOINT_EVERY_MS while commits happen.
//
// The bound on the WAL: SQLite writes the WAL from its start again only when a write
// transaction begins on a fully checkpointed WAL. Under steady load a commit usually lands
// while the worker's checkpoint is still running, so that moment may not come by itself:
// when the worker finds more than RESET_FRAMES frames in the WAL, the writer runs one PASSIVE
// checkpoint itself between two batches (copying only what the worker has not yet copied),
// and the next batch starts the WAL again; `journal_size_limit` then cuts the file back. A
// reader that holds an old snapshot (a backup, a shell in another process) stops any
// checkpoint, SQLite's own included, from passing it: the WAL grows until it lets go, then
// the next round resets it. If the worker fails, the writer goes back to SQLite's automatic
// checkpoint (warning SLUIS_CHECKPOINTER_FAILED), so the WAL stays bounded either way.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export const CHECKPOINT_EVERY_MS = 100;
/** 4,000 pages of 4 KiB: 16 MiB, four times SQLite's default automatic checkpoint. */
export const RESET_FRAMES = 4000;
/** The WAL file is cut back to this size when SQLite starts it again. */
export const JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024;

// CommonJS in an eval'd worker (no file to resolve in source and built layouts alike).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
const commits = new Int32Array(workerData.commits);
let seen = 0;
const timer = setInterval(() => {
  const now = Atomics.load(commits, 0);
  if (now === seen) return;
  seen = now;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed, busy: r.busy });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.code) });
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export interface CheckpointRound {
  /** Frames in the WAL, and of them copied into the database file. */
  readonly log: number;
  readonly checkpointed: number;
  readonly busy: number;
}

export class WalCheckpointer {
  readonly #db: Database.Database;
  readonly #worker: Worker;
  readonly #commits = new Int32Array(new SharedArrayBuffer(4));
  #stopped = false;
  /** Rounds the worker reported (tests: proof it runs). */
  rounds = 0;
  last: CheckpointRound | undefined;

  /**
   * `resetBetweenBatches` runs a PASSIVE checkpoint on the writer with no transaction open
   * (GroupCommitWriter.outsideTransaction); it is asked for when the WAL holds more than
   * `resetFrames` frames.
   */
  constructor(db: Database.Database, path: string, resetFrames: number, resetBetweenBatches: () => void) {
    this.#db = db;
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    this.#worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        path,
        commits: this.#commits.buffer,
        everyMs: CHECKPOINT_EVERY_MS,
      },
    });
    this.#worker.on('message', (m: CheckpointRound | { error: string }) => {
      if ('error' in m) return; // a full or read-only disk: the next round tries again
      this.rounds++;
      this.last = m;
      if (m.log > resetFrames) resetBetweenBatches();
    });
    this.#worker.on('error', () => this.#fallBack());
    this.#worker.on('exit', () => this.#fallBack());
    // After the listeners: adding a 'message' listener refs the worker again, so an unref
    // before it held every process with an open store alive (a failed start waited for its
    // forced exit, docs/operations.md "Shutdown").
    this.#worker.unref();
  }

  /** Called after each COMMIT (one atomic add; the worker polls it). */
  committed(): void {
    Atomics.add(this.#commits, 0, 1);
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    // Referenced while stopping: a process whose last work is this close must not exit (with
    // an unsettled promise) before the worker has closed its connection.
    this.#worker.ref();
    const exited = new Promise((r) => this.#worker.once('exit', r));
    this.#worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
    await this.#worker.terminate();
  }

  #fallBack(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    try {
      this.#db.pragma('wal_autocheckpoint = 1000');
    } catch {
      // the connection is closing
    }
    process.emitWarning('the WAL checkpointer stopped; SQLite checkpoints in the COMMIT again', {
      code: 'SLUIS_CHECKPOINTER_FAILED',
    });
  }
}
