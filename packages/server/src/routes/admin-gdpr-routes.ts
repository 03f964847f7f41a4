// GDPR routes of the municipality's desk (docs/api.md "Admin (municipality) routes", docs/privacy.md):
// access, erasure, restriction and objection for one citizen. Invariant (docs/api.md "Conventions"): the
// citizen's client pseudonyms travel in the request body only, never in a URL, and no
// answer returns a pseudonym, an identifier or contact details.

import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { gdprAccessOut } from '../http/wire.js';
import { adminActor } from './admin-helpers.js';

/** docs/api.md "Admin (municipality) routes": a person without a BSN is named under the OPRF epochs only. */
const epochsOf = (body: { oprfOnly?: true | undefined }) => (body.oprfOnly === true ? 'oprf' : 'all');

export const adminGdprRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/admin/gdpr/access',
    role: 'admin',
    roles: ['gdpr_desk'],
    operationId: 'gdprAccess',
    summary: 'GDPR access report for one citizen (client pseudonyms in the body)',
    tag: 'gdpr',
    body: S.GdprSubject,
    problems: ['pseudonym_invalid', 'epoch_unknown'],
    responses: { 200: ok('What is stored about the citizen', S.GdprAccessOut) },
    handler: async ({ principal, body, services }) => ({
      status: 200,
      body: gdprAccessOut(
        await services.engine.gdprAccess(adminActor(principal), body.subject, epochsOf(body)),
      ),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/gdpr/erase',
    role: 'admin',
    roles: ['gdpr_desk'],
    operationId: 'gdprErase',
    summary: 'Erase a citizen’s signals and matches',
    tag: 'gdpr',
    body: S.GdprSubject,
    problems: ['pseudonym_invalid', 'epoch_unknown'],
    responses: { 200: ok('Counts of what was erased', S.GdprEraseOut) },
    handler: async ({ principal, body, services }) => {
      const r = await services.engine.gdprErase(adminActor(principal), body.subject, epochsOf(body));
      return { status: 200, body: { signals: r.signals, matches: r.matches, parentLinks: r.parentLinks } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/gdpr/restrict',
    role: 'admin',
    roles: ['gdpr_desk'],
    operationId: 'gdprRestrict',
    summary: 'Restrict or lift the restriction of processing (GDPR art. 18)',
    tag: 'gdpr',
    body: S.GdprRestrict,
    problems: ['pseudonym_invalid', 'epoch_unknown'],
    responses: { 200: ok('How many signals and parent links changed', S.GdprCountOut) },
    handler: async ({ principal, body, services }) => {
      const r = await services.engine.gdprRestrict(
        adminActor(principal),
        body.subject,
        body.restricted,
        epochsOf(body),
      );
      return { status: 200, body: { signals: r.signals, parentLinks: r.parentLinks } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/gdpr/object',
    role: 'admin',
    roles: ['gdpr_desk'],
    operationId: 'gdprObject',
    summary: 'Register an objection (pending, restricts at once) or its decision (GDPR art. 21)',
    description:
      'pending: received on receivedOn (default today), on time within the objection term of the citizen being informed, or late and lateExcused (refused otherwise; on time, lateExcused changes nothing); the answer says onTime. The signals match nothing and their matches reveal no contact until the decision. upheld: erasure as art. 17. rejected: the restriction is lifted and matching catches up.',
    tag: 'gdpr',
    body: S.GdprObject,
    problems: ['pseudonym_invalid', 'epoch_unknown', 'objection_out_of_term'],
    responses: {
      200: ok('How many signals and parent links changed; on registration, whether on time', S.GdprObjectOut),
    },
    handler: async ({ principal, body, services }) => {
      const r = await services.engine.gdprObject(
        adminActor(principal),
        body.subject,
        {
          status: body.status,
          ...(body.receivedOn === undefined ? {} : { receivedOn: body.receivedOn }),
          ...(body.lateExcused === undefined ? {} : { lateExcused: body.lateExcused }),
        },
        epochsOf(body),
      );
      return {
        status: 200,
        body: {
          signals: r.signals,
          parentLinks: r.parentLinks,
          ...(r.onTime === undefined ? {} : { onTime: r.onTime }),
        },
      };
    },
  }),
];
