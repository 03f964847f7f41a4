// Admin routes for organisations (docs/api.md "Admin (municipality) routes"): list, admit, read, update,
// suspend and reinstate. Invariant: suspension and reinstatement take effect on the
// organisation's next request, and no answer carries anything but organisation records
// and public keys.

import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { keyOut, organisationOut } from '../http/wire.js';
import { adminActor, STEP_UP_PROBLEMS } from './admin-helpers.js';

/**
 * Suspend and reinstate share one shape: an organisation id in, one engine call, the
 * organisation out. The operation id is the engine method's name.
 */
const organisationChange = (
  operationId: 'suspendOrganisation' | 'reinstateOrganisation',
  path: string,
  summary: string,
) =>
  defineRoute({
    method: 'POST',
    path,
    role: 'admin',
    roles: ['administrator'],
    operationId,
    summary,
    tag: 'admin',
    params: S.OrganisationIdParams,
    body: S.Empty,
    responses: { 200: ok('The organisation', S.OrganisationOnlyOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: {
        organisation: organisationOut(
          await services.engine[operationId](adminActor(principal), params.organisationId),
        ),
      },
    }),
  });

export const adminOrganisationRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/admin/organisations',
    role: 'admin',
    roles: ['administrator', 'match_coordinator'],
    operationId: 'listOrganisations',
    summary: 'All admitted organisations',
    tag: 'admin',
    responses: { 200: ok('Organisations', S.OrganisationListOut) },
    handler: async ({ services }) => ({
      status: 200,
      body: { items: (await services.engine.listOrganisations()).map(organisationOut) },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/organisation-types',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'listOrganisationTypes',
    summary: 'The organisation types this server admits',
    description:
      'The configured list (`--organisation-type`, docs/operations.md "Configure"), in its order: an admission with another type is refused (`validation_failed`, `type`). Configuration only: no organisation or person.',
    tag: 'admin',
    responses: { 200: ok('The organisation types', S.OrganisationTypesOut) },
    handler: async ({ services }) => ({
      status: 200,
      body: { items: [...services.engine.organisationTypes()] },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/organisations',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'admitOrganisation',
    summary: 'Admit an organisation (covenant)',
    description:
      'A person’s session needs stepUp, asked for action organisation_admit with these keys in this order (docs/protocol.md §10.6).',
    tag: 'admin',
    body: S.Admit,
    problems: ['text_forbidden', 'public_key_invalid', 'conflict', ...STEP_UP_PROBLEMS],
    responses: { 201: ok('Admitted', S.OrganisationWithKeysOut) },
    handler: async ({ principal, body, services }) => {
      const o = await services.engine.admitOrganisation(
        adminActor(principal),
        {
          name: body.name,
          type: body.type,
          publicKeys: body.publicKeys,
          ...(body.webhookUrl === undefined ? {} : { webhookUrl: body.webhookUrl }),
          ...(body.placementBudgetPerDay === undefined
            ? {}
            : { placementBudgetPerDay: body.placementBudgetPerDay }),
        },
        body.stepUp,
      );
      const keys = await services.engine.listKeys(o.id);
      return { status: 201, body: { organisation: organisationOut(o), keys: keys.map(keyOut) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/admin/organisations/{organisationId}',
    role: 'admin',
    roles: ['administrator', 'match_coordinator'],
    operationId: 'getOrganisation',
    summary: 'One organisation with its keys',
    tag: 'admin',
    params: S.OrganisationIdParams,
    responses: { 200: ok('The organisation', S.OrganisationWithKeysOut) },
    handler: async ({ params, services }) => {
      const o = await services.engine.getOrganisation(params.organisationId);
      const keys = await services.engine.listKeys(o.id);
      return { status: 200, body: { organisation: organisationOut(o), keys: keys.map(keyOut) } };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/admin/organisations/{organisationId}',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'updateOrganisation',
    summary: 'Change the webhook URL, the placement budget or the match notice e-mail opt-in',
    tag: 'admin',
    params: S.OrganisationIdParams,
    body: S.UpdateOrganisation,
    responses: { 200: ok('The organisation', S.OrganisationOnlyOut) },
    handler: async ({ principal, params, body, services }) => {
      const o = await services.engine.updateOrganisation(adminActor(principal), params.organisationId, {
        ...(body.webhookUrl === undefined ? {} : { webhookUrl: body.webhookUrl }),
        ...(body.placementBudgetPerDay === undefined
          ? {}
          : { placementBudgetPerDay: body.placementBudgetPerDay }),
        ...(body.matchEmail === undefined ? {} : { matchEmail: body.matchEmail }),
      });
      return { status: 200, body: { organisation: organisationOut(o) } };
    },
  }),
  organisationChange(
    'suspendOrganisation',
    '/v1/admin/organisations/{organisationId}/suspend',
    'Suspend an organisation (takes effect on its next request)',
  ),
  organisationChange(
    'reinstateOrganisation',
    '/v1/admin/organisations/{organisationId}/reinstate',
    'Reinstate a suspended organisation',
  ),
];
