// Admin routes for covenant key epochs: list them and register a new one (docs/keys.md).
// Invariant: an epoch number is registered once (conflict otherwise); retirement, which
// deletes stored values, is a separate, guarded route in key-routes.ts.

import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { epochOut } from '../http/wire.js';
import { adminActor } from './admin-helpers.js';

export const adminEpochRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/admin/epochs',
    role: 'admin',
    roles: ['administrator'],
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
    roles: ['administrator'],
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
];
