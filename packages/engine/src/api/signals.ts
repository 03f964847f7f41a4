// Signals: placement, the signal as its own organisation sees it, batch results and
// key-epoch migration. A signal is never shown to another organisation, and it carries no
// restriction flag (that would reveal another organisation's signal, docs/engine.md).

import type { EngineErrorCode } from '../errors.js';
import type { Contact, Informed, PersonPseudonyms } from './common.js';

export type SignalStatus = 'active' | 'inactive';
/** Why a signal became inactive. 'error' withdrawals are deleted, not archived. */
/** key_retired: ended by a forced retirement of its only covenant key epoch (docs/keys.md). */
export type EndReason = 'ended' | 'expired' | 'erased_by_request' | 'key_retired';
export type WithdrawReason = 'ended' | 'error';

/**
 * The legal basis of a signal (docs/engine.md "Legal basis"): under 23 the Jeugdwet (no
 * consent needed); from 23 the person's consent or their recorded non-objection, each
 * with an attestation. The SDK derives the age band from the date of birth locally.
 */
export type LegalBasis = 'jeugdwet' | 'consent' | 'no_objection';
export const LEGAL_BASES: readonly LegalBasis[] = Object.freeze(['jeugdwet', 'consent', 'no_objection']);

/**
 * The professional's attestation of consent or non-objection: the day it was given and,
 * optionally, an opaque reference to the form in the organisation's own files (never
 * stored by the server; the logbook records only that there was one).
 */
export interface Attestation {
  readonly date: string;
  readonly formReference?: string;
}

export interface PlaceSignalInput {
  /** Client-chosen UUID; a retry with the same id returns the same signal. */
  readonly requestId: string;
  readonly subject: PersonPseudonyms;
  /** 0–2 parents, for family matching. */
  readonly parents?: readonly PersonPseudonyms[];
  readonly contact: Contact;
  readonly informed: Informed;
  /** Optional client-computed end date (e.g. the 23rd birthday); capped at the active term. */
  readonly endDate?: string;
  /** Default 'jeugdwet'. 'consent' and 'no_objection' need `attestation`. */
  readonly legalBasis?: LegalBasis;
  /** Required with 'consent' and 'no_objection'; refused with 'jeugdwet'. */
  readonly attestation?: Attestation;
  /**
   * Only look the person up (docs/api.md "POST /v1/signals — place a signal"): answer
   * `existing` (or `replayed`) as a placement would, and `not_found` where it would create —
   * then no signal, budget charge or logbook entry (the request's nonce and log line are kept
   * as for any request). A single placement only; a batch item with it is refused.
   */
  readonly existingOnly?: true;
}

/**
 * A signal as its own organisation sees it. Never shown to other organisations.
 */
export interface Signal {
  readonly id: string;
  readonly organisationId: string;
  readonly status: SignalStatus;
  readonly contact: Contact;
  readonly informed: Informed;
  readonly placedAt: number;
  /** When it stops being active (end date or active term, whichever is first). */
  readonly expiresAt: number;
  readonly endedAt: number | null;
  readonly endReason: EndReason | null;
  /** When the archived signal is purged; null while active. */
  readonly purgeAt: number | null;
  /** Covenant key epochs the signal has pseudonyms under (migration progress). */
  readonly epochs: readonly number[];
  readonly hasParents: boolean;
  readonly legalBasis: LegalBasis;
  /**
   * The GDPR desk registered an objection concerning this signal and has not decided it
   * (docs/engine.md "Objections"): the signal matches nothing and its matches reveal no
   * contacts until the decision. Nothing more about the objection is shown.
   */
  readonly underObjection: boolean;
  /**
   * The GDPR desk restricted the processing of this signal (art. 18; docs/engine.md "GDPR
   * requests (municipality only)"): it matches nothing and its matches reveal no contacts
   * until lifted. Only a restriction the desk registered on it: one a new signal inherits
   * from the person's other signals restricts it just the same but is not shown, as that
   * would tell the placer that someone else signalled the person.
   */
  readonly restricted: boolean;
}

/**
 * created: a new signal. replayed: same requestId as before, same payload.
 * existing: this organisation already has an active signal for this person (no change).
 */
export type PlacementOutcome = 'created' | 'replayed' | 'existing';

/**
 * The one-time notice from the historic archive (Jeugdwet art. 7.1.4.6; docs/engine.md
 * "Archive notice"): another organisation's archived signal concerns the same person.
 * Not a match: only that organisation's name and the archived signal's contact, once per
 * (archived signal, new signaller) pair, never to the archived side.
 */
export interface ArchiveNotice {
  readonly id: string;
  /** The new signal the notice was given for. */
  readonly signalId: string;
  readonly at: number;
  readonly organisationName: string;
  readonly contact: Contact;
}

/**
 * A placed batch item's signal in the batch answer's minimal form (`Prefer: return=minimal`,
 * docs/api.md "POST /v1/signals/batch"): its id only, and no view of it is built.
 */
export interface SignalRef {
  readonly id: string;
}

/** How a batch answers its placed items: each signal's view, or `minimal`, its id only (SignalRef). */
export interface BatchAnswerOptions {
  readonly minimal?: boolean;
}

/** `S`: the signal's view, or in a minimal batch answer its id only (SignalRef). */
export interface PlacementResult<S extends SignalRef = Signal> {
  readonly outcome: PlacementOutcome;
  /**
   * The signal, also when `heldByYou` is false: for in-process callers. The HTTP answer then
   * leaves it out (docs/api.md "Need to know").
   */
  readonly signal: S;
  /**
   * On `existing` and `replayed` when a person placed (a session, or the key on their behalf):
   * whether that person holds the signal now. False: a colleague holds it, or no one (the key
   * placed it alone, or a transfer moved it) — a professional's session cannot open it
   * (docs/api.md "Need to know").
   */
  readonly heldByYou?: boolean;
  /** Present on a created signal that received archive notices. */
  readonly archiveNotices?: readonly ArchiveNotice[];
}

/**
 * A person's open request to be handed one signal of their organisation (docs/engine.md
 * "Handover requests"), as the organisation (its coordinator) sees it.
 */
export interface HandoverRequest {
  readonly id: string;
  /** The person id of the professional who asked. */
  readonly requestedBy: string;
  readonly requestedAt: number;
  /** The person id of the signal's holder; null when no one holds it. */
  readonly heldBy: string | null;
  readonly signal: Signal;
}

/**
 * A handover request of the acting professional that their coordinator declined (docs/engine.md
 * "Handover requests"): when they asked and when it was declined, nothing of the signal.
 */
export interface HandoverDecline {
  readonly requestedAt: number;
  readonly declinedAt: number;
}

/** `S`: each placed item's signal view, or in a minimal batch answer its id only (SignalRef). */
export type BatchItemResult<S extends SignalRef = Signal> =
  | { readonly index: number; readonly ok: true; readonly outcome: PlacementOutcome; readonly signal: S }
  | {
      readonly index: number;
      readonly ok: false;
      readonly code: EngineErrorCode;
      readonly fields: readonly string[];
    };

export interface ListSignalsQuery {
  readonly status?: SignalStatus;
  /** Only the signals this person of the organisation placed (docs/api.md "Organisation routes"). */
  readonly personId?: string;
  /**
   * `oldest` (the default) lists in placement order, `newest` the newest placed first; a
   * cursor continues in the order of the page it came from (docs/api.md "GET /v1/signals?status").
   */
  readonly order?: ListOrder;
  readonly cursor?: string;
  /** 1–500, default 100. */
  readonly limit?: number;
}

/** The orders of the own-signal list: placement order, or the newest placed first. */
export const LIST_ORDERS = ['oldest', 'newest'] as const;
export type ListOrder = (typeof LIST_ORDERS)[number];

export interface MigrateSignalInput {
  readonly signalId: string;
  /** The same person under the new epoch(s). */
  readonly subject: PersonPseudonyms;
  readonly parents?: readonly PersonPseudonyms[];
}
