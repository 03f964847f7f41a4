// Handing one signal over (docs/api.md "Handover requests"): a professional whose placement
// was answered `existing` for a colleague's signal asks their organisation coordinator to
// hand it over; the coordinator lists the requests and transfers the one signal with
// POST /v1/signals/transfer, or declines. The ask answers 202 whatever was found, so the
// professional learns nothing new (docs/api.md "Need to know"); a decline is told to the
// professional who asked, without the signal (GET …/declined). Registered before the
// /v1/signals/{signalId} routes, whose parameter would otherwise take the path.

import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { iso, signalOut } from '../http/wire.js';
import { actorOf } from './organisation-helpers.js';

export const handoverRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/signals/handover-requests',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'requestHandover',
    summary: 'Ask the organisation coordinator to hand over the signal a placement was refused for',
    description:
      'After a placement answered `existing` with `heldByYou: false` (kept 24 hours). Answers 202 whether or not a request was made: it says nothing about the signal or its holder (docs/api.md “Need to know”).',
    tag: 'signals',
    body: S.HandoverAsk,
    responses: { 202: ok('Accepted; nothing more is said') },
    handler: async ({ principal, body, services }) => {
      await services.engine.requestHandover(actorOf(principal), body.requestId);
      return { status: 202 };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/signals/handover-requests',
    role: 'organisation',
    roles: ['organisation_coordinator'],
    operationId: 'listHandoverRequests',
    summary: 'Open requests of the organisation’s professionals to be handed a signal',
    description:
      'Each with who asked, when, the signal as GET /v1/signals/{signalId} shows it and its holder. Hand it over with POST /v1/signals/transfer (one signal, personId the asker) or decline.',
    tag: 'signals',
    responses: { 200: ok('The open requests, oldest first', S.HandoverRequestsOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: {
        items: (await services.engine.listHandoverRequests(actorOf(principal))).map((h) => ({
          id: h.id,
          requestedBy: h.requestedBy,
          requestedAt: iso(h.requestedAt),
          heldBy: h.heldBy,
          signal: signalOut(h.signal),
        })),
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/signals/handover-requests/declined',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'listDeclinedHandoverRequests',
    summary: 'The own handover requests the organisation coordinator declined (the last 30 days)',
    description:
      'Newest decline first, each with when the professional asked and when it was declined: nothing of the signal. Kept 30 days after the decline (docs/engine.md “Handover requests”). The key alone, acting for no person, gets an empty list.',
    tag: 'signals',
    responses: { 200: ok('The declined requests', S.HandoverDeclinesOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: {
        items: (await services.engine.listHandoverDeclines(actorOf(principal))).map((d) => ({
          requestedAt: iso(d.requestedAt),
          declinedAt: iso(d.declinedAt),
        })),
      },
    }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/signals/handover-requests/{handoverRequestId}',
    role: 'organisation',
    roles: ['organisation_coordinator'],
    operationId: 'declineHandoverRequest',
    summary: 'Decline a handover request',
    tag: 'signals',
    params: S.HandoverRequestIdParams,
    problems: ['not_found'],
    responses: { 204: ok('Declined') },
    handler: async ({ principal, params, services }) => {
      await services.engine.declineHandoverRequest(actorOf(principal), params.handoverRequestId);
      return { status: 204 };
    },
  }),
];
