// A signed-in person's own routes (docs/api.md "Sign-in"): who am I, sign out, and my
// passkeys — adding or removing one needs a step-up assertion from one of them besides the
// session's signature (docs/protocol.md §10.6), so a stolen session cannot outlive itself —
// and the step-up for the other acts that outlive a session (an enrolment code, a key, an
// admission, an epoch). Session keys only (role 'session', http/access.ts): no organisation
// or admin key reaches them, so "me" is always the session's person. Every route that answers
// a step-up challenge is limited per session and per person before any work, so a stolen
// session cannot try step-ups without bound (docs/protocol.md §10.6).

import { PERSON_ROLES } from '@sluis/engine';
import { type AnyRoute, defineRoute, ok, type RouteServices, type SessionPrincipal } from '../http/route.js';
import * as S from '../http/schemas.js';
import { deviceOut } from '../http/sign-in-wire.js';
import { iso } from '../http/wire.js';

const ANY_ROLE = [...PERSON_ROLES];
/** A step-up that is missing its challenge, used, expired, for another act or session, or does not verify. */
const STEP_UP_PROBLEMS = ['challenge_invalid', 'passkey_invalid', 'passkey_counter_invalid'];

/** Takes one step-up challenge from the session's and the person's limits (429 rate_limited). */
const limited = (services: RouteServices, p: SessionPrincipal) =>
  services.stepUpLimit(p.sessionId, p.personId);

export const meRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/me',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'getMe',
    summary: 'The signed-in person and their session',
    tag: 'sign-in',
    responses: { 200: ok('The person', S.MeOut) },
    handler: async ({ principal, services }) => {
      const session = await services.engine.sessionInfo(principal.sessionId);
      const person = await services.engine.getPerson(principal.actor, principal.personId);
      return {
        status: 200,
        body: {
          personId: person.id,
          organisationId: person.organisationId,
          displayName: person.displayName,
          roles: [...person.roles],
          session: { idleExpiresAt: iso(session.idleExpiresAt), expiresAt: iso(session.expiresAt) },
        },
      };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/sessions/current',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'signOut',
    summary: 'Sign out: the session ends at once, on every instance',
    tag: 'sign-in',
    responses: { 204: ok('Signed out') },
    handler: async ({ principal, services }) => {
      await services.engine.endSession(principal.actor, principal.sessionId);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/me/devices',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'listOwnDevices',
    summary: 'My passkeys',
    tag: 'sign-in',
    responses: { 200: ok('Devices', S.DevicesOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: {
        devices: (await services.engine.listDevices(principal.actor, principal.personId)).map(deviceOut),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/me/devices/options',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'ownDeviceOptions',
    summary: 'Registration options for another passkey, and the step-up one of mine answers first',
    description:
      'stepUp: a challenge for one of the person’s passkeys (user verification required), bound to this session and the action "device-add", single use, 5 minutes (docs/protocol.md §10.6). Limited to signInPerMinute per session and twice that per person, per instance (429 rate_limited with Retry-After).',
    tag: 'sign-in',
    body: S.Empty,
    problems: ['sign_in_disabled', 'rate_limited'],
    responses: {
      200: ok(
        'Options for navigator.credentials.create, and stepUp for navigator.credentials.get',
        S.DeviceOptionsOut,
      ),
    },
    handler: async ({ principal, services }) => {
      limited(services, principal);
      return { status: 200, body: await services.engine.deviceOptions(principal.actor, principal.sessionId) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/me/devices',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'addOwnDevice',
    summary: 'Register another passkey (with a step-up from one of mine)',
    tag: 'sign-in',
    body: S.AddDeviceIn,
    problems: ['sign_in_disabled', ...STEP_UP_PROBLEMS, 'conflict'],
    responses: { 201: ok('The device', S.DeviceOnlyOut) },
    handler: async ({ principal, body, services }) => ({
      status: 201,
      body: {
        device: deviceOut(await services.engine.addDevice(principal.actor, principal.sessionId, body)),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/me/devices/{deviceId}/removal-options',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'ownDeviceRemovalOptions',
    summary: 'The step-up one of my passkeys answers to remove this one',
    description:
      'A challenge bound to this session and the action "device-remove" of this device, single use, 5 minutes (docs/protocol.md §10.6). Limited to signInPerMinute per session and twice that per person, per instance (429 rate_limited with Retry-After).',
    tag: 'sign-in',
    params: S.OwnDeviceParams,
    body: S.Empty,
    problems: ['sign_in_disabled', 'not_found', 'rate_limited'],
    responses: { 200: ok('Options for navigator.credentials.get', S.RequestOptionsOut) },
    handler: async ({ principal, params, services }) => {
      limited(services, principal);
      return {
        status: 200,
        body: await services.engine.stepUpOptions(principal.actor, principal.sessionId, {
          kind: 'device_remove',
          deviceId: params.deviceId,
        }),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/me/step-up',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'stepUpOptions',
    summary: 'The step-up one of my passkeys answers before an act that outlives this session',
    description:
      'A challenge bound to this session and the action named (an enrolment code for a person; an organisation or admin key; an organisation admitted with its keys; a covenant key epoch), single use, 5 minutes; the act’s request carries the answer as stepUp and must match the action exactly (docs/protocol.md §10.6). The act checks its own roles and scope. Limited to signInPerMinute per session and twice that per person, per instance (429 rate_limited with Retry-After).',
    tag: 'sign-in',
    body: S.StepUpOptionsIn,
    problems: ['sign_in_disabled', 'validation_failed', 'rate_limited'],
    responses: { 200: ok('Options for navigator.credentials.get', S.RequestOptionsOut) },
    handler: async ({ principal, body, services }) => {
      limited(services, principal);
      return {
        status: 200,
        body: await services.engine.stepUpOptions(principal.actor, principal.sessionId, body.action),
      };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/me/devices/{deviceId}',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'removeOwnDevice',
    summary:
      'Remove one of my passkeys (with a step-up); its sessions end, this one too if it signed in with it',
    description: 'The body carries the step-up made for removing this device (docs/protocol.md §10.6).',
    tag: 'sign-in',
    params: S.OwnDeviceParams,
    body: S.RemoveOwnDeviceIn,
    problems: ['sign_in_disabled', ...STEP_UP_PROBLEMS, 'not_found'],
    responses: { 204: ok('Removed') },
    handler: async ({ principal, params, body, services }) => {
      await services.engine.removeOwnDevice(
        principal.actor,
        principal.sessionId,
        params.deviceId,
        body.stepUp,
      );
      return { status: 204 };
    },
  }),
];
