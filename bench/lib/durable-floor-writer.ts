// The durable floor's writer (docs/performance.md "Twentieth pass: the durable floor"), in the
// floor server's child process: `write()` replays the next recorded placement (durable-floor.ts)
// on the copy of the database, raw as the statement floor replays (statement-floor.ts: prepared
// once, rows as arrays, no engine), group-committed as the store's writer commits
// (group-commit.ts): the writes asked for in one turn of the event loop run at the next
// setImmediate in ONE `BEGIN IMMEDIATE … COMMIT`, each operation in its own `SAVEPOINT op` …
// `RELEASE op`, and each promise settles only after COMMIT returned. The connection has the
// store's settings (sqlite-connection.ts, sqlite-store.ts: WAL, synchronous=FULL, foreign keys,
// secure_delete, temp_store=MEMORY, no automatic checkpoint) and the WAL is checkpointed as the
// store does (wal-checkpointer.ts): PASSIVE on a worker thread every 100 ms while commits happen,
// and on the writer between two batches once the WAL passes 4,000 frames. A statement that fails
// or returns another outcome than in the recording means the copy is not the recording's state:
// the process says which and exits 1, so the benchmark fails.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deserialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { DurableRecording, ReplayOperation } from './durable-floor.js';
import { outcomeOf } from './statement-floor.js';

// The store's values (packages/engine/src/store/sqlite/wal-checkpointer.ts), copied: the bench
// imports the engine through its public exports only, and these are the store's internals.
// test/bench-baselines.test.ts fails when the two drift apart.
/** The worker's checkpoint interval while commits happen, as the store's `CHECKPOINT_EVERY_MS`. */
export const CHECKPOINT_EVERY_MS = 100;
/** WAL frames past which the writer checkpoints between two batches, as the store's `RESET_FRAMES`. */
export const RESET_FRAMES = 4000;
/** The WAL file's size after SQLite starts it again, as the store's `JOURNAL_SIZE_LIMIT`. */
export const JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024;

// The worker shares three counters with its writer: [0] the writer's commits, [1] the WAL's
// frames its last checkpoint left (-1 before the first), [2] 1 once its connection is open. Shared
// memory rather than messages, so a writer that replays in one synchronous loop (the batch floor,
// SizedBaseline) sees them too: a message would wait for the event loop the loop never yields to.
const CHECKPOINTER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
const shared = new Int32Array(workerData.shared);
Atomics.store(shared, 2, 1);
Atomics.notify(shared, 2);
let seen = 0;
setInterval(() => {
  const now = Atomics.load(shared, 0);
  if (now === seen) return;
  seen = now;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.store(shared, 1, r.log);
  } catch {}
}, workerData.everyMs);
`;

/**
 * The store's WAL checkpointer for the connection `db` on the file at `path`
 * (packages/engine/src/store/sqlite/wal-checkpointer.ts): a worker thread's PASSIVE checkpoint
 * every CHECKPOINT_EVERY_MS while commits happen (`committed()` after each COMMIT), and `between()`, to call
 * with no transaction open, runs one on the writer once the worker found the WAL past
 * RESET_FRAMES, so the next batch starts the WAL again. `ready()` returns once the worker's
 * connection is open (start the clock after it); `stop()` ends the worker and rejects if it
 * failed; `resets` counts the writer's checkpoints.
 */
export function storeCheckpointer(
  db: Database.Database,
  path: string,
): {
  committed(): void;
  between(): void;
  ready(): void;
  readonly resets: number;
  stop(): Promise<void>;
} {
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  const shared = new Int32Array(new SharedArrayBuffer(12));
  Atomics.store(shared, 1, -1);
  let failed: unknown;
  let resets = 0;
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      path,
      shared: shared.buffer,
      everyMs: CHECKPOINT_EVERY_MS,
    },
  });
  worker.unref();
  worker.on('error', (e) => {
    failed = e;
  });
  return {
    committed: () => Atomics.add(shared, 0, 1),
    between: () => {
      if (Atomics.load(shared, 1) <= RESET_FRAMES) return;
      Atomics.store(shared, 1, -1);
      db.pragma('wal_checkpoint(PASSIVE)');
      resets++;
    },
    ready: () => {
      // Blocks this thread until the worker's connection is open (it notifies), at most 20 s.
      if (Atomics.wait(shared, 2, 0, 20_000) === 'timed-out')
        throw new Error('the WAL checkpointer did not open the database within 20 s');
    },
    get resets() {
      return resets;
    },
    stop: async () => {
      await worker.terminate();
      if (failed !== undefined) throw failed;
    },
  };
}

/** The writer's counters so far: batches committed, placements in them, wall time in COMMIT (its fsync). */
export interface DurableWriterStats {
  readonly commits: number;
  readonly placements: number;
  readonly commitMs: number;
}

interface Job {
  readonly resolve: () => void;
}

/** Opens the copy at `database` for the recording at `recording`; throws if either is missing. */
export function openDurableWriter(
  recording: string,
  database: string,
): { write(): Promise<void>; stats(): DurableWriterStats } {
  const { sql, units } = deserialize(readFileSync(recording)) as DurableRecording;
  const db = new Database(database, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 100');
  db.pragma('temp_store = MEMORY');
  const checkpointer = storeCheckpointer(db, database);
  const prepared = sql.map((text) => {
    const s = db.prepare(text);
    if (s.reader) s.raw(true);
    return s;
  });
  const control = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    savepoint: db.prepare('SAVEPOINT op'),
    release: db.prepare('RELEASE op'),
    commit: db.prepare('COMMIT'),
  };
  let next = 0;
  let commits = 0;
  let commitMs = 0;
  let queue: Job[] = [];
  let scheduled = false;

  const fail = (what: string): never => {
    process.stderr.write(
      `durable floor: ${what}; the database copy is not the state the recording started from (or the recording is too short)\n`,
    );
    process.exit(1);
  };

  const runOperation = (unit: number, op: ReplayOperation) => {
    control.savepoint.run();
    for (let k = 0; k < op.statements.length; k++) {
      const [i, method, args, outcome] = op.statements[k]!;
      const s = prepared[i]!;
      let out: unknown;
      try {
        if (method === 'iterate') for (const _ of s.iterate(...args)) void _;
        else out = (s[method] as (...a: unknown[]) => unknown).apply(s, args);
      } catch (e) {
        fail(
          `placement ${unit}, statement ${k} (${sql[i]!.slice(0, 60)}) failed: ${(e as { code?: string }).code}`,
        );
      }
      if (outcome >= 0 && outcomeOf(method, out) !== outcome) {
        fail(
          `placement ${unit}, statement ${k} (${sql[i]!.slice(0, 60)}) returned ${outcomeOf(method, out)}, recorded ${outcome}`,
        );
      }
    }
    control.release.run();
  };

  const runBatch = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    checkpointer.between();
    control.begin.run();
    for (let j = 0; j < batch.length; j++) {
      const unit = next++;
      const ops = units[unit];
      if (ops === undefined) fail(`request ${unit + 1} has no recorded placement (${units.length} recorded)`);
      for (const op of ops!) runOperation(unit, op);
    }
    const t0 = performance.now();
    control.commit.run();
    commitMs += performance.now() - t0;
    commits++;
    checkpointer.committed();
    for (const job of batch) job.resolve();
  };

  return {
    stats: () => ({ commits, placements: next, commitMs }),
    write: () =>
      new Promise<void>((resolve) => {
        queue.push({ resolve });
        if (!scheduled) {
          scheduled = true;
          setImmediate(runBatch);
        }
      }),
  };
}
