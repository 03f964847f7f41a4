// Municipality routes (docs/api.md "Admin routes"), reachable with an admin key only.
// GDPR requests carry the citizen's client pseudonym in the body, never in a URL
// (issue 4); nothing here returns a pseudonym or an identifier.

import type { z } from 'zod';
import type { TestClock } from '../clock.js';
import { type AdminPrincipal, type AnyRoute, defineRoute } from '../http/route.js';
import * as S from '../http/schemas.js';
import {
  agreementsOverviewOut,
  deliveryOut,
  epochOut,
  followUpOut,
  gdprAccessOut,
  iso,
  keyOut,
  organisationOut,
  retentionOut,
} from '../http/wire.js';

const adminActor = (p: AdminPrincipal) => ({ kind: 'admin' as const, keyId: p.keyId });
const ok = (description: string, schema?: z.ZodType) =>
  schema === undefined ? { description } : { description, schema };

const DAY_MS = 86_400_000;

export const adminRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/admin/organisations',
    role: 'admin',
    operationId: 'listOrganisations',
    summary: 'All admitted organisations',
    tag: 'admin',
    responses: { 200: ok('Organisations', S.OrganisationListOut) },
    handler: async ({ services }) => ({
      status: 200,
      body: { items: (await services.engine.listOrganisations()).map(organisationOut) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/organisations',
    role: 'admin',
    operationId: 'admitOrganisation',
    summary: 'Admit an organisation (covenant)',
    tag: 'admin',
    body: S.Admit,
    problems: ['public_key_invalid', 'conflict'],
    responses: { 201: ok('Admitted', S.OrganisationWithKeysOut) },
    handler: async ({ principal, body, services }) => {
      const o = await services.engine.admitOrganisation(adminActor(principal), {
        name: body.name,
        type: body.type,
        publicKeys: body.publicKeys,
        ...(body.webhookUrl === undefined ? {} : { webhookUrl: body.webhookUrl }),
        ...(body.placementBudgetPerDay === undefined
          ? {}
          : { placementBudgetPerDay: body.placementBudgetPerDay }),
      });
      const keys = await services.engine.listKeys(o.id);
      return { status: 201, body: { organisation: organisationOut(o), keys: keys.map(keyOut) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/organisations/{organisationId}',
    role: 'admin',
    operationId: 'getOrganisation',
    summary: 'One organisation with its keys',
    tag: 'admin',
    params: S.OrganisationIdParams,
    responses: { 200: ok('The organisation', S.OrganisationWithKeysOut) },
    handler: async ({ params, services }) => {
      const o = await services.engine.getOrganisation(params.organisationId);
      const keys = await services.engine.listKeys(o.id);
      return { status: 200, body: { organisation: organisationOut(o), keys: keys.map(keyOut) } };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/admin/organisations/{organisationId}',
    role: 'admin',
    operationId: 'updateOrganisation',
    summary: 'Change the webhook URL or the placement budget',
    tag: 'admin',
    params: S.OrganisationIdParams,
    body: S.UpdateOrganisation,
    responses: { 200: ok('The organisation', S.OrganisationOnlyOut) },
    handler: async ({ principal, params, body, services }) => {
      const o = await services.engine.updateOrganisation(adminActor(principal), params.organisationId, {
        ...(body.webhookUrl === undefined ? {} : { webhookUrl: body.webhookUrl }),
        ...(body.placementBudgetPerDay === undefined
          ? {}
          : { placementBudgetPerDay: body.placementBudgetPerDay }),
      });
      return { status: 200, body: { organisation: organisationOut(o) } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/organisations/{organisationId}/suspend',
    role: 'admin',
    operationId: 'suspendOrganisation',
    summary: 'Suspend an organisation (takes effect on its next request)',
    tag: 'admin',
    params: S.OrganisationIdParams,
    body: S.Empty,
    responses: { 200: ok('The organisation', S.OrganisationOnlyOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: {
        organisation: organisationOut(
          await services.engine.suspendOrganisation(adminActor(principal), params.organisationId),
        ),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/organisations/{organisationId}/reinstate',
    role: 'admin',
    operationId: 'reinstateOrganisation',
    summary: 'Reinstate a suspended organisation',
    tag: 'admin',
    params: S.OrganisationIdParams,
    body: S.Empty,
    responses: { 200: ok('The organisation', S.OrganisationOnlyOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: {
        organisation: organisationOut(
          await services.engine.reinstateOrganisation(adminActor(principal), params.organisationId),
        ),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/organisations/{organisationId}/keys',
    role: 'admin',
    operationId: 'addOrganisationKey',
    summary: 'Register another signing key of an organisation',
    tag: 'admin',
    params: S.OrganisationIdParams,
    body: S.AddKey,
    problems: ['public_key_invalid', 'conflict'],
    responses: { 201: ok('The key', S.KeyOnlyOut) },
    handler: async ({ principal, params, body, services }) => ({
      status: 201,
      body: {
        key: keyOut(
          await services.engine.addKey(adminActor(principal), params.organisationId, body.publicKey),
        ),
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/keys',
    role: 'admin',
    operationId: 'listKeys',
    summary: 'All admin and organisation keys',
    tag: 'admin',
    responses: { 200: ok('Keys', S.KeyListOut) },
    handler: async ({ services }) => {
      const orgs = await services.engine.listOrganisations();
      const lists = await Promise.all(
        [null, ...orgs.map((o) => o.id)].map((id) => services.engine.listKeys(id)),
      );
      return { status: 200, body: { items: lists.flat().map(keyOut) } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/keys',
    role: 'admin',
    operationId: 'addAdminKey',
    summary: 'Register another admin key',
    tag: 'admin',
    body: S.AddKey,
    problems: ['public_key_invalid', 'conflict'],
    responses: { 201: ok('The key', S.KeyOnlyOut) },
    handler: async ({ principal, body, services }) => ({
      status: 201,
      body: { key: keyOut(await services.engine.addKey(adminActor(principal), null, body.publicKey)) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/keys/{keyId}/revoke',
    role: 'admin',
    operationId: 'revokeKey',
    summary: 'Revoke a key (takes effect on its next request)',
    tag: 'admin',
    params: S.KeyIdParams,
    body: S.Empty,
    problems: ['conflict'],
    responses: { 200: ok('The key', S.KeyOnlyOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: { key: keyOut(await services.engine.revokeKey(adminActor(principal), params.keyId)) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/gdpr/access',
    role: 'admin',
    operationId: 'gdprAccess',
    summary: 'GDPR access report for one citizen (client pseudonyms in the body)',
    tag: 'gdpr',
    body: S.GdprSubject,
    problems: ['pseudonym_invalid', 'epoch_unknown'],
    responses: { 200: ok('What is stored about the citizen', S.GdprAccessOut) },
    handler: async ({ principal, body, services }) => ({
      status: 200,
      body: gdprAccessOut(await services.engine.gdprAccess(adminActor(principal), body.subject)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/gdpr/erase',
    role: 'admin',
    operationId: 'gdprErase',
    summary: 'Erase a citizen’s signals and matches',
    tag: 'gdpr',
    body: S.GdprSubject,
    problems: ['pseudonym_invalid', 'epoch_unknown'],
    responses: { 200: ok('Counts of what was erased', S.GdprEraseOut) },
    handler: async ({ principal, body, services }) => {
      const r = await services.engine.gdprErase(adminActor(principal), body.subject);
      return { status: 200, body: { signals: r.signals, matches: r.matches } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/gdpr/restrict',
    role: 'admin',
    operationId: 'gdprRestrict',
    summary: 'Restrict or lift the restriction of processing (GDPR art. 18)',
    tag: 'gdpr',
    body: S.GdprRestrict,
    problems: ['pseudonym_invalid', 'epoch_unknown'],
    responses: { 200: ok('How many signals changed', S.GdprCountOut) },
    handler: async ({ principal, body, services }) => {
      const r = await services.engine.gdprRestrict(adminActor(principal), body.subject, body.restricted);
      return { status: 200, body: { signals: r.signals } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/gdpr/object',
    role: 'admin',
    operationId: 'gdprObject',
    summary: 'Record an objection and its outcome (GDPR art. 21)',
    tag: 'gdpr',
    body: S.GdprObject,
    problems: ['pseudonym_invalid', 'epoch_unknown'],
    responses: { 200: ok('How many signals changed', S.GdprCountOut) },
    handler: async ({ principal, body, services }) => {
      const r = await services.engine.gdprObject(adminActor(principal), body.subject, body.status);
      return { status: 200, body: { signals: r.signals } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/follow-up',
    role: 'admin',
    operationId: 'followUpOverview',
    summary: 'Matches and whether contact was made (regie overview)',
    tag: 'admin',
    query: S.FollowUpQuery,
    responses: { 200: ok('Overview items', S.FollowUpOut) },
    handler: async ({ query, services }) => ({
      status: 200,
      body: {
        items: (await services.engine.followUpOverview(query.noContactAfterDays ?? 14)).map(followUpOut),
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/agreements/overview',
    role: 'admin',
    operationId: 'agreementsOverview',
    summary: 'Per match: agreement counts and overdue items (never the agreements themselves)',
    tag: 'admin',
    responses: { 200: ok('Overview items', S.AgreementsOverviewOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: {
        items: (await services.engine.agreementsOverview(adminActor(principal))).map(agreementsOverviewOut),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/retention/run',
    role: 'admin',
    operationId: 'runRetention',
    summary: 'Run expiry and purge now',
    tag: 'admin',
    body: S.Empty,
    responses: { 200: ok('What retention did', S.RetentionOut) },
    handler: async ({ principal, services }) => {
      const r = await services.engine.runRetention(adminActor(principal));
      return { status: 200, body: retentionOut(r) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/logbook',
    role: 'admin',
    operationId: 'logbook',
    summary: 'Logbook entries from a sequence number (verbatim, for independent verification)',
    tag: 'logbook',
    query: S.LogbookQuery,
    responses: { 200: ok('Entries', S.LogbookOut) },
    handler: async ({ query, services }) => {
      const limit = query.limit ?? 500;
      const items = await services.engine.logbook(query.fromSeq ?? 1, limit);
      const last = items[items.length - 1];
      return {
        status: 200,
        body: {
          items,
          ...(items.length === limit && last !== undefined ? { nextCursor: String(last.seq + 1) } : {}),
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/logbook/verify',
    role: 'admin',
    operationId: 'verifyLogbook',
    summary: 'Verify the logbook’s hash chain',
    tag: 'logbook',
    responses: { 200: ok('Verification result', S.LogbookVerifyOut) },
    handler: async ({ services }) => ({ status: 200, body: await services.engine.verifyLogbook() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/statistics',
    role: 'admin',
    operationId: 'statistics',
    summary: 'Counts only, no identities',
    tag: 'admin',
    responses: { 200: ok('Counts', S.StatisticsOut) },
    handler: async ({ services }) => ({ status: 200, body: await services.engine.statistics() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/webhooks',
    role: 'admin',
    operationId: 'listDeliveries',
    summary: 'Webhook deliveries and their status',
    tag: 'admin',
    query: S.WebhooksQuery,
    responses: { 200: ok('Deliveries', S.DeliveryListOut) },
    handler: async ({ query, services }) => {
      const list = await services.engine.listDeliveries({
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      });
      return { status: 200, body: { items: list.map(deliveryOut) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/epochs',
    role: 'admin',
    operationId: 'listEpochs',
    summary: 'Covenant key epochs',
    tag: 'keys',
    responses: { 200: ok('Epochs', S.EpochListOut) },
    handler: async ({ services }) => ({
      status: 200,
      body: { items: (await services.engine.listEpochs()).map(epochOut) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/epochs',
    role: 'admin',
    operationId: 'registerEpoch',
    summary: 'Register a new covenant key epoch',
    tag: 'keys',
    body: S.RegisterEpoch,
    problems: ['conflict'],
    responses: { 201: ok('The epoch', S.EpochOnlyOut) },
    handler: async ({ principal, body, services }) => ({
      status: 201,
      body: { epoch: epochOut(await services.engine.registerEpoch(adminActor(principal), body.epoch)) },
    }),
  }),
  // Retirement, migration progress and the other key lifecycle routes: key-routes.ts.
];

/**
 * The test clock routes. Only added to the table when the server was started with the
 * test clock (never in production, config.ts), so otherwise they do not exist at all.
 */
export function testClockRoutes(testClock: TestClock): readonly AnyRoute[] {
  const view = () => ({ now: iso(testClock.now()), offsetMs: testClock.offsetMs });
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/admin/test/clock',
      role: 'admin',
      operationId: 'getTestClock',
      summary: 'TEST ONLY: the server’s current (test) time',
      tag: 'test',
      responses: { 200: ok('The time', S.TestClockOut) },
      handler: async () => ({ status: 200, body: view() }),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/admin/test/clock',
      role: 'admin',
      operationId: 'advanceTestClock',
      summary: 'TEST ONLY: move the server’s clock forward',
      tag: 'test',
      body: S.TestClockBody,
      responses: { 200: ok('The new time', S.TestClockOut) },
      handler: async ({ body }) => {
        testClock.advance((body.advanceDays ?? 0) * DAY_MS + (body.advanceSeconds ?? 0) * 1000);
        return { status: 200, body: view() };
      },
    }),
  ];
}
