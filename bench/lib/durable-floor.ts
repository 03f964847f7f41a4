// The durable floor (docs/performance.md "Twentieth pass: the durable floor"): what a server
// that does the floor's work and then only a placement's own required writes reaches. This
// file records them: placements are made in-process through the engine on a SQLite file of
// their own, as the statement floor records them (statement-floor.ts), every statement on the
// writer with its bound values and its outcome, after a copy of the database was taken; the
// recording is cut into units, one a placement (its write operation, with the operations the
// store ran before it that were not a placement, e.g. a nonce flush), and written to a file.
// durable-floor-writer.ts replays unit i for the i-th request that reaches it, in the floor
// server's child process (floor-server.ts with `durable`), on that copy.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serialize } from 'node:v8';
import { randomBytes } from 'node:crypto';
import { type EngineOnFile, engineOnFile, placeInProcess } from './engine-on-file.js';
import type { PlacementMix } from './placement-mix.js';
import { benchContact } from './population.js';
import { type Recorded, recordStatements, type StatementMethod } from './statement-floor.js';

/** One statement of a recorded operation: its text's index, method, bound values, outcome. */
export type ReplayStatement = readonly [
  sql: number,
  method: StatementMethod,
  args: unknown[],
  outcome: number,
];

/** One write operation (one SAVEPOINT of the group commit) and what it is. */
export interface ReplayOperation {
  readonly kind: 'placement' | 'nonces' | 'other';
  readonly statements: readonly ReplayStatement[];
}

export interface DurableRecording {
  /** The distinct statement texts. */
  readonly sql: readonly string[];
  /** Unit i: what the i-th request replays, its placement last. */
  readonly units: readonly (readonly ReplayOperation[])[];
}

export interface RecordedFloor {
  readonly dir: string;
  /** The recording (node:v8 serialization of a DurableRecording). */
  readonly recording: string;
  /** The copy of the database taken just before the recording. */
  readonly database: string;
  readonly placements: number;
  /** Signals placed through the batch path before (not recorded). */
  readonly prefill: number;
  /** Statements per placement by kind (the statement's first words, e.g. "INSERT INTO signals"). */
  readonly kinds: ReadonlyMap<string, number>;
  /** Write operations in the recording by kind. */
  readonly operations: ReadonlyMap<ReplayOperation['kind'], number>;
  remove(): void;
}

/** The kind of a statement: its verb and table, or its control word. */
export function statementKind(sql: string): string {
  // Subqueries out, so a SELECT is named by its outer table.
  let s = sql.replace(/\s+/g, ' ').trim();
  while (/\([^()]*\)/.test(s)) s = s.replace(/\([^()]*\)/g, '_');
  const m =
    /^(INSERT (?:OR \w+ )?INTO|DELETE FROM|UPDATE|REPLACE INTO) "?(\w+)/i.exec(s) ??
    /^(SELECT|WITH)\b.*? FROM "?(\w+)/i.exec(s) ??
    /^(BEGIN IMMEDIATE|SAVEPOINT|RELEASE|COMMIT|ROLLBACK)/i.exec(s);
  return m === null ? s.slice(0, 40) : `${m[1]!.toUpperCase()}${m[2] === undefined ? '' : ` ${m[2]}`}`;
}

/** Cuts the writer's recorded statements into units; throws on what a replay cannot reproduce. */
export function cutUnits(writes: readonly Recorded[]): { sql: string[]; units: ReplayOperation[][] } {
  const texts = new Map<string, number>();
  const units: ReplayOperation[][] = [];
  let pending: ReplayOperation[] = [];
  let open: ReplayStatement[] | undefined;
  for (const r of writes) {
    if (r.sql === 'BEGIN IMMEDIATE' || r.sql === 'COMMIT') continue;
    if (r.sql === 'SAVEPOINT op') {
      open = [];
      continue;
    }
    if (r.sql === 'RELEASE op') {
      if (open === undefined) throw new Error('durable floor: RELEASE without SAVEPOINT in the recording');
      const kind = open.some(([i]) => /^INSERT INTO signals\b/.test(textOf(texts, i)))
        ? 'placement'
        : open.some(([i]) => /\bnonces\b/.test(textOf(texts, i)))
          ? 'nonces'
          : 'other';
      pending.push({ kind, statements: open });
      if (kind === 'placement') {
        units.push(pending);
        pending = [];
      }
      open = undefined;
      continue;
    }
    if (r.sql.startsWith('ROLLBACK')) throw new Error('durable floor: an operation failed in the recording');
    if (open === undefined) {
      // Outside a transaction on the writer: the store's own WAL reset between batches (the
      // replay's writer runs its own) is all that is expected here.
      if (/^PRAGMA wal_checkpoint/i.test(r.sql)) continue;
      throw new Error(`durable floor: a statement outside a write operation: ${statementKind(r.sql)}`);
    }
    let i = texts.get(r.sql);
    if (i === undefined) {
      i = texts.size;
      texts.set(r.sql, i);
    }
    open.push([i, r.method, r.args as unknown[], r.outcome ?? -1]);
  }
  if (pending.length > 0 && units.length > 0) units[units.length - 1]!.unshift(...pending);
  return { sql: [...texts.keys()], units };
}

function textOf(texts: ReadonlyMap<string, number>, i: number): string {
  for (const [t, j] of texts) if (j === i) return t;
  return '';
}

/** `count` signals through the batch path, 500 a call, each about a new person: a database of that size. */
async function prefill({ engine, actors }: EngineOnFile, count: number): Promise<void> {
  for (let done = 0, b = 0; done < count; b++) {
    const size = Math.min(500, count - done);
    const items = Array.from({ length: size }, (_, i) => ({
      requestId: `00000000-0000-4000-9000-${(done + i).toString(16).padStart(12, '0')}`,
      subject: [{ epoch: 1, value: randomBytes(32).toString('base64url') }],
      contact: benchContact(done + i, b % actors.length),
      informed: { status: 'citizen' as const, date: '2026-01-05' },
    }));
    const results = await engine.placeSignals(actors[b % actors.length]!, items);
    if (results.some((r) => !r.ok)) throw new Error('durable floor: the prefill was refused');
    done += size;
  }
}

/**
 * Records `placements` of `mix` over `organisations` organisations in-process, `group` at a time,
 * after `prefill` signals through the batch path and `warm` placements of the mix (neither
 * recorded) filled the database; returns the recording and the copy.
 */
export async function recordDurableFloor(
  mix: PlacementMix,
  placements: number,
  options: {
    readonly group: number;
    readonly warm: number;
    readonly prefill?: number;
    readonly organisations: number;
  },
): Promise<RecordedFloor> {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-bench-durable-'));
  const recorder = recordStatements(true);
  try {
    const placer = await engineOnFile(join(dir, 'sluis.db'), options.organisations, 'Floor organisation');
    const place = (count: number) => placeInProcess(placer, mix, count, options.group);
    await prefill(placer, options.prefill ?? 0);
    await place(options.warm);
    await sleep(600); // the warm-up's nonces flushed
    const database = join(dir, 'replay.db');
    await placer.store.backup(database);
    recorder.on.value = true;
    await place(placements);
    await sleep(600); // the recorded placements' nonces flushed, inside the recording
    recorder.on.value = false;
    await placer.engine.close();
    placer.serverSecrets.destroy();
    recorder.undo();
    const writer = recorder.log.find((r) => r.sql === 'BEGIN IMMEDIATE')?.db;
    const cut = cutUnits(recorder.log.filter((r) => r.db === writer));
    if (cut.units.length !== placements) {
      throw new Error(`durable floor: ${cut.units.length} placements recorded, ${placements} made`);
    }
    const kinds = new Map<string, number>();
    const operations = new Map<ReplayOperation['kind'], number>();
    for (const unit of cut.units) {
      for (const op of unit) {
        operations.set(op.kind, (operations.get(op.kind) ?? 0) + 1);
        // Per operation: SAVEPOINT and RELEASE; per batch BEGIN and COMMIT, counted by the writer.
        for (const [i] of op.statements) {
          const k = statementKind(cut.sql[i]!);
          kinds.set(k, (kinds.get(k) ?? 0) + 1);
        }
      }
    }
    const recording = join(dir, 'recording.v8');
    writeFileSync(recording, serialize({ sql: cut.sql, units: cut.units } satisfies DurableRecording));
    return {
      dir,
      recording,
      database,
      placements,
      prefill: options.prefill ?? 0,
      kinds: new Map([...kinds].map(([k, n]) => [k, n / placements])),
      operations,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    recorder.undo();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
