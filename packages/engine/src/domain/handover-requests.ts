// Handing one signal over to a colleague (docs/engine.md "Handover requests"). A placement
// answered `existing` to a person who does not hold the signal is recorded for a day
// (`recordRefusal`, in the placement's write); from that record the person may ask their
// organisation coordinator to hand the signal over (`requestHandover`). The person learns
// nothing new by asking: the answer is the same whether a record, a signal or an earlier
// request exists or not (docs/api.md "Need to know"). The coordinator lists the requests
// with the signal and its holder, and hands the signal over with the existing transfer or
// declines. A request is gone when its signal is transferred, ends or is deleted, or the
// person who asked is removed. A declined request leaves its asker a note — when they asked,
// when it was declined, nothing of the signal — for DECLINE_TERM_MS, so a professional is not
// left waiting. The logbook records ids only. A signal under a restriction
// (GDPR art. 18) or a pending objection is stored only (docs/engine.md "Handover requests"):
// no refusal is recorded for it, no request made, and an open one is not listed meanwhile.

import type { HandoverDecline, HandoverRequest } from '../api.js';
import { newUuid, isUuid } from '../ids.js';
import type { SignalRow, StoreWriter } from '../store/store.js';
import { DAY_MS, HOUR_MS } from '../time.js';
import { fail } from '../validation.js';
import {
  actingOrganisation,
  actingPersonRid,
  type EngineContext,
  notFound,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { appendLog } from './logbook.js';
import { isLive, isRestricted, signalView } from './views.js';

/** How long a placement refusal can be turned into a request (docs/engine.md "Handover requests"). */
export const REFUSAL_TERM_MS = 24 * HOUR_MS;
/** How long the asker of a declined request is told of it (docs/engine.md "Handover requests"). */
export const DECLINE_TERM_MS = 30 * DAY_MS;

/**
 * Records that the organisation's placement `requestId` by person `personRid` was answered
 * `existing` for `signal`, which that person does not hold — not when the signal is
 * restricted or under a pending objection (stored only). Nothing else in the placement's
 * write: a record past REFUSAL_TERM_MS is never used (`requestHandover`) and is deleted by
 * retention's housekeeping (retention.ts).
 */
export async function recordRefusal(
  tx: StoreWriter,
  organisationRid: number,
  requestId: string,
  personRid: number,
  signal: SignalRow,
  now: number,
): Promise<void> {
  if (isRestricted(signal)) return;
  await tx.recordPlacementRefusal({ organisationRid, requestId, personRid, signalRid: signal.rid, at: now });
}

/**
 * The acting person asks to be handed the signal their placement `requestId` was refused
 * for. Answers nothing either way; the record is used up.
 */
export async function requestHandover(
  ctx: EngineContext,
  actor: OrganisationActor,
  requestId: string,
): Promise<void> {
  requireOrganisationActor(actor);
  if (typeof requestId !== 'string' || !isUuid(requestId)) fail(['requestId']);
  await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const person = await actingPersonRid(tx, actor, org);
    if (person === null) return;
    const r = await tx.getPlacementRefusal(org.rid, requestId);
    if (r === undefined || r.personRid !== person) return;
    await tx.deletePlacementRefusal(org.rid, requestId);
    if (r.at < now - REFUSAL_TERM_MS) return;
    const s = await tx.getSignalByRid(r.signalRid);
    if (s === undefined || !isLive(s, now) || s.personRid === person || isRestricted(s)) return;
    const id = newUuid(ctx.random);
    const added = await tx.insertHandoverRequest({
      id,
      organisationRid: org.rid,
      signalRid: s.rid,
      personRid: person,
      requestedAt: now,
    });
    if (!added) return;
    await appendLog(tx, now, actor, 'signal.handover_requested', {
      organisationId: org.id,
      requestId: id,
      signalId: s.id,
    });
  });
}

/**
 * The organisation's open requests, oldest first: each with the signal as the organisation's
 * own view shows it and its holder's person id. A request whose signal is no longer active
 * (expired, not yet recorded), restricted or under a pending objection (listed again when
 * that is lifted), or whose asker holds it by now or was removed, is left out.
 */
export async function listHandoverRequests(
  ctx: EngineContext,
  actor: OrganisationActor,
): Promise<HandoverRequest[]> {
  requireOrganisationActor(actor);
  return ctx.store.read(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const out: HandoverRequest[] = [];
    for (const h of await tx.listHandoverRequests(org.rid)) {
      const s = await tx.getSignalByRid(h.signalRid);
      if (s === undefined || !isLive(s, now) || s.personRid === h.personRid || isRestricted(s)) continue;
      const asker = await tx.getPersonByRid(h.personRid);
      if (asker === undefined || asker.status !== 'active') continue;
      const holder = s.personRid === null ? undefined : await tx.getPersonByRid(s.personRid);
      out.push({
        id: h.id,
        requestedBy: h.personId,
        requestedAt: h.requestedAt,
        heldBy: holder?.id ?? null,
        signal: await signalView(tx, s, org.id),
      });
    }
    return out;
  });
}

/**
 * Declines (deletes) the organisation's request `id`, leaving its asker a decline to be told
 * of (`listHandoverDeclines`); another organisation's answers not_found.
 */
export async function declineHandoverRequest(
  ctx: EngineContext,
  actor: OrganisationActor,
  id: string,
): Promise<void> {
  requireOrganisationActor(actor);
  if (typeof id !== 'string' || !isUuid(id)) notFound();
  await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const h = await tx.getHandoverRequest(id);
    if (h === undefined || h.organisationRid !== org.rid) notFound();
    await tx.deleteHandoverRequest(h.rid);
    await tx.insertHandoverDecline({
      organisationRid: org.rid,
      personRid: h.personRid,
      requestedAt: h.requestedAt,
      declinedAt: now,
    });
    await appendLog(tx, now, actor, 'signal.handover_declined', { organisationId: org.id, requestId: h.id });
  });
}

/**
 * The acting person's requests declined within DECLINE_TERM_MS, newest first: when they asked
 * and when it was declined. Nothing of the signal, so nothing a restriction, a transfer or the
 * signal's end since could change; the key alone, no person, has none.
 */
export async function listHandoverDeclines(
  ctx: EngineContext,
  actor: OrganisationActor,
): Promise<HandoverDecline[]> {
  requireOrganisationActor(actor);
  return ctx.store.read(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const person = await actingPersonRid(tx, actor, org);
    if (person === null) return [];
    return (await tx.listHandoverDeclines(person, now - DECLINE_TERM_MS)).map((d) => ({
      requestedAt: d.requestedAt,
      declinedAt: d.declinedAt,
    }));
  });
}
