// Changes to an organisation's own signals: withdraw, transfer, rectify the contact and
// update the informed status. Each runs in one write operation and is logged; a contact
// change is announced to the counterparts of every match of the signal, a transfer also to
// the own inbox (the new holder inherits the matches).

import type { Contact, Informed, Signal, WithdrawReason } from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { OrganisationRow, PersonRow, SignalRow, StoreWriter } from '../store/store.js';
import { fail, validateContact, validateInformed } from '../validation.js';
import {
  actingOrganisation,
  canHoldSignals,
  heldBy,
  type EngineContext,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { deactivate, removeSignal } from './lifecycle.js';
import { appendLog } from './logbook.js';
import { countStatistic } from './management-information.js';
import { notify, notifyCounterpart } from './notify.js';
import { isLive, signalView } from './views.js';
import { ownSignal } from './signal-reads.js';

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
    const s = await ownSignal(tx, org.rid, signalId, await heldBy(tx, actor, org));
    const refs = { organisationId: org.id, keyId: actor.keyId, signalId: s.id };
    // An expired signal is inactive from its expiresAt on, recorded yet or not (views.ts isLive).
    const live = isLive(s, now);
    if (reason === 'error' || live) await countStatistic(tx, now, org.type, 'signals_withdrawn');
    if (reason === 'ended') {
      if (!live) throw new EngineError('signal_inactive', 'the signal is not active');
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
    await notifyCounterpart(ctx, tx, m, m.a === s.rid ? 'a' : 'b', now);
  }
}

export async function transferSignals(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalIds: readonly string[],
  contact: Contact,
  toPersonId?: string,
): Promise<number> {
  requireOrganisationActor(actor);
  if (!Array.isArray(signalIds) || signalIds.length < 1 || signalIds.length > 1000) fail(['signalIds']);
  if (toPersonId !== undefined && (typeof toPersonId !== 'string' || !isUuid(toPersonId))) fail(['personId']);
  const ids = signalIds.map((id, i) => {
    if (typeof id !== 'string' || !isUuid(id)) fail([`signalIds.${i}`]);
    return id.toLowerCase();
  });
  if (new Set(ids).size !== ids.length) fail(['signalIds']);
  const c = validateContact(contact);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    // The colleague, when named, becomes the signals' holder: they get the match notice
    // e-mails, see the matches in the portal and a later transfer finds the signals by them
    // (docs/api.md "Need to know"). Another organisation's, a removed or an unknown person
    // answer alike; a person of the organisation who is no professional cannot hold a
    // signal (no session of theirs would see its matches) and is refused with its own code.
    let colleague: PersonRow | undefined;
    if (toPersonId !== undefined) {
      const p = await tx.getPerson(toPersonId.toLowerCase());
      if (p === undefined || p.organisationRid !== org.rid || p.status !== 'active') fail(['personId']);
      if (!canHoldSignals(p)) {
        throw new EngineError('recipient_not_professional', 'only a professional can hold a signal', {
          fields: ['personId'],
        });
      }
      colleague = p;
    }
    const signals: SignalRow[] = [];
    const holder = await heldBy(tx, actor, org);
    for (const id of ids) {
      const s = await ownSignal(tx, org.rid, id, holder);
      if (!isLive(s, now)) throw new EngineError('signal_inactive', 'the signal is not active');
      signals.push(s);
    }
    // The leaver no longer gets the match notice e-mail for these signals (docs/engine.md
    // "Match notice e-mail"); the colleague does when the transfer names them.
    const told = new Map<string, { org: OrganisationRow; matchId: string }>();
    const tell = (o: OrganisationRow, matchId: string) =>
      told.set(`${o.rid} ${matchId}`, { org: o, matchId });
    for (const s of signals) {
      await tx.updateSignal(s.rid, { contact: c, personRid: colleague?.rid ?? null });
      // Whoever asked for it is answered by the transfer (docs/engine.md "Handover requests").
      await tx.deleteHandoverRequestsOfSignal(s.rid);
      for (const m of await tx.matchesOfSignal(s.rid)) {
        const other = await tx.getSignalByRid(m.a === s.rid ? m.b : m.a);
        const o = other === undefined ? undefined : await tx.getOrganisationByRid(other.organisationRid);
        if (o !== undefined) tell(o, m.id);
        // The own inbox too, so the new holder's session finds the matches it inherits after
        // its cursor (docs/api.md "Need to know"); once per inbox and match.
        tell(org, m.id);
      }
    }
    // In organisation order: each inbox cursor is a lock held to commit (notifyParties).
    for (const { org: o, matchId } of [...told.values()].sort((x, y) => x.org.rid - y.org.rid)) {
      await notify(ctx, tx, o, 'match.updated', matchId, now);
    }
    // The new holder by person id (an internal id, never a name): who holds a signal can be
    // told from the chain alone (docs/engine.md "Logbook").
    await appendLog(
      tx,
      now,
      actor,
      'signal.transferred',
      {
        organisationId: org.id,
        keyId: actor.keyId,
        ...(colleague === undefined ? {} : { personId: colleague.id }),
        signalIds: ids.join(','),
      },
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
    const s = await ownSignal(tx, org.rid, signalId, await heldBy(tx, actor, org));
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
    const s = await ownSignal(tx, org.rid, signalId, await heldBy(tx, actor, org));
    if (!isLive(s, now)) throw new EngineError('signal_inactive', 'the signal is not active');
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
