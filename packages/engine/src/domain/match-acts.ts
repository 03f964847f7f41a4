// Working on a match: the acting party records its follow-up outcome or proposes, accepts,
// declines or hands over regie (docs/engine.md "Follow-up outcomes",
// "Working together after a match"). Invariants: only a party of the match acts on it
// (matches.ts `ownMatch`, a holder's own matches only), the counterpart is told
// (`match.updated`), each act is logged, and the view it answers reveals contact, so it is
// logged as a read (matches.ts `reveal`).

import { FOLLOW_UP_OUTCOMES, type FollowUpOutcome, type MatchView, type RegieAction } from '../api.js';
import { EngineError } from '../errors.js';
import type { Side } from '../store/store.js';
import { fail } from '../validation.js';
import {
  actingOrganisation,
  heldBy,
  type EngineContext,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { appendLog } from './logbook.js';
import { countContactTime, countStatistic } from './management-information.js';
import { ownMatch, reveal } from './matches.js';
import { notifyCounterpart } from './notify.js';
import { followUpOf, matchView } from './views.js';

export const otherSide = (s: Side): Side => (s === 'a' ? 'b' : 'a');

export async function recordContactMade(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
): Promise<MatchView> {
  return recordFollowUp(ctx, actor, matchId, 'contact_made');
}

/**
 * Records the acting party's follow-up outcome (docs/engine.md "Follow-up outcomes"). The
 * same outcome again changes nothing (a retry is harmless); a different one replaces it
 * with the new time, so a professional can correct "already in contact" to "contact made".
 * Allowed on an ended match too: the follow-up of a match that ended is still worth knowing.
 */
export async function recordFollowUp(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
  outcome: FollowUpOutcome,
): Promise<MatchView> {
  requireOrganisationActor(actor);
  if (!FOLLOW_UP_OUTCOMES.includes(outcome)) fail(['outcome']);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const holder = await heldBy(tx, actor, org);
    const { m, side } = await ownMatch(tx, org.rid, matchId, holder, now);
    const before = followUpOf(m, side);
    if (before?.outcome !== outcome) {
      // Management information counts a side's first outcome only: a correction would
      // change a closed month's cell (docs/privacy.md §3a).
      if (before === null) {
        await countStatistic(tx, now, org.type, outcome);
        if (outcome === 'contact_made') await countContactTime(tx, now, org.type, now - m.createdAt);
      }
      await tx.updateMatch(
        m.rid,
        side === 'a' ? { contactMadeA: now, outcomeA: outcome } : { contactMadeB: now, outcomeB: outcome },
      );
      await notifyCounterpart(ctx, tx, m, side, now);
      const refs = { organisationId: org.id, keyId: actor.keyId, matchId: m.id };
      // 'match.contact_made' keeps its name (and entries written before the other outcomes).
      if (outcome === 'contact_made') await appendLog(tx, now, actor, 'match.contact_made', refs);
      else await appendLog(tx, now, actor, 'match.follow_up', refs, { outcome });
    }
    await reveal(ctx, tx, actor, org.id, m, now, outcome === 'contact_made' ? 'contact_made' : 'follow_up');
    return (await matchView(tx, (await tx.getMatch(m.id))!, now, org.rid, holder))!;
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
    const holder = await heldBy(tx, actor, org);
    const { m, side } = await ownMatch(tx, org.rid, matchId, holder, now);
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
    await notifyCounterpart(ctx, tx, m, side, now);
    await appendLog(
      tx,
      now,
      actor,
      'match.regie',
      { organisationId: org.id, keyId: actor.keyId, matchId: m.id },
      details,
    );
    await reveal(ctx, tx, actor, org.id, m, now, 'regie');
    return (await matchView(tx, (await tx.getMatch(m.id))!, now, org.rid, holder))!;
  });
}
