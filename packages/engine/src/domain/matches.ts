// Reading and working on matches: the inbox (events rendered as the match is now), one
// match, contact made, regie. Every read that reveals contact details appends a
// `match.revealed` logbook entry in the same transaction before the caller sees anything
// (Jeugdwet logbook duty), so these reads go through the writer.

import type { FollowUpOverviewItem, InboxEvent, MatchView, Page, RegieAction } from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { MatchRow, Side, StoreWriter } from '../store/store.js';
import { DAY_MS, HOUR_MS } from '../time.js';
import { fail, validateCursor, validateLimit } from '../validation.js';
import {
  actingOrganisation,
  type EngineContext,
  notFound,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { appendLog } from './logbook.js';
import { notify } from './notify.js';
import { matchView, sidesFor } from './views.js';

export async function inbox(
  ctx: EngineContext,
  actor: OrganisationActor,
  cursor: string | undefined,
  limit: number,
): Promise<Page<InboxEvent>> {
  requireOrganisationActor(actor);
  const after = validateCursor(cursor);
  const n = validateLimit(limit, 100);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const events = await tx.eventsAfter(org.rid, after, n + 1);
    const views = new Map<string, MatchView | null>();
    const items: InboxEvent[] = [];
    for (const e of events.slice(0, n)) {
      if (!views.has(e.matchId)) {
        const m = await tx.getMatch(e.matchId);
        views.set(e.matchId, m === undefined ? null : ((await matchView(tx, m, org.rid)) ?? null));
      }
      items.push({
        cursor: String(e.cursor),
        type: e.type,
        at: e.at,
        matchId: e.matchId,
        match: views.get(e.matchId)!,
      });
    }
    const revealed: string[] = [];
    for (const [id, v] of views)
      if (v !== null && (await revealDue(ctx, tx, actor, id, now))) revealed.push(id);
    if (revealed.length > 0) {
      await appendLog(
        tx,
        now,
        actor,
        'match.revealed',
        { organisationId: org.id, keyId: actor.keyId, matchIds: revealed.join(',') },
        { count: revealed.length, via: 'inbox' },
      );
    }
    const last = items[items.length - 1];
    return events.length > n && last !== undefined ? { items, nextCursor: last.cursor } : { items };
  });
}

export async function ownMatch(tx: StoreWriter, orgRid: number, matchId: unknown) {
  if (typeof matchId !== 'string' || !isUuid(matchId)) notFound();
  const m = await tx.getMatch(matchId.toLowerCase());
  if (m === undefined) notFound();
  const sides = await sidesFor(tx, m, orgRid);
  if (sides === undefined) notFound();
  return { m, side: sides.side };
}

/**
 * Whether this read must be logged: one `match.revealed` entry per signing key and match
 * per revealLogWindowHours (docs/engine.md "Logbook"), so 300 reads of one match in a day
 * are one entry, not 300, while who saw which match and since when stays on record. True
 * also marks it logged now (the caller logs in the same write).
 */
async function revealDue(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: OrganisationActor,
  matchId: string,
  now: number,
): Promise<boolean> {
  const last = await tx.lastRevealLogged(actor.keyId, matchId);
  const windowMs = ctx.config.revealLogWindowHours * HOUR_MS;
  if (last !== undefined && now >= last && now - last < windowMs) return false;
  await tx.setRevealLogged(actor.keyId, matchId, now);
  return true;
}

export async function reveal(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: OrganisationActor,
  orgId: string,
  m: MatchRow,
  now: number,
  via: string,
) {
  if (!(await revealDue(ctx, tx, actor, m.id, now))) return;
  await appendLog(
    tx,
    now,
    actor,
    'match.revealed',
    { organisationId: orgId, keyId: actor.keyId, matchIds: m.id },
    { count: 1, via },
  );
}

export async function getMatch(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
): Promise<MatchView> {
  requireOrganisationActor(actor);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const { m } = await ownMatch(tx, org.rid, matchId);
    await reveal(ctx, tx, actor, org.id, m, now, 'match');
    return (await matchView(tx, m, org.rid))!;
  });
}

export const otherSide = (s: Side): Side => (s === 'a' ? 'b' : 'a');

export async function counterpartOrg(tx: StoreWriter, m: MatchRow, side: Side) {
  const other = await tx.getSignalByRid(side === 'a' ? m.b : m.a);
  return other === undefined ? undefined : tx.getOrganisationByRid(other.organisationRid);
}

export async function recordContactMade(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
): Promise<MatchView> {
  requireOrganisationActor(actor);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const { m, side } = await ownMatch(tx, org.rid, matchId);
    const current = side === 'a' ? m.contactMadeA : m.contactMadeB;
    if (current === null) {
      await tx.updateMatch(m.rid, side === 'a' ? { contactMadeA: now } : { contactMadeB: now });
      const o = await counterpartOrg(tx, m, side);
      if (o !== undefined) await notify(ctx, tx, o, 'match.updated', m.id, now);
      await appendLog(tx, now, actor, 'match.contact_made', {
        organisationId: org.id,
        keyId: actor.keyId,
        matchId: m.id,
      });
    }
    await reveal(ctx, tx, actor, org.id, m, now, 'contact_made');
    return (await matchView(tx, (await tx.getMatch(m.id))!, org.rid))!;
  });
}

export async function regie(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
  action: RegieAction,
): Promise<MatchView> {
  requireOrganisationActor(actor);
  if (typeof action !== 'object' || action === null) fail(['action']);
  if (action.action === 'propose' && action.for !== 'me' && action.for !== 'counterpart') fail(['for']);
  if (!['propose', 'accept', 'decline', 'handover'].includes(action.action)) fail(['action']);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const { m, side } = await ownMatch(tx, org.rid, matchId);
    if (m.status !== 'active') throw new EngineError('conflict', 'the match has ended');
    const them = otherSide(side);
    let details: Record<string, string> = { action: action.action };
    if (action.action === 'propose') {
      const forSide = action.for === 'me' ? side : them;
      if (m.regieHolder === forSide) throw new EngineError('conflict', 'that party already holds regie');
      await tx.updateMatch(m.rid, { proposalBy: side, proposalFor: forSide, proposalAt: now });
      details = { action: 'propose', for: action.for };
    } else if (action.action === 'handover') {
      // Only the holder can hand regie over; the counterpart receives it at once (the
      // recorded handover is the agreement, as in a team meeting's minutes).
      if (m.regieHolder !== side) throw new EngineError('conflict', 'only the holder can hand over regie');
      await tx.updateMatch(m.rid, {
        regieHolder: them,
        regieSince: now,
        proposalBy: null,
        proposalFor: null,
        proposalAt: null,
      });
    } else {
      if (m.proposalBy !== them || m.proposalFor === null) {
        throw new EngineError('conflict', 'there is no open proposal by the counterpart');
      }
      if (action.action === 'accept') {
        await tx.updateMatch(m.rid, {
          regieHolder: m.proposalFor,
          regieSince: now,
          proposalBy: null,
          proposalFor: null,
          proposalAt: null,
        });
      } else {
        await tx.updateMatch(m.rid, { proposalBy: null, proposalFor: null, proposalAt: null });
      }
    }
    const o = await counterpartOrg(tx, m, side);
    if (o !== undefined) await notify(ctx, tx, o, 'match.updated', m.id, now);
    await appendLog(
      tx,
      now,
      actor,
      'match.regie',
      { organisationId: org.id, keyId: actor.keyId, matchId: m.id },
      details,
    );
    await reveal(ctx, tx, actor, org.id, m, now, 'regie');
    return (await matchView(tx, (await tx.getMatch(m.id))!, org.rid))!;
  });
}

/** The municipality's follow-up overview of active matches: ids, organisations, dates. */
export async function followUpOverview(
  ctx: EngineContext,
  noContactAfterDays: number,
): Promise<FollowUpOverviewItem[]> {
  if (!Number.isInteger(noContactAfterDays) || noContactAfterDays < 0 || noContactAfterDays > 3650) {
    fail(['noContactAfterDays']);
  }
  return ctx.store.read(async (tx) => {
    const now = ctx.clock();
    const out: FollowUpOverviewItem[] = [];
    for (const m of await tx.listMatches('active')) {
      const parties = [];
      const orgIds: Record<Side, string | null> = { a: null, b: null };
      for (const side of ['a', 'b'] as const) {
        const s = await tx.getSignalByRid(side === 'a' ? m.a : m.b);
        const o = s === undefined ? undefined : await tx.getOrganisationByRid(s.organisationRid);
        if (s === undefined || o === undefined) continue;
        orgIds[side] = o.id;
        parties.push({
          organisationId: o.id,
          organisationName: o.name,
          signalId: s.id,
          contactMadeAt: side === 'a' ? m.contactMadeA : m.contactMadeB,
        });
      }
      out.push({
        matchId: m.id,
        kind: m.kind,
        status: m.status,
        createdAt: m.createdAt,
        parties,
        regie: { organisationId: m.regieHolder === null ? null : orgIds[m.regieHolder], since: m.regieSince },
        overdue:
          m.contactMadeA === null &&
          m.contactMadeB === null &&
          now - m.createdAt > noContactAfterDays * DAY_MS,
      });
    }
    return out;
  });
}
