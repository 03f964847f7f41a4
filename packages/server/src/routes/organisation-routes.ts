// Organisation routes (docs/api.md "Organisation routes"). Every handler acts only for
// the authenticated organisation: the actor is built from the verified principal, never
// from the request. There is no route that answers "is this person known" (brief
// property 4); placements never say whether a match resulted.

import type { BatchItemResult, Engine, MigrateSignalInput, PlaceSignalInput } from '@sluis/engine';
import type { z } from 'zod';
import { BATCH_BODY_LIMIT } from '../http/raw-body.js';
import { type AnyRoute, defineRoute, type OrganisationPrincipal } from '../http/route.js';
import * as S from '../http/schemas.js';
import { issueFields } from '../http/validation.js';
import { agreementOut, consentOut, inboxEventOut, matchOut, signalOut } from '../http/wire.js';

type OrgActor = { kind: 'organisation'; organisationId: string; keyId: string };

function actorOf(p: OrganisationPrincipal): OrgActor {
  return { kind: 'organisation', organisationId: p.organisationId, keyId: p.keyId };
}

/** Strips `undefined` optionals so the engine input satisfies exactOptionalPropertyTypes. */
function placementInput(p: z.output<typeof S.Placement>): PlaceSignalInput {
  return {
    requestId: p.requestId,
    subject: p.subject,
    contact: contactInput(p.contact),
    informed: informedInput(p.informed),
    ...(p.parents === undefined ? {} : { parents: p.parents }),
    ...(p.endDate === undefined ? {} : { endDate: p.endDate }),
  };
}

function contactInput(c: z.output<typeof S.Contact>) {
  return {
    name: c.name,
    role: c.role,
    ...(c.phone === undefined ? {} : { phone: c.phone }),
    ...(c.email === undefined ? {} : { email: c.email }),
  };
}

function informedInput(i: z.output<typeof S.Informed>) {
  return i.date === undefined ? { status: i.status } : { status: i.status, date: i.date };
}

function batchItemOut(r: BatchItemResult, index: number) {
  return r.ok
    ? { index, ok: true as const, outcome: r.outcome, signal: signalOut(r.signal) }
    : { index, ok: false as const, code: r.code, fields: r.fields.map((f) => `items.${index}.${f}`) };
}

/**
 * Validates each item on its own, sends the valid ones to the engine in one call and
 * merges the results back in request order (docs/api.md: a bad item does not stop the others).
 */
async function perItem<T, I>(
  items: readonly unknown[],
  schema: z.ZodType<T>,
  toInput: (t: T) => I,
  run: (inputs: I[]) => Promise<readonly BatchItemResult[]>,
) {
  const results: ReturnType<typeof batchItemOut>[] = new Array(items.length);
  const inputs: I[] = [];
  const positions: number[] = [];
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      inputs.push(toInput(parsed.data));
      positions.push(index);
    } else {
      const fields = issueFields(parsed.error, `items.${index}`, ['items', index]);
      results[index] = { index, ok: false, code: 'validation_failed', fields };
    }
  });
  if (inputs.length > 0) {
    const engineResults = await run(inputs);
    for (const r of engineResults) {
      const index = positions[r.index];
      if (index !== undefined) results[index] = batchItemOut(r, index);
    }
  }
  return results;
}

async function whoami(engine: Engine, p: OrganisationPrincipal) {
  const [organisation, keys, epochs, budget] = await Promise.all([
    engine.getOrganisation(p.organisationId),
    engine.listKeys(p.organisationId),
    engine.listEpochs(),
    engine.budgetUsage(p.organisationId),
  ]);
  const key = keys.find((k) => k.keyId === p.keyId);
  return {
    organisation: {
      id: organisation.id,
      name: organisation.name,
      type: organisation.type,
      status: organisation.status,
    },
    key: { keyId: p.keyId, status: key?.status ?? 'active' },
    budget: { perDay: budget.perDay, usedToday: budget.usedToday },
    epochs: epochs.map((e) => ({ epoch: e.epoch, status: e.status })),
  };
}

const ok = (description: string, schema?: z.ZodType) =>
  schema === undefined ? { description } : { description, schema };

export const organisationRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/whoami',
    role: 'organisation',
    operationId: 'whoami',
    summary: 'Health of the caller’s own credentials',
    tag: 'organisation',
    responses: { 200: ok('The caller’s organisation, key, budget and key epochs', S.WhoamiOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: await whoami(services.engine, principal),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/signals',
    role: 'organisation',
    operationId: 'placeSignal',
    summary: 'Place a signal',
    tag: 'signals',
    body: S.Placement,
    problems: ['pseudonym_invalid', 'epoch_unknown', 'epoch_retired', 'request_id_reused', 'budget_exceeded'],
    responses: {
      201: ok('Created', S.PlacementOut),
      200: ok('Replayed (same requestId and body) or existing active signal for this person', S.PlacementOut),
    },
    handler: async ({ principal, body, services }) => {
      const r = await services.engine.placeSignal(actorOf(principal), placementInput(body));
      return {
        status: r.outcome === 'created' ? 201 : 200,
        body: { outcome: r.outcome, signal: signalOut(r.signal) },
      };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/signals/batch',
    role: 'organisation',
    operationId: 'placeSignals',
    summary: 'Bulk placement (1–500 items, each placed as if sent alone)',
    tag: 'signals',
    body: S.BatchEnvelope,
    bodyDoc: S.BatchDoc,
    bodyLimit: BATCH_BODY_LIMIT,
    responses: { 200: ok('One result per item, in request order', S.BatchOut) },
    handler: async ({ principal, body, services }) => {
      const results = await perItem(body.items, S.Placement, placementInput, (inputs) =>
        services.engine.placeSignals(actorOf(principal), inputs),
      );
      return { status: 200, body: { results } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/signals',
    role: 'organisation',
    operationId: 'listSignals',
    summary: 'Own signals',
    tag: 'signals',
    query: S.ListSignalsQuery,
    responses: { 200: ok('A page of own signals', S.SignalPageOut) },
    handler: async ({ principal, query, services }) => {
      const page = await services.engine.listSignals(actorOf(principal), {
        ...(query.status === undefined ? {} : { status: query.status }),
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
    operationId: 'transferSignals',
    summary: 'Move own active signals to a colleague (a professional leaves)',
    tag: 'signals',
    body: S.Transfer,
    problems: ['signal_inactive'],
    responses: { 200: ok('How many signals were transferred', S.TransferOut) },
    handler: async ({ principal, body, services }) => {
      const n = await services.engine.transferSignals(
        actorOf(principal),
        body.signalIds,
        contactInput(body.contact),
      );
      return { status: 200, body: { transferred: n } };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/signals/{signalId}/contact',
    role: 'organisation',
    operationId: 'rectifyContact',
    summary: 'Rectify the contact details of a signal (GDPR art. 16)',
    tag: 'signals',
    params: S.SignalIdParams,
    body: S.ContactBody,
    problems: ['signal_inactive'],
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
    operationId: 'migrateSignals',
    summary: 'Add pseudonyms under a new covenant key epoch to own active signals',
    tag: 'signals',
    body: S.BatchEnvelope,
    bodyDoc: S.MigrateDoc,
    bodyLimit: BATCH_BODY_LIMIT,
    responses: { 200: ok('One result per item, in request order', S.BatchOut) },
    handler: async ({ principal, body, services }) => {
      const results = await perItem(
        body.items,
        S.MigrateItem,
        (m): MigrateSignalInput => ({
          signalId: m.signalId,
          subject: m.subject,
          ...(m.parents === undefined ? {} : { parents: m.parents }),
        }),
        (inputs) => services.engine.migrateSignals(actorOf(principal), inputs),
      );
      return { status: 200, body: { results } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/matches',
    role: 'organisation',
    operationId: 'inbox',
    summary: 'The match inbox: this organisation’s match events, oldest first',
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
    path: '/v1/matches/{matchId}/regie',
    role: 'organisation',
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
  defineRoute({
    method: 'PUT',
    path: '/v1/signals/{signalId}/consent',
    role: 'organisation',
    operationId: 'recordConsent',
    summary: 'Record the citizen’s consent for coordination (scopes from a fixed list)',
    tag: 'collaboration',
    params: S.SignalIdParams,
    body: S.ConsentBody,
    problems: ['signal_inactive'],
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
