// Step-up (docs/protocol.md §10.6): an act that would outlive the session — registering
// another passkey, removing one — needs, besides the session's signature, a fresh passkey
// assertion with user verification from one of the person's registered devices, made for
// exactly that act. The challenge commits to the session and the action (session-binding.ts
// `stepUpChallenge`), is stored for the person, single use, and lives CHALLENGE_MS; it is
// verified by the code that verifies sign-in, counter compare-and-set included. So a stolen
// session (an unlocked laptop, script in the page) cannot make itself a credential that
// outlives the session (docs/threat-model.md §5.11).

import { type AuthenticatorTransportFuture, generateAuthenticationOptions } from '@simplewebauthn/server';
import type { Actor, StepUpProof } from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid } from '../ids.js';
import { fromBase64url } from '../protocol/bytes.js';
import { SESSION_NONCE_BYTES, stepUpChallenge } from '../protocol/session-binding.js';
import type { DeviceRow, PersonRow, StoreReader, StoreWriter } from '../store/store.js';
import { fail } from '../validation.js';
import { type EngineContext, notFound } from './context.js';
import {
  advanceCounter,
  assertedCredentialId,
  CHALLENGE_MS,
  refuseChallenge,
  refusePasskey,
  verifiedAssertion,
  webauthnOf,
} from './passkeys.js';

type Transports = AuthenticatorTransportFuture[];

/** What a step-up is for; its text is the `action` the challenge commits to. */
export type StepUpAction =
  | { readonly kind: 'device_add' }
  | { readonly kind: 'device_remove'; readonly deviceId: string };

function actionText(a: StepUpAction): string {
  return a.kind === 'device_add' ? 'device-add' : `device-remove ${a.deviceId}`;
}

/** The person a signed-in actor is (a session's person), active. */
export async function selfOf(tx: StoreReader, actor: Actor): Promise<PersonRow> {
  const personId = actor.kind === 'system' ? undefined : actor.personId;
  const p = personId === undefined ? undefined : await tx.getPerson(personId);
  if (p === undefined || p.status !== 'active') throw new EngineError('forbidden', 'no person is signed in');
  return p;
}

/**
 * Stores a step-up challenge for the signed-in person, this session and this action; the
 * PublicKeyCredentialRequestOptionsJSON that asks one of the person's passkeys for it.
 */
export async function stepUpChallengeFor(
  ctx: EngineContext,
  tx: StoreWriter,
  person: PersonRow,
  sessionId: string,
  action: StepUpAction,
): Promise<{ challengeId: string; options: unknown }> {
  const w = webauthnOf(ctx);
  const now = ctx.clock();
  const nonce = Buffer.from(ctx.random(SESSION_NONCE_BYTES));
  const challenge = stepUpChallenge(nonce, sessionId, actionText(action));
  const challengeId = nonce.toString('base64url');
  await tx.deleteExpiredChallenges(now);
  await tx.insertChallenge({
    id: challengeId,
    purpose: 'step_up',
    challenge: challenge.toString('base64url'),
    personRid: person.rid,
    sessionKey: null,
    expiresAt: now + CHALLENGE_MS,
  });
  const devices = await tx.listDevices(person.rid);
  const options = await generateAuthenticationOptions({
    rpID: w.rpId,
    challenge: new Uint8Array(challenge),
    timeout: CHALLENGE_MS,
    userVerification: 'required',
    // Only the person's own passkeys are offered (any other is refused below anyway).
    allowCredentials: devices.map((d) => ({ id: d.credentialId, transports: d.transports as Transports })),
  });
  return { challengeId, options };
}

/** A step-up for removing one of the signed-in person's devices: options (docs/api.md "Sign-in"). */
export async function stepUpOptions(
  ctx: EngineContext,
  actor: Actor,
  sessionId: string,
  action: StepUpAction,
): Promise<{ challengeId: string; options: unknown }> {
  webauthnOf(ctx);
  return ctx.store.write(async (tx) => {
    const person = await selfOf(tx, actor);
    if (action.kind === 'device_remove') {
      const d = isUuid(action.deviceId) ? await tx.getDevice(action.deviceId) : undefined;
      if (d === undefined || d.personRid !== person.rid) return notFound();
    }
    return stepUpChallengeFor(ctx, tx, person, sessionId, action);
  });
}

/** A step-up assertion verified for this person, session and action; its counter is stored by `advanceCounter`. */
export type VerifiedStepUp = {
  readonly device: DeviceRow;
  readonly newCounter: number;
  readonly personRid: number;
};

/**
 * Takes the proof's challenge (single use, whatever follows), checks it was made for this
 * session and action, and verifies the assertion like sign-in does: `challenge_invalid`
 * for a missing, used, expired or other-purpose challenge, `passkey_invalid` for an
 * assertion that does not verify or comes from another person's passkey.
 */
export async function verifiedStepUp(
  ctx: EngineContext,
  sessionId: string,
  action: StepUpAction,
  proof: StepUpProof | undefined,
): Promise<VerifiedStepUp> {
  webauthnOf(ctx);
  if (typeof proof !== 'object' || proof === null) return fail(['stepUp']);
  const { challengeId, response } = proof;
  if (typeof challengeId !== 'string' || challengeId.length > 64) return fail(['stepUp', 'challengeId']);
  const credentialId = assertedCredentialId(response, ['stepUp', 'response']);
  const challenge = await ctx.store.write((tx) => tx.takeChallenge(challengeId, ctx.clock()));
  const nonce = fromBase64url(challengeId);
  if (
    challenge?.purpose !== 'step_up' ||
    challenge.personRid === null ||
    nonce?.length !== SESSION_NONCE_BYTES
  ) {
    return refuseChallenge();
  }
  const expected = stepUpChallenge(nonce, sessionId, actionText(action)).toString('base64url');
  if (challenge.challenge !== expected) return refuseChallenge();
  const asserted = await verifiedAssertion(ctx, response, credentialId, expected);
  if (asserted.device.personRid !== challenge.personRid) return refusePasskey();
  return { ...asserted, personRid: challenge.personRid };
}

/**
 * In the write that acts: the person is still the signed-in one and the assertion's
 * counter is stored (compare-and-set: a second use of the same assertion loses).
 */
export async function commitStepUp(
  tx: StoreWriter,
  person: PersonRow,
  stepUp: VerifiedStepUp,
  now: number,
): Promise<void> {
  if (stepUp.personRid !== person.rid) refuseChallenge();
  await advanceCounter(tx, stepUp, now);
}
