// Authentication of a request signed with a session key (docs/protocol.md §10.4): the
// same §5.4 checks as for a registered key, with the session read from the store on every
// request — before the signature check and again after it — so a sign-out, an idle or
// absolute expiry, or the removal of the device or the person (each deletes the session
// or deactivates the person in the store) refuses the next request on every instance. An
// organisation person's session acts as the organisation with the person; a municipality
// person's as the admin side with the person. Only the parsed public key is cached: a
// session's key never changes. Every refusal of the session itself is `session_expired`.

import type { AuthenticationHooks, Principal, SignedRequest } from '../api.js';
import { liveSession } from '../domain/sessions.js';
import type { EngineContext } from '../domain/context.js';
import { EngineError } from '../errors.js';
import {
  type ParsedSignature,
  PublicKeyVerifier,
  requestSignatureBase,
} from '../protocol/request-signature.js';

const MAX_CACHED = 10_000;
/**
 * The idle expiry is moved on at most once a minute (one write, not one per request), or
 * every half idle term when that is shorter, so a 1-minute idle term is moved on too.
 */
const TOUCH_INTERVAL_MS = 60_000;

const expired = (): never => {
  throw new EngineError('session_expired', 'the session has ended');
};

export async function authenticateSession(
  ctx: EngineContext,
  cache: Map<string, PublicKeyVerifier>,
  p: ParsedSignature,
  req: SignedRequest,
  hooks: AuthenticationHooks,
  counted: () => void,
): Promise<Principal> {
  const read = () => ctx.store.read((tx) => liveSession(tx, p.keyId, ctx.clock()));
  let live = (await read()) ?? expired();
  hooks.beforeVerify?.(p.keyId);
  let verifier = cache.get(p.keyId);
  if (verifier === undefined) {
    verifier = new PublicKeyVerifier(live.session.publicKey);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(p.keyId, verifier);
  }
  const base = requestSignatureBase(
    { method: req.method, path: req.path, query: req.query },
    req.contentDigest!,
    p,
  );
  counted();
  if (!(await verifier.verifyAsync(Buffer.from(base, 'utf8'), p.signature))) {
    throw new EngineError('signature_invalid', 'the request is not authenticated');
  }
  live = (await read()) ?? expired();
  const nowMs = ctx.clock();
  const skew = ctx.config.clockSkewSeconds;
  if (Math.abs(nowMs / 1000 - p.created) > skew) {
    throw new EngineError('timestamp_out_of_window', 'the request is not authenticated');
  }
  hooks.beforeNonce?.(p.keyId);
  if (!(await ctx.store.claimNonce(p.keyId, p.nonce, (p.created + skew + 1) * 1000, nowMs))) {
    throw new EngineError('nonce_reused', 'the request is not authenticated');
  }
  const { session, person } = live;
  const idle = ctx.config.sessionIdleMinutes * 60_000;
  let sessionIdleExpiresAt = session.idleExpiresAt;
  if (session.idleExpiresAt - nowMs < idle - Math.min(TOUCH_INTERVAL_MS, idle / 2)) {
    await ctx.store.write((tx) => tx.touchSession(session.id, nowMs + idle));
    // As the store moves it: never past the absolute expiry.
    sessionIdleExpiresAt = Math.min(nowMs + idle, session.expiresAt);
  }
  const onBehalfOf = { personId: person.id, roles: person.roles };
  if (person.organisationId === null)
    return {
      kind: 'admin',
      keyId: session.id,
      onBehalfOf,
      sessionId: session.id,
      sessionIdleExpiresAt,
      // As for an organisation person: a desk's pseudonym-service credential binds it (§9.7).
      publicKey: session.publicKey,
    };
  const org = await ctx.store.read((tx) => tx.getOrganisation(person.organisationId!));
  if (org === undefined)
    throw new EngineError('database_corrupt', 'a person row does not match its organisation');
  if (org.status !== 'active')
    throw new EngineError('organisation_suspended', 'the organisation is suspended');
  return {
    kind: 'organisation',
    organisationId: org.id,
    organisationName: org.name,
    keyId: session.id,
    // The key that verified this request: a pseudonym-service credential binds it (§9.7).
    publicKey: session.publicKey,
    onBehalfOf,
    sessionId: session.id,
    sessionIdleExpiresAt,
  };
}
