// Organisations admitted to the covenant, their Ed25519 public keys and the principal an
// authenticated request establishes. An organisation's name is revealed to matched parties;
// nothing here describes a client.

import type { ActingPerson } from './people.js';

export type OrganisationStatus = 'active' | 'suspended';

export interface Organisation {
  readonly id: string;
  /** 1–200 characters. Revealed to matched parties. */
  readonly name: string;
  /** From the configurable list EngineConfig.organisationTypes. */
  readonly type: string;
  readonly status: OrganisationStatus;
  /** HTTPS URL for match notifications, or null for pull only. */
  readonly webhookUrl: string | null;
  readonly placementBudgetPerDay: number;
  readonly createdAt: number;
  /** Opted in to the match notice e-mail to its professionals (docs/engine.md "Match notice e-mail"). */
  readonly matchEmail: boolean;
}

export type KeyRole = 'organisation' | 'admin';
export type KeyStatus = 'active' | 'revoked';

export interface PublicKeyRecord {
  /** Derived from the public key (docs/protocol.md §5.1). */
  readonly keyId: string;
  readonly role: KeyRole;
  /** Null for admin keys. */
  readonly organisationId: string | null;
  /** 32 bytes, base64url. */
  readonly publicKey: string;
  readonly status: KeyStatus;
  readonly addedAt: number;
  readonly revokedAt: number | null;
}

export interface AdmitOrganisationInput {
  readonly name: string;
  readonly type: string;
  /** 1–2 Ed25519 public keys, base64url. */
  readonly publicKeys: readonly string[];
  readonly webhookUrl?: string | null;
  readonly placementBudgetPerDay?: number;
}

export interface UpdateOrganisationInput {
  readonly webhookUrl?: string | null;
  readonly placementBudgetPerDay?: number;
  /** Opt in to (true) or out of (false) the match notice e-mail. */
  readonly matchEmail?: boolean;
}

/** Who is calling, as established by Engine.authenticate. */
export type Principal =
  | {
      readonly kind: 'organisation';
      readonly organisationId: string;
      readonly organisationName: string;
      readonly keyId: string;
      /**
       * The Ed25519 public key (32 bytes) that verified this request: the organisation's key,
       * or a person's session key. A pseudonym-service credential binds it (docs/protocol.md §9.7).
       */
      readonly publicKey: Uint8Array;
      /** Present when the request named a person of the organisation (docs/protocol.md §5.6). */
      readonly onBehalfOf?: ActingPerson;
      /** Present when a person's session signed (docs/protocol.md §10.4); keyId is then the session id. */
      readonly sessionId?: string;
      /** With `sessionId`: when the session ends without another request (ms), after this one moved it. */
      readonly sessionIdleExpiresAt?: number;
    }
  | {
      readonly kind: 'admin';
      readonly keyId: string;
      /** A municipality person's session (§10.4): the person, and the session id (= keyId). */
      readonly onBehalfOf?: ActingPerson;
      readonly sessionId?: string;
      /**
       * With `sessionId`: the session's Ed25519 public key that verified this request; a
       * pseudonym-service credential for the GDPR desk binds it (docs/protocol.md §9.7).
       */
      readonly publicKey?: Uint8Array;
      readonly sessionIdleExpiresAt?: number;
    };

export interface SignedRequest {
  /** Upper case. */
  readonly method: string;
  /** Raw path as on the request line. */
  readonly path: string;
  /** Raw query without '?', '' when absent. */
  readonly query: string;
  readonly body: Uint8Array;
  readonly signatureInput: string | undefined;
  readonly signature: string | undefined;
  readonly contentDigest: string | undefined;
  /** The `Sluis-On-Behalf-Of` header, when sent (a covered component, docs/protocol.md §5.6). */
  readonly onBehalfOf?: string | undefined;
}

/**
 * The caller's checks inside authentication (docs/protocol.md §5.4). Each is synchronous
 * and refuses by throwing; what it throws is passed through unchanged.
 */
export interface AuthenticationHooks {
  /** With the key id of a registered, active key, before its signature is verified (check 7). */
  readonly beforeVerify?: (keyId: string) => void;
  /** With the verified key id, before the nonce is recorded (check 8): a refusal leaves it unused. */
  readonly beforeNonce?: (keyId: string) => void;
}
