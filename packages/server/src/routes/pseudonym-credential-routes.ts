// The pseudonym-service credential (docs/protocol.md §9.7, docs/api.md "Pseudonym-service
// credentials"): the match server states, under its credential-issuer key, which
// organisation's person signs with which key until when, so a person's browser session
// — which holds no organisation key — can ask the pseudonym service for evaluations
// charged to its organisation. Invariant: every claim comes from the verified principal
// (organisation, person, the key id and public key that verified this very request),
// never from the request body; the credential is short-lived and bound to that key, so
// it is worthless to anyone who does not hold the key's private half.
//
// The municipality's GDPR desk (a session of a person with the gdpr_desk role, who has no
// organisation) gets one too, charged to the municipality: its organisationId claim is the
// id the pseudonym service admitted the municipality with (--gdpr-desk-service-organisation-id,
// docs/operations.md "The GDPR desk in the portal"), the same budget the CLI's
// `admin gdpr … --oprf-epoch` spends with the municipality's admin key. A person of an
// organisation always gets their organisation's: roles never cross sides (docs/engine.md
// "People and roles"), so no person is both professional and desk.

import { randomBytes } from 'node:crypto';
import { issueCredential } from '@sluis/engine/protocol';
import { isEngineError, type Engine } from '@sluis/engine';
import { ServerError } from '../errors.js';
import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';

/** Whether `id` is an organisation's at this match server (never the municipality's own id). */
async function namesAnOrganisation(engine: Engine, id: string): Promise<boolean> {
  try {
    await engine.getOrganisation(id);
    return true;
  } catch (e) {
    if (isEngineError(e) && e.code === 'not_found') return false;
    throw e;
  }
}

/** Seconds a credential is valid: long enough for a placement, short enough that a removal bites soon. */
export const CREDENTIAL_LIFETIME_SECONDS = 300;

export const pseudonymCredentialRoutes: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/pseudonym-credentials',
    role: 'organisation',
    roles: ['professional', 'gdpr_desk'],
    operationId: 'issuePseudonymCredential',
    summary: 'A short-lived credential for the pseudonym service, bound to the signing key',
    description:
      'For a person (a session, or the organisation key on behalf of a person): the pseudonym ' +
      'service accepts it, with a request signed by the same key, instead of an admitted key, ' +
      'and charges the organisation (docs/protocol.md §9.7). The organisation key alone gets ' +
      '`person_required`. A session of the municipality’s GDPR desk gets one charged to the ' +
      'municipality, under the organisation id the server is configured with ' +
      '(`gdpr_desk_unconfigured` without it). Valid for 300 seconds.',
    tag: 'organisation',
    body: S.Empty,
    problems: ['person_required', 'gdpr_desk_unconfigured', 'unavailable'],
    responses: { 201: ok('The credential and when it expires', S.PseudonymCredentialOut) },
    handler: async ({ principal, services }) => {
      if (principal.person === undefined) throw new ServerError('person_required');
      const issuer = services.credentialIssuer;
      if (issuer === undefined) throw new ServerError('unavailable');
      let organisationId: string;
      if (principal.kind === 'municipality_session') {
        const configured = services.gdprDeskServiceOrganisationId;
        // An organisation's id here would charge that organisation's budget at the service and
        // log the desk's evaluations under its name (docs/protocol.md §9.7 "Who gets one").
        if (configured === undefined || (await namesAnOrganisation(services.engine, configured)))
          throw new ServerError('gdpr_desk_unconfigured');
        organisationId = configured;
      } else {
        organisationId = principal.organisationId;
      }
      const issuedAt = Math.floor(services.clock() / 1000);
      const expiresAt = issuedAt + CREDENTIAL_LIFETIME_SECONDS;
      const credential = issueCredential(
        {
          issuerKeyId: issuer.keyId,
          credentialId: randomBytes(16).toString('base64url'),
          organisationId,
          personId: principal.person.personId,
          keyId: principal.keyId,
          publicKey: principal.publicKey,
          issuedAt,
          expiresAt,
        },
        (bytes) => issuer.sign(bytes),
      );
      return {
        status: 201,
        body: {
          credential,
          issuerKeyId: issuer.keyId,
          organisationId,
          personId: principal.person.personId,
          expiresAt: new Date(expiresAt * 1000).toISOString(),
        },
      };
    },
  }),
];
