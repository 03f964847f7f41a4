// Enrolment codes and passkeys of people, managed by others (docs/api.md "Sign-in"): an
// organisation's coordinator (or its key) for the organisation's own people, the
// municipality's administrator (or an admin key) for anyone. The engine scopes an
// organisation caller to its own people; another organisation's person is not_found. A
// code issued by a person's session needs a step-up (docs/protocol.md §10.6).

import type { Actor } from '@sluis/engine';
import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { deviceOut } from '../http/sign-in-wire.js';
import { iso } from '../http/wire.js';
import { adminActor, STEP_UP_PROBLEMS } from './admin-helpers.js';
import { actorOf } from './organisation-helpers.js';

type Side = 'organisation' | 'admin';

function sideRoutes<R extends Side>(
  role: R,
  prefix: string,
  // biome-ignore lint/suspicious/noExplicitAny: the principal type follows `role`
  actor: (p: any) => Actor,
  tag: string,
  ids: { code: string; list: string; remove: string },
): AnyRoute[] {
  const roles =
    role === 'organisation' ? (['organisation_coordinator'] as const) : (['administrator'] as const);
  return [
    defineRoute({
      method: 'POST',
      path: `${prefix}/people/{personId}/enrolment-codes`,
      role,
      roles: [...roles],
      operationId: ids.code,
      summary: 'Issue a single-use enrolment code for the person (replaces an earlier one)',
      description:
        'The code is shown once; only a hash is stored (docs/protocol.md §10.1). A person’s session needs stepUp, asked for action enrolment_code with this person (§10.6); never for oneself (forbidden).',
      tag,
      params: S.PersonIdParams,
      body: S.EnrolmentCodeIn,
      problems: ['not_found', 'conflict', ...STEP_UP_PROBLEMS],
      responses: { 201: ok('The code', S.EnrolmentCodeOut) },
      handler: async ({ principal, params, body, services }) => {
        const c = await services.engine.issueEnrolmentCode(actor(principal), params.personId, body.stepUp);
        return { status: 201, body: { code: c.code, expiresAt: iso(c.expiresAt) } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${prefix}/people/{personId}/devices`,
      role,
      roles: [...roles],
      operationId: ids.list,
      summary: 'The person’s passkeys',
      tag,
      params: S.PersonIdParams,
      problems: ['not_found'],
      responses: { 200: ok('Devices', S.DevicesOut) },
      handler: async ({ principal, params, services }) => ({
        status: 200,
        body: {
          devices: (await services.engine.listDevices(actor(principal), params.personId)).map(deviceOut),
        },
      }),
    }),
    defineRoute({
      method: 'DELETE',
      path: `${prefix}/people/{personId}/devices/{deviceId}`,
      role,
      roles: [...roles],
      operationId: ids.remove,
      summary: 'Remove a passkey of the person (its sessions end at once)',
      tag,
      params: S.DeviceParams,
      problems: ['not_found'],
      responses: { 204: ok('Removed') },
      handler: async ({ principal, params, services }) => {
        await services.engine.removeDevice(actor(principal), params.personId, params.deviceId);
        return { status: 204 };
      },
    }),
  ];
}

export const organisationDeviceRoutes = sideRoutes('organisation', '/v1', actorOf, 'people', {
  code: 'issueOwnEnrolmentCode',
  list: 'listOwnPersonDevices',
  remove: 'removeOwnPersonDevice',
});
export const adminDeviceRoutes = sideRoutes('admin', '/v1/admin', adminActor, 'admin', {
  code: 'issueEnrolmentCode',
  list: 'listPersonDevices',
  remove: 'removePersonDevice',
});
