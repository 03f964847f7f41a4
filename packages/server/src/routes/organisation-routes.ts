// Organisation routes (docs/api.md "Organisation routes"). Every handler acts only for
// the authenticated organisation: the actor is built from the verified principal, never
// from the request. There is no route that answers "is this person known"
// (docs/threat-model.md §5.3); placements never say whether a match resulted.
//
// The routes are gathered by area (signals, matches, collaboration) in the order the route
// table, and so the OpenAPI document, lists them.

import type { Engine } from '@sluis/engine';
import { type AnyRoute, defineRoute, type OrganisationPrincipal, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { organisationCollaborationRoutes } from './organisation-collaboration-routes.js';
import { organisationMatchRoutes } from './organisation-match-routes.js';
import { organisationSignalRoutes } from './organisation-signal-routes.js';
import { pseudonymCredentialRoutes } from './pseudonym-credential-routes.js';

async function whoami(engine: Engine, p: OrganisationPrincipal) {
  const [organisation, keys, epochs, budget] = await Promise.all([
    engine.getOrganisation(p.organisationId),
    engine.listKeys(p.organisationId),
    engine.listEpochs(),
    engine.budgetUsage(p.organisationId),
  ]);
  const key = keys.find((k) => k.keyId === p.keyId);
  return {
    organisation: {
      id: organisation.id,
      name: organisation.name,
      type: organisation.type,
      status: organisation.status,
    },
    key: { keyId: p.keyId, status: key?.status ?? 'active' },
    budget: { perDay: budget.perDay, usedToday: budget.usedToday },
    epochs: epochs.map((e) => ({ epoch: e.epoch, status: e.status })),
  };
}

export const organisationRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/whoami',
    role: 'organisation',
    roles: ['professional', 'organisation_coordinator'],
    operationId: 'whoami',
    summary: 'Health of the caller’s own credentials',
    tag: 'organisation',
    responses: { 200: ok('The caller’s organisation, key, budget and key epochs', S.WhoamiOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: await whoami(services.engine, principal),
    }),
  }),
  ...organisationSignalRoutes,
  ...organisationMatchRoutes,
  ...organisationCollaborationRoutes,
  ...pseudonymCredentialRoutes,
];
