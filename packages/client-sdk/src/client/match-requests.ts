// The match inbox and the follow-up of one match: a page of events (or all of them, drained),
// one match, contact made or another follow-up outcome, and the regie handshake (docs/api.md).
// Invariant: every input is checked locally first, so a bad request never leaves the process
// and errors name field paths only.

import { SluisError } from '../errors.js';
import { type RequestContext, sid } from './request-context.js';
import { asInboxEvent, asMatch, asPage } from './responses.js';
import {
  FOLLOW_UP_OUTCOMES,
  type FollowUpOutcome,
  type InboxEvent,
  type MatchView,
  type Page,
  type RegieAction,
} from './types.js';
import { FieldErrors, checkCursor, checkLimit } from './validate.js';

/** One page of the match inbox after `cursor` (oldest first). */
export async function matches(
  ctx: RequestContext,
  query: { cursor?: string; limit?: number } = {},
): Promise<Page<InboxEvent>> {
  const errors = new FieldErrors();
  checkLimit(query.limit, errors);
  checkCursor(query.cursor, errors);
  errors.throwIfAny();
  const body = await ctx.send({
    method: 'GET',
    path: '/v1/matches',
    query: [
      ['cursor', query.cursor],
      ['limit', query.limit],
    ],
    idempotent: true,
  });
  return asPage(body, asInboxEvent);
}

export async function getMatch(ctx: RequestContext, matchId: string): Promise<MatchView> {
  return asMatch(
    await ctx.send({ method: 'GET', path: `/v1/matches/${sid(matchId, 'matchId')}`, idempotent: true }),
  );
}

/** Records that this professional made contact with the counterpart. */
export async function contactMade(ctx: RequestContext, matchId: string): Promise<MatchView> {
  const path = `/v1/matches/${sid(matchId, 'matchId')}/contact-made`;
  return asMatch(await ctx.send({ method: 'POST', path, body: {}, idempotent: true }));
}

/**
 * Records this professional's follow-up outcome: contact made, or why none is needed. The
 * same outcome again is harmless (the server keeps the first time), so it is retried.
 */
export async function recordFollowUp(
  ctx: RequestContext,
  matchId: string,
  outcome: FollowUpOutcome,
): Promise<MatchView> {
  if (!FOLLOW_UP_OUTCOMES.includes(outcome)) throw new SluisError('input_invalid', { fields: ['outcome'] });
  const path = `/v1/matches/${sid(matchId, 'matchId')}/follow-up`;
  return asMatch(await ctx.send({ method: 'POST', path, body: { outcome }, idempotent: true }));
}

export async function regie(ctx: RequestContext, matchId: string, action: RegieAction): Promise<MatchView> {
  const a = action as Record<string, unknown>;
  const ok =
    typeof action === 'object' &&
    action !== null &&
    ((a.action === 'propose' && (a.for === 'me' || a.for === 'counterpart') && Object.keys(a).length === 2) ||
      ((a.action === 'accept' || a.action === 'decline' || a.action === 'handover') &&
        Object.keys(a).length === 1));
  if (!ok) throw new SluisError('input_invalid', { fields: ['action'] });
  const path = `/v1/matches/${sid(matchId, 'matchId')}/regie`;
  return asMatch(await ctx.send({ method: 'POST', path, body: action, idempotent: false }));
}

/**
 * Every inbox event after `from` (or from the beginning), until the inbox is drained.
 * Persist each event's `cursor` to resume later without missing or repeating one.
 */
export async function* inbox(
  ctx: RequestContext,
  options: { from?: string; limit?: number } = {},
): AsyncGenerator<InboxEvent> {
  let cursor = options.from;
  for (;;) {
    const page = await matches(ctx, {
      ...(cursor === undefined ? {} : { cursor }),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    yield* page.items;
    if (page.items.length === 0 || page.nextCursor === undefined) return;
    cursor = page.nextCursor;
  }
}
