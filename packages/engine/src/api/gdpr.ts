// GDPR requests of data subjects, handled by the municipality only: the access report lists
// signals (with their legal basis and consent), the signals that hold the person as a parent,
// and matches by id, status and organisation name (with follow-up, regie and process
// agreements), never contact details.

import type { AgreementStatus, ConsentScope } from './collaboration.js';
import type { Informed } from './common.js';
import type { PersonRole } from './people.js';
import type { FollowUpOutcome, MatchKind, MatchStatus } from './matches.js';
import type { LegalBasis, SignalStatus } from './signals.js';

export interface GdprAccessReport {
  readonly signals: readonly {
    readonly signalId: string;
    readonly organisationId: string;
    readonly organisationName: string;
    readonly status: SignalStatus;
    readonly placedAt: number;
    readonly expiresAt: number;
    readonly endedAt: number | null;
    readonly purgeAt: number | null;
    readonly informed: Informed;
    readonly restricted: boolean;
    readonly objection: ObjectionStatus | null;
    /** docs/engine.md "Legal basis". */
    readonly legalBasis: LegalBasis;
    /**
     * 'YYYY-MM-DD': the day consent or non-objection was given, as the placement's logbook
     * entry recorded it; null for `jeugdwet`.
     */
    readonly attestedOn: string | null;
    /** The consent for working together recorded on the signal, if any. */
    readonly consent: GdprConsentRecord | null;
  }[];
  /**
   * The signals (of children) that hold the person as a parent, used for family matching
   * (docs/privacy.md §2 art. 15). The child's signal, not the person's: the desk weighs the
   * child's rights before handing these on.
   */
  readonly parentLinks: readonly {
    readonly signalId: string;
    readonly organisationId: string;
    readonly organisationName: string;
    readonly status: SignalStatus;
    readonly placedAt: number;
    readonly expiresAt: number;
    readonly endedAt: number | null;
    readonly purgeAt: number | null;
  }[];
  /** The matches of the person's signals, and the family matches built on their parent links. */
  readonly matches: readonly {
    readonly matchId: string;
    readonly kind: MatchKind;
    readonly status: MatchStatus;
    readonly createdAt: number;
    readonly organisationNames: readonly [string, string];
    /**
     * `signal`: a match of one of the person's own signals; `parent`: a family match whose
     * two signals both hold the person as a parent (both are in `parentLinks`).
     */
    readonly via: 'signal' | 'parent';
    /**
     * Each organisation's follow-up outcome, in the order of `organisationNames`. Only what is
     * about the person (docs/privacy.md §2 art. 15): on a family match the other side's is null
     * (a sibling's), on a `parent` match both are.
     */
    readonly followUp: readonly [GdprFollowUp | null, GdprFollowUp | null];
    /** Who holds regie (an index into `organisationNames`) and since when; null on a `parent` match. */
    readonly regie: { readonly holder: 0 | 1; readonly since: number } | null;
    /**
     * The match's process agreements, in the order they were made: on a family match only those
     * owned by the person's side, on a `parent` match none.
     */
    readonly agreements: readonly GdprAgreementRecord[];
  }[];
  /** Who received or viewed this citizen's signals, and when, oldest first (docs/privacy.md "Who saw the signal"). */
  readonly access: readonly GdprAccessRecord[];
}

/**
 * The consent on a signal (docs/engine.md "Working together after a match"): the date it was
 * given, its scopes, when it was recorded and withdrawn. Not the form reference: an opaque
 * pointer into the organisation's own files, which the citizen asks of that organisation.
 */
export interface GdprConsentRecord {
  readonly date: string;
  readonly scopes: readonly ConsentScope[];
  readonly recordedAt: number;
  readonly withdrawnAt: number | null;
}

/** An organisation's follow-up outcome on a match (docs/engine.md "Follow-up outcomes"). */
export interface GdprFollowUp {
  readonly outcome: FollowUpOutcome;
  readonly at: number;
}

/** One process agreement of a match; `owner` is an index into the match's `organisationNames`. */
export interface GdprAgreementRecord {
  readonly agreementId: string;
  readonly owner: 0 | 1;
  readonly actionKind: string;
  readonly informationCategory: string;
  readonly purpose: string;
  /** 'YYYY-MM-DD'. */
  readonly dueDate: string;
  readonly status: AgreementStatus;
  readonly createdAt: number;
  /** The organisation that made the agreement, an index into `organisationNames`. */
  readonly createdBy: 0 | 1;
  /** Every status update, oldest first (starts with 'open' at `createdAt`), `by` an index as above. */
  readonly history: readonly { readonly status: AgreementStatus; readonly at: number; readonly by: 0 | 1 }[];
}

/**
 * One receipt or view of the citizen's signal. `organisationId`/`organisationName` null: the
 * municipality. `role`: the role a person acted in, 'organisation' for an organisation's
 * system (its key alone), 'municipality' for the municipality's key alone. `personName`: the
 * professional of an organisation who acted; null for the municipality's people (role only)
 * and when no person acted. Never another citizen's data.
 */
export interface GdprAccessRecord {
  readonly at: number;
  readonly kind: 'received' | 'viewed';
  /**
   * API 1.9.0, how (docs/privacy.md "Who saw the signal"): `match` — notified of a match, or its
   * counterpart's contact shown; `archive_notice` — a new signaller's organisation was given the
   * archived signal's contact (received), or read that notice again (viewed); `existing` — a
   * placement or look-up of the organisation was answered with the signal (viewed);
   * `access_request` — the municipality's GDPR desk.
   */
  readonly via: GdprAccessVia;
  /** The match through which the signal was received or viewed; null when not through a match. */
  readonly matchId: string | null;
  /** API 1.9.0: the citizen's signal received or viewed, for `archive_notice` and `existing`; else null. */
  readonly signalId: string | null;
  readonly organisationId: string | null;
  readonly organisationName: string | null;
  readonly role: PersonRole | 'organisation' | 'municipality';
  readonly personName: string | null;
}

export type GdprAccessVia = 'match' | 'archive_notice' | 'existing' | 'access_request';

export type ObjectionStatus = 'pending' | 'upheld' | 'rejected';

/**
 * Registering an objection (docs/engine.md "Objections"): `pending` on receipt, with the
 * day it was received, then the decision `upheld` (erasure, art. 17) or `rejected`
 * (restriction lifted). `lateExcused` records that a late objection is still admitted
 * (Awb art. 6:11).
 */
export interface ObjectionInput {
  readonly status: ObjectionStatus;
  /** 'YYYY-MM-DD', required with 'pending'. */
  readonly receivedOn?: string;
  readonly lateExcused?: boolean;
}

/**
 * What a restriction (art. 18), its lifting or an objection's decision changed
 * (docs/engine.md "GDPR requests (municipality only)"): the person's signals, and the
 * person's parent links on children's signals whose hold changed (held or freed; for an
 * upheld objection, removed) — a link already held, or already free, is not counted.
 */
export interface GdprChanged {
  readonly signals: number;
  readonly parentLinks: number;
}

/** An objection's answer; a registration (`pending`) adds whether it was on time (docs/engine.md "Objections"). */
export interface GdprObjectionChanged extends GdprChanged {
  /** Registration only: received within the term; false means admitted late as excused. */
  readonly onTime?: boolean;
}

/** A cell of the management information: a count, or "<n" below the threshold n. */
export type MiCell = number | `<${number}`;

export interface MiQuery {
  /** First month, 'YYYY-MM'. */
  readonly from: string;
  /** Last month, 'YYYY-MM': a closed month (docs/engine.md "Management information"). */
  readonly to: string;
  readonly organisationType?: string;
}

export interface ManagementInformationRow {
  readonly month: string;
  readonly organisationType: string;
  readonly signalsPlaced: MiCell;
  readonly signalsWithdrawn: MiCell;
  readonly matches: MiCell;
  readonly contactMade: MiCell;
  readonly alreadyInContact: MiCell;
  readonly noContactNeeded: MiCell;
  readonly clientRefused: MiCell;
  /** Lower median of whole days from match to a recorded contact, or "<n". */
  readonly medianDaysToContact: MiCell;
}

export interface ManagementInformation {
  readonly threshold: number;
  readonly from: string;
  readonly to: string;
  readonly rows: readonly ManagementInformationRow[];
}

/**
 * Which epochs a GDPR request names the person under (docs/api.md "Admin (municipality) routes"): every
 * active epoch, or — for a person without a BSN, whose identifier is pseudonymised under
 * OPRF epochs only (docs/protocol.md §2.2) — every active OPRF epoch and no HMAC epoch.
 */
export type GdprEpochs = 'all' | 'oprf';
