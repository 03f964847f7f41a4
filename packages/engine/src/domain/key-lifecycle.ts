// Key lifecycle (docs/keys.md): server-secret rotation with a resumable background
// re-keying and covenant epoch migration progress (a key's activity: key-activity.ts).
// Invariants: a stored value is re-keyed exactly once per generation (each row carries
// its generation; the job's cursor is committed with each batch); during a rotation
// lookups find rows at either generation (stored-values.ts) and every catch-up that ran
// during it is repeated once all rows are at the new generation, so no match is lost;
// nothing here logs or returns a stored value.

import type { Actor, EpochProgress, RekeyBatchResult, SecretRotationStatus } from '../api.js';
import { EngineError } from '../errors.js';
import type { SecretRotationRow, StoredPseudonymRow, StoreWriter } from '../store/store.js';
import { fail } from '../validation.js';
import { type EngineContext, requireAdmin } from './context.js';
import { appendLog } from './logbook.js';
import { catchUp } from './matching.js';
import { checkGeneration } from '../store/generation-fence.js';
import { secretCheckValue } from '../protocol/stored-pseudonym.js';
import { recordSecretCheck } from './secret-check.js';

const SYSTEM: Actor = { kind: 'system' };
const DEFAULT_BATCH = 500;

function missingGeneration(): never {
  throw new EngineError('config_invalid', 'a server secret generation recorded in the database is missing');
}

/**
 * At start, after the check values (secret-check.ts verifySecretChecks refused a store
 * ahead of the loaded secrets): a generation loaded without a rotation record (a crash
 * between writing the key file and recording the rotation, or a restore whose keys are
 * newer than its dump: docs/operations.md "High availability") gets its rotation now, so
 * the re-keying resumes. Keys several generations ahead are caught up one generation at a
 * time (`nextRotation`), each a rotation of its own in the logbook.
 */
export async function reconcileSecretRotation(ctx: EngineContext): Promise<void> {
  const latest = await ctx.store.read((tx) => tx.latestSecretRotation());
  if (
    (latest === undefined || latest.completedAt !== null) &&
    ctx.secrets.current > (latest?.generation ?? 1)
  ) {
    await ctx.store.write(async (tx) => {
      const again = await tx.latestSecretRotation();
      if (again !== undefined && again.completedAt === null) return;
      if (ctx.secrets.current > (again?.generation ?? 1)) await nextRotation(ctx, tx, again?.generation ?? 1);
    });
  }
  // A lookup reaches the instance's generation and the one before it (stored-values.ts), so
  // rows two or more generations behind (a restore whose keys are further ahead) would not be
  // found: a GDPR request, an erasure or a placement for a restricted person would miss them.
  // The catch-up re-keys them here, before the engine serves, up to the generation before the
  // instance's; the last rotation then runs in the background as any rotation does.
  while ((await rowsAtLeast(ctx)) < ctx.secrets.current - 1) await rekeyBatch(ctx);
}

/** The lowest generation a stored value can be at: the last completed rotation's, or the one before a running one's. */
async function rowsAtLeast(ctx: EngineContext): Promise<number> {
  const rot = await ctx.store.read((tx) => tx.latestSecretRotation());
  if (rot === undefined) return 1;
  return rot.completedAt === null ? rot.generation - 1 : rot.generation;
}

/**
 * Records the rotation to the generation after `recorded`, the last one the store records:
 * the instance holds newer key files than the store knows of. One generation at a time keeps
 * the logbook's chain of generations whole (recordRotation) and each idempotency hash's base
 * at the generation before the target (rekeyBatch).
 */
async function nextRotation(ctx: EngineContext, tx: StoreWriter, recorded: number): Promise<number> {
  const g = recorded + 1;
  await recordRotation(ctx, tx, SYSTEM, g, ctx.secrets.checkValue(g));
  return g;
}

/**
 * Records the rotation to `generation`, with the new secret's check value (secret-check.ts).
 * The logbook section is entered BEFORE the highest signal is read: every write that derived
 * at the old generation and entered the section first has committed, so its signals are
 * below `maxSignalRid` and get re-keyed; every later one reads the new generation there and
 * is repeated (secret-generation.ts).
 */
async function recordRotation(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: Actor,
  generation: number,
  checkValue: Uint8Array,
): Promise<SecretRotationRow> {
  const now = ctx.clock();
  if ((await tx.logbookHead()).secretGeneration !== generation - 1) {
    throw new EngineError(
      'conflict',
      'the server-secret generation recorded in the database changed meanwhile (a rotation on another instance)',
    );
  }
  await recordSecretCheck(ctx, tx, generation, checkValue);
  const row: SecretRotationRow = {
    generation,
    startedAt: now,
    completedAt: null,
    maxSignalRid: await tx.maxSignalRid(),
    cursorRid: 0,
    rowsRekeyed: 0,
    hashesRekeyed: 0,
  };
  await tx.insertSecretRotation(row);
  await appendLog(
    tx,
    now,
    actor,
    'server_secret.rotation_started',
    {},
    {
      generation: row.generation,
      signals: row.maxSignalRid,
    },
  );
  return row;
}

export async function beginSecretRotation(
  ctx: EngineContext,
  actor: Actor,
  secret: Uint8Array,
): Promise<SecretRotationStatus> {
  requireAdmin(actor);
  if (!(secret instanceof Uint8Array) || secret.length !== 32) fail(['secret']);
  const generation = ctx.secrets.current + 1;
  await ctx.store.write(async (tx) => {
    const latest = await tx.latestSecretRotation();
    if (latest !== undefined && latest.completedAt === null)
      throw new EngineError('rotation_in_progress', 'a server-secret rotation is still running');
    // Under the logbook section (recordRotation): every row committed before this point is
    // at the old generation; every write that commits after it derived at the new one.
    await recordRotation(ctx, tx, actor, generation, secretCheckValue(secret, generation));
  });
  // Only after the commit (a repeated write must not add it twice): this instance's writes
  // that derived at the old generation meanwhile are repeated like any other instance's.
  ctx.secrets.ensureGeneration(generation, secret);
  return secretRotationStatus(ctx);
}

export async function secretRotationStatus(ctx: EngineContext): Promise<SecretRotationStatus> {
  return ctx.store.read(async (tx) => {
    const r = await tx.latestSecretRotation();
    if (r === undefined) return { generation: ctx.secrets.current, rotation: null };
    return {
      generation: Math.max(r.generation, ctx.secrets.current),
      rotation: {
        generation: r.generation,
        status: r.completedAt === null ? 'running' : 'completed',
        startedAt: r.startedAt,
        completedAt: r.completedAt,
        signalsTotal: r.maxSignalRid,
        signalsDone: Math.min(r.cursorRid, r.maxSignalRid),
        rowsRekeyed: r.rowsRekeyed,
        pendingCatchUps: (await tx.pendingRotationCatchUps(100_000)).length,
      },
    };
  });
}

/**
 * One bounded step of the running rotation, in one write operation that joins the
 * group commit (the server stays available): re-key the stored values and idempotency
 * hashes of the next `limit` signals, or, when all are done, repeat the catch-ups that
 * ran during the rotation, or, when none are left, complete it.
 */
export async function rekeyBatch(ctx: EngineContext, limit = DEFAULT_BATCH): Promise<RekeyBatchResult> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) fail(['limit']);
  const r = await ctx.store.write(async (tx): Promise<RekeyBatchResult> => {
    const now = ctx.clock();
    const rot = await tx.latestSecretRotation();
    // Another instance began (or finished) a rotation: load its key file first, even with
    // nothing left to re-key, so every instance takes the generation up within the job's
    // interval and a missing file is reported then (secret-generation.ts).
    if (rot !== undefined) checkGeneration(ctx.secrets.current, rot.generation);
    if (rot === undefined || rot.completedAt !== null) {
      if (ctx.secrets.current > (rot?.generation ?? 1)) {
        const g = await nextRotation(ctx, tx, rot?.generation ?? 1);
        return { done: false, completed: false, step: 'started', generation: g };
      }
      return { done: true, completed: false, step: 'none' };
    }
    // A rotation below this instance's generation is one of a catch-up (nextRotation).
    if (rot.generation > ctx.secrets.current) missingGeneration();
    const target = rot.generation;
    if (rot.cursorRid < rot.maxSignalRid) {
      const signals = await tx.signalHashesInRange(rot.cursorRid, rot.maxSignalRid, limit);
      const upTo = signals.length < limit ? rot.maxSignalRid : signals[signals.length - 1]!.rid;
      const rows = await tx.pseudonymsInRange(rot.cursorRid, upTo);
      const bySignal = new Map<number, StoredPseudonymRow[]>();
      for (const row of rows) {
        const list = bySignal.get(row.signalRid);
        if (list === undefined) bySignal.set(row.signalRid, [row]);
        else list.push(row);
      }
      let rekeyed = 0;
      for (const row of rows) {
        if (row.generation >= target) continue;
        let v: Buffer = Buffer.from(row.stored);
        for (let g = row.generation + 1; g <= target; g++) v = ctx.secrets.rekey(g, v);
        await tx.rekeyPseudonym(row, v, target);
        rekeyed++;
      }
      // A signal's idempotency hash is at the generation its placement was written at,
      // which its subject rows still show (a migration adds rows at the new generation
      // but never changes the hash). A signal placed during the rotation is left alone.
      let hashes = 0;
      for (const s of signals) {
        const own = bySignal.get(s.rid) ?? [];
        const from = own.length === 0 ? target - 1 : Math.min(...own.map((x) => x.generation));
        if (from >= target) continue;
        let h: Buffer = Buffer.from(s.requestHash);
        for (let g = from + 1; g <= target; g++) h = ctx.secrets.rekeyRequestHash(g, h);
        await tx.updateRequestHash(s.rid, h);
        hashes++;
      }
      const next = {
        cursorRid: upTo,
        rowsRekeyed: rot.rowsRekeyed + rekeyed,
        hashesRekeyed: rot.hashesRekeyed + hashes,
        completedAt: null,
      };
      await tx.updateSecretRotation(target, next);
      // Progress in the logbook at every tenth of the signals, not per batch.
      const tenth = (x: number) => Math.floor((10 * x) / Math.max(1, rot.maxSignalRid));
      if (tenth(upTo) > tenth(rot.cursorRid) && upTo < rot.maxSignalRid) {
        await appendLog(
          tx,
          now,
          SYSTEM,
          'server_secret.rotation_progress',
          {},
          {
            generation: target,
            signalsDone: upTo,
            signals: rot.maxSignalRid,
            rowsRekeyed: next.rowsRekeyed,
          },
        );
      }
      return { done: false, completed: false, step: 'signals', generation: target };
    }
    const pending = await tx.pendingRotationCatchUps(limit);
    if (pending.length > 0) {
      for (const rid of pending) {
        const s = await tx.getSignalByRid(rid);
        if (s !== undefined && s.status === 'active') await catchUp(ctx, tx, s, now);
      }
      // After the catch-ups: each one noted itself again while the rotation still runs.
      await tx.deleteRotationCatchUps(pending);
      return { done: false, completed: false, step: 'catch_ups', generation: target };
    }
    await tx.updateSecretRotation(target, {
      cursorRid: rot.cursorRid,
      rowsRekeyed: rot.rowsRekeyed,
      hashesRekeyed: rot.hashesRekeyed,
      completedAt: now,
    });
    await appendLog(
      tx,
      now,
      SYSTEM,
      'server_secret.rotation_completed',
      {},
      {
        generation: target,
        rowsRekeyed: rot.rowsRekeyed,
        hashesRekeyed: rot.hashesRekeyed,
      },
    );
    // Keys further ahead (a restore, nextRotation): the next generation's rotation follows.
    return { done: target >= ctx.secrets.current, completed: true, step: 'completed', generation: target };
  });
  // The old values were overwritten in the file (secure_delete); make them leave the WAL.
  if (r.completed) await ctx.store.compact();
  return r;
}

export async function epochProgress(ctx: EngineContext): Promise<EpochProgress> {
  // Live signals only: a due one has ended for every reader (docs/engine.md "The life of a signal").
  const now = ctx.clock();
  return ctx.store.read(async (tx) => {
    const epochs = await tx.listEpochs();
    const active = epochs.filter((e) => e.status === 'active').map((e) => e.epoch);
    const totals = await tx.activeSignalCounts(now);
    const counts = await tx.epochSignalCounts(now);
    const stranded = new Map<number, Map<string, number>>();
    for (const e of active) {
      stranded.set(e, new Map((await tx.epochDependants(e, now)).map((d) => [d.organisationId, d.active])));
    }
    const orgs = await tx.listOrganisations();
    return {
      epochs: epochs.map((e) => ({ ...e })),
      organisations: orgs.map((o) => ({
        organisationId: o.id,
        organisationName: o.name,
        activeSignals: totals.find((t) => t.organisationId === o.id)?.activeSignals ?? 0,
        byEpoch: counts
          .filter((c) => c.organisationId === o.id)
          .map((c) => ({ epoch: c.epoch, activeSignals: c.activeSignals })),
        stranded: active.map((e) => ({ epoch: e, activeSignals: stranded.get(e)?.get(o.id) ?? 0 })),
      })),
    };
  });
}
