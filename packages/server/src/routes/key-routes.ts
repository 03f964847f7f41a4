// Key lifecycle routes (docs/keys.md, docs/api.md "Admin (municipality) routes"): covenant epoch
// migration progress and retirement, server-secret rotation, organisation key review,
// webhook key rotation, and the public list of the server's webhook keys. Nothing here
// returns a secret, a stored value or a pseudonym; private keys never leave their files.

import { EngineError, isEngineError, type SecretRotationStatus } from '@sluis/engine';
import { type AnyRoute, defineRoute, type RouteServices, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { epochOut, iso, isoOrNull } from '../http/wire.js';
import type { PublishedWebhookKey, ServerKeys } from '../ops/server-keys.js';
import { rotateServerSecret } from '../ops/server-secret-rotation.js';
import { adminActor } from './admin-helpers.js';

function keysOf(services: RouteServices): ServerKeys {
  if (services.serverKeys === undefined) throw new EngineError('not_found', 'not found');
  return services.serverKeys;
}

const webhookKeyOut = (k: PublishedWebhookKey) => ({ ...k, signFrom: iso(k.signFrom) });

function rotationOut(s: SecretRotationStatus) {
  return {
    generation: s.generation,
    rotation:
      s.rotation === null
        ? null
        : {
            ...s.rotation,
            startedAt: iso(s.rotation.startedAt),
            completedAt: isoOrNull(s.rotation.completedAt),
          },
  };
}

export const keyRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/server-keys',
    role: 'public',
    roles: [],
    operationId: 'serverKeys',
    summary: 'The server’s webhook public keys with their status (two during a rotation)',
    tag: 'keys',
    responses: { 200: ok('Public keys', S.ServerKeysOut) },
    handler: async ({ services }) => {
      const keys = keysOf(services);
      // Never a key the logbook records retired (docs/keys.md §4.5 "Several instances"). The
      // keys are in memory; only the comparison reads the database. While it cannot be reached
      // the list is served as of the last comparison (docs/api.md "Operational routes
      // (unsigned, no citizen data)"): receivers need it to verify deliveries; a retirement
      // made meanwhile elsewhere is taken up through a shared state file at once, and from the
      // logbook at the first comparison that reaches it.
      try {
        await keys.logbook.compare(services.engine);
      } catch (e) {
        if (!isEngineError(e, 'database_unavailable') && !isEngineError(e, 'database_busy')) throw e;
      }
      return { status: 200, body: { webhookKeys: keys.webhookKeys().map(webhookKeyOut) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/epochs/progress',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'epochProgress',
    summary: 'Covenant key migration progress: active signals per organisation and epoch',
    tag: 'keys',
    responses: { 200: ok('Progress', S.EpochProgressOut) },
    handler: async ({ services }) => {
      const p = await services.engine.epochProgress();
      return { status: 200, body: { epochs: p.epochs.map(epochOut), organisations: p.organisations } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/epochs/{epoch}/retire',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'retireEpoch',
    summary: 'Retire a covenant key epoch: refused while signals are not migrated unless forced',
    tag: 'keys',
    params: S.EpochParams,
    body: S.RetireEpochBody,
    problems: ['conflict', 'epoch_unknown', 'epoch_in_use'],
    responses: { 200: ok('What retirement did', S.EpochRetirementOut) },
    handler: async ({ principal, params, body, services }) => {
      const r = await services.engine.retireEpoch(adminActor(principal), params.epoch, {
        force: body.force === true,
      });
      return { status: 200, body: { ...r, epoch: epochOut(r.epoch) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/server-secret',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'serverSecretStatus',
    summary: 'The server secret’s current generation and the progress of its latest rotation',
    tag: 'keys',
    responses: { 200: ok('Status', S.SecretRotationOut) },
    handler: async ({ services }) => ({
      status: 200,
      body: rotationOut(await services.engine.secretRotationStatus()),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/server-secret/rotate',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'rotateServerSecret',
    summary: 'Create the next server-secret generation and re-key every stored pseudonym in the background',
    tag: 'keys',
    body: S.Empty,
    problems: ['conflict', 'rotation_in_progress'],
    responses: { 202: ok('Rotation started', S.SecretRotationOut) },
    handler: async ({ principal, services }) => {
      const s = await rotateServerSecret(keysOf(services).keysDir, services.engine, adminActor(principal));
      services.wakeRekey();
      return { status: 202, body: rotationOut(s) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/keys/{keyId}/placements',
    role: 'admin',
    roles: ['administrator', 'auditor'],
    operationId: 'keyPlacements',
    summary: 'What a (compromised) key placed and did in a time window, from the logbook',
    tag: 'keys',
    params: S.KeyIdParams,
    query: S.KeyPlacementsQuery,
    responses: { 200: ok('Placements and logbook entries', S.KeyPlacementsOut) },
    handler: async ({ principal, params, query, services }) => {
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      if (!(to > from)) throw new EngineError('validation_failed', 'invalid', { fields: ['query.to'] });
      const a = await services.engine.keyActivity(adminActor(principal), params.keyId, from, to);
      return {
        status: 200,
        body: {
          ...a,
          from: iso(a.from),
          to: iso(a.to),
          placements: a.placements.map((p) => ({ ...p, at: iso(p.at) })),
        },
      };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/webhook-keys/rotate',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'rotateWebhookKey',
    summary: 'Create the next webhook signing key; it signs after switchAfterSeconds (default 7 days)',
    tag: 'keys',
    body: S.RotateWebhookKeyBody,
    problems: ['conflict'],
    responses: { 201: ok('The new key (public half)', S.WebhookKeyOnlyOut) },
    handler: async ({ principal, body, services }) => {
      const k = await keysOf(services).rotateWebhookKey(
        services.engine,
        adminActor(principal),
        (body.switchAfterSeconds ?? 7 * 86_400) * 1000,
      );
      return { status: 201, body: { key: webhookKeyOut(k) } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/webhook-keys/{keyId}/retire',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'retireWebhookKey',
    summary: 'Retire the previous webhook key (no longer published; its private file is deleted)',
    tag: 'keys',
    params: S.KeyIdParams,
    body: S.Empty,
    problems: ['conflict'],
    responses: { 200: ok('The remaining keys', S.ServerKeysOut) },
    handler: async ({ principal, params, services }) => {
      const keys = keysOf(services);
      await keys.retireWebhookKey(services.engine, adminActor(principal), params.keyId);
      return { status: 200, body: { webhookKeys: keys.webhookKeys().map(webhookKeyOut) } };
    },
  }),
];
