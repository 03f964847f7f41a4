// Handover requests (docs/api.md "Handover requests"): a professional whose placement was
// answered `existing` with `heldByYou: false` asks for that one signal by the placement's
// request id; the organisation coordinator lists the open requests and declines one (or hands
// the signal over with `transfer`); the professional reads the declines of the last 30 days.
// Invariant: ids are checked locally (UUIDs) before a request leaves the process, and an error
// names the field, never the value; answers are shape-checked (responses.ts).

import { type RequestContext, sid } from './request-context.js';
import { asArray, asHandoverDecline, asHandoverRequest, asObj } from './responses.js';
import type { HandoverDecline, HandoverRequest } from './types.js';
import { requireUuid } from './validate.js';

const PATH = '/v1/signals/handover-requests';

/**
 * Asks the coordinator for the signal a placement with `requestId` found held by someone else.
 * The server answers alike whether or not a request was made (docs/api.md "Need to know"), so
 * this resolves alike too; asking again is harmless, hence retried.
 */
export async function requestHandover(ctx: RequestContext, requestId: string): Promise<void> {
  const id = requireUuid(requestId, 'requestId');
  await ctx.send({ method: 'POST', path: PATH, body: { requestId: id }, idempotent: true });
}

/** The organisation's open requests, oldest first (organisation coordinator, or the key). */
export async function listHandoverRequests(ctx: RequestContext): Promise<HandoverRequest[]> {
  const body = asObj(await ctx.send({ method: 'GET', path: PATH, idempotent: true }));
  return asArray(body.items, asHandoverRequest);
}

/**
 * Declines an open request (organisation coordinator, or the key): its asker is told. Another
 * organisation's or an unknown id is `not_found` — so is a retry after an unanswered attempt
 * that declined it.
 */
export async function declineHandoverRequest(ctx: RequestContext, handoverRequestId: string): Promise<void> {
  const path = `${PATH}/${sid(handoverRequestId, 'handoverRequestId')}`;
  await ctx.send({ method: 'DELETE', path, idempotent: true });
}

/** The acting professional's own requests declined in the last 30 days, newest decline first. */
export async function declinedHandoverRequests(ctx: RequestContext): Promise<HandoverDecline[]> {
  const body = asObj(await ctx.send({ method: 'GET', path: `${PATH}/declined`, idempotent: true }));
  return asArray(body.items, asHandoverDecline);
}
