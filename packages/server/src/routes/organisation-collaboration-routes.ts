// Working together after a match (docs/api.md "Working together after a match (consent, agreements)"): consent on
// an own signal, the code lists, and the match's process agreements. Agreements carry codes
// and due dates only, no free text, so no case detail reaches the store.

import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { agreementOut, consentOut } from '../http/wire.js';
import { actorOf } from './organisation-helpers.js';

export const organisationCollaborationRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'PUT',
    path: '/v1/signals/{signalId}/consent',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'recordConsent',
    summary: 'Record the citizen’s consent for coordination (scopes from a fixed list)',
    tag: 'collaboration',
    params: S.SignalIdParams,
    body: S.ConsentBody,
    problems: ['text_forbidden', 'signal_inactive'],
    responses: { 200: ok('The consent as recorded', S.ConsentOnlyOut) },
    handler: async ({ principal, params, body, services }) => {
      const c = await services.engine.recordConsent(actorOf(principal), params.signalId, {
        date: body.date,
        scopes: body.scopes,
        ...(body.formReference === undefined ? {} : { formReference: body.formReference }),
      });
      return { status: 200, body: { consent: consentOut(c) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/signals/{signalId}/consent',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'getConsent',
    summary: 'The consent recorded on an own signal (null when none)',
    tag: 'collaboration',
    params: S.SignalIdParams,
    responses: { 200: ok('The consent or null', S.ConsentMaybeOut) },
    handler: async ({ principal, params, services }) => {
      const c = await services.engine.getConsent(actorOf(principal), params.signalId);
      return { status: 200, body: { consent: c === null ? null : consentOut(c) } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/signals/{signalId}/consent/withdraw',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'withdrawConsent',
    summary: 'Record that the citizen withdrew consent',
    tag: 'collaboration',
    params: S.SignalIdParams,
    body: S.Empty,
    problems: ['conflict'],
    responses: { 200: ok('The withdrawn consent', S.ConsentOnlyOut) },
    handler: async ({ principal, params, services }) => {
      const c = await services.engine.withdrawConsent(actorOf(principal), params.signalId);
      return { status: 200, body: { consent: consentOut(c) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agreements/vocabulary',
    role: 'organisation',
    roles: ['professional', 'organisation_coordinator'],
    operationId: 'vocabulary',
    summary: 'The configured code lists for consent and agreements',
    tag: 'collaboration',
    responses: { 200: ok('Consent scopes, action kinds, information categories, purposes', S.VocabularyOut) },
    handler: async ({ services }) => ({ status: 200, body: services.engine.vocabulary() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/matches/{matchId}/agreements',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'listAgreements',
    summary: 'The match’s process agreements (matched organisations only)',
    tag: 'collaboration',
    params: S.MatchIdParams,
    responses: { 200: ok('The agreements, oldest first', S.AgreementListOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: {
        items: (await services.engine.listAgreements(actorOf(principal), params.matchId)).map(agreementOut),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/matches/{matchId}/agreements',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'addAgreement',
    summary: 'Append a process agreement (codes and a due date; no free text)',
    tag: 'collaboration',
    params: S.MatchIdParams,
    body: S.AgreementBody,
    problems: ['conflict'],
    responses: { 201: ok('The agreement', S.AgreementOut) },
    handler: async ({ principal, params, body, services }) => {
      const a = await services.engine.addAgreement(actorOf(principal), params.matchId, body);
      return { status: 201, body: agreementOut(a) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/matches/{matchId}/agreements/{agreementId}/status',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'setAgreementStatus',
    summary: 'Append a status update to an agreement (open, done, cancelled)',
    tag: 'collaboration',
    params: S.AgreementParams,
    body: S.AgreementStatusBody,
    problems: ['conflict'],
    responses: { 200: ok('The agreement', S.AgreementOut) },
    handler: async ({ principal, params, body, services }) => {
      const a = await services.engine.setAgreementStatus(
        actorOf(principal),
        params.matchId,
        params.agreementId,
        body.status,
      );
      return { status: 200, body: agreementOut(a) };
    },
  }),
];
