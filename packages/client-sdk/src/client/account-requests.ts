// What the client's signing key stands for (docs/api.md "GET /v1/whoami") and the short-lived
// pseudonym-service credential bound to it ("POST /v1/pseudonym-credentials", protocol.md §9.7).
// Invariant: answers are shape-checked before they are returned; the credential is handed to
// the caller only, never logged or kept here.

import { SluisError } from '../errors.js';
import type { PseudonymCredential } from './pseudonym-service-client.js';
import type { RequestContext } from './request-context.js';
import { asObj } from './responses.js';
import type { Whoami } from './types.js';

export async function whoami(ctx: RequestContext): Promise<Whoami> {
  const body = asObj(await ctx.send({ method: 'GET', path: '/v1/whoami', idempotent: true }));
  asObj(body.organisation);
  return body as unknown as Whoami;
}

export async function pseudonymCredential(ctx: RequestContext): Promise<PseudonymCredential> {
  const body = asObj(
    await ctx.send({ method: 'POST', path: '/v1/pseudonym-credentials', body: {}, idempotent: false }),
  );
  if (typeof body.credential !== 'string' || typeof body.expiresAt !== 'string')
    throw new SluisError('response_invalid');
  return { credential: body.credential, expiresAt: body.expiresAt };
}
