// The public passkey ceremonies (docs/protocol.md §10, docs/api.md "Sign-in"): enrolment
// with a code and sign-in that binds a browser-held session key. Unsigned by nature; each
// route is limited per client address before any work (app.ts, `signInLimited`) and per
// person before a response is verified (docs/protocol.md §10.5), and every refusal is a
// problem code that names nothing about the person.

import type { CeremonyHooks } from '@sluis/engine';
import { type AnyRoute, defineRoute, ok, type RouteServices } from '../http/route.js';
import * as S from '../http/schemas.js';
import { sessionOut } from '../http/sign-in-wire.js';

const CEREMONY_PROBLEMS = ['rate_limited', 'sign_in_disabled'];

/**
 * The person limit, through the engine's hook (before verification): one budget per person
 * across the three routes that name one, so no route adds attempts to another's.
 */
function personLimited(services: RouteServices): CeremonyHooks {
  return { beforeVerify: (personId) => services.signInLimit('person', personId) };
}

export const signInRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/enrolment/options',
    role: 'public',
    roles: [],
    signInLimited: true,
    operationId: 'enrolmentOptions',
    summary: 'WebAuthn registration options for the person an enrolment code names',
    description: 'The code is not used up by this step. user.name and user.displayName are the person id.',
    tag: 'sign-in',
    body: S.EnrolmentOptionsIn,
    problems: [
      ...CEREMONY_PROBLEMS,
      'enrolment_code_invalid',
      'enrolment_code_expired',
      'organisation_suspended',
    ],
    responses: { 200: ok('Options for navigator.credentials.create', S.CreationOptionsOut) },
    handler: async ({ body, services }) => ({
      status: 200,
      body: { options: await services.engine.enrolmentOptions(body.code, personLimited(services)) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/enrolment',
    role: 'public',
    roles: [],
    signInLimited: true,
    operationId: 'enrol',
    summary: 'Register a first passkey with an enrolment code (uses the code up)',
    tag: 'sign-in',
    body: S.EnrolIn,
    problems: [
      ...CEREMONY_PROBLEMS,
      'enrolment_code_invalid',
      'enrolment_code_expired',
      'challenge_invalid',
      'passkey_invalid',
      'conflict',
      'organisation_suspended',
    ],
    responses: { 201: ok('The person and the new device', S.EnrolledOut) },
    handler: async ({ body, services }) => ({
      status: 201,
      body: await services.engine.enrol(body, personLimited(services)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/sessions/options',
    role: 'public',
    roles: [],
    signInLimited: true,
    operationId: 'signInOptions',
    summary: 'A sign-in challenge that commits to the browser’s session key',
    description:
      'challenge = SHA-256(lp("sluis/session-binding/v1") ‖ nonce ‖ sessionPublicKey), challengeId = base64url(nonce) (docs/protocol.md §10.3).',
    tag: 'sign-in',
    body: S.SignInOptionsIn,
    problems: CEREMONY_PROBLEMS,
    responses: { 200: ok('Options for navigator.credentials.get', S.RequestOptionsOut) },
    handler: async ({ body, services }) => ({
      status: 200,
      body: await services.engine.signInOptions(body.sessionPublicKey),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/sessions',
    role: 'public',
    roles: [],
    signInLimited: true,
    operationId: 'signIn',
    summary: 'Sign in with a passkey: starts a session signed with the bound key',
    tag: 'sign-in',
    body: S.SignInIn,
    problems: [
      ...CEREMONY_PROBLEMS,
      'challenge_invalid',
      'passkey_invalid',
      'passkey_counter_invalid',
      'organisation_suspended',
    ],
    responses: { 201: ok('The session', S.SessionOut) },
    handler: async ({ body, services }) => ({
      status: 201,
      body: sessionOut(await services.engine.signIn(body, personLimited(services))),
    }),
  }),
];
