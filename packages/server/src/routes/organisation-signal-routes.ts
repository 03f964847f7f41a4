// Signal routes of an organisation (docs/api.md "Organisation routes"): place (single and
// batch), list, read, withdraw, transfer, rectify, informed and epoch migration. Each acts on
// the caller's own signals only — a professional's portal session on the signals that person
// holds (docs/api.md "Need to know", in the engine); a placement never says whether a match
// resulted.

import type { MigrateSignalInput } from '@sluis/engine';
import { BATCH_BODY_LIMIT } from '../http/raw-body.js';
import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { placementBodyCheck } from '../http/schemas/placement-body-check.js';
import { placementChecker } from '../http/schemas/placement-check.js';
import { archiveNoticeOut, placementOut, signalOut } from '../http/wire.js';
import { actorOf, placementInput, contactInput, informedInput, perItem } from './organisation-helpers.js';

export const organisationSignalRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/signals',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'placeSignal',
    summary: 'Place a signal',
    tag: 'signals',
    body: S.SinglePlacement,
    bodyCheck: placementBodyCheck(),
    problems: [
      'text_forbidden',
      'pseudonym_invalid',
      'attestation_required',
      'epoch_unknown',
      'epoch_retired',
      'request_id_reused',
      'budget_exceeded',
      // only with existingOnly: no active signal of this organisation for the person
      'not_found',
    ],
    responses: {
      201: ok('Created', S.PlacementOut),
      200: ok('Replayed (same requestId and body) or existing active signal for this person', S.PlacementOut),
    },
    handler: async ({ principal, body, services }) => {
      const r = await services.engine.placeSignal(actorOf(principal), placementInput(body));
      return {
        status: r.outcome === 'created' ? 201 : 200,
        body: placementOut(r),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/signals/batch',
    role: 'organisation',
    roles: [],
    operationId: 'placeSignals',
    summary: 'Bulk placement (1–500 items, each placed as if sent alone)',
    tag: 'signals',
    body: S.BatchEnvelope,
    bodyDoc: S.BatchDoc,
    bodyLimit: BATCH_BODY_LIMIT,
    returnMinimal: true,
    responses: { 200: ok('One result per item, in request order', S.BatchOut) },
    handler: async ({ principal, body, services, returnMinimal }) => {
      const results = await perItem(
        body.items,
        S.Placement,
        placementInput,
        // The engine builds no signal's view for a minimal answer (docs/engine.md "Batch placement").
        (inputs) => services.engine.placeSignals(actorOf(principal), inputs, { minimal: returnMinimal }),
        { check: placementChecker(), minimal: returnMinimal },
      );
      return { status: 200, body: { results } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/signals/{signalId}/archive-notices',
    role: 'organisation',
    // Another organisation's contact details: the holding professional's, not a
    // coordinator's (docs/api.md "Need to know").
    roles: ['professional'],
    operationId: 'archiveNotices',
    summary: 'The one-time notices from the historic archive an own signal received',
    description:
      'Jeugdwet art. 7.1.4.6: another organisation’s archived signal concerns the same person. Given once per archived signal and organisation, in the placement’s answer; read again here. Not a match; gone once the archived signal is purged.',
    tag: 'signals',
    params: S.SignalIdParams,
    problems: ['not_found'],
    responses: { 200: ok('The notices, oldest first', S.ArchiveNoticesOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: {
        items: (await services.engine.archiveNotices(actorOf(principal), params.signalId)).map(
          archiveNoticeOut,
        ),
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/signals',
    role: 'organisation',
    // Coordinator first: a person holding both roles acts as the coordinator here and keeps
    // the organisation-wide view a transfer needs (docs/api.md "Need to know").
    roles: ['organisation_coordinator', 'professional'],
    operationId: 'listSignals',
    summary: 'Own signals',
    description:
      'The organisation’s own signals in placement order, or the newest placed first (order=newest). With personId, only those that person holds (placed, or moved to them by a transfer naming them): how an organisation coordinator picks a leaver’s signals. A professional’s session lists only the signals it holds (docs/api.md “Need to know”).',
    tag: 'signals',
    query: S.ListSignalsQuery,
    responses: { 200: ok('A page of own signals', S.SignalPageOut) },
    handler: async ({ principal, query, services }) => {
      const page = await services.engine.listSignals(actorOf(principal), {
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.personId === undefined ? {} : { personId: query.personId }),
        ...(query.order === undefined ? {} : { order: query.order }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      });
      return {
        status: 200,
        body: {
          items: page.items.map(signalOut),
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/signals/{signalId}',
    role: 'organisation',
    // Coordinator first: a person holding both roles acts as the coordinator here and keeps
    // the organisation-wide view a transfer needs (docs/api.md "Need to know").
    roles: ['organisation_coordinator', 'professional'],
    operationId: 'getSignal',
    summary: 'One own signal',
    tag: 'signals',
    params: S.SignalIdParams,
    responses: { 200: ok('The signal', S.SignalOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: signalOut(await services.engine.getSignal(actorOf(principal), params.signalId)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/signals/{signalId}/withdraw',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'withdrawSignal',
    summary: 'Withdraw a signal: ended (archived) or error (deleted at once)',
    tag: 'signals',
    params: S.SignalIdParams,
    body: S.Withdraw,
    problems: ['signal_inactive'],
    responses: { 200: ok('Ended: the now inactive signal', S.SignalOut), 204: ok('Error: deleted') },
    handler: async ({ principal, params, body, services }) => {
      const s = await services.engine.withdrawSignal(actorOf(principal), params.signalId, body.reason);
      return s === null ? { status: 204 } : { status: 200, body: signalOut(s) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/signals/transfer',
    role: 'organisation',
    roles: ['organisation_coordinator'],
    operationId: 'transferSignals',
    summary: 'Move own active signals to a colleague (a professional leaves)',
    description:
      'The signals get the colleague’s contact details; with personId the colleague, who must be a professional, also becomes their holder (their session sees the matches, match notice e-mails, GET /v1/signals?personId=). Without it they have no holder. Counterparts, and the own inbox, get match.updated for each match of the signals.',
    tag: 'signals',
    body: S.Transfer,
    problems: ['text_forbidden', 'signal_inactive', 'recipient_not_professional'],
    responses: { 200: ok('How many signals were transferred', S.TransferOut) },
    handler: async ({ principal, body, services }) => {
      const n = await services.engine.transferSignals(
        actorOf(principal),
        body.signalIds,
        contactInput(body.contact),
        body.personId,
      );
      return { status: 200, body: { transferred: n } };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/signals/{signalId}/contact',
    role: 'organisation',
    // Coordinator first: a person holding both roles acts as the coordinator here and keeps
    // the organisation-wide view a transfer needs (docs/api.md "Need to know").
    roles: ['organisation_coordinator', 'professional'],
    operationId: 'rectifyContact',
    summary: 'Rectify the contact details of a signal (GDPR art. 16)',
    tag: 'signals',
    params: S.SignalIdParams,
    body: S.ContactBody,
    problems: ['text_forbidden', 'signal_inactive'],
    responses: { 200: ok('The signal', S.SignalOut) },
    handler: async ({ principal, params, body, services }) => {
      const s = await services.engine.rectifyContact(
        actorOf(principal),
        params.signalId,
        contactInput(body.contact),
      );
      return { status: 200, body: signalOut(s) };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/signals/{signalId}/informed',
    role: 'organisation',
    roles: ['professional'],
    operationId: 'updateInformed',
    summary: 'Record that the citizen and/or representative was informed',
    tag: 'signals',
    params: S.SignalIdParams,
    body: S.InformedBody,
    problems: ['signal_inactive'],
    responses: { 200: ok('The signal', S.SignalOut) },
    handler: async ({ principal, params, body, services }) => ({
      status: 200,
      body: signalOut(
        await services.engine.updateInformed(
          actorOf(principal),
          params.signalId,
          informedInput(body.informed),
        ),
      ),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/signals/migrate',
    role: 'organisation',
    roles: [],
    operationId: 'migrateSignals',
    summary: 'Add pseudonyms under a new covenant key epoch to own active signals',
    tag: 'signals',
    body: S.BatchEnvelope,
    bodyDoc: S.MigrateDoc,
    bodyLimit: BATCH_BODY_LIMIT,
    returnMinimal: true,
    responses: { 200: ok('One result per item, in request order', S.BatchOut) },
    handler: async ({ principal, body, services, returnMinimal }) => {
      const results = await perItem(
        body.items,
        S.MigrateItem,
        (m): MigrateSignalInput => ({
          signalId: m.signalId,
          subject: m.subject,
          ...(m.parents === undefined ? {} : { parents: m.parents }),
        }),
        (inputs) => services.engine.migrateSignals(actorOf(principal), inputs),
        { minimal: returnMinimal },
      );
      return { status: 200, body: { results } };
    },
  }),
];
