// A signed-in person's own routes (docs/api.md "Sign-in"): who am I, sign out, and my
// passkeys. Session keys only (role 'session', http/access.ts): no organisation or admin
// key reaches them, so "me" is always the session's person.

import { PERSON_ROLES } from '@sluis/engine';
import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { deviceOut } from '../http/sign-in-wire.js';
import { iso } from '../http/wire.js';

const ANY_ROLE = [...PERSON_ROLES];

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
    summary: 'WebAuthn registration options for another passkey',
    tag: 'sign-in',
    body: S.Empty,
    problems: ['sign_in_disabled'],
    responses: { 200: ok('Options for navigator.credentials.create', S.CreationOptionsOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: { options: await services.engine.deviceOptions(principal.actor) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/me/devices',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'addOwnDevice',
    summary: 'Register another passkey',
    tag: 'sign-in',
    body: S.AddDeviceIn,
    problems: ['sign_in_disabled', 'challenge_invalid', 'passkey_invalid', 'conflict'],
    responses: { 201: ok('The device', S.DeviceOnlyOut) },
    handler: async ({ principal, body, services }) => ({
      status: 201,
      body: { device: deviceOut(await services.engine.addDevice(principal.actor, body)) },
    }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/me/devices/{deviceId}',
    role: 'session',
    roles: ANY_ROLE,
    operationId: 'removeOwnDevice',
    summary: 'Remove one of my passkeys (its sessions end, this one too if it signed in with it)',
    tag: 'sign-in',
    params: S.OwnDeviceParams,
    responses: { 204: ok('Removed') },
    handler: async ({ principal, params, services }) => {
      await services.engine.removeDevice(principal.actor, principal.personId, params.deviceId);
      return { status: 204 };
    },
  }),
];
