// Admin oversight routes: the follow-up and agreement overviews, a retention run, the
// logbook (verbatim export and verification), statistics and webhook deliveries.
// Invariant: overviews and statistics carry ids, dates and counts only — never an
// agreement's content, a contact's details or a pseudonym.

import { type FollowUpQuery, managementInformationCsv } from '@sluis/engine';
import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import {
  agreementsOverviewOut,
  deliveryOut,
  mailNoticeOut,
  followUpOut,
  retentionOut,
} from '../http/wire.js';
import { logRetentionFailed, logRetentionRun } from '../jobs/retention-job.js';
import { adminActor } from './admin-helpers.js';

export const adminOversightRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/admin/follow-up',
    role: 'admin',
    roles: ['match_coordinator'],
    operationId: 'followUpOverview',
    summary: 'One page of matches with their follow-up outcomes and regie, filtered and sorted',
    tag: 'admin',
    query: S.FollowUpQuery,
    responses: { 200: ok('Overview items', S.FollowUpOut) },
    handler: async ({ query, services }) => {
      const defined = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
      const page = await services.engine.followUpOverview(defined as FollowUpQuery);
      return {
        status: 200,
        body: {
          items: page.items.map(followUpOut),
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/agreements/overview',
    role: 'admin',
    roles: ['match_coordinator'],
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
    roles: ['administrator'],
    operationId: 'runRetention',
    summary: 'Run expiry and purge now',
    tag: 'admin',
    body: S.Empty,
    responses: { 200: ok('What retention did', S.RetentionOut) },
    handler: async ({ principal, services }) => {
      // Logged as the scheduled run is, `by: 'admin'` (docs/operations.md "Logs"); the error
      // itself goes on to the route's problem answer.
      let r: Awaited<ReturnType<typeof services.engine.runRetention>>;
      try {
        r = await services.engine.runRetention(adminActor(principal));
      } catch (e) {
        logRetentionFailed(services.logger, e, 'admin');
        throw e;
      }
      logRetentionRun(services.logger, r, 'admin');
      return { status: 200, body: retentionOut(r) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/logbook',
    role: 'admin',
    roles: ['auditor'],
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
    roles: ['auditor'],
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
    roles: ['match_coordinator', 'administrator'],
    operationId: 'statistics',
    summary: 'Counts only, no identities',
    tag: 'admin',
    responses: { 200: ok('Counts', S.StatisticsOut) },
    handler: async ({ services }) => ({ status: 200, body: await services.engine.statistics() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/management-information',
    role: 'admin',
    roles: ['match_coordinator', 'administrator'],
    operationId: 'managementInformation',
    summary: 'Monthly series per organisation type, small cells suppressed (JSON or CSV)',
    description:
      'Closed months only (a month is closed from the second day of the next). Every cell below the configured threshold reads "<n"; no totals, so no two exports can be subtracted to recover a cell (docs/privacy.md "Management information"). format=csv answers text/csv.',
    tag: 'admin',
    query: S.ManagementInformationQuery,
    responses: { 200: { ...ok('The series', S.ManagementInformationOut), csv: true } },
    handler: async ({ principal, query, services }) => {
      const mi = await services.engine.managementInformation(adminActor(principal), {
        from: query.from,
        to: query.to,
        ...(query.organisationType === undefined ? {} : { organisationType: query.organisationType }),
      });
      return query.format === 'csv'
        ? { status: 200, body: managementInformationCsv(mi), contentType: 'text/csv; charset=utf-8' }
        : { status: 200, body: mi };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/webhooks',
    role: 'admin',
    roles: ['administrator'],
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
    path: '/v1/admin/mail-notices',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'listMailNotices',
    summary: 'Match notice e-mails in the outbox and their status',
    description:
      'Monitoring of the match notice e-mail outbox (docs/operations.md "Match notice e-mail"): ids, state, attempts and a failure code per notice — never an address or message text. Newest first.',
    tag: 'admin',
    query: S.MailNoticesQuery,
    responses: { 200: ok('Notices', S.MailNoticeListOut) },
    handler: async ({ query, services }) => {
      const list = await services.engine.listMailNotices({
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      });
      return { status: 200, body: { items: list.map(mailNoticeOut) } };
    },
  }),
];
