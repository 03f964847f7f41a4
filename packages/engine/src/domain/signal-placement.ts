// Signal placement inside a write, single and batch: idempotent per (organisation, requestId),
// one active signal per person per organisation, budget-checked, then matched. Everything
// happens in one write operation (a batch item all or nothing, store.ts `batchItem`), so a
// refusal changes nothing; only stored (re-keyed) pseudonyms reach the store.

import type { BatchItemResult, PlaceSignalInput, PlacementResult } from '../api.js';
import { EngineError, isEngineError } from '../errors.js';
import { newUuid } from '../ids.js';
import { constantTimeEqual } from '../protocol/bytes.js';
import type {
  NewSignal,
  OrganisationRow,
  SignalRow,
  StoredPseudonymRow,
  StoreReader,
  StoreWriter,
} from '../store/store.js';
import { DAY_MS, endOfDay } from '../time.js';
import { type DecodedPseudonym, fail, type ValidPlacement } from '../validation.js';
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
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { giveArchiveNotices } from './archive-notice.js';
import { appendLog, appendLogFenced } from './logbook.js';
import { countStatistic } from './management-information.js';
import { matchSignal } from './matching.js';
import { signalView, signalViewOf } from './views.js';
import { type PreparedPlacement, preparePlacement, atCurrentGeneration } from './signal-prepare.js';
import type { DerivedPseudonym } from './stored-values.js';
import { isLookupRefusal } from './secret-generation.js';

export interface PlacementDone {
  readonly result: PlacementResult;
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
interface BatchState {
  readonly epochs: Map<number, boolean>;
  readonly tally: PlacementTally;
}

/** One placement inside a write. `log` false: the caller logs the batch as one entry. */
async function placeInTx(
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
  const { v, subject, parents, hash, hashes, generation, subjectLookup } = current;
  await checkEpochs(tx, [...v.subject, ...v.parents.flat()], batch?.epochs);
  const prior = await tx.getSignalByRequest(org.rid, v.requestId);
  if (prior !== undefined) {
    const seen = Buffer.from(prior.requestHash);
    const candidates = seen.length === hash.length ? hashes : current.hashesOfLength(seen.length);
    // The hash is an HMAC under the server secret (docs/leakage.md §3.7): compared in constant time.
    if (!candidates.some((h) => constantTimeEqual(seen, h))) {
      throw new EngineError('request_id_reused', 'the request id was used for a different placement');
    }
    return {
      result: { outcome: 'replayed', signal: await signalView(tx, prior, org.id) },
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
  if (!ctx.config.sameOrganisationMatching) {
    const existing = samePerson.find((t) => t.organisationRid === org.rid && t.status === 'active');
    if (existing !== undefined) {
      return {
        result: { outcome: 'existing', signal: await signalView(tx, existing, org.id) },
        created: false,
        alerted: false,
      };
    }
  }
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
  );
  // A single placement enters its organisation's budget section last (below); a batch
  // counts in memory (PlacementTally).
  if (batch !== undefined) await batch.tally.check(units);
  const activeUntil = now + ctx.config.activeTermDays * DAY_MS;
  const expiresAt = v.endDay === undefined ? activeUntil : Math.min(endOfDay(v.endDay), activeUntil);
  const id = newUuid(ctx.random);
  const row: NewSignal = {
    id,
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
    hasParents: parents.length > 0,
    parentsAtPlacement: parents.length,
    legalBasis: v.legalBasis,
    requestId: v.requestId,
    requestHash: hash,
    personRid: placer,
  };
  const rid = await tx.insertSignal(row);
  // The row as stored, without reading it back (test: "the created signal's view is the view read back").
  const s: SignalRow = { rid, ...row, personRid: placer };
  const rows: StoredPseudonymRow[] = [
    ...subject.map((p) => ({
      stored: p.stored,
      signalRid: rid,
      epoch: p.epoch,
      generation,
      role: 'subject' as const,
    })),
    ...parents.flat().map((p) => ({
      stored: p.stored,
      signalRid: rid,
      epoch: p.epoch,
      generation,
      role: 'parent' as const,
    })),
  ];
  await tx.insertPseudonyms(rows);
  let alerted = batch === undefined ? false : await batch.tally.count(units, probes);
  if (log) {
    // No other instance has moved the store past the generation the values are at (checked
    // where the store chains the entry: on PostgreSQL just before COMMIT). A batch item is
    // fenced with its whole batch at the end (a refusal after an item's first write would
    // fail the batch, store.ts `batchItem`).
    if (batch === undefined) await tx.fenceGeneration(generation);
    await appendLog(
      tx,
      now,
      actor,
      'signal.placed',
      // The actor already names the organisation and key: placements are most of the
      // logbook, so their refs carry only what the actor does not (docs/engine.md "Size").
      { signalId: id, requestId: v.requestId },
      { epochs: subject.length, parents: parents.length, ...basisDetails(v) },
    );
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
  // The signals for this person and its parents were read above (before the insert), so
  // matching need not read them again; nor need the view read back the epochs just written.
  await matchSignal(
    ctx,
    tx,
    s,
    { subject: subjectLookup, parents: parents.flat().flatMap((p) => p.lookup) },
    now,
    {
      subjectSignals: samePerson,
      parentSignals: unionByRid(parentHits),
      organisation: org,
    },
  );
  const notices = await giveArchiveNotices(ctx, tx, org, s, v.legalBasis, samePerson, now);
  await countStatistic(tx, now, org.type, 'signals_placed');
  const epochs = [...new Set(subject.map((p) => p.epoch))].sort((a, b) => a - b);
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

/**
 * The legal basis as the logbook records it (docs/engine.md "Legal basis"): the basis and,
 * for consent or non-objection, the attestation's date and whether a form was referenced
 * (the reference itself stays in the organisation's files).
 */
export function basisDetails(v: ValidPlacement): Record<string, string | boolean> {
  // jeugdwet is most of the logbook: its entries carry no basis (absent means jeugdwet).
  if (v.attestation === undefined) return {};
  return {
    basis: v.legalBasis,
    attestedOn: v.attestation.date,
    formReference: v.attestation.formReference !== undefined,
  };
}

function probeOf(role: Probe['role'], p: DerivedPseudonym, batch: BatchState | undefined): Probe {
  return {
    role,
    epoch: p.epoch,
    stored: p.stored,
    lookup: p.lookup,
    paid: batch?.tally.isPaid(role, p.stored) ?? false,
  };
}

/** The signals found by several lookups, each once, in rid order (as one lookup returns them). */
function unionByRid(lists: readonly (readonly SignalRow[])[]): SignalRow[] {
  const out = new Map<number, SignalRow>();
  for (const l of lists) for (const t of l) if (!out.has(t.rid)) out.set(t.rid, t);
  return [...out.values()].sort((x, y) => x.rid - y.rid);
}

export async function placeSignal(
  ctx: EngineContext,
  actor: OrganisationActor,
  input: PlaceSignalInput,
): Promise<PlacementDone> {
  requireOrganisationActor(actor);
  const now = ctx.clock();
  const prep = preparePlacement(ctx, input, now);
  return ctx.store.write(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    return placeInTx(ctx, tx, actor, org, await actingPersonRid(tx, actor, org), prep, now, true);
  });
}

const MAX_BATCH_ITEMS = 500;

/** A batch (placement or migration) holds 1 to MAX_BATCH_ITEMS items. */
export function checkBatchSize(inputs: unknown): void {
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > MAX_BATCH_ITEMS) fail(['items']);
}

/**
 * The batch path: every item is placed as if alone (idempotency, budget, matching), all or
 * nothing (`tx.batchItem`: every refusal of a placement comes before its first write), all in
 * one write operation, and the batch is logged as ONE
 * `signals.placed` entry listing the created signal ids (ids only) — which keeps the
 * logbook's share of the disk small at millions of signals (docs/engine.md "Size").
 */
export async function placeSignalBatch(
  ctx: EngineContext,
  actor: OrganisationActor,
  inputs: readonly PlaceSignalInput[],
): Promise<{ results: BatchItemResult[]; done: PlacementDone[] }> {
  requireOrganisationActor(actor);
  checkBatchSize(inputs);
  const now = ctx.clock();
  const prepared = inputs.map((input) => {
    try {
      return preparePlacement(ctx, input, now);
    } catch (e) {
      return e;
    }
  });
  return ctx.store.write(async (tx) => {
    // Every item is derived at this generation or later: fenced at the end (secret-generation.ts).
    const used = ctx.secrets.current;
    const org = await actingOrganisation(tx, actor);
    const placer = await actingPersonRid(tx, actor, org);
    const batch: BatchState = { epochs: new Map(), tally: new PlacementTally(ctx, tx, org, now) };
    // Every person of the batch's section at once, before the first item (clause 4): two
    // batches about the same people then wait for each other instead of deadlocking.
    await tx.enterPersonSections(
      prepared.flatMap((prep) => {
        if (!(typeof prep === 'object' && prep !== null && 'hash' in prep)) return [];
        const p = atCurrentGeneration(ctx, prep as PreparedPlacement);
        return [...p.subject, ...p.parents.flat()].flatMap((d) => d.lookup);
      }),
    );
    const results: BatchItemResult[] = [];
    const done: PlacementDone[] = [];
    const created: string[] = [];
    const counts = { created: 0, replayed: 0, existing: 0, refused: 0 };
    let lookupRefused = false;
    for (let index = 0; index < prepared.length; index++) {
      const prep = prepared[index];
      if (!(typeof prep === 'object' && prep !== null && 'hash' in prep)) {
        results.push(toItemError(index, prep));
        counts.refused++;
        continue;
      }
      const tallied = batch.tally.snapshot();
      try {
        // All of a placement's refusals come before its first write; the store keeps the
        // item all or nothing without a savepoint where it can (store.ts `batchItem`).
        const d = await tx.batchItem(() =>
          // A consent or no-objection item gets its own entry too: its basis and
          // attestation are on record per signal (docs/engine.md "Legal basis").
          {
            const p = prep as PreparedPlacement;
            return placeInTx(ctx, tx, actor, org, placer, p, now, p.v.legalBasis !== 'jeugdwet', batch);
          },
        );
        done.push(d);
        counts[d.result.outcome]++;
        if (d.created) created.push(d.result.signal.id);
        results.push({ index, ok: true, outcome: d.result.outcome, signal: d.result.signal });
      } catch (e) {
        // A storage fault (not a domain refusal) may have ended the transaction: fail the
        // whole operation rather than go on outside it. So does the fence: the whole batch
        // runs again at the new generation.
        if (!isEngineError(e) || e.code === 'secret_generation_stale') throw e;
        lookupRefused ||= isLookupRefusal(e);
        batch.tally.restore(tallied);
        counts.refused++;
        results.push(toItemError(index, e));
      }
    }
    await batch.tally.flush();
    if (created.length > 0) {
      await appendLogFenced(tx, used, now, actor, 'signals.placed', { signalIds: created.join(',') }, counts);
    } else if (lookupRefused) {
      // A refusal that rests on what a lookup found is believed only at the store's generation.
      await tx.fenceGeneration(used);
    }
    return { results, done };
  });
}

export function toItemError(index: number, e: unknown): BatchItemResult {
  if (isEngineError(e)) return { index, ok: false, code: e.code, fields: e.fields };
  return { index, ok: false, code: 'internal', fields: [] };
}
