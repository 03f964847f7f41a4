// Step-up (docs/protocol.md §10.6): an act that would outlive the session — registering
// another passkey or removing one of one's own; and, for a coordinator's or the
// municipality's session, an enrolment code for someone else, a new admin or organisation
// key, an organisation admitted with its keys, a new covenant key epoch — needs, besides
// the session's signature, a fresh passkey assertion with user verification from one of
// the person's registered devices, made for exactly that act. The challenge commits to the
// session and the action text, which names the act and everything that gives it its power
// (session-binding.ts `stepUpChallenge`), is stored for the person, single use, and lives
// CHALLENGE_MS; it is verified by the code that verifies sign-in, counter compare-and-set
// included. So a stolen session (an unlocked laptop, script in the page) cannot make itself
// a credential that outlives the session (docs/threat-model.md §5.11). Keys (the CLIs, an
// organisation's system) are no session and need none.

import type { AuthenticatorTransportFuture } from '@simplewebauthn/server';
import type { Actor, StepUpAction, StepUpProof } from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid } from '../ids.js';
import { fromBase64url } from '../protocol/bytes.js';
import { isValidPublicKey } from '../protocol/request-signature.js';
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
import { webAuthnLibrary } from './webauthn-library.js';

type Transports = AuthenticatorTransportFuture[];

/**
 * The `action` the challenge commits to: the act's name and its operands, separated by
 * single spaces. No operand can hold a space (ids, canonical base64url, integers, kinds),
 * so the text is unambiguous.
 */
export function stepUpActionText(a: StepUpAction): string {
  switch (a.kind) {
    case 'device_add':
      return 'device-add';
    case 'device_remove':
      return `device-remove ${a.deviceId}`;
    case 'enrolment_code':
      return `enrolment-code ${a.personId}`;
    case 'organisation_key_add':
      return `organisation-key-add ${a.organisationId} ${a.publicKey}`;
    case 'admin_key_add':
      return `admin-key-add ${a.publicKey}`;
    case 'organisation_admit':
      return ['organisation-admit', ...a.publicKeys].join(' ');
    case 'epoch_register':
      return [
        'epoch-register',
        String(a.epoch),
        a.epochKind,
        ...(a.publicKey === undefined ? [] : [a.publicKey]),
      ].join(' ');
  }
}

const B64URL_43 = /^[A-Za-z0-9_-]{43}$/;

/**
 * An action as a session asks for it (the options route), checked the way the act checks
 * its own operands, so that a valid act has a step-up it can ask for: ids are UUIDs, keys
 * canonical base64url (Ed25519 keys valid points). `validation_failed` on `action.<field>`.
 */
export function checkedAction(input: unknown): StepUpAction {
  const a = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const field = (name: string): never => fail([`action.${name}`]);
  const id = (name: string): string => {
    const v = a[name];
    return isUuid(v) ? v : field(name);
  };
  const signingKey = (v: unknown, name: string): string => {
    const bytes = typeof v === 'string' ? fromBase64url(v) : undefined;
    return bytes !== undefined && isValidPublicKey(bytes) ? (v as string) : field(name);
  };
  switch (a.kind) {
    case 'device_remove':
      // Not one of the person's: not_found below, as for any device id.
      return typeof a.deviceId === 'string'
        ? { kind: 'device_remove', deviceId: a.deviceId }
        : field('deviceId');
    case 'enrolment_code':
      return { kind: 'enrolment_code', personId: id('personId') };
    case 'organisation_key_add':
      return {
        kind: 'organisation_key_add',
        organisationId: id('organisationId'),
        publicKey: signingKey(a.publicKey, 'publicKey'),
      };
    case 'admin_key_add':
      return { kind: 'admin_key_add', publicKey: signingKey(a.publicKey, 'publicKey') };
    case 'organisation_admit': {
      const keys = a.publicKeys;
      if (!Array.isArray(keys) || keys.length < 1 || keys.length > 2) return field('publicKeys');
      return { kind: 'organisation_admit', publicKeys: keys.map((k) => signingKey(k, 'publicKeys')) };
    }
    case 'epoch_register': {
      const { epoch, epochKind, publicKey } = a;
      if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1 || epoch > 0xffffffff)
        return field('epoch');
      if (epochKind !== 'hmac' && epochKind !== 'oprf') return field('epochKind');
      if (epochKind === 'hmac')
        return publicKey === undefined ? { kind: 'epoch_register', epoch, epochKind } : field('publicKey');
      if (
        typeof publicKey !== 'string' ||
        !B64URL_43.test(publicKey) ||
        fromBase64url(publicKey) === undefined
      )
        return field('publicKey');
      return { kind: 'epoch_register', epoch, epochKind, publicKey };
    }
    default:
      return field('kind');
  }
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
  const challenge = stepUpChallenge(nonce, sessionId, stepUpActionText(action));
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
  const { generateAuthenticationOptions } = await webAuthnLibrary();
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

/**
 * A step-up for one act of the signed-in person in this session: options (docs/api.md
 * "Sign-in"). Removing a device: it must be one of the person's (`not_found`). The other
 * acts are checked when they are made (scope, role, conflicts): a challenge alone grants
 * nothing. `device_add` comes with the registration options (own-devices.ts).
 */
export async function stepUpOptions(
  ctx: EngineContext,
  actor: Actor,
  sessionId: string,
  input: unknown,
): Promise<{ challengeId: string; options: unknown }> {
  webauthnOf(ctx);
  const action = checkedAction(input);
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
  const expected = stepUpChallenge(nonce, sessionId, stepUpActionText(action)).toString('base64url');
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

/**
 * The step-up an act that outlives the session needs when a session asks for it
 * (docs/protocol.md §10.6): none for a key or the system (undefined), `step_up_required`
 * for a session without one, else the proof verified for this session (the actor's key id)
 * and `action`. The act stores it with `commitSessionStepUp` in the write that acts.
 */
export async function sessionStepUp(
  ctx: EngineContext,
  actor: Actor,
  action: StepUpAction,
  proof: StepUpProof | undefined,
): Promise<VerifiedStepUp | undefined> {
  if (actor.kind === 'system' || actor.session !== true) return undefined;
  if (proof === undefined) throw new EngineError('step_up_required', 'this act needs a step-up');
  return verifiedStepUp(ctx, actor.keyId, action, proof);
}

/** `commitStepUp` for the signed-in actor when `sessionStepUp` verified one; nothing for a key. */
export async function commitSessionStepUp(
  tx: StoreWriter,
  actor: Actor,
  stepUp: VerifiedStepUp | undefined,
  now: number,
): Promise<void> {
  if (stepUp !== undefined) await commitStepUp(tx, await selfOf(tx, actor), stepUp, now);
}
