// Value types shared by every area of the engine's contract: pseudonyms as they arrive on
// the wire, a professional's contact details, the informed attestation, the actor of an
// operation and a page of results. A client pseudonym here is only ever the wire form: the
// engine re-keys it before storage and never stores it as received (docs/protocol.md §4).

import type { PersonRole } from './people.js';

/** A client pseudonym as it arrives on the wire (docs/protocol.md §3). */
export interface WirePseudonym {
  readonly epoch: number;
  /** 32 bytes, canonical base64url without padding. */
  readonly value: string;
}

/**
 * One person as the client sends it: one pseudonym per active covenant key epoch
 * (normally one; two during a key rotation's overlap, docs/keys.md).
 */
export type PersonPseudonyms = readonly WirePseudonym[];

/** The professional's contact details: the only data a match reveals. */
export interface Contact {
  /** 1–100 characters. */
  readonly name: string;
  /** 1–100 characters, e.g. "jeugdconsulent". */
  readonly role: string;
  /** 6–20 characters of digits, spaces, +, -, (, ). At least one of phone and email. */
  readonly phone?: string;
  /** At most 254 characters, one @. */
  readonly email?: string;
}

export type InformedStatus = 'citizen' | 'representative' | 'both' | 'not_yet';

/** Attestation that the citizen (12+) and/or legal representative was informed. */
export interface Informed {
  readonly status: InformedStatus;
  /** Required unless status is 'not_yet'; not in the future. */
  readonly date?: string;
}

/**
 * Who acts. `personId` and `personRole` are present when a person acted — by a personal
 * session, or through an organisation key on their behalf (docs/protocol.md §5.6): the
 * logbook then names the person by id and the role acted in (docs/engine.md "Logbook").
 */
export type Actor =
  | {
      readonly kind: 'organisation';
      readonly organisationId: string;
      readonly keyId: string;
      readonly personId?: string;
      readonly personRole?: PersonRole;
      /**
       * True when the person's own portal session signed (docs/protocol.md §10.4): a
       * professional then sees and acts on only the signals they hold and their matches
       * (docs/api.md "Need to know"), and an act that outlives the session needs a step-up
       * (docs/protocol.md §10.6); `keyId` is then the session id. Never logged; the server
       * sets it from the verified principal.
       */
      readonly session?: boolean;
    }
  | {
      readonly kind: 'admin';
      readonly keyId: string;
      readonly personId?: string;
      readonly personRole?: PersonRole;
      /**
       * True when a municipality person's own session signed (docs/protocol.md §10.4): an
       * act that outlives the session needs a step-up (§10.6); `keyId` is then the session
       * id. Never logged; the server sets it from the verified principal.
       */
      readonly session?: boolean;
    }
  | { readonly kind: 'system' };

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; absent when there is nothing more right now. */
  readonly nextCursor?: string;
}
