// Migration of a signal to a new covenant key epoch (docs/keys.md). It must not become a
// search (docs/threat-model.md §5.3): it adds at most one subject pseudonym per newer epoch, with its
// parents, and counts against the placement budget like a placement.

import type { BatchItemResult, MigrateSignalInput } from '../api.js';
import { personHold } from './parent-holds.js';
import { EngineError } from '../errors.js';
import type { StoredPseudonymRow } from '../store/store.js';
import { decodePerson, fail } from '../validation.js';
import { checkBudget, countPlacement, lookUp, type Probe, placementCharge } from './budget.js';
import {
  actingOrganisation,
  heldBy,
  type EngineContext,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { appendLogFenced } from './logbook.js';
import { catchUp } from './matching.js';
import { derive, lookupFromStored } from './stored-values.js';
import { isLive, isRestricted, signalView } from './views.js';
import { hex } from './signal-prepare.js';
import { type PlacementDone, checkEpochs } from './placement-steps.js';
import { checkBatchSize, toItemError } from './signal-placement.js';
import { ownSignal } from './signal-reads.js';

/**
 * Adds a signal's pseudonyms under a NEW covenant key epoch (docs/keys.md). This must not
 * become a search (docs/threat-model.md §5.3): an added subject pseudonym must be under an active
 * epoch newer than every epoch the signal already has — so a signal gains at most one
 * subject pseudonym per new epoch and never another under its current one — and parent
 * pseudonyms only under that same new epoch, at most as many per epoch as the placement
 * named parents. Anything else is `conflict`. A migration that adds pseudonyms is charged
 * against the daily placement budget and the hourly alert like a placement (budget.ts).
 * Resending pseudonyms the signal already has adds nothing and is answered 'existing'.
 */
async function migrateSignal(
  ctx: EngineContext,
  actor: OrganisationActor,
  input: MigrateSignalInput,
): Promise<PlacementDone> {
  requireOrganisationActor(actor);
  if (typeof input !== 'object' || input === null) fail(['']);
  const subject = decodePerson(input.subject, 'subject').map((p) => ({ p, d: derive(ctx, p) }));
  if (input.parents !== undefined && (!Array.isArray(input.parents) || input.parents.length > 2))
    fail(['parents']);
  const parents = (input.parents ?? []).flatMap((pp, i) =>
    decodePerson(pp, `parents.${i}`).map((p) => ({ p, d: derive(ctx, p), parent: i })),
  );
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, input.signalId, await heldBy(tx, actor, org));
    // Past its expiresAt it is inactive, recorded or not (views.ts `isLive`).
    if (!isLive(s, now)) throw new EngineError('signal_inactive', 'the signal is not active');
    await checkEpochs(
      tx,
      [...subject, ...parents].map((x) => x.p),
    );
    const existing = await tx.pseudonymsOf(s.rid);
    // During a server-secret rotation a row may still be at the previous generation: a
    // resent pseudonym is recognised at either (lookup), so it is 'existing', not new.
    const have = new Set(existing.map((r) => `${r.role}:${hex(r.stored)}`));
    const newestEpoch = existing.reduce((m, r) => Math.max(m, r.epoch), 0);
    const generation = ctx.secrets.current;
    const add: StoredPseudonymRow[] = [];
    for (const [role, list] of [
      ['subject', subject],
      ['parent', parents],
    ] as const) {
      for (const x of list) {
        const d = x.d.generation === generation ? x.d : derive(ctx, x.p);
        const k = `${role}:${hex(d.stored)}`;
        if (d.lookup.some((l) => have.has(`${role}:${hex(l)}`))) continue;
        have.add(k);
        add.push({ stored: d.stored, signalRid: s.rid, epoch: d.epoch, generation, role });
      }
    }
    // An added parent row holds its parent's hold, as a new signal's would (parent-holds.ts).
    for (const [i, r] of add.entries()) {
      if (r.role !== 'parent') continue;
      const x = parents.find(
        (y) => hex(y.d.stored) === hex(r.stored) || hex(derive(ctx, y.p).stored) === hex(r.stored),
      );
      if (x === undefined) continue;
      const held = await personHold(
        tx,
        parents.filter((y) => y.parent === x.parent).flatMap((y) => y.d.lookup),
      );
      // The signal's own held links: which parent an existing row names is not recorded, so
      // every held parent row of this signal holds the new one too (fails closed).
      const own = existing.reduce((b, e) => (e.role === 'parent' ? b | (e.held ?? 0) : b), 0);
      if ((held | own) !== 0) add[i] = { ...r, held: held | own };
    }
    const newSubjectEpochs = new Set(add.filter((r) => r.role === 'subject').map((r) => r.epoch));
    const parentsPerEpoch = new Map<number, number>();
    for (const r of add) {
      if (r.role === 'subject') {
        if (r.epoch <= newestEpoch) refuseMigration();
        continue;
      }
      const n = (parentsPerEpoch.get(r.epoch) ?? 0) + 1;
      parentsPerEpoch.set(r.epoch, n);
      if (!newSubjectEpochs.has(r.epoch) || n > s.parentsAtPlacement) refuseMigration();
    }
    if (add.length === 0) {
      return {
        result: { outcome: 'existing', signal: await signalView(tx, s, org.id) },
        created: false,
        alerted: false,
      };
    }
    // Charged like a placement, per added (role, stored value); the values the signal
    // already has are paid for, and an added value proven to be one of their people is
    // free (docs/engine.md "Placement budget and rate alert").
    const probes: Probe[] = [
      ...add.map((r) => ({
        role: r.role,
        epoch: r.epoch,
        stored: r.stored,
        lookup: [r.stored],
        paid: false,
      })),
      ...existing.map((r) => ({
        role: r.role,
        epoch: r.epoch,
        stored: r.stored,
        lookup: lookupFromStored(ctx, [r]),
        paid: true,
      })),
    ];
    const units = await placementCharge(tx, org.rid, probes, await lookUp(tx, probes), !isRestricted(s), now);
    await checkBudget(tx, org, now, units);
    await tx.insertPseudonyms(add);
    if (parentsPerEpoch.size > 0 && !s.hasParents) await tx.updateSignal(s.rid, { hasParents: true });
    const alerted = await countPlacement(ctx, tx, org, now, units);
    await appendLogFenced(
      tx,
      generation,
      now,
      actor,
      'signal.migrated',
      { organisationId: org.id, keyId: actor.keyId, signalId: s.id },
      { added: add.length, epochs: [...new Set(add.map((r) => r.epoch))].join(',') },
    );
    // Read once after the update: the catch-up matches but never changes the signal row.
    const migrated = (await tx.getSignalByRid(s.rid))!;
    await catchUp(ctx, tx, migrated, now);
    return {
      result: { outcome: 'created', signal: await signalView(tx, migrated, org.id) },
      created: true,
      alerted,
    };
  });
}

function refuseMigration(): never {
  throw new EngineError(
    'conflict',
    'a migration may add one subject pseudonym per epoch newer than the signal has, with its parents',
  );
}

/**
 * A batch of migrations, each its own write (a refusal fails only its item). `done` lists
 * the migrations that went through, which count like placements (budget, alert, metrics).
 */
export async function migrateSignalBatch(
  ctx: EngineContext,
  actor: OrganisationActor,
  inputs: readonly MigrateSignalInput[],
  /** Runs one item at the store's secret generation (the facade's SecretGenerations.run). */
  run: (op: () => Promise<PlacementDone>) => Promise<PlacementDone> = (op) => op(),
): Promise<{ results: BatchItemResult[]; done: PlacementDone[] }> {
  requireOrganisationActor(actor);
  checkBatchSize(inputs);
  const done: PlacementDone[] = [];
  const results = await Promise.all(
    inputs.map(async (input, index): Promise<BatchItemResult> => {
      try {
        const d = await run(() => migrateSignal(ctx, actor, input));
        done.push(d);
        return { index, ok: true, outcome: d.result.outcome, signal: d.result.signal };
      } catch (e) {
        return toItemError(index, e);
      }
    }),
  );
  return { results, done };
}
