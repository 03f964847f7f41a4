// What a batch of placements sees, and how each of its items is decided (docs/engine.md
// "Batch placement", "Coalesced placements"): the signals its items look up, read for all
// items at once, with the batch's own new signals added in item order (BatchView); the
// rows its items decide on are kept in memory and written by the flush (batch-writes.ts).
// Invariant: an item sees exactly what it would see if the earlier items had been placed
// one at a time — the stored signals (nothing in a placement changes one) and the earlier
// items' new signals, in rid order. A new signal gets a provisional rid above every stored
// one until it is written; the store gives the batch's signals increasing rids in item
// order, so every comparison of rids made before the write holds after it.

import type { Signal, SignalRef } from '../api.js';
import { freeParents, parentHoldsOf, withParentHolds } from './parent-holds.js';
import { roleKey } from '../bytes-key.js';
import type {
  NewPlacement,
  NewSignal,
  OrganisationRow,
  PseudonymRole,
  SignalRow,
  StoredPseudonymRow,
  StoreWriter,
} from '../store/store.js';
import { type Probe, placementCharge } from './budget.js';
import { BatchWrites, type Mutable } from './batch-writes.js';
import { type EngineError, isEngineError } from '../errors.js';
import { inOrder } from '../in-order.js';
import type { EngineContext, OrganisationActor } from './context.js';
import { matchSignal } from './matching.js';
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
import { asRecorded, isDue, isLive, signalView, signalViewOf } from './views.js';
import { recordRefusal } from './handover-requests.js';

/** Above every rid a store hands out (rids stay below 2^53); the batch's new signals count up from it. */
const PROVISIONAL_RID = 2 ** 52;

const requestKey = (organisationRid: number, id: string) => `${organisationRid}\n${id}`;

/**
 * `row` under `rid`, every field named: a spread between two fields took ≈ 1 % of a bulk
 * import's main thread (docs/performance.md "Twenty-fifth pass: bulk, work removed from the
 * main thread").
 */
function withRid(rid: number, r: NewSignal): Mutable<SignalRow> {
  return {
    rid,
    id: r.id,
    organisationRid: r.organisationRid,
    status: r.status,
    endReason: r.endReason,
    contact: r.contact,
    informed: r.informed,
    placedAt: r.placedAt,
    expiresAt: r.expiresAt,
    endedAt: r.endedAt,
    purgeAt: r.purgeAt,
    restricted: r.restricted,
    objection: r.objection,
    hasParents: r.hasParents,
    parentsAtPlacement: r.parentsAtPlacement,
    legalBasis: r.legalBasis,
    objectionInherited: r.objectionInherited,
    restrictionRegistered: r.restrictionRegistered,
    requestId: r.requestId,
    requestHash: r.requestHash,
    personRid: r.personRid ?? null,
  };
}

/** The signals sharing one of `lists`' values, each once, in rid order (as one lookup returns them). */
export function unionByRid(lists: readonly (readonly SignalRow[])[]): SignalRow[] {
  if (lists.length === 1) return [...lists[0]!];
  const out = new Map<number, SignalRow>();
  for (const l of lists) for (const t of l) if (!out.has(t.rid)) out.set(t.rid, t);
  return [...out.values()].sort((x, y) => x.rid - y.rid);
}

/** What the items of one write see: stored signals read once for all, plus the write's new ones. */
export class BatchView extends BatchWrites {
  readonly #tx: StoreWriter;
  readonly #org: OrganisationRow;
  /** Per (role, value) looked up: the stored signals, then the batch's, in rid order. */
  readonly #byValue = new Map<string, SignalRow[]>();
  /** Per (organisation rid, request id in lower case) read: the organisation's signal, or undefined. */
  readonly #byRequest = new Map<string, SignalRow | undefined>();
  /** The subject epochs of the batch's new signals (their views). */
  readonly #epochs = new Map<SignalRow, number[]>();
  /**
   * The subject epochs of the stored live signals of the view's organisations its subject
   * values found, read at once when the first item answers `existing` (`subjectEpochsOf`), so
   * such items show them without two statements each, and a write with no `existing` answer —
   * a coalesced group, mostly — reads nothing more (docs/performance.md "Twenty-sixth pass:
   * bulk, the removals together"). A placement changes no stored signal's subject pseudonyms.
   */
  readonly #storedEpochs = new Map<number, number[]>();
  /** Found signals (as above) whose epochs are not read yet. */
  readonly #epochsPending = new Set<number>();
  readonly #now: number;
  /** Organisation rows read in this write, shared by every item's matching. */
  readonly organisations = new Map<number, OrganisationRow | undefined>();
  #nextRid = PROVISIONAL_RID;

  constructor(tx: StoreWriter, org: OrganisationRow, now: number) {
    super(tx, now);
    this.#tx = tx;
    this.#org = org;
    this.#now = now;
    this.organisations.set(org.rid, org);
  }

  /** Reads the stored signals of every value and request id the items will look up, at once. */
  async load(
    values: { readonly role: PseudonymRole; readonly stored: Uint8Array }[],
    requestIds: string[],
    organisationRid = this.#org.rid,
  ) {
    const wanted = { subject: new Map<string, Uint8Array>(), parent: new Map<string, Uint8Array>() };
    for (const v of values) {
      const k = roleKey(v.role, v.stored);
      if (!this.#byValue.has(k)) wanted[v.role].set(k, v.stored);
    }
    const ids = [...new Set(requestIds.map((id) => id.toLowerCase()))].filter(
      (id) => !this.#byRequest.has(requestKey(organisationRid, id)),
    );
    for (const id of ids) this.#byRequest.set(requestKey(organisationRid, id), undefined);
    const byRole = async (role: PseudonymRole) => {
      if (wanted[role].size === 0) return;
      const lists = await this.#tx.signalsByStoredValues([...wanted[role].values()], role);
      let i = 0;
      for (const k of wanted[role].keys()) this.#byValue.set(k, lists[i++] ?? []);
      if (role === 'subject') this.#noteFound(lists);
    };
    // Sent together (one round trip on PostgreSQL): the lookups do not wait for each other.
    const [, , found] = await inOrder([
      byRole('subject'),
      byRole('parent'),
      ids.length === 0 ? Promise.resolve([]) : this.#tx.signalsByRequestIds(organisationRid, ids),
    ]);
    for (const s of found) this.#byRequest.set(requestKey(organisationRid, s.requestId.toLowerCase()), s);
  }

  /** Notes the found signals an item could answer `existing` with. */
  #noteFound(lists: readonly (readonly SignalRow[])[]): void {
    for (const l of lists)
      for (const t of l)
        if (
          this.organisations.has(t.organisationRid) &&
          isLive(t, this.#now) &&
          !this.#storedEpochs.has(t.rid)
        )
          this.#epochsPending.add(t.rid);
  }

  /** The subject epochs of every noted signal not read yet, in one read. */
  async #readPendingEpochs(): Promise<void> {
    const wanted = [...this.#epochsPending];
    this.#epochsPending.clear();
    const epochs = await this.#tx.subjectEpochsOf(wanted);
    for (const [i, rid] of wanted.entries()) this.#storedEpochs.set(rid, epochs[i] ?? []);
  }

  async #list(role: PseudonymRole, stored: Uint8Array): Promise<SignalRow[]> {
    const k = roleKey(role, stored);
    let list = this.#byValue.get(k);
    if (list === undefined) {
      // Not loaded (a value derived after load, at a newer server-secret generation).
      list = (await this.#tx.signalsByStoredValues([stored], role))[0] ?? [];
      this.#byValue.set(k, list);
    }
    return list;
  }

  /** Whether every value of `lookup` was read and none found a signal (planFresh: no await). */
  foundNone(lookup: readonly Uint8Array[], role: PseudonymRole): boolean {
    for (const v of lookup) if (this.#byValue.get(roleKey(role, v))?.length !== 0) return false;
    return true;
  }

  /** Whether the value was read (its list is in memory: `adopt` waits for nothing). */
  isLoaded(role: PseudonymRole, stored: Uint8Array): boolean {
    return this.#byValue.has(roleKey(role, stored));
  }

  /** Whether the request id was read and no signal of the organisation carries it. */
  hasNoPrior(requestId: string, organisationRid: number): boolean {
    const key = requestKey(organisationRid, requestId.toLowerCase());
    return this.#byRequest.has(key) && this.#byRequest.get(key) === undefined;
  }

  /** What `findSignalsByStored(lookup, role)` would answer now. */
  async lookUp(lookup: readonly Uint8Array[], role: PseudonymRole): Promise<SignalRow[]> {
    const lists: SignalRow[][] = [];
    for (const v of lookup) lists.push(await this.#list(role, v));
    return unionByRid(lists);
  }

  /** What `getSignalByRequest(organisation, requestId)` would answer now. */
  async byRequest(requestId: string, organisationRid = this.#org.rid): Promise<SignalRow | undefined> {
    const key = requestKey(organisationRid, requestId.toLowerCase());
    if (!this.#byRequest.has(key))
      this.#byRequest.set(key, await this.#tx.getSignalByRequest(organisationRid, requestId.toLowerCase()));
    return this.#byRequest.get(key);
  }

  /** Its own organisation's view of a signal, stored or of this batch (the organisation is in `organisations`). */
  async viewOf(s: SignalRow): Promise<Signal> {
    const orgId = this.organisations.get(s.organisationRid)?.id ?? this.#org.id;
    const epochs = this.#epochs.get(s);
    if (epochs !== undefined) return signalViewOf(s, orgId, epochs);
    if (this.#epochsPending.has(s.rid)) await this.#readPendingEpochs();
    const stored = this.#storedEpochs.get(s.rid);
    return stored === undefined ? signalView(this.#tx, s, orgId) : signalViewOf(s, orgId, [...stored]);
  }

  /**
   * What `tx.pseudonymsOf(rid)` would answer once the batch's signals are written: a new
   * signal's from memory, a stored one's from the store (placementCharge's proofs).
   */
  pseudonymsOf(rid: number): Promise<StoredPseudonymRow[]> {
    const pending = this.pending.get(rid);
    if (pending === undefined) return this.#tx.pseudonymsOf(rid);
    return Promise.resolve(pending.map((p) => ({ ...p, signalRid: rid })));
  }

  /**
   * A new signal of an item, written by the next flush: later items see it from now on.
   * `idBytes`: its id's bytes, stored as they are.
   */
  async add(
    row: NewSignal,
    pseudonyms: NewPlacement['pseudonyms'],
    epochs: number[],
    idBytes?: Uint8Array,
  ): Promise<SignalRow> {
    const s = withRid(this.#nextRid++, row);
    this.signals.push({
      row: s,
      placement: idBytes === undefined ? { signal: row, pseudonyms } : { signal: row, pseudonyms, idBytes },
    });
    this.pending.set(s.rid, pseudonyms);
    await this.adopt(s, pseudonyms, epochs);
    return s;
  }

  /**
   * `add` when every pseudonym's value is loaded (`isLoaded`): the same changes, no await
   * (planFresh).
   */
  addLoaded(
    row: NewSignal,
    pseudonyms: NewPlacement['pseudonyms'],
    epochs: number[],
    idBytes: Uint8Array,
  ): SignalRow {
    const s = withRid(this.#nextRid++, row);
    this.signals.push({ row: s, placement: { signal: row, pseudonyms, idBytes } });
    this.pending.set(s.rid, pseudonyms);
    this.#epochs.set(s, epochs);
    this.#byRequest.set(requestKey(s.organisationRid, s.requestId.toLowerCase()), s);
    for (const p of pseudonyms) {
      const list = this.#byValue.get(roleKey(p.role, p.stored))!;
      if (!list.some((t) => t.rid === s.rid)) list.push(s);
    }
    return s;
  }

  /** A new signal already written (an item placed on its own, after a flush): later items see it. */
  async adopt(s: SignalRow, pseudonyms: NewPlacement['pseudonyms'], epochs: number[]): Promise<void> {
    this.#epochs.set(s, epochs);
    this.#byRequest.set(requestKey(s.organisationRid, s.requestId.toLowerCase()), s);
    for (const p of pseudonyms) {
      const list = await this.#list(p.role, p.stored);
      if (!list.some((t) => t.rid === s.rid)) list.push(s);
    }
  }
}

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
