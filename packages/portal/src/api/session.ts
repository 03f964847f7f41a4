// Passkey enrolment and sign-in (the auth contract of docs/api.md "Sign-in"):
// the page makes a fresh non-extractable Ed25519 key pair in WebCrypto, sends only the raw
// public key, and the passkey assertion binds it (docs/protocol.md §10.3). The
// session is kept in IndexedDB, the key still non-extractable, so a reload stays signed in
// until sign-out or the server ends the session (../local/session-store.ts).

import { challengeBindsKey, generateSessionKey, sessionSigner } from '@sluis/client-sdk';
import { forgetSession, type StoredSession, storedSession, storeSession } from '../local/session-store.js';
import { type ApiRequest, publicJson, type RequestSigner, signedJson } from './http.js';

export interface Session {
  readonly sessionId: string;
  readonly personId: string;
  readonly organisationId: string | null;
  readonly roles: readonly string[];
  readonly expiresAt: string;
  readonly idleExpiresAt: string;
  readonly signer: RequestSigner;
}

export class CeremonyUnsupported extends Error {
  constructor() {
    super('webauthn_unsupported');
    this.name = 'CeremonyUnsupported';
  }
}

interface JsonCredentialStatics {
  parseCreationOptionsFromJSON(options: unknown): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON(options: unknown): PublicKeyCredentialRequestOptions;
}

function statics(): JsonCredentialStatics {
  const pkc = globalThis.PublicKeyCredential as unknown as Partial<JsonCredentialStatics> | undefined;
  if (
    pkc === undefined ||
    typeof pkc.parseCreationOptionsFromJSON !== 'function' ||
    typeof pkc.parseRequestOptionsFromJSON !== 'function'
  )
    throw new CeremonyUnsupported();
  return pkc as JsonCredentialStatics;
}

function credentialJson(credential: Credential | null): unknown {
  if (credential === null) throw new CeremonyUnsupported();
  return (credential as PublicKeyCredential).toJSON();
}

/** Creates a passkey with the invitation code; the server consumes the code. */
export async function enrol(
  code: string,
  deviceName: string,
): Promise<{ personId: string; deviceId: string }> {
  const { options } = (await publicJson('/v1/enrolment/options', { code })) as { options: unknown };
  const publicKey = statics().parseCreationOptionsFromJSON(options);
  const credential = await navigator.credentials.create({ publicKey });
  const response = credentialJson(credential);
  return (await publicJson('/v1/enrolment', { code, deviceName, response })) as {
    personId: string;
    deviceId: string;
  };
}

/** A step-up (docs/protocol.md §10.6): the challenge id and the existing passkey's assertion. */
export interface StepUpProof {
  readonly challengeId: string;
  readonly response: unknown;
}

/** Asks one of the person's existing passkeys (user verification) to answer a step-up challenge. */
async function stepUpWith(stepUp: { challengeId: string; options: unknown }): Promise<StepUpProof> {
  const publicKey = statics().parseRequestOptionsFromJSON(stepUp.options);
  return {
    challengeId: stepUp.challengeId,
    response: credentialJson(await navigator.credentials.get({ publicKey })),
  };
}

/** Another passkey, halfway: the existing passkey confirmed; the new one still to be created. */
export interface PendingDevice {
  readonly options: unknown;
  readonly stepUp: StepUpProof;
}

/**
 * Step 1 of another passkey: the server's registration options and its step-up, which an
 * existing passkey of the person answers first. Two steps, so the person confirms with the
 * passkey they have before they make one on the device they add (docs/portal.md "Signing in").
 */
export async function confirmAddDevice(session: Session): Promise<PendingDevice> {
  const { options, stepUp } = (await signedJson(session.signer, {
    method: 'POST',
    path: '/v1/me/devices/options',
    body: {},
  })) as { options: unknown; stepUp: { challengeId: string; options: unknown } };
  return { options, stepUp: await stepUpWith(stepUp) };
}

/** Step 2: creates the new passkey and registers it with the step-up of step 1. */
export async function addDevice(
  session: Session,
  pending: PendingDevice,
  deviceName: string,
): Promise<unknown> {
  const publicKey = statics().parseCreationOptionsFromJSON(pending.options);
  const response = credentialJson(await navigator.credentials.create({ publicKey }));
  return signedJson(session.signer, {
    method: 'POST',
    path: '/v1/me/devices',
    body: { deviceName, response, stepUp: pending.stepUp },
  });
}

/**
 * An act that outlives the session, as the server names it for its step-up (docs/api.md
 * "Sign-in", `POST /v1/me/step-up`): the act's request must carry exactly these operands.
 */
export type StepUpAction =
  | { readonly kind: 'enrolment_code'; readonly personId: string }
  | { readonly kind: 'organisation_admit'; readonly publicKeys: readonly string[] };

/**
 * Asks one of the person's passkeys (user verification) to confirm `action` in this session;
 * the proof goes into the act's body as `stepUp`, once, within 5 minutes (docs/protocol.md §10.6).
 */
export async function confirmStepUp(session: Session, action: StepUpAction): Promise<StepUpProof> {
  const stepUp = (await signedJson(session.signer, {
    method: 'POST',
    path: '/v1/me/step-up',
    body: { action },
  })) as { challengeId: string; options: unknown };
  return stepUpWith(stepUp);
}

/** Removes one of the person's own passkeys: an existing passkey confirms the removal first. */
export async function removeOwnDevice(session: Session, deviceId: string): Promise<void> {
  const stepUp = (await signedJson(session.signer, {
    method: 'POST',
    path: `/v1/me/devices/${encodeURIComponent(deviceId)}/removal-options`,
    body: {},
  })) as { challengeId: string; options: unknown };
  await signedJson(session.signer, {
    method: 'DELETE',
    path: `/v1/me/devices/${encodeURIComponent(deviceId)}`,
    body: { stepUp: await stepUpWith(stepUp) },
  });
}

/** Thrown when the server's sign-in challenge does not commit to this page's session key. */
export class ChallengeMismatch extends Error {
  constructor() {
    super('challenge_invalid');
    this.name = 'ChallengeMismatch';
  }
}

/**
 * Signs in with a passkey: the assertion's challenge commits to the new session key, which
 * the page checks before it lets the passkey sign (docs/protocol.md §10.3).
 */
export async function signIn(): Promise<Session> {
  const key = await generateSessionKey();
  const { challengeId, options } = (await publicJson('/v1/sessions/options', {
    sessionPublicKey: key.publicKey,
  })) as { challengeId: string; options: { challenge: string } };
  if (!challengeBindsKey(challengeId, options.challenge, key.publicKey)) throw new ChallengeMismatch();
  const publicKey = statics().parseRequestOptionsFromJSON(options);
  const response = credentialJson(await navigator.credentials.get({ publicKey }));
  const s = (await publicJson('/v1/sessions', { challengeId, response })) as Omit<Session, 'signer'>;
  const record: StoredSession = {
    sessionId: s.sessionId,
    personId: s.personId,
    organisationId: s.organisationId,
    roles: s.roles,
    expiresAt: s.expiresAt,
    idleExpiresAt: s.idleExpiresAt,
    privateKey: key.privateKey,
  };
  // Replaces whoever was signed in in this browser before.
  await storeSession(record);
  return sessionOf(record);
}

function sessionOf(r: StoredSession): Session {
  return {
    sessionId: r.sessionId,
    personId: r.personId,
    organisationId: r.organisationId,
    roles: r.roles,
    expiresAt: r.expiresAt,
    idleExpiresAt: r.idleExpiresAt,
    signer: sessionSigner({ sessionId: r.sessionId, privateKey: r.privateKey }),
  };
}

/** The session kept in this browser (after a reload), or null. */
export async function restoreSession(): Promise<Session | null> {
  const r = await storedSession();
  return r === undefined ? null : sessionOf(r);
}

/** Deletes the kept session if it is this one: sign-out, or the server said it ended. */
export const forgetStoredSession = (sessionId: string): Promise<void> => forgetSession(sessionId);

export function call(session: Session, request: ApiRequest): Promise<unknown> {
  return signedJson(session.signer, request);
}

/** Ends the session at the server and deletes the kept one (also when the server is unreachable). */
export async function signOut(session: Session): Promise<void> {
  try {
    await signedJson(session.signer, { method: 'DELETE', path: '/v1/sessions/current' });
  } finally {
    await forgetSession(session.sessionId);
  }
}
