// Signal placement inside a write, single and batch: idempotent per (organisation, requestId),
// one active signal per person per organisation, budget-checked, then matched. Everything
// happens in one write operation (a batch item all or nothing, store.ts `batchItem`), so a
// refusal changes nothing; only stored (re-keyed) pseudonyms reach the store.

import type { BatchItemResult, PlaceSignalInput, Signal, SignalRef } from '../api.js';
import { freeParents, parentHoldsOf, withParentHolds } from './parent-holds.js';
import { type EngineError, isEngineError } from '../errors.js';
import type { OrganisationRow, StoreWriter } from '../store/store.js';
import { fail } from '../validation.js';
import { RoleKeys } from '../bytes-key.js';
import {
  checkBudget,
  countPlacement,
  lookUp,
  PlacementTally,
  type Probe,
  placementCharge,
} from './budget.js';
import {
  actingOrganisation,
  actingPersonRid,
  type EngineContext,
  notFound,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { giveArchiveNotices } from './archive-notice.js';
import {
  type ItemAnswer,
  ITEM_REFUSALS,
  type PlanRules,
  planFresh,
  placeOnItsOwn,
  planItem,
} from './batch-plan.js';
import { BatchView, unionByRid } from './batch-view.js';
import { appendLogFenced } from './logbook.js';
import { countStatistic } from './management-information.js';
import { matchSignal } from './matching.js';
import { placeAlone } from './coalesced-group.js';
import { coalescerOf } from './placement-coalescer.js';
import {
  type BatchState,
  checkEpochs,
  checkReplay,
  logFound,
  logPlaced,
  lookupValues,
  newSignalRow,
  type PlacementDone,
  probeOf,
  storedSignalRow,
  withSignalRid,
} from './placement-steps.js';
import { isLookupRefusal } from './secret-generation.js';
import { type PreparedPlacement, preparePlacement, atCurrentGeneration } from './signal-prepare.js';
import { RequestHashMemo } from './request-hash-body.js';
import { asRecorded, isLive, signalView, signalViewOf } from './views.js';
import { expireDue } from './lifecycle.js';
import { recordRefusal } from './handover-requests.js';

/** One placement inside a write. `log` false: the caller logs the batch as one entry. */
export async function placeInTx(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: OrganisationActor,
  org: OrganisationRow,
  placer: number | null,
  prep: PreparedPlacement,
  now: number,
  log: boolean,
  batch?: BatchState,
): Promise<PlacementDone> {
  const current = atCurrentGeneration(ctx, prep);
  const { v, subject, parents, generation, subjectLookup } = current;
  // Most placements name no parent: the subject's values are then the list itself.
  await checkEpochs(
    tx,
    v.parents.length === 0 ? v.subject : [...v.subject, ...v.parents.flat()],
    batch?.epochs,
  );
  const prior = await tx.getSignalByRequest(org.rid, v.requestId);
  if (prior !== undefined) {
    checkReplay(current, prior);
    return {
      result: {
        outcome: 'replayed',
        signal: await signalView(tx, asRecorded(prior, now, ctx.config.archiveTermDays), org.id),
        // A transfer may have moved it since (docs/api.md "Need to know").
        ...(placer === null ? {} : { heldByYou: prior.personRid === placer }),
      },
      created: false,
      alerted: false,
    };
  }
  // Every (role, stored value) the placement looks up: what the budget charges
  // (docs/threat-model.md §5.3) and what matching reads, each looked up once.
  const probes: Probe[] = [
    ...subject.map((p) => probeOf('subject', p, batch)),
    ...parents.flat().map((p) => probeOf('parent', p, batch)),
  ];
  const subjectHits = await lookUp(tx, probes.slice(0, subject.length));
  const samePerson = unionByRid(subjectHits);
  if (!ctx.config.sameOrganisationMatching || v.existingOnly) {
    // Past its expiresAt a signal is not `existing`, recorded or not (views.ts `isLive`).
    const existing = samePerson.find((t) => t.organisationRid === org.rid && isLive(t, now));
    if (existing !== undefined) {
      // Not theirs: kept a day, so that they may ask to be handed it (handover-requests.ts).
      if (placer !== null && existing.personRid !== placer) {
        await recordRefusal(tx, org.rid, v.requestId, placer, existing, now);
      }
      await logFound(tx, now, actor, existing.id, current);
      return {
        result: {
          outcome: 'existing',
          signal: await signalView(tx, existing, org.id),
          // A person placing learns whether it is theirs (docs/api.md "Need to know").
          ...(placer === null ? {} : { heldByYou: existing.personRid === placer }),
        },
        created: false,
        alerted: false,
      };
    }
  }
  // A look-up only: where a placement would create, it answers not_found, before any change
  // or charge (docs/api.md "POST /v1/signals — place a signal", `existingOnly`).
  if (v.existingOnly) notFound();
  const parentHits = await lookUp(tx, probes.slice(subject.length));
  // A restriction or pending objection is about the person, so a new signal for a
  // restricted person is restricted too (GDPR art. 18), and matches nothing.
  const restricted = samePerson.some((t) => t.restricted);
  const objection = samePerson.some((t) => t.objection === 'pending') ? ('pending' as const) : null;
  const units = await placementCharge(
    tx,
    org.rid,
    probes,
    [...subjectHits, ...parentHits],
    !restricted && objection === null,
    now,
  );
  // A single placement enters its organisation's budget section last (below); a batch
  // counts in memory (PlacementTally).
  if (batch !== undefined) await batch.tally.check(units);
  // A parent held by the GDPR desk holds this signal's link to them too, and makes no family
  // match (parent-holds.ts; docs/engine.md "GDPR requests (municipality only)").
  const holds = await parentHoldsOf(tx, parents, parentHits);
  const made = newSignalRow(ctx, org, placer, current, now, restricted, objection);
  const { row, epochs } = made;
  const pseudonyms = withParentHolds(made.pseudonyms, parents, holds);
  const rid = await tx.insertSignal(row);
  // The row as stored, without reading it back (test: "the created signal's view is the view read back").
  const s = storedSignalRow(row, rid, placer);
  await tx.insertPseudonyms(pseudonyms.map((p) => withSignalRid(p, rid)));
  let alerted = batch === undefined ? false : await batch.tally.count(units, probes);
  if (log) {
    // No other instance has moved the store past the generation the values are at (checked
    // where the store chains the entry: on PostgreSQL just before COMMIT). A batch item is
    // fenced with its whole batch at the end (a refusal after an item's first write would
    // fail the batch, store.ts `batchItem`).
    if (batch === undefined) await tx.fenceGeneration(generation);
    await logPlaced(tx, now, actor, s.id, current);
  }
  if (batch === undefined) {
    // The budget section is held from the check to COMMIT and serialises the organisation's
    // placements: entered after the inserts, it is not held for them. Matching comes after
    // it, because the inbox cursors it allocates are locks held to COMMIT too, and taken
    // before this section they would be held while waiting for it. A refusal here still
    // changes nothing: the write is rolled back whole (docs/engine.md "Storage contract",
    // clause 4; docs/performance.md "PostgreSQL (case 8)").
    await checkBudget(tx, org, now, units);
    alerted = await countPlacement(ctx, tx, org, now, units);
  }
  // A signal found past its expiresAt that retention has not reached yet is expired here,
  // after the last refusal and after the budget section (its match.ended events take inbox
  // cursors): what follows sees what it would after a retention run (docs/engine.md "The
  // life of a signal"). The loop reads only rows already read; nothing is written when none is due.
  const [subjectSignals = [], parentSignals = []] = await expireDue(
    ctx,
    tx,
    [samePerson, unionByRid(parentHits)],
    now,
  );
  const free = freeParents(parents, holds, parentHits);
  // The signals for this person and its parents were read above (before the insert), so
  // matching need not read them again; nor need the view read back the epochs just written.
  await matchSignal(ctx, tx, s, { subject: subjectLookup, parents: free.lookup }, now, {
    subjectSignals,
    // The due ones among them were expired just now (expireDue answers the rows as recorded).
    parentSignals: parentSignals.filter((t) => free.hits.some((h) => h.some((x) => x.rid === t.rid))),
    organisation: org,
  });
  const notices = await giveArchiveNotices(ctx, tx, org, s, v.legalBasis, subjectSignals, now);
  await countStatistic(tx, now, org.type, 'signals_placed');
  const signal = signalViewOf(s, org.id, epochs);
  return {
    result:
      notices.length === 0
        ? { outcome: 'created', signal }
        : { outcome: 'created', signal, archiveNotices: notices },
    created: true,
    alerted,
  };
}

export async function placeSignal(
  ctx: EngineContext,
  actor: OrganisationActor,
  input: PlaceSignalInput,
): Promise<PlacementDone> {
  requireOrganisationActor(actor);
  const now = ctx.clock();
  const prep = preparePlacement(ctx, input, now);
  // Placements that queue while another placement write runs are decided together
  // (docs/engine.md "Coalesced placements"); off, each is its own write operation.
  // A look-up only (`existingOnly`) is never part of a group: the group's plan creates.
  if (ctx.config.coalescePlacements && !prep.v.existingOnly) return coalescerOf(ctx).place(actor, prep, now);
  return placeAlone(ctx, actor, prep, now);
}

const MAX_BATCH_ITEMS = 500;

/** A batch (placement or migration) holds 1 to MAX_BATCH_ITEMS items. */
export function checkBatchSize(inputs: unknown): void {
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > MAX_BATCH_ITEMS) fail(['items']);
}

/**
 * The batch path: every item is placed as if alone (idempotency, budget, matching), in
 * request order, all in one write operation. The items are decided in memory against one
 * read of every person and request id of the batch (BatchView) and their rows written with
 * few multi-row statements at the end; an item refused changes nothing (every refusal comes
 * before its first change). An item that needs a write's answer (an archive notice) is
 * placed on its own after the rows decided so far are written (`tx.batchItem`). The batch
 * is logged as ONE `signals.placed` entry listing the created signal ids (ids only), which
 * keeps the logbook's share of the disk small at millions of signals (docs/engine.md "Size").
 * `answer`: each placed item's signal as its view, or its id only (batch-plan.ts ItemAnswer).
 */
export async function placeSignalBatch<S extends SignalRef>(
  ctx: EngineContext,
  actor: OrganisationActor,
  inputs: readonly PlaceSignalInput[],
  answer: ItemAnswer<S>,
): Promise<{ results: BatchItemResult<S>[]; done: PlacementDone<S>[] }> {
  requireOrganisationActor(actor);
  checkBatchSize(inputs);
  const now = ctx.clock();
  // The batch's own: its contacts are not kept past its preparation (request-hash-body.ts).
  const memo = new RequestHashMemo();
  const prepared = inputs.map((input) => {
    try {
      // A single placement's look-up; a batch item always places (docs/api.md "POST /v1/signals/batch — bulk placement").
      if ((input as { existingOnly?: unknown }).existingOnly !== undefined) fail(['existingOnly']);
      return preparePlacement(ctx, input, now, memo);
    } catch (e) {
      return e;
    }
  });
  return ctx.store.write(async (tx) => {
    // Every item is derived at this generation or later: fenced at the end (secret-generation.ts).
    const used = ctx.secrets.current;
    const org = await actingOrganisation(tx, actor);
    const placer = await actingPersonRid(tx, actor, org);
    const keys = new RoleKeys();
    const batch: BatchState = { epochs: new Map(), tally: new PlacementTally(ctx, tx, org, now, keys) };
    const items = prepared.map((prep) =>
      typeof prep === 'object' && prep !== null && 'hash' in prep
        ? atCurrentGeneration(ctx, prep as PreparedPlacement)
        : undefined,
    );
    const values = lookupValues(items);
    // Every person of the batch's section at once, before the first item (clause 4): two
    // batches about the same people then wait for each other instead of deadlocking.
    await tx.enterPersonSections(values.map((x) => x.stored));
    const view = new BatchView(tx, org, now, keys);
    const rules: PlanRules<S> = { answer, paidByEarlier: true, chargeReader: tx, log: 'batch' };
    await view.load(
      values,
      items.flatMap((p) => (p === undefined ? [] : [p.v.requestId])),
    );
    const results: BatchItemResult<S>[] = [];
    const done: PlacementDone<S>[] = [];
    const created: string[] = [];
    const counts = { created: 0, replayed: 0, existing: 0, refused: 0 };
    let lookupRefused = false;
    for (let index = 0; index < prepared.length; index++) {
      const p = items[index];
      if (p === undefined) {
        results.push(toItemError(index, prepared[index]));
        counts.refused++;
        continue;
      }
      const tallied = batch.tally.snapshot();
      const refuse = (e: EngineError) => {
        lookupRefused ||= isLookupRefusal(e);
        batch.tally.restore(tallied);
        counts.refused++;
        results.push(toItemError(index, e));
      };
      // The common item without an await (planFresh), any other with every step (planItem).
      let d: PlacementDone<S> | undefined = planFresh(ctx, org, placer, p, now, batch, view, rules);
      try {
        d ??= await planItem(ctx, tx, actor, org, placer, p, now, batch, view, rules);
      } catch (e) {
        // Only a refusal is the item's answer (it came before any change). Anything else —
        // a storage fault, the generation fence — fails the whole operation.
        if (!isEngineError(e) || !ITEM_REFUSALS.has(e.code)) throw e;
        refuse(e);
        continue;
      }
      if (d === undefined) {
        // The store keeps the item all or nothing without a savepoint where it can (store.ts
        // `batchItem`). A consent or no-objection item gets its own entry too (docs/engine.md
        // "Legal basis"); the generation fence stays the batch's, at its end.
        const own = await placeOnItsOwn(tx, view, p, () =>
          tx.batchItem(() =>
            placeInTx(ctx, tx, actor, org, placer, p, now, p.v.legalBasis !== 'jeugdwet', batch),
          ),
        );
        if (!own.ok) {
          refuse(own.error);
          continue;
        }
        const { result } = own.done;
        d = { ...own.done, result: { ...result, signal: answer.alone(result.signal) } };
      }
      done.push(d);
      counts[d.result.outcome]++;
      if (d.created) created.push(d.result.signal.id);
      results.push({ index, ok: true, outcome: d.result.outcome, signal: d.result.signal });
    }
    // The hour counter in the same round trip as the rows (batch-writes.ts `flush`).
    await view.flush(() => [batch.tally.flush()]);
    if (created.length > 0) {
      await appendLogFenced(tx, used, now, actor, 'signals.placed', { signalIds: created.join(',') }, counts);
    } else if (lookupRefused) {
      // A refusal that rests on what a lookup found is believed only at the store's generation.
      await tx.fenceGeneration(used);
    }
    return { results, done };
  });
}

export function toItemError<S extends SignalRef = Signal>(index: number, e: unknown): BatchItemResult<S> {
  if (isEngineError(e)) return { index, ok: false, code: e.code, fields: e.fields };
  return { index, ok: false, code: 'internal', fields: [] };
}
