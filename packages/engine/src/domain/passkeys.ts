// Passkeys (docs/protocol.md §10.2): registration with an enrolment code (own-devices.ts
// adds another from a signed-in session with a step-up); a person's devices listed and
// removed by their organisation's coordinator or the municipality. @simplewebauthn/server verifies
// every response against the configured RP id and exact origins with user verification
// required; the challenge is single use (taken from the store before it is checked).
// Removing a device ends its sessions in the same write, so on every instance at the next
// request (docs/protocol.md §10.4).

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Actor, CeremonyHooks, Device, EnrolInput, WebAuthnConfig } from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid, newUuid, uuidToBytes } from '../ids.js';
import type { ChallengeRow, DeviceRow, PersonRow, StoreReader, StoreWriter } from '../store/store.js';
import { fail } from '../validation.js';
import type { EngineContext } from './context.js';
import { notFound } from './context.js';
import { personOfCode } from './enrolment-codes.js';
import { appendLog } from './logbook.js';
import { personInScope } from './people.js';
import { webAuthnLibrary } from './webauthn-library.js';

/** How long a WebAuthn challenge may be answered (and the browser's timeout). */
export const CHALLENGE_MS = 5 * 60_000;
const MAX_DEVICES = 20;

export const refusePasskey = (): never => {
  throw new EngineError('passkey_invalid', 'the passkey response does not verify');
};
export const refuseChallenge = (): never => {
  throw new EngineError('challenge_invalid', 'the challenge is not valid');
};

export function webauthnOf(ctx: EngineContext): WebAuthnConfig {
  const w = ctx.config.webauthn;
  if (w === null) throw new EngineError('sign_in_disabled', 'sign-in is not configured');
  return w;
}

export function toDevice(d: DeviceRow): Device {
  return { id: d.id, name: d.name, createdAt: d.createdAt, lastUsedAt: d.lastUsedAt };
}

/** A device name: 1–60 characters, no control characters (shown to the person and coordinators). */
export function validDeviceName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 60 || /\p{Cc}/u.test(name)) {
    fail(['deviceName']);
  }
  return name;
}

/** The credential id an assertion names; `validation_failed` on `field` when it has none. */
export function assertedCredentialId(response: unknown, field: readonly string[]): string {
  const id = (response as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || id.length > 1024) fail(field);
  return id as string;
}

/**
 * Verifies a passkey assertion made over `expectedChallenge` (a challenge already taken)
 * by the registered device it names, against the configured RP id and origins with user
 * verification required, and checks that the signature counter moved forward. Sign-in
 * (§10.3) and the step-up of device management (§10.6) both verify here; the caller
 * stores the new counter with `advanceCounter` in the write that acts on the assertion.
 */
export async function verifiedAssertion(
  ctx: EngineContext,
  response: unknown,
  credentialId: string,
  expectedChallenge: string,
  hooks: CeremonyHooks = {},
): Promise<{ device: DeviceRow; newCounter: number }> {
  const w = webauthnOf(ctx);
  const { verifyAuthenticationResponse } = await webAuthnLibrary();
  const device = await ctx.store.read((tx) => tx.getDeviceByCredential(credentialId));
  if (device === undefined) return refusePasskey();
  hooks.beforeVerify?.(device.personId);
  let newCounter: number;
  try {
    // The counter is checked below, explicitly, so a regression has its own code.
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge,
      expectedOrigin: [...w.origins],
      expectedRPID: w.rpId,
      credential: { id: device.credentialId, publicKey: new Uint8Array(device.publicKey), counter: 0 },
      requireUserVerification: true,
    });
    if (!result.verified) return refusePasskey();
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return refusePasskey();
  }
  // WebAuthn §6.1.1: a counter that does not exceed the stored one (unless both are 0)
  // signals a cloned authenticator.
  if ((newCounter > 0 || device.counter > 0) && newCounter <= device.counter) refuseCounter();
  return { device, newCounter };
}

const refuseCounter = (): never => {
  throw new EngineError('passkey_counter_invalid', 'the signature counter did not advance');
};

/**
 * Stores the counter of a verified assertion: a compare-and-set on the counter that was
 * read, so of two writes that used the same assertion (or a clone's) exactly one wins.
 */
export async function advanceCounter(
  tx: StoreWriter,
  asserted: { device: DeviceRow; newCounter: number },
  now: number,
): Promise<void> {
  const { device, newCounter } = asserted;
  if (!(await tx.advanceDeviceCounter(device.rid, device.counter, newCounter, now))) refuseCounter();
}

/** The challenge's base64url as the authenticator echoed it in clientDataJSON; undefined when unreadable. */
export function echoedChallenge(response: unknown): string | undefined {
  try {
    const r = response as { response?: { clientDataJSON?: unknown } };
    const json = r?.response?.clientDataJSON;
    if (typeof json !== 'string' || json.length > 4096) return undefined;
    const c = JSON.parse(Buffer.from(json, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof c.challenge === 'string' && c.challenge.length <= 128 ? c.challenge : undefined;
  } catch {
    return undefined;
  }
}

export async function registrationOptions(
  ctx: EngineContext,
  tx: StoreWriter,
  person: PersonRow,
  purpose: ChallengeRow['purpose'],
) {
  const w = webauthnOf(ctx);
  const { generateRegistrationOptions } = await webAuthnLibrary();
  const now = ctx.clock();
  const challenge = Buffer.from(ctx.random(32));
  const id = challenge.toString('base64url');
  await tx.deleteExpiredChallenges(now);
  await tx.insertChallenge({
    id,
    purpose,
    challenge: id,
    personRid: person.rid,
    sessionKey: null,
    expiresAt: now + CHALLENGE_MS,
  });
  const devices = await tx.listDevices(person.rid);
  // user.name and user.displayName are the person id: the authenticator shows and keeps
  // them, and no name or e-mail address belongs there (docs/threat-model.md §5.11).
  return generateRegistrationOptions({
    rpName: w.rpName,
    rpID: w.rpId,
    userName: person.id,
    userDisplayName: person.id,
    userID: new Uint8Array(uuidToBytes(person.id)!),
    challenge: new Uint8Array(challenge),
    timeout: CHALLENGE_MS,
    attestationType: 'none',
    excludeCredentials: devices.map((d) => ({ id: d.credentialId })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

/** Verifies a registration against a challenge already taken; the new credential. */
export async function verifiedCredential(ctx: EngineContext, response: unknown, challenge: string) {
  const w = webauthnOf(ctx);
  const { verifyRegistrationResponse } = await webAuthnLibrary();
  let result: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: [...w.origins],
      expectedRPID: w.rpId,
      requireUserVerification: true,
    });
  } catch {
    return refusePasskey();
  }
  if (!result.verified) return refusePasskey();
  return result.registrationInfo.credential;
}

export type Credential = Awaited<ReturnType<typeof verifiedCredential>>;

/**
 * How a passkey was issued, logged with it (docs/engine.md "Credentials in the logbook"): with
 * an enrolment code (no one is signed in: the actor is the system, the code's issuer has its
 * own `enrolment_code.issued` entry) or from a signed-in session (the session is the actor).
 */
export type Issuance = { readonly actor: Actor; readonly via: 'enrolment_code' | 'session' };

export async function insertDevice(
  tx: StoreWriter,
  issuance: Issuance,
  person: PersonRow,
  credential: Credential,
  name: string,
  id: string,
  now: number,
): Promise<DeviceRow> {
  if ((await tx.listDevices(person.rid)).length >= MAX_DEVICES) {
    throw new EngineError('conflict', 'the person has the most devices allowed');
  }
  await tx.insertDevice({
    id,
    personRid: person.rid,
    credentialId: credential.id,
    publicKey: credential.publicKey,
    counter: credential.counter,
    name,
    transports: (credential.transports ?? []).filter((t) => /^[a-z-]{1,20}$/.test(t)),
    createdAt: now,
    lastUsedAt: null,
  });
  await appendLog(
    tx,
    now,
    issuance.actor,
    'device.added',
    {
      personId: person.id,
      deviceId: id,
      ...(person.organisationId === null ? {} : { organisationId: person.organisationId }),
    },
    { via: issuance.via },
  );
  return (await tx.getDevice(id))!;
}

/**
 * A person of a suspended organisation neither enrols nor signs in: refused with the code
 * every signed request of theirs gets (docs/protocol.md §10.2 and §10.3, docs/portal.md "The
 * municipality's administrator": they can do nothing), before a challenge is stored or a
 * session is started. Municipality people belong to no organisation.
 */
export async function refuseSuspendedOrganisation(tx: StoreReader, person: PersonRow): Promise<void> {
  if (person.organisationId === null) return;
  const org = await tx.getOrganisation(person.organisationId);
  if (org !== undefined && org.status !== 'active') {
    throw new EngineError('organisation_suspended', 'the organisation is suspended');
  }
}

/** The person an enrolment code names (personOfCode), whose organisation is not suspended. */
async function enrollingPerson(tx: StoreReader, code: unknown, now: number) {
  const found = await personOfCode(tx, code, now);
  await refuseSuspendedOrganisation(tx, found.person);
  return found;
}

/** Step 1 of enrolment: options for the person the code names (the code stays unused). */
export async function enrolmentOptions(ctx: EngineContext, code: unknown, hooks: CeremonyHooks = {}) {
  webauthnOf(ctx);
  // The caller's limit runs outside the write (a write may be repeated, clause 3).
  const { person } = await ctx.store.read((tx) => enrollingPerson(tx, code, ctx.clock()));
  hooks.beforeVerify?.(person.id);
  return ctx.store.write(async (tx) => {
    const current = await enrollingPerson(tx, code, ctx.clock());
    return registrationOptions(ctx, tx, current.person, 'enrol');
  });
}

/** Step 2: verifies the registration and stores the passkey; the code is used up. */
export async function enrol(ctx: EngineContext, input: EnrolInput, hooks: CeremonyHooks = {}) {
  webauthnOf(ctx);
  const name = validDeviceName(input?.deviceName);
  const { person } = await ctx.store.read((tx) => enrollingPerson(tx, input.code, ctx.clock()));
  hooks.beforeVerify?.(person.id);
  const challengeId = echoedChallenge(input.response) ?? refuseChallenge();
  const challenge = await ctx.store.write((tx) => tx.takeChallenge(challengeId, ctx.clock()));
  if (challenge?.purpose !== 'enrol' || challenge.personRid !== person.rid) return refuseChallenge();
  const credential = await verifiedCredential(ctx, input.response, challenge.challenge);
  const deviceId = newUuid(ctx.random);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    // Checked again in the write: the code may have been used or replaced meanwhile.
    const current = await enrollingPerson(tx, input.code, now);
    if (current.person.rid !== person.rid || !(await tx.deleteEnrolmentCode(person.rid, current.selector))) {
      throw new EngineError('enrolment_code_invalid', 'the enrolment code is not valid');
    }
    if ((await tx.getDeviceByCredential(credential.id)) !== undefined) return refusePasskey();
    await insertDevice(
      tx,
      { actor: { kind: 'system' }, via: 'enrolment_code' },
      person,
      credential,
      name,
      deviceId,
      now,
    );
    return { personId: person.id, deviceId };
  });
}

export async function listDevices(ctx: EngineContext, actor: Actor, personId: string): Promise<Device[]> {
  return ctx.store.read(async (tx) => {
    const p = await personInScope(tx, actor, personId);
    return (await tx.listDevices(p.rid)).map(toDevice);
  });
}

/**
 * A coordinator or the municipality removes a person's device and ends its sessions
 * (idempotent refusal: an unknown device is not_found). Not one's own: those are removed
 * with a step-up (own-devices.ts), which this route must not bypass (forbidden).
 */
export async function removeDevice(ctx: EngineContext, actor: Actor, personId: string, deviceId: string) {
  if (actor.kind !== 'system' && actor.personId === personId) {
    throw new EngineError('forbidden', 'one’s own passkeys are removed with a step-up');
  }
  return ctx.store.write(async (tx) => {
    const p = await personInScope(tx, actor, personId);
    await deleteDeviceOf(tx, actor, p, deviceId, ctx.clock());
  });
}

/** Deletes one of the person's devices (its sessions end in the same write) and logs it. */
export async function deleteDeviceOf(
  tx: StoreWriter,
  actor: Actor,
  p: PersonRow,
  deviceId: string,
  now: number,
): Promise<void> {
  const d = isUuid(deviceId) ? await tx.getDevice(deviceId) : undefined;
  if (d === undefined || d.personRid !== p.rid) return notFound();
  await tx.deleteDevice(d.rid);
  await appendLog(tx, now, actor, 'device.removed', {
    personId: p.id,
    deviceId: d.id,
    ...(p.organisationId === null ? {} : { organisationId: p.organisationId }),
  });
}
