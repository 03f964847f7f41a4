// How each item of a batch (or coalesced group) is decided in memory (docs/engine.md "Batch
// placement", "Coalesced placements"), on what the items see (batch-view.ts `BatchView`):
// `planFresh` for the common item without an await, `planItem` for every step of placeInTx,
// and `placeOnItsOwn` for an item that must be written alone. An item sees exactly what it
// would see if the earlier items had been placed one at a time (batch-view.ts).

import type { Signal, SignalRef } from '../api.js';
import { type EngineError, isEngineError } from '../errors.js';
import type { StoreWriter, OrganisationRow, SignalRow } from '../store/store.js';
import { type BatchView, batchPathCounts, PROVISIONAL_RID, unionByRid } from './batch-view.js';
import { type Probe, placementCharge } from './budget.js';
import type { EngineContext, OrganisationActor } from './context.js';
import { recordRefusal } from './handover-requests.js';
import { matchSignal } from './matching.js';
import { freeParents, parentHoldsOf, withParentHolds } from './parent-holds.js';
import {
  type BatchState,
  checkEpochs,
  checkReplay,
  logFound,
  logPlaced,
  newSignalRow,
  type PlacementDone,
  probeOf,
  storedRows,
} from './placement-steps.js';
import type { PreparedPlacement } from './signal-prepare.js';
import { asRecorded, isDue, isLive, signalViewOf } from './views.js';

/**
 * The refusals of a placement decided in memory (planItem): each comes before the item
 * changes anything. Any other error fails the whole batch.
 */
export const ITEM_REFUSALS: ReadonlySet<string> = new Set([
  'epoch_unknown',
  'epoch_retired',
  'request_id_reused',
  'budget_exceeded',
]);

/**
 * What an item decided in memory answers for its signal: its organisation's view, or (a
 * batch asked for `Prefer: return=minimal`) its id only, with no view built — no subject
 * epochs read for an `existing` or `replayed` answer (docs/engine.md "Batch placement").
 * Everything else an item does is the same either way.
 */
export interface ItemAnswer<S extends SignalRef> {
  /** An `existing` answer's signal (stored, or this write's). */
  found(view: BatchView, s: SignalRow): Promise<S> | S;
  /** A `replayed` answer's signal, as recorded at `now`. */
  replayed(view: BatchView, prior: SignalRow, now: number, archiveTermDays: number): Promise<S> | S;
  /** A `created` answer's signal: the view made from the new row and its subject epochs. */
  created(s: SignalRow, organisationId: string, epochs: number[]): S;
  /** An item placed on its own (placeOnItsOwn): its full answer's signal. */
  alone(signal: Signal): S;
}

/** Each signal's view: the answer of the single path (a coalesced group, a batch in full). */
export const VIEW_ANSWER: ItemAnswer<Signal> = {
  found: (view, s) => view.viewOf(s),
  replayed: (view, prior, now, archiveTermDays) => view.viewOf(asRecorded(prior, now, archiveTermDays)),
  created: signalViewOf,
  alone: (signal) => signal,
};

/** The id only (a batch's minimal answer): the same id the view would carry. */
export const ID_ANSWER: ItemAnswer<SignalRef> = {
  found: (_, s) => ({ id: s.id }),
  replayed: (_, prior) => ({ id: prior.id }),
  created: (s) => ({ id: s.id }),
  alone: (signal) => ({ id: signal.id }),
};

/**
 * Where a batch and a coalesced group differ when an item is decided in memory (planItem);
 * every other step is the same.
 */
export interface PlanRules<S extends SignalRef = Signal> {
  /** What an item answers for its signal (ItemAnswer). */
  readonly answer: ItemAnswer<S>;
  /**
   * A batch: a value an earlier item of the batch charged is paid for (`isPaid`). Coalesced:
   * nothing is paid by an earlier placement, each is charged as if alone.
   */
  readonly paidByEarlier: boolean;
  /**
   * What placementCharge reads the proofs' pseudonyms from: the store (a batch), or the
   * group's view, which answers for the group's signals not written yet (coalesced).
   */
  readonly chargeReader: Pick<StoreWriter, 'getOrganisationByRid' | 'pseudonymsOf'>;
  /**
   * 'batch': a batch logs its jeugdwet items in ONE entry at its end and is fenced whole
   * there; a consent or non-objection item gets its own `signal.placed` after its charge
   * (docs/engine.md "Legal basis"). 'single': as the single path, every item is fenced and
   * gets its own `signal.placed`, before its charge (and so before its hourly alert).
   */
  readonly log: 'batch' | 'single';
}

/**
 * planItem's steps for the common item of a batch, without an await (their resumptions were
 * ≈ 4 % of a bulk import's main thread; docs/performance.md "BKV: three exact removals in the
 * batch path"): a jeugdwet item without parents, whose epochs, request id and values the
 * view's load read, that finds no signal, fits the budget and raises no hourly alert. Then
 * every step of planItem is what is done here: no refusal, no `existing`, nothing due,
 * no archive notice, a charge of one unit per unpaid value, no parent holds, no match and no
 * entry of its own (the batch's one `signals.placed` names it). Undefined, having changed
 * nothing, for any other item: planItem decides it from its first step.
 */
export function planFresh<S extends SignalRef>(
  ctx: EngineContext,
  org: OrganisationRow,
  placer: number | null,
  current: PreparedPlacement,
  now: number,
  state: BatchState,
  view: BatchView,
  rules: PlanRules<S>,
): PlacementDone<S> | undefined {
  const { v, subject, parents } = current;
  if (rules.log !== 'batch' || parents.length > 0 || v.legalBasis !== 'jeugdwet') return undefined;
  for (const p of v.subject) if (state.epochs.get(p.epoch) !== true) return undefined;
  if (!view.hasNoPrior(v.requestId, org.rid)) return undefined;
  const paid = rules.paidByEarlier ? state : undefined;
  let units = 0;
  const probes: Probe[] = [];
  for (const p of subject) {
    const probe = probeOf('subject', p, paid);
    if (!view.foundNone(probe.lookup, 'subject') || !view.isLoaded('subject', p.stored)) return undefined;
    probes.push(probe);
    if (!probe.paid) units++;
  }
  if (!state.tally.fitsLoaded(units)) return undefined;
  // Nothing below refuses or waits: from here the item is placed.
  const made = newSignalRow(ctx, org, placer, current, now, false, null);
  const { row, epochs } = made;
  const s = view.addLoaded(row, withParentHolds(made.pseudonyms, parents, []), epochs, made.idBytes);
  state.tally.countLoaded(units, probes);
  view.count(org.type, 'signals_placed');
  batchPathCounts.fresh++;
  return {
    result: { outcome: 'created', signal: rules.answer.created(s, org.id, epochs) },
    created: true,
    alerted: false,
  };
}

/**
 * One placement decided in memory (docs/engine.md "Batch placement", "Coalesced
 * placements"): what placeInTx does, step for step and in its order, with the lookups
 * answered by the write's view (stored signals read for every item at once, plus the
 * earlier items' new signals) and the rows kept for the view's flush. `state.tally` is the
 * item's organisation's; a budget refusal's Retry-After counts from `now`, the item's own
 * time. Undefined when the item must be placed on its own after a flush (placeOnItsOwn):
 * an archive notice is a write whose outcome the item's answer depends on, and expiring a
 * signal found past its expiresAt is a write the later items must see.
 */
export async function planItem<S extends SignalRef>(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: OrganisationActor,
  org: OrganisationRow,
  placer: number | null,
  current: PreparedPlacement,
  now: number,
  state: BatchState,
  view: BatchView,
  rules: PlanRules<S>,
): Promise<PlacementDone<S> | undefined> {
  const { v, subject, parents, generation } = current;
  await checkEpochs(tx, v.subject, state.epochs);
  for (const pp of v.parents) await checkEpochs(tx, pp, state.epochs);
  const prior = await view.byRequest(v.requestId, org.rid);
  if (prior !== undefined) {
    checkReplay(current, prior);
    return {
      result: {
        outcome: 'replayed',
        signal: await rules.answer.replayed(view, prior, now, ctx.config.archiveTermDays),
        ...(placer === null ? {} : { heldByYou: prior.personRid === placer }),
      },
      created: false,
      alerted: false,
    };
  }
  const paid = rules.paidByEarlier ? state : undefined;
  const probes: Probe[] = [
    ...subject.map((p) => probeOf('subject', p, paid)),
    ...parents.flat().map((p) => probeOf('parent', p, paid)),
  ];
  const hits: SignalRow[][] = [];
  for (const p of probes) hits.push(await view.lookUp(p.lookup, p.role));
  const samePerson = unionByRid(hits.slice(0, subject.length));
  const parentHits = hits.slice(subject.length);
  if (!ctx.config.sameOrganisationMatching) {
    const existing = samePerson.find((t) => t.organisationRid === org.rid && isLive(t, now));
    if (existing !== undefined) {
      // As placeInTx: a person placing learns only whether it is theirs (docs/api.md "Need
      // to know"), and a refusal is kept so that they may ask for it (handover-requests.ts).
      if (placer !== null && existing.personRid !== placer) {
        // A signal this group made is not written yet (its rid is provisional): the refusal's
        // row would name no signal, so the item is placed on its own, after the group's rows.
        if (existing.rid >= PROVISIONAL_RID) return undefined;
        await recordRefusal(tx, org.rid, v.requestId, placer, existing, now);
      }
      // Logged as placeInTx does, with a batch's items too: each answer is a look-up of its own.
      await logFound(tx, now, actor, existing.id, current);
      return {
        result: {
          outcome: 'existing',
          signal: await rules.answer.found(view, existing),
          ...(placer === null ? {} : { heldByYou: existing.personRid === placer }),
        },
        created: false,
        alerted: false,
      };
    }
  }
  // A signal found past its expiresAt is expired in the placement's write (placeInTx): a
  // write whose rows later items must see, so the item is placed on its own.
  if (hits.some((l) => l.some((t) => isDue(t, now)))) return undefined;
  const restricted = samePerson.some((t) => t.restricted);
  const objection = samePerson.some((t) => t.objection === 'pending') ? ('pending' as const) : null;
  if (
    ctx.config.archiveNoticeBases.includes(v.legalBasis) &&
    !restricted &&
    objection === null &&
    samePerson.some((t) => t.status === 'inactive' && t.organisationRid !== org.rid)
  ) {
    return undefined;
  }
  const proofs = !restricted && objection === null;
  const units = await placementCharge(rules.chargeReader, org.rid, probes, hits, proofs, now);
  await state.tally.check(units, now);
  // Nothing below refuses: from here the item is placed.
  // A held parent's link is held too and makes no family match (parent-holds.ts).
  const holds = await parentHoldsOf(tx, parents, parentHits);
  const made = newSignalRow(ctx, org, placer, current, now, restricted, objection);
  const { row, epochs } = made;
  const s = await view.add(row, withParentHolds(made.pseudonyms, parents, holds), epochs, made.idBytes);
  const free = freeParents(parents, holds, parentHits);
  const placed = () => logPlaced(tx, now, actor, s.id, current);
  let alerted: boolean;
  if (rules.log === 'single') {
    await tx.fenceGeneration(generation);
    await placed();
    alerted = await state.tally.count(units, probes);
  } else {
    alerted = await state.tally.count(units, probes);
    // Fenced with the whole batch at its end, like every item.
    if (v.legalBasis !== 'jeugdwet') await placed();
  }
  await matchSignal(
    ctx,
    tx,
    s,
    { subject: current.subjectLookup, parents: free.lookup },
    now,
    {
      subjectSignals: samePerson,
      parentSignals: unionByRid(free.hits),
      organisation: org,
      organisations: view.organisations,
    },
    view.plan,
  );
  view.count(org.type, 'signals_placed');
  return {
    result: { outcome: 'created', signal: rules.answer.created(s, org.id, epochs) },
    created: true,
    alerted,
  };
}

/**
 * An item planItem left undefined, placed on its own by `place` (placeInTx, inside
 * `tx.batchItem` or a savepoint) after the rows decided so far are written, so that it
 * sees them; `flushed` writes what else the caller keeps in memory first (a coalesced
 * group's budget counters). Its new signal joins the view for the later items. A refusal is
 * its answer (all of a placement's refusals come before its first write); a storage fault
 * — which may have ended the transaction — or the generation fence fails the whole write.
 */
export async function placeOnItsOwn(
  tx: StoreWriter,
  view: BatchView,
  current: PreparedPlacement,
  place: () => Promise<PlacementDone>,
  flushed?: () => Promise<void>,
): Promise<{ ok: true; done: PlacementDone } | { ok: false; error: EngineError }> {
  await view.flush(flushed === undefined ? undefined : () => [flushed()]);
  let d: PlacementDone;
  try {
    d = await place();
  } catch (e) {
    if (!isEngineError(e) || e.code === 'secret_generation_stale') throw e;
    return { ok: false, error: e };
  }
  const row = d.created ? await tx.getSignal(d.result.signal.id) : undefined;
  if (row !== undefined) await view.adopt(row, storedRows(current), [...d.result.signal.epochs]);
  return { ok: true, done: d };
}
