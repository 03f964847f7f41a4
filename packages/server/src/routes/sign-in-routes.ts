// The public passkey ceremonies (docs/protocol.md §10, docs/api.md "Sign-in"): enrolment
// with a code and sign-in that binds a browser-held session key. Unsigned by nature; each
// is limited per client address before any work and per person before a response is
// verified (docs/protocol.md §10.5), and every refusal is a problem code that names
// nothing about the person.

import type { CeremonyHooks } from '@sluis/engine';
import { type AnyRoute, defineRoute, ok, type RouteServices } from '../http/route.js';
import * as S from '../http/schemas.js';
import { sessionOut } from '../http/sign-in-wire.js';

const CEREMONY_PROBLEMS = ['rate_limited', 'sign_in_disabled'];

/**
 * The address limit now, the person limit through the engine's hook (before verification).
 * Callers whose address is not known (a trusted proxy that sent no X-Forwarded-For) share
 * one bucket, so they are limited too (docs/operations.md "Sign-in (passkeys and sessions)").
 */
function limited(services: RouteServices, address: string | undefined): CeremonyHooks {
  services.signInLimit(address === undefined ? 'address unknown' : `address ${address}`);
  return { beforeVerify: (personId) => services.signInLimit(`person ${personId}`) };
}

export const signInRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/enrolment/options',
    role: 'public',
    roles: [],
    operationId: 'enrolmentOptions',
    summary: 'WebAuthn registration options for the person an enrolment code names',
    description: 'The code is not used up by this step. user.name and user.displayName are the person id.',
    tag: 'sign-in',
    body: S.EnrolmentOptionsIn,
    problems: [...CEREMONY_PROBLEMS, 'enrolment_code_invalid', 'enrolment_code_expired'],
    responses: { 200: ok('Options for navigator.credentials.create', S.CreationOptionsOut) },
    handler: async ({ body, services, clientAddress }) => ({
      status: 200,
      body: { options: await services.engine.enrolmentOptions(body.code, limited(services, clientAddress)) },
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/enrolment',
    role: 'public',
    roles: [],
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
    ],
    responses: { 201: ok('The person and the new device', S.EnrolledOut) },
    handler: async ({ body, services, clientAddress }) => ({
      status: 201,
      body: await services.engine.enrol(body, limited(services, clientAddress)),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/sessions/options',
    role: 'public',
    roles: [],
    operationId: 'signInOptions',
    summary: 'A sign-in challenge that commits to the browser’s session key',
    description:
      'challenge = SHA-256(lp("sluis/session-binding/v1") ‖ nonce ‖ sessionPublicKey), challengeId = base64url(nonce) (docs/protocol.md §10.3).',
    tag: 'sign-in',
    body: S.SignInOptionsIn,
    problems: CEREMONY_PROBLEMS,
    responses: { 200: ok('Options for navigator.credentials.get', S.RequestOptionsOut) },
    handler: async ({ body, services, clientAddress }) => {
      limited(services, clientAddress);
      return { status: 200, body: await services.engine.signInOptions(body.sessionPublicKey) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/sessions',
    role: 'public',
    roles: [],
    operationId: 'signIn',
    summary: 'Sign in with a passkey: starts a session signed with the bound key',
    tag: 'sign-in',
    body: S.SignInIn,
    problems: [...CEREMONY_PROBLEMS, 'challenge_invalid', 'passkey_invalid', 'passkey_counter_invalid'],
    responses: { 201: ok('The session', S.SessionOut) },
    handler: async ({ body, services, clientAddress }) => ({
      status: 201,
      body: sessionOut(await services.engine.signIn(body, limited(services, clientAddress))),
    }),
  }),
];
