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
import { iso } from '../http/wire.js';
import { organisationCollaborationRoutes } from './organisation-collaboration-routes.js';
import { organisationMatchRoutes } from './organisation-match-routes.js';
import { handoverRoutes } from './handover-routes.js';
import { organisationSignalRoutes } from './organisation-signal-routes.js';
import { pseudonymCredentialRoutes } from './pseudonym-credential-routes.js';

/**
 * What authenticated the request: a key (its id and status), or a person's session (the
 * person, the role they act in and the session's expiry). A session is not a key: its id is
 * neither shown as a key id nor echoed — the caller holds it, and it names no credential
 * (docs/api.md "GET /v1/whoami").
 */
async function credentialOf(engine: Engine, p: OrganisationPrincipal) {
  if (p.sessionId !== undefined && p.person !== undefined) {
    const session = await engine.sessionInfo(p.sessionId);
    return {
      authenticatedBy: 'session' as const,
      session: {
        personId: p.person.personId,
        role: p.person.role,
        idleExpiresAt: iso(session.idleExpiresAt),
        expiresAt: iso(session.expiresAt),
      },
    };
  }
  const key = (await engine.listKeys(p.organisationId)).find((k) => k.keyId === p.keyId);
  return { authenticatedBy: 'key' as const, key: { keyId: p.keyId, status: key?.status ?? 'active' } };
}

async function whoami(engine: Engine, p: OrganisationPrincipal) {
  const [organisation, credential, epochs, budget] = await Promise.all([
    engine.getOrganisation(p.organisationId),
    credentialOf(engine, p),
    engine.listEpochs(),
    engine.budgetUsage(p.organisationId),
  ]);
  return {
    organisation: {
      id: organisation.id,
      name: organisation.name,
      type: organisation.type,
      status: organisation.status,
    },
    ...credential,
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
    description:
      'authenticatedBy says what signed the request: a key (key: its id and status) or a person’s session (session: the person, the role they act in, the expiry times); a session id is never shown as a key id (docs/api.md).',
    tag: 'organisation',
    responses: { 200: ok('The caller’s organisation, key or session, budget and key epochs', S.WhoamiOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: await whoami(services.engine, principal),
    }),
  }),
  ...handoverRoutes,
  ...organisationSignalRoutes,
  ...organisationMatchRoutes,
  ...organisationCollaborationRoutes,
  ...pseudonymCredentialRoutes,
];
