// The statement floor (docs/performance.md "Sixth pass"): what a placement's SQL costs on
// its own. Placements are made in-process through the engine on a SQLite file of their
// own, `group` at a time (so group commit gives each batch one BEGIN … COMMIT as the
// server does), while every statement the store runs is recorded with its SQL and its
// bound values; then the recorded sequence is run again, raw, on a copy of the database
// taken just before — the same statements with the same values in the same transactions,
// prepared once, rows returned as arrays, no engine, no row mapping, no promises — and
// that replay's CPU time per placement is the figure. The copy has the same state as the
// original had, so every statement does the same work (the same b-tree pages, the same
// rowids). The nonce flush the server runs (one row per request) is in the recording
// too: a nonce is claimed per placement. The same recording also keeps every SHA-256 and
// HMAC-SHA-256 the engine computes for those placements through node:crypto (the stored
// pseudonyms, the idempotency hash, the logbook entry's hash) with their keys and inputs,
// and runs them again raw: the hash floor. Nothing is asserted; the replay throws only if
// a statement fails, which would mean the copy was not the original's state.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type { BenchServer } from './bench-server.js';
import { engineOnFile, placeInProcess } from './engine-on-file.js';
import { placementMix } from './placement-mix.js';
import { pseudonyms } from './population.js';

/** The engine's own copy of better-sqlite3, so that its Statement class is the one patched. */
const Database = createRequire(import.meta.resolve('@sluis/engine'))(
  'better-sqlite3',
) as typeof BetterSqlite3;

export type StatementMethod = 'run' | 'get' | 'all' | 'iterate';
type Method = StatementMethod;
const METHODS: readonly Method[] = ['run', 'get', 'all', 'iterate'];
type MethodFn = (this: { database: unknown; source: string }, ...args: unknown[]) => unknown;

export interface Recorded {
  readonly db: unknown;
  readonly sql: string;
  readonly method: Method;
  readonly args: readonly unknown[];
  /** outcomeOf the call, when recorded with outcomes. */
  outcome?: number;
}

interface RecordedHash {
  readonly kind: 'hmac' | 'hash';
  readonly alg: string;
  readonly key: unknown;
  readonly updates: [unknown, BufferEncoding | undefined][];
  digest: BufferEncoding | undefined;
}

type CryptoModule = typeof import('node:crypto');
type AnyFn = (...args: unknown[]) => unknown;
const nodeCrypto = createRequire(import.meta.url)('node:crypto') as CryptoModule;
const { createHash, createHmac } = nodeCrypto;

/**
 * Records every createHash/createHmac of any module while `on` is true (node:crypto's named
 * exports follow its CommonJS object after syncBuiltinESMExports); `undo` restores them.
 */
function recordHashes(on: { value: boolean }): { log: RecordedHash[]; undo: () => void } {
  const log: RecordedHash[] = [];
  const track = <H extends { update: AnyFn; digest: AnyFn }>(h: H, r: RecordedHash): H => {
    const update = h.update;
    const digest = h.digest;
    h.update = function (this: H, ...args: unknown[]) {
      r.updates.push([copyArg(args[0]), args[1] as BufferEncoding | undefined]);
      return update.apply(this, args);
    };
    h.digest = function (this: H, ...args: unknown[]) {
      r.digest = args[0] as BufferEncoding | undefined;
      return digest.apply(this, args);
    };
    log.push(r);
    return h;
  };
  const mutable = nodeCrypto as { -readonly [K in keyof CryptoModule]: CryptoModule[K] };
  mutable.createHmac = ((alg: string, key: unknown, ...rest: unknown[]) => {
    const h = (createHmac as AnyFn)(alg, key, ...rest) as { update: AnyFn; digest: AnyFn };
    return on.value ? track(h, { kind: 'hmac', alg, key: copyArg(key), updates: [], digest: undefined }) : h;
  }) as CryptoModule['createHmac'];
  mutable.createHash = ((alg: string, ...rest: unknown[]) => {
    const h = (createHash as AnyFn)(alg, ...rest) as { update: AnyFn; digest: AnyFn };
    return on.value ? track(h, { kind: 'hash', alg, key: undefined, updates: [], digest: undefined }) : h;
  }) as CryptoModule['createHash'];
  syncBuiltinESMExports();
  return {
    log,
    undo: () => {
      mutable.createHmac = createHmac;
      mutable.createHash = createHash;
      syncBuiltinESMExports();
    },
  };
}

/** Runs the recorded hashes again; CPU time in ms. */
function replayHashes(hashes: readonly RecordedHash[]): number {
  const cpu0 = process.cpuUsage();
  for (const r of hashes) {
    const h = r.kind === 'hmac' ? createHmac(r.alg, r.key as Uint8Array) : createHash(r.alg);
    for (const [data, enc] of r.updates) {
      if (enc === undefined) h.update(data as Uint8Array);
      else h.update(data as string, enc);
    }
    if (r.digest === undefined) h.digest();
    else h.digest(r.digest as import('node:crypto').BinaryToTextEncoding);
  }
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000;
}

export interface StatementFloor {
  readonly placements: number;
  /** Statements on the write connection per placement, BEGIN/SAVEPOINT/RELEASE/COMMIT and the nonce flush included. */
  readonly statementsPerPlacement: number;
  /** Of those, transaction control (BEGIN, SAVEPOINT, RELEASE, COMMIT). */
  readonly controlPerPlacement: number;
  /** Statements on any other connection per placement (the read connection: 0 expected in-process). */
  readonly otherStatementsPerPlacement: number;
  /** Placements per COMMIT in the recording. */
  readonly placementsPerCommit: number;
  /** SHA-256 and HMAC-SHA-256 computations per placement. */
  readonly hashesPerPlacement: number;
  /** CPU time of running them again, per placement, in ms. */
  readonly hashCpuMsPerPlacement: number;
  /** CPU time of the replay (this process: user + system) per placement, in ms. */
  readonly cpuMsPerPlacement: number;
  /** Wall time of the replay per placement, in ms (includes waiting for each COMMIT's fsync). */
  readonly wallMsPerPlacement: number;
}

/** Copies bound values, so a buffer reused by its caller after the call is recorded as it was. */
function copyArg(a: unknown): unknown {
  if (a instanceof Uint8Array) return Buffer.from(a);
  // An array binds its elements in order (the batch path's statements): it stays an array.
  if (Array.isArray(a)) return a.map(copyArg);
  if (a !== null && typeof a === 'object') {
    return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, copyArg(v)]));
  }
  return a;
}

/**
 * Replaces `methods` of the engine's better-sqlite3 Statement class, so every statement on every
 * connection runs through `wrap(method, original)`; the function returned restores them.
 */
export function wrapStatements(
  methods: readonly StatementMethod[],
  wrap: (method: StatementMethod, original: MethodFn) => MethodFn,
): () => void {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<Method, MethodFn>;
  probe.close();
  const originals = new Map<Method, MethodFn>();
  for (const m of methods) {
    originals.set(m, proto[m]);
    proto[m] = wrap(m, proto[m]);
  }
  return () => {
    for (const [m, f] of originals) proto[m] = f;
  };
}

/**
 * Records every statement call on every connection while `on` is true; `undo` restores the
 * methods. With `outcomes`, each call's outcome too (durable-floor.ts checks its replay by them).
 */
export function recordStatements(outcomes = false): {
  log: Recorded[];
  on: { value: boolean };
  undo: () => void;
} {
  const log: Recorded[] = [];
  const on = { value: false };
  const undo = wrapStatements(
    METHODS,
    (m, original) =>
      function (...args) {
        if (!on.value) return original.apply(this, args);
        const r: Recorded = { db: this.database, sql: this.source, method: m, args: args.map(copyArg) };
        log.push(r);
        const out = original.apply(this, args);
        if (outcomes) r.outcome = outcomeOf(m, out);
        return out;
      },
  );
  return { log, on, undo };
}

/**
 * What a call returned, as far as a replay must return the same: a `run`'s changed rows, whether a
 * `get` found a row, how many rows an `all` returned (-1 for `iterate`, not checked).
 */
export function outcomeOf(method: StatementMethod, out: unknown): number {
  if (method === 'run') return (out as { changes: number }).changes;
  if (method === 'get') return out === undefined ? 0 : 1;
  if (method === 'all') return (out as unknown[]).length;
  return -1;
}

const CONTROL = /^(BEGIN|SAVEPOINT|RELEASE|COMMIT)\b/;

/**
 * Records `placements` placements (over 4 organisations, a third of them about a person
 * another organisation placed just before, as case 2's requests), `group` at a time, and
 * replays their statements raw; `warm` placements first fill the database a little.
 */
export async function statementFloor(placements: number, group: number, warm = 500): Promise<StatementFloor> {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-bench-stmt-'));
  const recorder = recordStatements();
  const hashes = recordHashes(recorder.on);
  try {
    const placer = await engineOnFile(join(dir, 'sluis.db'), 4, 'Floor organisation');
    const { store, engine } = placer;
    const mix = placementMix(pseudonyms(Math.ceil((warm + placements) * 0.7) + 10));
    const place = (count: number) => placeInProcess(placer, mix, count, group);
    await place(warm);
    await sleep(600); // the warm-up's nonces flushed
    const copy = join(dir, 'replay.db');
    await store.backup(copy);
    recorder.on.value = true;
    await place(placements);
    await sleep(600); // this run's nonces flushed, inside the recording
    recorder.on.value = false;
    await engine.close();
    placer.serverSecrets.destroy();
    recorder.undo();
    hashes.undo();

    const log = recorder.log;
    const writer = log.find((r) => r.sql === 'BEGIN IMMEDIATE')?.db;
    const writes = log.filter((r) => r.db === writer);
    const commits = writes.filter((r) => r.sql === 'COMMIT').length;
    const replayed = replay(copy, writes);
    return {
      placements,
      statementsPerPlacement: writes.length / placements,
      controlPerPlacement: writes.filter((r) => CONTROL.test(r.sql)).length / placements,
      otherStatementsPerPlacement: (log.length - writes.length) / placements,
      placementsPerCommit: commits === 0 ? 0 : placements / commits,
      hashesPerPlacement: hashes.log.length / placements,
      hashCpuMsPerPlacement: replayHashes(hashes.log) / placements,
      cpuMsPerPlacement: replayed.cpuMs / placements,
      wallMsPerPlacement: replayed.wallMs / placements,
    };
  } finally {
    recorder.undo();
    hashes.undo();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the recorded statements on `path` with the writer's settings (sqlite-store.ts); CPU and wall time. */
function replay(path: string, writes: readonly Recorded[]): { cpuMs: number; wallMs: number } {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma('temp_store = MEMORY');
    // The server checkpoints on another thread (wal-checkpointer.ts), not inside a COMMIT.
    db.pragma('wal_autocheckpoint = 0');
    const prepared = new Map<string, BetterSqlite3.Statement>();
    const plan = writes.map((r) => {
      let s = prepared.get(r.sql);
      if (s === undefined) {
        s = db.prepare(r.sql);
        if (s.reader) s.raw(true);
        prepared.set(r.sql, s);
      }
      return { s, method: r.method, args: r.args };
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const { s, method, args } of plan) {
      if (method === 'iterate') for (const _ of s.iterate(...args)) void _;
      else (s[method] as (...a: unknown[]) => unknown).apply(s, args as unknown[]);
    }
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
  } finally {
    db.close();
  }
}

/**
 * The group commit's counters from a bench server's /metrics (sluis_store_commits_total,
 * sluis_store_write_operations_total); undefined for a build without them.
 */
export async function writeCounters(
  bench: BenchServer,
): Promise<{ commits: number; operations: number } | undefined> {
  const token = readFileSync(join(bench.server.dataDir, 'keys', 'metrics.token'), 'utf8').trim();
  const read = async () =>
    (await fetch(`${bench.server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  // Once more on a failed fetch: on a crowded machine the pooled keep-alive socket can be
  // one the server is just closing after a long pause (its keep-alive timeout).
  const text = await read().catch(read);
  const commits = /^sluis_store_commits_total (\d+)$/m.exec(text)?.[1];
  const operations = /^sluis_store_write_operations_total (\d+)$/m.exec(text)?.[1];
  return commits === undefined || operations === undefined
    ? undefined
    : { commits: Number(commits), operations: Number(operations) };
}

/** Write operations per commit between two readings of writeCounters. */
export function perCommit(
  before: { commits: number; operations: number } | undefined,
  after: { commits: number; operations: number } | undefined,
): number | undefined {
  if (before === undefined || after === undefined || after.commits === before.commits) return undefined;
  return (after.operations - before.operations) / (after.commits - before.commits);
}
