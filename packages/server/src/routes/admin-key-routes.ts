// Admin routes for signing keys (docs/keys.md): register another key of an organisation
// or another admin key, list all keys, revoke one. The key lifecycle beyond that (epochs,
// server secret, webhook keys, placement review) is in key-routes.ts. Invariant: only
// public keys are accepted and shown; a revocation takes effect on the key's next request;
// a key registered by a person's session needs a step-up (docs/protocol.md §10.6).

import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { keyOut } from '../http/wire.js';
import { adminActor, STEP_UP_PROBLEMS } from './admin-helpers.js';

export const adminKeyRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/admin/organisations/{organisationId}/keys',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'addOrganisationKey',
    summary: 'Register another signing key of an organisation',
    tag: 'admin',
    description:
      'A person’s session needs stepUp, asked for action organisation_key_add with this organisation and key (docs/protocol.md §10.6).',
    params: S.OrganisationIdParams,
    body: S.AddKey,
    problems: ['public_key_invalid', 'conflict', 'not_found', ...STEP_UP_PROBLEMS],
    responses: { 201: ok('The key', S.KeyOnlyOut) },
    handler: async ({ principal, params, body, services }) => ({
      status: 201,
      body: {
        key: keyOut(
          await services.engine.addKey(
            adminActor(principal),
            params.organisationId,
            body.publicKey,
            body.stepUp,
          ),
        ),
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/keys',
    role: 'admin',
    roles: ['administrator', 'auditor'],
    operationId: 'listKeys',
    summary: 'All admin and organisation keys',
    tag: 'admin',
    responses: { 200: ok('Keys', S.KeyListOut) },
    handler: async ({ services }) => {
      const orgs = await services.engine.listOrganisations();
      const lists = await Promise.all(
        [null, ...orgs.map((o) => o.id)].map((id) => services.engine.listKeys(id)),
      );
      const names = new Map(orgs.map((o) => [o.id, o.name]));
      const items = lists.flat().map((k) => ({
        ...keyOut(k),
        organisationName: k.organisationId === null ? null : (names.get(k.organisationId) ?? null),
      }));
      return { status: 200, body: { items } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/keys',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'addAdminKey',
    summary: 'Register another admin key',
    description:
      'A person’s session needs stepUp, asked for action admin_key_add with this key (docs/protocol.md §10.6).',
    tag: 'admin',
    body: S.AddKey,
    problems: ['public_key_invalid', 'conflict', ...STEP_UP_PROBLEMS],
    responses: { 201: ok('The key', S.KeyOnlyOut) },
    handler: async ({ principal, body, services }) => ({
      status: 201,
      body: {
        key: keyOut(await services.engine.addKey(adminActor(principal), null, body.publicKey, body.stepUp)),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/keys/{keyId}/revoke',
    role: 'admin',
    roles: ['administrator'],
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
];
