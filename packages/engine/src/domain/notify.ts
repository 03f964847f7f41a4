// Inbox events and the webhook outbox, written in the same transaction as the change
// they announce, so a committed change is never missing its notification and a
// rolled-back one never produces one. The outbox payload names the event type, match id
// and cursor only: contact details travel only through the authenticated inbox.

import type { InboxEventType } from '../api.js';
import { newUuid } from '../ids.js';
import type { MatchRow, NewDelivery, OrganisationRow, Side, StoreWriter } from '../store/store.js';
import type { EngineContext } from './context.js';

export async function notify(
  ctx: EngineContext,
  tx: StoreWriter,
  org: OrganisationRow,
  type: InboxEventType,
  matchId: string,
  at: number,
): Promise<void> {
  const cursor = await tx.appendEvent({ organisationRid: org.rid, type, matchId, at });
  const d = deliveryOf(ctx, org, type, matchId, cursor, at);
  if (d !== undefined) await tx.insertDelivery(d);
}

/**
 * Tells the other party of match `m` — the organisation of the signal on the side that is
 * not `side` — that the match changed ('match.updated'); nothing when that signal is gone.
 */
export async function notifyCounterpart(
  ctx: EngineContext,
  tx: StoreWriter,
  m: MatchRow,
  side: Side,
  at: number,
): Promise<void> {
  const other = await tx.getSignalByRid(side === 'a' ? m.b : m.a);
  const o = other === undefined ? undefined : await tx.getOrganisationByRid(other.organisationRid);
  if (o !== undefined) await notify(ctx, tx, o, 'match.updated', m.id, at);
}

/** The webhook outbox row announcing event `cursor`, when the organisation has a webhook. */
export function deliveryOf(
  ctx: EngineContext,
  org: OrganisationRow,
  type: InboxEventType,
  matchId: string,
  cursor: number,
  at: number,
): NewDelivery | undefined {
  if (org.webhookUrl === null) return undefined;
  return {
    id: newUuid(ctx.random),
    organisationRid: org.rid,
    url: org.webhookUrl,
    type,
    matchId,
    cursor,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    lastErrorCode: null,
    createdAt: at,
    deliveredAt: null,
  };
}

/**
 * Notifies each distinct organisation once (a same-organisation match has one inbox), in
 * row order: an inbox cursor is allocated under a lock held to commit (docs/engine.md
 * "Storage contract", clause 4), so two writes notifying the same two organisations take
 * the locks in one order and cannot deadlock.
 */
export async function notifyParties(
  ctx: EngineContext,
  tx: StoreWriter,
  orgs: readonly OrganisationRow[],
  type: InboxEventType,
  matchId: string,
  at: number,
): Promise<void> {
  const seen = new Set<number>();
  for (const o of [...orgs].sort((x, y) => x.rid - y.rid)) {
    if (seen.has(o.rid)) continue;
    seen.add(o.rid);
    await notify(ctx, tx, o, type, matchId, at);
  }
}
