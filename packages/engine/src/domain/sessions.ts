// Sessions (docs/protocol.md §10.3–10.4). Sign-in: the browser sends the public half of a
// non-extractable Ed25519 key; the server answers a WebAuthn challenge that commits to it
// (session-binding.ts), takes the challenge once, verifies the discoverable passkey's
// assertion against the configured RP id and origins with user verification required,
// checks that the signature counter moved forward, and stores a session whose key id
// signs every later request. Sessions end by idle time, absolute time, sign-out, or the
// removal of the device or person — all read from the store on each request.

import type { Actor, CeremonyHooks, SessionInfo, SignInInput } from '../api.js';
import { EngineError } from '../errors.js';
import { fromBase64url } from '../protocol/bytes.js';
import { isValidPublicKey } from '../protocol/request-signature.js';
import { SESSION_NONCE_BYTES, sessionChallenge } from '../protocol/session-binding.js';
import type { PersonRow, SessionRow, StoreReader } from '../store/store.js';
import { fail } from '../validation.js';
import type { EngineContext } from './context.js';
import { appendLog } from './logbook.js';
import {
  advanceCounter,
  assertedCredentialId,
  CHALLENGE_MS,
  refuseChallenge,
  refusePasskey,
  refuseSuspendedOrganisation,
  verifiedAssertion,
  webauthnOf,
} from './passkeys.js';
import { webAuthnLibrary } from './webauthn-library.js';

const MINUTE_MS = 60_000;

export function sessionInfoOf(s: SessionRow, p: PersonRow): SessionInfo {
  return {
    sessionId: s.id,
    personId: p.id,
    organisationId: p.organisationId,
    roles: p.roles,
    idleExpiresAt: s.idleExpiresAt,
    expiresAt: s.expiresAt,
  };
}

/** A session that is live at `now` with its active person; undefined otherwise. */
export async function liveSession(
  tx: StoreReader,
  sessionId: string,
  now: number,
): Promise<{ session: SessionRow; person: PersonRow } | undefined> {
  const session = await tx.getSession(sessionId);
  if (session === undefined || session.idleExpiresAt <= now || session.expiresAt <= now) return undefined;
  const person = await tx.getPerson(session.personId);
  if (person === undefined || person.status !== 'active') return undefined;
  return { session, person };
}

export async function signInOptions(ctx: EngineContext, sessionPublicKey: unknown) {
  const w = webauthnOf(ctx);
  const key = typeof sessionPublicKey === 'string' ? fromBase64url(sessionPublicKey) : undefined;
  if (key === undefined || !isValidPublicKey(key)) fail(['sessionPublicKey']);
  const nonce = Buffer.from(ctx.random(SESSION_NONCE_BYTES));
  const challenge = sessionChallenge(nonce, key);
  const challengeId = nonce.toString('base64url');
  await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    await tx.deleteExpiredChallenges(now);
    await tx.insertChallenge({
      id: challengeId,
      purpose: 'sign_in',
      challenge: challenge.toString('base64url'),
      personRid: null,
      sessionKey: new Uint8Array(key),
      expiresAt: now + CHALLENGE_MS,
    });
  });
  const { generateAuthenticationOptions } = await webAuthnLibrary();
  const options = await generateAuthenticationOptions({
    rpID: w.rpId,
    challenge: new Uint8Array(challenge),
    timeout: CHALLENGE_MS,
    userVerification: 'required',
    allowCredentials: [],
  });
  return { challengeId, options };
}

export async function signIn(
  ctx: EngineContext,
  input: SignInInput,
  hooks: CeremonyHooks = {},
): Promise<SessionInfo> {
  webauthnOf(ctx);
  if (typeof input?.challengeId !== 'string' || input.challengeId.length > 64) fail(['challengeId']);
  const credentialId = assertedCredentialId(input.response, ['response']);
  // Single use, whatever follows: a refused assertion cannot be retried on this challenge.
  const challenge = await ctx.store.write((tx) => tx.takeChallenge(input.challengeId, ctx.clock()));
  if (challenge?.purpose !== 'sign_in' || challenge.sessionKey === null) return refuseChallenge();
  const asserted = await verifiedAssertion(ctx, input.response, credentialId, challenge.challenge, hooks);
  const { device } = asserted;
  const sessionKey = challenge.sessionKey;
  const sessionId = Buffer.from(ctx.random(24)).toString('base64url');
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const person = await tx.getPerson(device.personId);
    if (person === undefined || person.status !== 'active') return refusePasskey();
    // Only after the assertion verified: the passkey's holder, no one else, learns of it.
    await refuseSuspendedOrganisation(tx, person);
    await advanceCounter(tx, asserted, now);
    await tx.deleteExpiredSessions(now);
    const expiresAt = now + ctx.config.sessionHours * 60 * MINUTE_MS;
    const row = {
      id: sessionId,
      personRid: person.rid,
      deviceRid: device.rid,
      publicKey: sessionKey,
      createdAt: now,
      idleExpiresAt: Math.min(expiresAt, now + ctx.config.sessionIdleMinutes * MINUTE_MS),
      expiresAt,
    };
    await tx.insertSession(row);
    await appendLog(tx, now, { kind: 'system' }, 'session.started', {
      personId: person.id,
      deviceId: device.id,
      ...(person.organisationId === null ? {} : { organisationId: person.organisationId }),
    });
    return sessionInfoOf({ ...row, personId: person.id }, person);
  });
}

/** The signed-in session (GET /v1/me); session_expired when it has ended. */
export async function sessionInfo(ctx: EngineContext, sessionId: string): Promise<SessionInfo> {
  const live = await ctx.store.read((tx) => liveSession(tx, sessionId, ctx.clock()));
  if (live === undefined) throw new EngineError('session_expired', 'the session has ended');
  return sessionInfoOf(live.session, live.person);
}

/** Sign-out: ends the session at once on every instance. */
export async function endSession(ctx: EngineContext, actor: Actor, sessionId: string): Promise<void> {
  await ctx.store.write(async (tx) => {
    if (!(await tx.deleteSession(sessionId))) return;
    await appendLog(tx, ctx.clock(), actor, 'session.ended', {});
  });
}
