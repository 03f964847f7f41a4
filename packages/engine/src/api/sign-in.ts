// Passkey sign-in (docs/protocol.md §10): enrolment codes, devices (passkeys) and sessions
// as the engine hands them out. No type here carries a name or an e-mail address; the
// WebAuthn options and responses are the JSON forms of @simplewebauthn/server.

import type { PersonRole } from './people.js';

/** A fresh enrolment code: shown once, stored only as a hash (§10.1). */
export interface EnrolmentCode {
  readonly code: string;
  readonly expiresAt: number;
}

/** A registered passkey, without its key. */
export interface Device {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

export interface SessionInfo {
  readonly sessionId: string;
  readonly personId: string;
  /** Null: a person of the municipality. */
  readonly organisationId: string | null;
  readonly roles: readonly PersonRole[];
  readonly idleExpiresAt: number;
  readonly expiresAt: number;
}

/** Checks the caller runs inside a ceremony (the server's per-person limit); refuse by throwing. */
export interface CeremonyHooks {
  /** With the person the code or the passkey names, before the response is verified. */
  readonly beforeVerify?: (personId: string) => void;
}

export interface EnrolInput {
  readonly code: string;
  readonly deviceName: string;
  /** RegistrationResponseJSON. */
  readonly response: unknown;
}

export interface SignInInput {
  readonly challengeId: string;
  /** AuthenticationResponseJSON. */
  readonly response: unknown;
}

/** A step-up (§10.6): the challenge id handed out with the options and the passkey's AuthenticationResponseJSON. */
export interface StepUpProof {
  readonly challengeId: string;
  readonly response: unknown;
}

/**
 * What a step-up is for (§10.6): the act and everything that gives it its power, so a
 * step-up for one act proves nothing for another. Public keys are canonical base64url.
 * `device_add` and `device_remove` are one's own passkeys; the others are acts of a
 * coordinator's or the municipality's session that outlive the session.
 */
export type StepUpAction =
  | { readonly kind: 'device_add' }
  | { readonly kind: 'device_remove'; readonly deviceId: string }
  | { readonly kind: 'enrolment_code'; readonly personId: string }
  | { readonly kind: 'organisation_key_add'; readonly organisationId: string; readonly publicKey: string }
  | { readonly kind: 'admin_key_add'; readonly publicKey: string }
  | { readonly kind: 'organisation_admit'; readonly publicKeys: readonly string[] }
  | {
      readonly kind: 'epoch_register';
      readonly epoch: number;
      readonly epochKind: 'hmac' | 'oprf';
      /** The OPRF epoch's public key; absent for an HMAC epoch. */
      readonly publicKey?: string;
    };
