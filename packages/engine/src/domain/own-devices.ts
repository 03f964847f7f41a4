// A signed-in person's own passkeys (docs/protocol.md §10.6, docs/api.md "Sign-in"):
// registering another or removing one needs a fresh step-up assertion from one of the
// person's registered passkeys, made for that act in this session (step-up.ts), besides
// the session's signature. The assertion is checked before the registration is, and its
// counter is stored in the same write as the device row, so it is used at most once.
// The first passkey still comes only with an enrolment code (passkeys.ts `enrol`).

import type { Actor, Device, StepUpProof } from '../api.js';
import { isUuid, newUuid } from '../ids.js';
import type { EngineContext } from './context.js';
import { notFound } from './context.js';
import {
  deleteDeviceOf,
  echoedChallenge,
  insertDevice,
  refuseChallenge,
  refusePasskey,
  registrationOptions,
  toDevice,
  validDeviceName,
  verifiedCredential,
  webauthnOf,
} from './passkeys.js';
import { commitStepUp, selfOf, stepUpChallengeFor, verifiedStepUp } from './step-up.js';

/**
 * Another passkey for the signed-in person: the registration options and the step-up
 * (challenge id and request options) that one of the person's passkeys must answer first.
 */
export async function deviceOptions(ctx: EngineContext, actor: Actor, sessionId: string) {
  webauthnOf(ctx);
  return ctx.store.write(async (tx) => {
    const person = await selfOf(tx, actor);
    const options = await registrationOptions(ctx, tx, person, 'add_device');
    const stepUp = await stepUpChallengeFor(ctx, tx, person, sessionId, { kind: 'device_add' });
    return { options, stepUp };
  });
}

/** Another passkey for the signed-in person: the step-up verified, then the registration; stored. */
export async function addDevice(
  ctx: EngineContext,
  actor: Actor,
  sessionId: string,
  input: { deviceName: unknown; response: unknown; stepUp?: StepUpProof },
): Promise<Device> {
  webauthnOf(ctx);
  const name = validDeviceName(input?.deviceName);
  const stepUp = await verifiedStepUp(ctx, sessionId, { kind: 'device_add' }, input.stepUp);
  const challengeId = echoedChallenge(input.response) ?? refuseChallenge();
  const challenge = await ctx.store.write((tx) => tx.takeChallenge(challengeId, ctx.clock()));
  if (challenge?.purpose !== 'add_device' || challenge.personRid !== stepUp.personRid)
    return refuseChallenge();
  const credential = await verifiedCredential(ctx, input.response, challenge.challenge);
  const deviceId = newUuid(ctx.random);
  return ctx.store.write(async (tx) => {
    const person = await selfOf(tx, actor);
    const now = ctx.clock();
    await commitStepUp(tx, person, stepUp, now);
    if ((await tx.getDeviceByCredential(credential.id)) !== undefined) return refusePasskey();
    const issuance = { actor, via: 'session' } as const;
    return toDevice(await insertDevice(tx, issuance, person, credential, name, deviceId, now));
  });
}

/** Removes one of the signed-in person's passkeys (and its sessions) with a step-up made for it. */
export async function removeOwnDevice(
  ctx: EngineContext,
  actor: Actor,
  sessionId: string,
  deviceId: string,
  proof: StepUpProof | undefined,
): Promise<void> {
  webauthnOf(ctx);
  if (!isUuid(deviceId)) return notFound();
  const stepUp = await verifiedStepUp(ctx, sessionId, { kind: 'device_remove', deviceId }, proof);
  await ctx.store.write(async (tx) => {
    const person = await selfOf(tx, actor);
    const now = ctx.clock();
    await commitStepUp(tx, person, stepUp, now);
    await deleteDeviceOf(tx, actor, person, deviceId, now);
  });
}
