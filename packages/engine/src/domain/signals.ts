// Signal operations of an organisation: place (idempotent, one active signal per person
// per organisation), withdraw, transfer, rectify, informed, read, migrate to a new key
// epoch. Client pseudonyms are re-keyed before the write starts and never stored;
// everything else happens inside one write operation, so a refusal changes nothing.

import type {
  BatchItemResult,
  Contact,
  Informed,
  ListSignalsQuery,
  MigrateSignalInput,
  Page,
  PlaceSignalInput,
  PlacementResult,
  Signal,
  WithdrawReason,
} from '../api.js';
import { canonicalJson } from '../canonical-json.js';
import { EngineError, isEngineError } from '../errors.js';
import { isUuid, newUuid } from '../ids.js';
import type {
  OrganisationRow,
  SignalRow,
  StoredPseudonymRow,
  StoreReader,
  StoreWriter,
} from '../store/store.js';
import { DAY_MS, endOfDay } from '../time.js';
import {
  type DecodedPseudonym,
  type ValidPlacement,
  decodePerson,
  fail,
  validateContact,
  validateInformed,
  validateLimit,
  validatePlacement,
} from '../validation.js';
import { checkBudget, countPlacement, PlacementTally } from './budget.js';
import {
  actingOrganisation,
  type EngineContext,
  notFound,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { deactivate, removeSignal } from './lifecycle.js';
import { appendLog } from './logbook.js';
import { catchUp, matchSignal } from './matching.js';
import { notify } from './notify.js';
import { type DerivedPseudonym, derive } from './stored-values.js';
import { signalView, signalViewOf } from './views.js';

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

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Idempotency hash over the canonical input with pseudonyms replaced by their stored
 * values, keyed with the server secret (HMAC, labels.ts), so neither the covenant key
 * nor a database dump can test a guessed identifier, contact or end date against it
 * (brief property 2). It is computed over the generation-1 values and then re-keyed with every later server secret, exactly like a
 * stored value, so a server-secret rotation re-keys it too (docs/keys.md). Returns the
 * hashes at generations current−1 (when > 0) and current: a retry across a rotation
 * still matches its placement.
 */
function requestHashes(
  ctx: EngineContext,
  contact: Contact,
  informed: Informed,
  endDate: string | undefined,
  subject: readonly DerivedPseudonym[],
  parents: readonly (readonly DerivedPseudonym[])[],
): Buffer[] {
  const person = (ps: readonly DerivedPseudonym[]) =>
    ps.map((p) => ({ epoch: p.epoch, stored: hex(p.first) })).sort((x, y) => x.epoch - y.epoch);
  const body = canonicalJson({
    contact: { ...contact },
    informed: { ...informed },
    endDate: endDate ?? null,
    subject: person(subject),
    parents: parents.map(person),
  });
  const generation = subject[0]?.generation ?? 1;
  const out: Buffer[] = [ctx.secrets.requestHashGen1(body)];
  for (let g = 2; g <= generation; g++) out.push(ctx.secrets.rekeyRequestHash(g, out[out.length - 1]!));
  return out.slice(-2);
}

interface PreparedPlacement {
  readonly v: ValidPlacement;
  readonly subject: DerivedPseudonym[];
  readonly parents: DerivedPseudonym[][];
  readonly hash: Buffer;
  /** The hash at generation−1 too (a retry across a server-secret rotation). */
  readonly hashes: readonly Buffer[];
  /** The server-secret generation every derived value is at. */
  readonly generation: number;
  readonly subjectLookup: Buffer[];
}

/** Validation and re-keying: pure CPU, done before the write so the writer stays fast. */
export function preparePlacement(
  ctx: EngineContext,
  input: PlaceSignalInput,
  now: number,
): PreparedPlacement {
  const v = validatePlacement(input, now);
  const subject = v.subject.map((p) => derive(ctx, p));
  const parents = v.parents.map((pp) => pp.map((p) => derive(ctx, p)));
  const subjectStored = new Set(subject.map((p) => hex(p.stored)));
  const parentStored = parents.flat().map((p) => hex(p.stored));
  if (parentStored.some((x) => subjectStored.has(x)) || new Set(parentStored).size !== parentStored.length) {
    fail(['parents']);
  }
  const hashes = requestHashes(ctx, v.contact, v.informed, v.endDate, subject, parents);
  return {
    v,
    subject,
    parents,
    hash: hashes[hashes.length - 1]!,
    hashes,
    generation: ctx.secrets.current,
    subjectLookup: subject.flatMap((p) => p.lookup),
  };
}

/**
 * Re-derives a placement prepared before a server-secret rotation began (the values
 * must be at the generation current when the write runs, docs/keys.md). Pure CPU, rare.
 */
function atCurrentGeneration(ctx: EngineContext, prep: PreparedPlacement): PreparedPlacement {
  if (prep.generation === ctx.secrets.current) return prep;
  const subject = prep.v.subject.map((p) => derive(ctx, p));
  const parents = prep.v.parents.map((pp) => pp.map((p) => derive(ctx, p)));
  const v = prep.v;
  const hashes = requestHashes(ctx, v.contact, v.informed, v.endDate, subject, parents);
  return {
    v,
    subject,
    parents,
    hash: hashes[hashes.length - 1]!,
    hashes,
    generation: ctx.secrets.current,
    subjectLookup: subject.flatMap((p) => p.lookup),
  };
}

/** One placement inside a write. `log` false: the caller logs the batch as one entry. */
async function placeInTx(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: OrganisationActor,
  org: OrganisationRow,
  prep: PreparedPlacement,
  now: number,
  log: boolean,
  batch?: BatchState,
): Promise<PlacementDone> {
  const { v, subject, parents, hash, hashes, generation, subjectLookup } = atCurrentGeneration(ctx, prep);
  await checkEpochs(tx, [...v.subject, ...v.parents.flat()], batch?.epochs);
  const prior = await tx.getSignalByRequest(org.rid, v.requestId);
  if (prior !== undefined) {
    if (!hashes.some((h) => Buffer.from(prior.requestHash).equals(h))) {
      throw new EngineError('request_id_reused', 'the request id was used for a different placement');
    }
    return {
      result: { outcome: 'replayed', signal: await signalView(tx, prior, org.id) },
      created: false,
      alerted: false,
    };
  }
  const samePerson = await tx.findSignalsByStored(subjectLookup, 'subject');
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
  if (batch === undefined) await checkBudget(tx, org, now);
  else await batch.tally.check();
  const activeUntil = now + ctx.config.activeTermDays * DAY_MS;
  const expiresAt = v.endDay === undefined ? activeUntil : Math.min(endOfDay(v.endDay), activeUntil);
  const id = newUuid(ctx.random);
  const rid = await tx.insertSignal({
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
    // A restriction or pending objection is about the person, so a new signal for a
    // restricted person is restricted too (GDPR art. 18).
    restricted: samePerson.some((t) => t.restricted),
    objection: samePerson.some((t) => t.objection === 'pending') ? 'pending' : null,
    hasParents: parents.length > 0,
    parentsAtPlacement: parents.length,
    requestId: v.requestId,
    requestHash: hash,
  });
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
  const alerted = batch === undefined ? await countPlacement(ctx, tx, org, now) : await batch.tally.count();
  if (log) {
    await appendLog(
      tx,
      now,
      actor,
      'signal.placed',
      { organisationId: org.id, keyId: actor.keyId, signalId: id, requestId: v.requestId },
      { epochs: subject.length, parents: parents.length },
    );
  }
  const s = (await tx.getSignalByRid(rid))!;
  // The signals for this person were read above (before the insert), so matching need
  // not read them again; nor need the view read back the epochs just written.
  await matchSignal(
    ctx,
    tx,
    s,
    { subject: subjectLookup, parents: parents.flat().flatMap((p) => p.lookup) },
    now,
    { subjectSignals: samePerson, organisation: org },
  );
  const epochs = [...new Set(subject.map((p) => p.epoch))].sort((a, b) => a - b);
  return {
    result: { outcome: 'created', signal: signalViewOf(s, org.id, epochs) },
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
  return ctx.store.write(async (tx) =>
    placeInTx(ctx, tx, actor, await actingOrganisation(tx, actor), prep, now, true),
  );
}

/**
 * The batch path: every item is placed as if alone (idempotency, budget, matching) in its
 * own nested savepoint, all in one write operation, and the batch is logged as ONE
 * `signals.placed` entry listing the created signal ids (ids only) — which keeps the
 * logbook's share of the disk small at millions of signals (docs/engine.md "Size").
 */
export async function placeSignalBatch(
  ctx: EngineContext,
  actor: OrganisationActor,
  inputs: readonly PlaceSignalInput[],
): Promise<{ results: BatchItemResult[]; done: PlacementDone[] }> {
  requireOrganisationActor(actor);
  const now = ctx.clock();
  const prepared = inputs.map((input) => {
    try {
      return preparePlacement(ctx, input, now);
    } catch (e) {
      return e;
    }
  });
  return ctx.store.write(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    const batch: BatchState = { epochs: new Map(), tally: new PlacementTally(ctx, tx, org, now) };
    const results: BatchItemResult[] = [];
    const done: PlacementDone[] = [];
    const created: string[] = [];
    const counts = { created: 0, replayed: 0, existing: 0, refused: 0 };
    for (let index = 0; index < prepared.length; index++) {
      const prep = prepared[index];
      if (!(typeof prep === 'object' && prep !== null && 'hash' in prep)) {
        results.push(toItemError(index, prep));
        counts.refused++;
        continue;
      }
      const tallied = batch.tally.snapshot();
      try {
        const d = await tx.savepoint(() =>
          placeInTx(ctx, tx, actor, org, prep as PreparedPlacement, now, false, batch),
        );
        done.push(d);
        counts[d.result.outcome]++;
        if (d.created) created.push(d.result.signal.id);
        results.push({ index, ok: true, outcome: d.result.outcome, signal: d.result.signal });
      } catch (e) {
        // A storage fault (not a domain refusal) may have ended the transaction: fail the
        // whole operation rather than go on outside it.
        if (!isEngineError(e)) throw e;
        batch.tally.restore(tallied);
        counts.refused++;
        results.push(toItemError(index, e));
      }
    }
    await batch.tally.flush();
    if (created.length > 0) {
      await appendLog(
        tx,
        now,
        actor,
        'signals.placed',
        { organisationId: org.id, keyId: actor.keyId, signalIds: created.join(',') },
        counts,
      );
    }
    return { results, done };
  });
}

export function toItemError(index: number, e: unknown): BatchItemResult {
  if (isEngineError(e)) return { index, ok: false, code: e.code, fields: e.fields };
  return { index, ok: false, code: 'internal', fields: [] };
}

export async function ownSignal(tx: StoreReader, orgRid: number, signalId: unknown): Promise<SignalRow> {
  if (typeof signalId !== 'string' || !isUuid(signalId)) notFound();
  const s = await tx.getSignal(signalId.toLowerCase());
  if (s === undefined || s.organisationRid !== orgRid) notFound();
  return s;
}

export async function withdrawSignal(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
  reason: WithdrawReason,
): Promise<Signal | null> {
  requireOrganisationActor(actor);
  if (reason !== 'ended' && reason !== 'error') fail(['reason']);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, signalId);
    const refs = { organisationId: org.id, keyId: actor.keyId, signalId: s.id };
    if (reason === 'ended') {
      if (s.status !== 'active') throw new EngineError('signal_inactive', 'the signal is not active');
      const ended = await deactivate(ctx, tx, s, 'ended', now);
      await appendLog(tx, now, actor, 'signal.withdrawn', refs, { reason, matchesEnded: ended });
      return signalView(tx, (await tx.getSignalByRid(s.rid))!, org.id);
    }
    const removed = await removeSignal(ctx, tx, s, now, 'error', actor);
    await appendLog(tx, now, actor, 'signal.withdrawn', refs, { reason, matchesRemoved: removed });
    return null;
  });
}

/** Tells the counterparts of every match of `s` that its contact changed. */
async function announceContactChange(
  ctx: EngineContext,
  tx: StoreWriter,
  s: SignalRow,
  now: number,
): Promise<void> {
  for (const m of await tx.matchesOfSignal(s.rid)) {
    const otherRid = m.a === s.rid ? m.b : m.a;
    const other = await tx.getSignalByRid(otherRid);
    const o = other === undefined ? undefined : await tx.getOrganisationByRid(other.organisationRid);
    if (o !== undefined) await notify(ctx, tx, o, 'match.updated', m.id, now);
  }
}

export async function transferSignals(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalIds: readonly string[],
  contact: Contact,
): Promise<number> {
  requireOrganisationActor(actor);
  if (!Array.isArray(signalIds) || signalIds.length < 1 || signalIds.length > 1000) fail(['signalIds']);
  const ids = signalIds.map((id, i) => {
    if (typeof id !== 'string' || !isUuid(id)) fail([`signalIds.${i}`]);
    return id.toLowerCase();
  });
  if (new Set(ids).size !== ids.length) fail(['signalIds']);
  const c = validateContact(contact);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const signals: SignalRow[] = [];
    for (const id of ids) {
      const s = await ownSignal(tx, org.rid, id);
      if (s.status !== 'active') throw new EngineError('signal_inactive', 'the signal is not active');
      signals.push(s);
    }
    for (const s of signals) {
      await tx.updateSignal(s.rid, { contact: c });
      await announceContactChange(ctx, tx, s, now);
    }
    await appendLog(
      tx,
      now,
      actor,
      'signal.transferred',
      { organisationId: org.id, keyId: actor.keyId, signalIds: ids.join(',') },
      { count: ids.length },
    );
    return ids.length;
  });
}

export async function rectifyContact(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
  contact: Contact,
): Promise<Signal> {
  requireOrganisationActor(actor);
  const c = validateContact(contact);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, signalId);
    await tx.updateSignal(s.rid, { contact: c });
    await announceContactChange(ctx, tx, s, now);
    await appendLog(tx, now, actor, 'signal.rectified', {
      organisationId: org.id,
      keyId: actor.keyId,
      signalId: s.id,
    });
    return signalView(tx, (await tx.getSignalByRid(s.rid))!, org.id);
  });
}

export async function updateInformed(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
  informed: Informed,
): Promise<Signal> {
  requireOrganisationActor(actor);
  const i = validateInformed(informed, ctx.clock());
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, signalId);
    if (s.status !== 'active') throw new EngineError('signal_inactive', 'the signal is not active');
    await tx.updateSignal(s.rid, { informed: i });
    await appendLog(
      tx,
      now,
      actor,
      'signal.informed_updated',
      { organisationId: org.id, keyId: actor.keyId, signalId: s.id },
      { status: i.status },
    );
    return signalView(tx, (await tx.getSignalByRid(s.rid))!, org.id);
  });
}

export async function getSignal(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
): Promise<Signal> {
  requireOrganisationActor(actor);
  return ctx.store.read(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    return signalView(tx, await ownSignal(tx, org.rid, signalId), org.id);
  });
}

export async function listSignals(
  ctx: EngineContext,
  actor: OrganisationActor,
  query: ListSignalsQuery,
): Promise<Page<Signal>> {
  requireOrganisationActor(actor);
  const limit = validateLimit(query?.limit, 100);
  if (query.status !== undefined && query.status !== 'active' && query.status !== 'inactive')
    fail(['status']);
  return ctx.store.read(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    let after = 0;
    if (query.cursor !== undefined) {
      // The cursor is the last signal's public id: internal row ids would reveal how many
      // signals other organisations placed in between.
      if (!isUuid(query.cursor)) fail(['cursor']);
      const c = await tx.getSignal(query.cursor.toLowerCase());
      if (c === undefined || c.organisationRid !== org.rid) fail(['cursor']);
      after = c.rid;
    }
    const rows = await tx.listSignals(org.rid, query.status, after, limit + 1);
    const items: Signal[] = [];
    for (const r of rows.slice(0, limit)) items.push(await signalView(tx, r, org.id));
    const last = items[items.length - 1];
    return rows.length > limit && last !== undefined ? { items, nextCursor: last.id } : { items };
  });
}

/**
 * Adds a signal's pseudonyms under a NEW covenant key epoch (docs/keys.md). This must not
 * become a search (brief property 4): an added subject pseudonym must be under an active
 * epoch newer than every epoch the signal already has — so a signal gains at most one
 * subject pseudonym per new epoch and never another under its current one — and parent
 * pseudonyms only under that same new epoch, at most as many per epoch as the placement
 * named parents. Anything else is `conflict`. A migration that adds pseudonyms counts
 * against the daily placement budget and the hourly alert exactly like a placement.
 * Resending pseudonyms the signal already has adds nothing and is answered 'existing'.
 */
export async function migrateSignal(
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
    decodePerson(pp, `parents.${i}`).map((p) => ({ p, d: derive(ctx, p) })),
  );
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, input.signalId);
    if (s.status !== 'active') throw new EngineError('signal_inactive', 'the signal is not active');
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
    await checkBudget(tx, org, now);
    await tx.insertPseudonyms(add);
    if (parentsPerEpoch.size > 0 && !s.hasParents) await tx.updateSignal(s.rid, { hasParents: true });
    const alerted = await countPlacement(ctx, tx, org, now);
    await appendLog(
      tx,
      now,
      actor,
      'signal.migrated',
      { organisationId: org.id, keyId: actor.keyId, signalId: s.id },
      { added: add.length, epochs: [...new Set(add.map((r) => r.epoch))].join(',') },
    );
    await catchUp(ctx, tx, (await tx.getSignalByRid(s.rid))!, now);
    return {
      result: {
        outcome: 'created',
        signal: await signalView(tx, (await tx.getSignalByRid(s.rid))!, org.id),
      },
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
