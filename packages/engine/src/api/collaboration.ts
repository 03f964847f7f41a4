// Working together after a match: consent and process agreements (docs/engine.md "Working together after a match"). Agreements are
// codes from configured lists with no free-text field at all, and a consent's date and form
// reference are never shown to the counterpart (docs/engine.md "Working together").

import type { MatchStatus } from './matches.js';

/** What the citizen (or legal representative) consented to. A fixed list, not configurable. */
export type ConsentScope = 'team_meeting' | 'share_with_matched';
export const CONSENT_SCOPES: readonly ConsentScope[] = Object.freeze(['team_meeting', 'share_with_matched']);

export interface ConsentInput {
  /** The day the consent was given ('YYYY-MM-DD', not in the future). */
  readonly date: string;
  /** 1–2 distinct scopes. */
  readonly scopes: readonly ConsentScope[];
  /**
   * Optional opaque reference to the signed form in the organisation's own files:
   * 1–64 of [A-Za-z0-9._/-], no run of 8 or more digits (it must not be able to hold a
   * BSN or a sentence). Stored; shown only to the organisation that recorded it.
   */
  readonly formReference?: string;
}

/** A signal's consent as its own organisation sees it. */
export interface Consent {
  readonly signalId: string;
  /** given: current; withdrawn: the citizen withdrew it (kept as a fact, without effect). */
  readonly status: 'given' | 'withdrawn';
  readonly date: string;
  readonly scopes: readonly ConsentScope[];
  readonly formReference: string | null;
  readonly recordedAt: number;
  readonly withdrawnAt: number | null;
}

/** The coordination status of a match from the viewer's perspective. */
export interface CoordinationView {
  /** 'consented' when at least one side holds a current consent; otherwise 'anonymous'. */
  readonly status: 'anonymous' | 'consented';
  /** Scopes of the current consent on the viewer's signal (empty: none). */
  readonly myScopes: readonly ConsentScope[];
  /** Scopes of the current consent on the counterpart's signal (empty: none). */
  readonly counterpartScopes: readonly ConsentScope[];
}

export type AgreementStatus = 'open' | 'done' | 'cancelled';

/**
 * One process agreement: who does what, with which kind of information, for which
 * purpose, by when. Every field is a code from a list the municipality configures:
 * there is no free-text field at all (docs/engine.md "Why no free text").
 */
export interface AgreementInput {
  readonly owner: 'me' | 'counterpart';
  /** From EngineConfig.agreementActionKinds. */
  readonly actionKind: string;
  /** From EngineConfig.agreementInformationCategories. */
  readonly informationCategory: string;
  /** From EngineConfig.agreementPurposes. */
  readonly purpose: string;
  /** 'YYYY-MM-DD', today or later. */
  readonly dueDate: string;
}

export interface AgreementView {
  readonly id: string;
  readonly owner: 'me' | 'counterpart';
  readonly actionKind: string;
  readonly informationCategory: string;
  readonly purpose: string;
  readonly dueDate: string;
  /** The latest status update (an agreement starts 'open'). */
  readonly status: AgreementStatus;
  readonly createdAt: number;
  readonly createdBy: 'me' | 'counterpart';
  /** Every status update, oldest first (append-only). */
  readonly history: readonly {
    readonly status: AgreementStatus;
    readonly at: number;
    readonly by: 'me' | 'counterpart';
  }[];
}

/** What the municipality sees of the agreements: counts and overdue items, never the lists. */
export interface AgreementsOverviewItem {
  readonly matchId: string;
  readonly matchStatus: MatchStatus;
  readonly counts: {
    readonly total: number;
    readonly open: number;
    readonly done: number;
    readonly cancelled: number;
    readonly overdue: number;
  };
  /** Open agreements past their due date: which one, by when, whose — not what. */
  readonly overdue: readonly {
    readonly agreementId: string;
    readonly dueDate: string;
    readonly ownerOrganisationId: string | null;
  }[];
}

/** The configured code lists, so clients can offer them (and render them in words). */
export interface Vocabulary {
  readonly consentScopes: readonly ConsentScope[];
  readonly actionKinds: readonly string[];
  readonly informationCategories: readonly string[];
  readonly purposes: readonly string[];
}
