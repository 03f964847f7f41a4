// What the items of one batch (or coalesced group) see (docs/engine.md "Batch placement",
// "Coalesced placements"): the signals its items look up, read for all items at once, with
// the batch's own new signals added in item order (BatchView); the rows its items decide on
// are kept in memory and written by the flush (batch-writes.ts). How each item is decided
// with it: batch-plan.ts.
// Invariant: an item sees exactly what it would see if the earlier items had been placed
// one at a time — the stored signals (nothing in a placement changes one) and the earlier
// items' new signals, in rid order. A new signal gets a provisional rid above every stored
// one until it is written; the store gives the batch's signals increasing rids in item
// order, so every comparison of rids made before the write holds after it.

import type { Signal } from '../api.js';
import { RoleKeys } from '../bytes-key.js';
import { inOrder } from '../in-order.js';
import type {
  NewPlacement,
  NewSignal,
  OrganisationRow,
  PseudonymRole,
  SignalRow,
  StoredPseudonymRow,
  StoreWriter,
} from '../store/store.js';
import { BatchWrites, type Mutable } from './batch-writes.js';
import { isLive, signalView, signalViewOf } from './views.js';

/** Above every rid a store hands out (rids stay below 2^53); the batch's new signals count up from it. */
export const PROVISIONAL_RID = 2 ** 52;

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

/**
 * Which way the batch path went, counted for the tests that must see it and not only its
 * answers (batch-equivalence.test.ts: `planFresh` decided most of a plain batch's items;
 * batch-minimal.test.ts: a minimal answer builds no view). One increment per item so decided
 * or view built, in this process; the engine never reads them.
 */
export const batchPathCounts = { fresh: 0, views: 0 };

/** What the items of one write see: stored signals read once for all, plus the write's new ones. */
export class BatchView extends BatchWrites {
  readonly #tx: StoreWriter;
  readonly #org: OrganisationRow;
  /** Per (role, value) looked up: the stored signals, then the batch's, in rid order. */
  readonly #byValue = new Map<string, SignalRow[]>();
  /**
   * Per organisation rid, per request id in lower case read: the organisation's signal, or
   * undefined. Keyed by the id's own text (its hash kept by the string), not by a text made of
   * both per call (docs/performance.md "Twenty-eighth pass: bulk, margin on target 3").
   */
  readonly #byRequest = new Map<number, Map<string, SignalRow | undefined>>();
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
  /** The write's keys of stored values, shared with its tallies (bytes-key.ts `RoleKeys`). */
  readonly keys: RoleKeys;

  /** The organisation's request ids read (`#byRequest`), made when first asked for. */
  #requests(organisationRid: number): Map<string, SignalRow | undefined> {
    let m = this.#byRequest.get(organisationRid);
    if (m === undefined) {
      m = new Map();
      this.#byRequest.set(organisationRid, m);
    }
    return m;
  }

  constructor(tx: StoreWriter, org: OrganisationRow, now: number, keys = new RoleKeys()) {
    super(tx, now);
    this.keys = keys;
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
      const k = this.keys.key(v.role, v.stored);
      if (!this.#byValue.has(k)) wanted[v.role].set(k, v.stored);
    }
    const requests = this.#requests(organisationRid);
    const ids: string[] = [];
    for (const requestId of requestIds) {
      const id = requestId.toLowerCase();
      if (requests.has(id)) continue;
      requests.set(id, undefined);
      ids.push(id);
    }
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
    for (const s of found) requests.set(s.requestId.toLowerCase(), s);
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
    const k = this.keys.key(role, stored);
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
    for (const v of lookup) if (this.#byValue.get(this.keys.key(role, v))?.length !== 0) return false;
    return true;
  }

  /** Whether the value was read (its list is in memory: `adopt` waits for nothing). */
  isLoaded(role: PseudonymRole, stored: Uint8Array): boolean {
    return this.#byValue.has(this.keys.key(role, stored));
  }

  /** Whether the request id was read and no signal of the organisation carries it. */
  hasNoPrior(requestId: string, organisationRid: number): boolean {
    const requests = this.#byRequest.get(organisationRid);
    const id = requestId.toLowerCase();
    return requests?.has(id) === true && requests.get(id) === undefined;
  }

  /** What `findSignalsByStored(lookup, role)` would answer now. */
  async lookUp(lookup: readonly Uint8Array[], role: PseudonymRole): Promise<SignalRow[]> {
    const lists: SignalRow[][] = [];
    for (const v of lookup) lists.push(await this.#list(role, v));
    return unionByRid(lists);
  }

  /** What `getSignalByRequest(organisation, requestId)` would answer now. */
  async byRequest(requestId: string, organisationRid = this.#org.rid): Promise<SignalRow | undefined> {
    const requests = this.#requests(organisationRid);
    const id = requestId.toLowerCase();
    if (!requests.has(id)) requests.set(id, await this.#tx.getSignalByRequest(organisationRid, id));
    return requests.get(id);
  }

  /** Its own organisation's view of a signal, stored or of this batch (the organisation is in `organisations`). */
  async viewOf(s: SignalRow): Promise<Signal> {
    batchPathCounts.views++;
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
    this.#requests(s.organisationRid).set(s.requestId.toLowerCase(), s);
    for (const p of pseudonyms) {
      const list = this.#byValue.get(this.keys.key(p.role, p.stored))!;
      if (!list.some((t) => t.rid === s.rid)) list.push(s);
    }
    return s;
  }

  /** A new signal already written (an item placed on its own, after a flush): later items see it. */
  async adopt(s: SignalRow, pseudonyms: NewPlacement['pseudonyms'], epochs: number[]): Promise<void> {
    this.#epochs.set(s, epochs);
    this.#requests(s.organisationRid).set(s.requestId.toLowerCase(), s);
    for (const p of pseudonyms) {
      const list = await this.#list(p.role, p.stored);
      if (!list.some((t) => t.rid === s.rid)) list.push(s);
    }
  }
}
