// The steps a placement shares between the single path (signal-placement.ts `placeInTx`)
// and the paths that decide placements in memory (batch-plan.ts `planItem`, used by the
// batch and by coalesced placements): epoch checks, the replay check, the new signal's row
// and stored pseudonyms, the values a write looks up, the budget probes and the logbook
// entry. One definition each, so the paths cannot drift apart (docs/engine.md "Batch
// placement", "Coalesced placements").

import type { Actor, PlacementResult, Signal, SignalRef } from '../api.js';
import { EngineError } from '../errors.js';
import { newUuidBytes, uuidFromBytes } from '../ids.js';
import { constantTimeEqual } from '../protocol/bytes.js';
import type {
  NewSignal,
  OrganisationRow,
  PseudonymRole,
  SignalRow,
  StoredPseudonymRow,
  StoreReader,
  StoreWriter,
} from '../store/store.js';
import type { DecodedPseudonym, ValidPlacement } from '../validation.js';
import type { PlacementTally, Probe } from './budget.js';
import type { EngineContext } from './context.js';
import { appendLog } from './logbook.js';
import { signalExpiresAt } from './signal-end.js';
import type { PreparedPlacement } from './signal-prepare.js';
import type { DerivedPseudonym } from './stored-values.js';

/** `S`: the answer's signal view, or its id only (a minimal batch answer). */
export interface PlacementDone<S extends SignalRef = Signal> {
  readonly result: PlacementResult<S>;
  readonly created: boolean;
  readonly alerted: boolean;
}

export async function checkEpochs(
  tx: StoreReader,
  ps: readonly DecodedPseudonym[],
  known?: Map<number, boolean>,
): Promise<void> {
  for (const p of ps) {
    let active = known?.get(p.epoch);
    if (active === undefined) {
      const e = await tx.getEpoch(p.epoch);
      if (e === undefined) throw new EngineError('epoch_unknown', 'the pseudonym epoch is unknown');
      active = e.status === 'active';
      known?.set(p.epoch, active);
    }
    if (!active) throw new EngineError('epoch_retired', 'the pseudonym epoch is retired');
  }
}

/**
 * What one batch write reads once for all its items: epochs cannot change inside a
 * write operation, and the budget is counted in memory (PlacementTally).
 */
export interface BatchState {
  readonly epochs: Map<number, boolean>;
  readonly tally: PlacementTally;
}

/**
 * The legal basis as the logbook records it (docs/engine.md "Legal basis"): the basis and,
 * for consent or non-objection, the attestation's date and whether a form was referenced
 * (the reference itself stays in the organisation's files).
 */
function basisDetails(v: ValidPlacement): Record<string, string | boolean> {
  // jeugdwet is most of the logbook: its entries carry no basis (absent means jeugdwet).
  if (v.attestation === undefined) return {};
  return {
    basis: v.legalBasis,
    attestedOn: v.attestation.date,
    formReference: v.attestation.formReference !== undefined,
  };
}

/**
 * A placement's logbook entry. The actor already names the organisation and key: placements
 * are most of the logbook, so their refs carry only what the actor does not (docs/engine.md
 * "Size").
 */
export function logPlaced(
  tx: StoreWriter,
  now: number,
  actor: Actor,
  signalId: string,
  { v, subject, parents }: PreparedPlacement,
): Promise<void> {
  return appendLog(
    tx,
    now,
    actor,
    'signal.placed',
    { signalId, requestId: v.requestId },
    { epochs: subject.length, parents: parents.length, ...basisDetails(v) },
  );
}

/**
 * A placement answered `existing` (or an `existingOnly` look-up that found the signal): it told
 * the caller that the organisation — with `heldByYou: false`, a colleague — is involved with the
 * person, so it is logged as a view of that signal, with ids only (docs/privacy.md "Who saw the
 * signal"; docs/leakage.md §4.2). The same refs as a placement's, so the request id links it to
 * the refusal a person may ask about (handover-requests.ts). `created` and `replayed` never come here.
 */
export function logFound(
  tx: StoreWriter,
  now: number,
  actor: Actor,
  signalId: string,
  { v }: PreparedPlacement,
): Promise<void> {
  return appendLog(
    tx,
    now,
    actor,
    'signal.found',
    { signalId, requestId: v.requestId },
    v.existingOnly ? { existingOnly: true } : {},
  );
}

/** A request id seen before must carry the same placement: `replayed`, else `request_id_reused`. */
export function checkReplay(current: PreparedPlacement, prior: SignalRow): void {
  const seen = Buffer.from(prior.requestHash);
  const candidates =
    seen.length === current.hash.length ? current.hashes : current.hashesOfLength(seen.length);
  // The hash is an HMAC under the server secret (docs/leakage.md §3.7): compared in constant time.
  if (!candidates.some((h) => constantTimeEqual(seen, h))) {
    throw new EngineError('request_id_reused', 'the request id was used for a different placement');
  }
}

/**
 * The new signal's row, its id's bytes (the batch path stores them as they are, docs/performance.md
 * "Twenty-fifth pass: bulk, work removed from the main thread"), its stored pseudonyms (subject,
 * then parents) and its subject epochs.
 */
export function newSignalRow(
  ctx: EngineContext,
  org: OrganisationRow,
  placer: number | null,
  current: PreparedPlacement,
  now: number,
  restricted: boolean,
  objection: 'pending' | null,
): {
  row: NewSignal;
  idBytes: Buffer;
  pseudonyms: Omit<StoredPseudonymRow, 'signalRid'>[];
  epochs: number[];
} {
  const { v, parents, hash, subject } = current;
  const idBytes = newUuidBytes(ctx.random);
  const expiresAt = signalExpiresAt(now, v.endDay, ctx.config.activeTermDays);
  const row: NewSignal = {
    id: uuidFromBytes(idBytes),
    organisationRid: org.rid,
    status: 'active',
    endReason: null,
    contact: v.contact,
    informed: v.informed,
    placedAt: now,
    expiresAt,
    endedAt: null,
    purgeAt: null,
    restricted,
    objection,
    objectionInherited: objection !== null,
    // A restriction at placement is inherited from the person's other signals: never shown.
    restrictionRegistered: false,
    hasParents: parents.length > 0,
    parentsAtPlacement: parents.length,
    legalBasis: v.legalBasis,
    requestId: v.requestId,
    requestHash: hash,
    personRid: placer,
  };
  // One subject value is the common case: its epoch alone, without a Set and a sort.
  const epochs =
    subject.length === 1
      ? [subject[0]!.epoch]
      : [...new Set(subject.map((p) => p.epoch))].sort((a, b) => a - b);
  return { row, idBytes, pseudonyms: storedRows(current), epochs };
}

/**
 * The new signal's row as stored under `rid`, by `personRid`: `{ rid, ...row, personRid }`
 * written out, its keys in that order — the spread after a key took ≈ 0.34 µs a placement, this
 * ≈ 0.03 (docs/performance.md "Thirty-seventh pass"; test: "the stored row is the row spread").
 */
export function storedSignalRow(row: NewSignal, rid: number, personRid: number | null): SignalRow {
  return {
    rid,
    id: row.id,
    organisationRid: row.organisationRid,
    status: row.status,
    endReason: row.endReason,
    contact: row.contact,
    informed: row.informed,
    placedAt: row.placedAt,
    expiresAt: row.expiresAt,
    endedAt: row.endedAt,
    purgeAt: row.purgeAt,
    restricted: row.restricted,
    objection: row.objection,
    objectionInherited: row.objectionInherited,
    restrictionRegistered: row.restrictionRegistered,
    hasParents: row.hasParents,
    parentsAtPlacement: row.parentsAtPlacement,
    legalBasis: row.legalBasis,
    requestId: row.requestId,
    requestHash: row.requestHash,
    personRid,
  };
}

/** A stored pseudonym of the new signal under `rid`: `{ ...p, signalRid }`, written out when it holds no `held`. */
export function withSignalRid(
  p: Omit<StoredPseudonymRow, 'signalRid'>,
  signalRid: number,
): StoredPseudonymRow {
  return p.held === undefined
    ? { stored: p.stored, epoch: p.epoch, generation: p.generation, role: p.role, signalRid }
    : { ...p, signalRid };
}

/** The stored pseudonyms of a placement's new signal: subject values, then parents'. */
export function storedRows(current: PreparedPlacement): Omit<StoredPseudonymRow, 'signalRid'>[] {
  const { subject, parents, generation } = current;
  return [
    ...subject.map((p) => ({ stored: p.stored, epoch: p.epoch, generation, role: 'subject' as const })),
    ...parents.flat().map((p) => ({ stored: p.stored, epoch: p.epoch, generation, role: 'parent' as const })),
  ];
}

/** Every (role, stored value) the placements look up, subject values first per placement: what a write reads for all of them at once. */
export function lookupValues(
  ps: readonly (PreparedPlacement | undefined)[],
): { readonly role: PseudonymRole; readonly stored: Uint8Array }[] {
  // A loop, not flatMaps of spreads: the batch path calls it for 500 items at once.
  const out: { readonly role: PseudonymRole; readonly stored: Uint8Array }[] = [];
  for (const p of ps) {
    if (p === undefined) continue;
    for (const d of p.subject) for (const stored of d.lookup) out.push({ role: 'subject', stored });
    for (const pp of p.parents)
      for (const d of pp) for (const stored of d.lookup) out.push({ role: 'parent', stored });
  }
  return out;
}

export function probeOf(role: Probe['role'], p: DerivedPseudonym, batch: BatchState | undefined): Probe {
  return {
    role,
    epoch: p.epoch,
    stored: p.stored,
    lookup: p.lookup,
    paid: batch?.tally.isPaid(role, p.stored) ?? false,
  };
}
