// People routes (docs/api.md "People"): an organisation's coordinator (or its key) adds,
// lists and removes the organisation's own people; the municipality's administrator (or an
// admin key) does so for anyone. The organisation is always the caller's own — taken from
// the verified principal, never from the request — and the engine refuses organisation
// callers anything outside it (docs/threat-model.md §5.10).

import type { AddPersonInput } from '@sluis/engine';
import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { personOut } from '../http/wire.js';
import { adminActor } from './admin-helpers.js';
import { actorOf } from './organisation-helpers.js';

const PERSON_PROBLEMS = ['not_found'];

/** The engine's input for a new person of `organisationId` (null: the municipality); an absent e-mail stays absent. */
function newPerson(
  organisationId: string | null,
  body: Pick<AddPersonInput, 'displayName' | 'roles'> & { readonly email?: string | null | undefined },
): AddPersonInput {
  return {
    organisationId,
    displayName: body.displayName,
    ...(body.email === undefined ? {} : { email: body.email }),
    roles: body.roles,
  };
}

export const organisationPeopleRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/people',
    role: 'organisation',
    roles: ['organisation_coordinator'],
    operationId: 'listOwnPeople',
    summary: 'The organisation’s people, removed ones included',
    tag: 'people',
    responses: { 200: ok('People', S.PeopleOut) },
    handler: async ({ principal, services }) => ({
      status: 200,
      body: {
        people: (await services.engine.listPeople(actorOf(principal), principal.organisationId)).map(
          personOut,
        ),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/people',
    role: 'organisation',
    roles: ['organisation_coordinator'],
    operationId: 'addOwnPerson',
    summary: 'Add a person to the organisation',
    tag: 'people',
    body: S.AddOwnPerson,
    responses: { 201: ok('The person', S.PersonOnlyOut) },
    handler: async ({ principal, body, services }) => ({
      status: 201,
      body: {
        person: personOut(
          await services.engine.addPerson(actorOf(principal), newPerson(principal.organisationId, body)),
        ),
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/people/{personId}',
    role: 'organisation',
    roles: ['organisation_coordinator'],
    operationId: 'getOwnPerson',
    summary: 'One of the organisation’s people',
    tag: 'people',
    params: S.PersonIdParams,
    problems: PERSON_PROBLEMS,
    responses: { 200: ok('The person', S.PersonOnlyOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: { person: personOut(await services.engine.getPerson(actorOf(principal), params.personId)) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/people/{personId}/remove',
    role: 'organisation',
    roles: ['organisation_coordinator'],
    operationId: 'removeOwnPerson',
    summary: 'Remove a person of the organisation (their sessions end at once)',
    tag: 'people',
    params: S.PersonIdParams,
    body: S.Empty,
    problems: [...PERSON_PROBLEMS, 'last_coordinator'],
    responses: { 200: ok('The person, removed', S.PersonOnlyOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: {
        person: personOut(await services.engine.removePerson(actorOf(principal), params.personId)),
      },
    }),
  }),
];

export const adminPeopleRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/admin/people',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'listPeople',
    summary: 'The people of one organisation, or of the municipality without organisationId',
    tag: 'admin',
    query: S.AdminPeopleQuery,
    problems: PERSON_PROBLEMS,
    responses: { 200: ok('People', S.PeopleOut) },
    handler: async ({ principal, query, services }) => ({
      status: 200,
      body: {
        people: (await services.engine.listPeople(adminActor(principal), query.organisationId ?? null)).map(
          personOut,
        ),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/people',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'addPerson',
    summary: 'Add a person to an organisation or to the municipality',
    tag: 'admin',
    body: S.AddPerson,
    problems: PERSON_PROBLEMS,
    responses: { 201: ok('The person', S.PersonOnlyOut) },
    handler: async ({ principal, body, services }) => ({
      status: 201,
      body: {
        person: personOut(
          await services.engine.addPerson(adminActor(principal), newPerson(body.organisationId, body)),
        ),
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/admin/people/{personId}/remove',
    role: 'admin',
    roles: ['administrator'],
    operationId: 'removePerson',
    summary: 'Remove a person (their sessions end at once)',
    tag: 'admin',
    params: S.PersonIdParams,
    body: S.Empty,
    problems: [...PERSON_PROBLEMS, 'last_administrator'],
    responses: { 200: ok('The person, removed', S.PersonOnlyOut) },
    handler: async ({ principal, params, services }) => ({
      status: 200,
      body: {
        person: personOut(await services.engine.removePerson(adminActor(principal), params.personId)),
      },
    }),
  }),
];
