// Admin routes for covenant key epochs: list them and register a new one (docs/keys.md).
// Invariant: an epoch number is registered once (conflict otherwise); retirement, which
// deletes stored values, is a separate, guarded route in key-routes.ts.

import { EngineError } from '@sluis/engine';
import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { epochOut } from '../http/wire.js';
import { adminActor, STEP_UP_PROBLEMS } from './admin-helpers.js';

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
    description:
      'A person’s session needs stepUp, asked for action epoch_register with this epoch, its kind and its public key (docs/protocol.md §10.6).',
    tag: 'keys',
    body: S.RegisterEpoch,
    problems: ['conflict', 'validation_failed', ...STEP_UP_PROBLEMS],
    responses: { 201: ok('The epoch', S.EpochOnlyOut) },
    handler: async ({ principal, body, services }) => {
      // A non-canonical base64url public key is refused as the field, like a bad point.
      const publicKey = body.publicKey === undefined ? undefined : Buffer.from(body.publicKey, 'base64url');
      if (publicKey !== undefined && publicKey.toString('base64url') !== body.publicKey)
        throw new EngineError('validation_failed', 'the request is invalid', { fields: ['publicKey'] });
      const record = await services.engine.registerEpoch(
        adminActor(principal),
        body.epoch,
        {
          ...(body.kind === undefined ? {} : { kind: body.kind }),
          ...(publicKey === undefined ? {} : { publicKey: new Uint8Array(publicKey) }),
        },
        body.stepUp,
      );
      return { status: 201, body: { epoch: epochOut(record) } };
    },
  }),
];
