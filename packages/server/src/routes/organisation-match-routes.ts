// Match routes of an organisation (docs/api.md "Organisation routes"): the inbox, one match,
// contact made and the other follow-up outcomes, and regie. Only the matched organisations can
// see a match — of an organisation, its key and the professional holding the matched signal
// (docs/api.md "Need to know", in the engine); nothing here answers whether a person is known
// (docs/threat-model.md §5.3).

import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { inboxEventOut, matchOut } from '../http/wire.js';
import { actorOf } from './organisation-helpers.js';

export const organisationMatchRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/matches',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'inbox',
    summary: 'The match inbox: this organisation’s match events, oldest first',
    description:
      'A professional’s session gets only the events of the matches of the signals the person holds (placed, or moved to them by a transfer); a colleague’s match is left out and answers not_found on every match route (docs/api.md “Need to know”). The organisation’s key gets all of the organisation’s.',
    tag: 'matches',
    query: S.InboxQuery,
    responses: { 200: ok('A page of inbox events', S.InboxOut) },
    handler: async ({ principal, query, services }) => {
      const page = await services.engine.inbox(actorOf(principal), query.cursor, query.limit ?? 100);
      return {
        status: 200,
        body: {
          items: page.items.map(inboxEventOut),
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/matches/{matchId}',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'getMatch',
    summary: 'One match, current view',
    tag: 'matches',
    params: S.MatchIdParams,
    responses: { 200: ok('The match', S.MatchOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: matchOut(await services.engine.getMatch(actorOf(principal), params.matchId)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/matches/{matchId}/contact-made',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'recordContactMade',
    summary: 'Record that contact with the counterpart was made',
    tag: 'matches',
    params: S.MatchIdParams,
    body: S.Empty,
    responses: { 200: ok('The match', S.MatchOut) },
    handler: async ({ principal, params, services }) => {
      const m = await services.engine.recordContactMade(actorOf(principal), params.matchId);
      return { status: 200, body: matchOut(m) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/matches/{matchId}/follow-up',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'recordFollowUp',
    summary: 'Record this party’s follow-up outcome (contact made, or why no contact is needed)',
    tag: 'matches',
    params: S.MatchIdParams,
    body: S.FollowUpBody,
    responses: { 200: ok('The match', S.MatchOut) },
    handler: async ({ principal, params, body, services }) => {
      const m = await services.engine.recordFollowUp(actorOf(principal), params.matchId, body.outcome);
      return { status: 200, body: matchOut(m) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/matches/{matchId}/regie',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'regie',
    summary: 'Propose, accept, decline or hand over regie (who takes the lead)',
    tag: 'matches',
    params: S.MatchIdParams,
    body: S.Regie,
    problems: ['conflict'],
    responses: { 200: ok('The match', S.MatchOut) },
    handler: async ({ principal, params, body, services }) => {
      const m = await services.engine.regie(actorOf(principal), params.matchId, body);
      return { status: 200, body: matchOut(m) };
    },
  }),
];
