// Construction of the engine (implemented in engine.ts and store/sqlite/*): its
// configuration and the injected clock and random source. The legal ceilings on these
// settings are enforced in config.ts, not here.

import type { LegalBasis } from './signals.js';

export type RegieRule = 'first_signaller' | 'none' | 'organisation_type';
export const REGIE_RULES: readonly RegieRule[] = Object.freeze([
  'first_signaller',
  'none',
  'organisation_type',
]);

export interface EngineConfig {
  /** Days a signal stays active at most; default and maximum 730 (2 years). */
  readonly activeTermDays: number;
  /** Days an inactive signal is archived before purge; default 1826, at most 1827 (5 years, Jeugdwet). */
  readonly archiveTermDays: number;
  /** Match signals of the same organisation (different professionals); default false. */
  readonly sameOrganisationMatching: boolean;
  /**
   * Single placements that queue while another placement write runs are decided together
   * in one write (docs/engine.md "Coalesced placements"), each answered as if placed alone
   * in arrival order. Default false: every placement is its own write operation (the server
   * turns it on for PostgreSQL, where it pays; docs/performance.md "Seventh pass").
   */
  readonly coalescePlacements: boolean;
  /**
   * Covenant rule for regie on a new match; default 'first_signaller'. 'organisation_type':
   * the party whose organisation type ranks highest in regieOrganisationTypes leads (a tie
   * or two unlisted types fall back to the first signaller). 'none' leaves it open.
   */
  readonly regieRule: RegieRule;
  /** Organisation types in order of precedence for regieRule 'organisation_type'. */
  readonly regieOrganisationTypes: readonly string[];
  /** Action kinds of process agreements (codes, [a-z][a-z0-9_]*). */
  readonly agreementActionKinds: readonly string[];
  /** Kinds of information an agreement works with. */
  readonly agreementInformationCategories: readonly string[];
  /** Purposes of process agreements. */
  readonly agreementPurposes: readonly string[];
  /** Allowed organisation types. */
  readonly organisationTypes: readonly string[];
  /**
   * Budget units per organisation per UTC day unless set per organisation; default 1000. A
   * unit is a distinct (role, stored value) a placement looks up (docs/engine.md "Placement
   * budget and rate alert").
   */
  readonly defaultPlacementBudgetPerDay: number;
  /** Budget units in one hour above which an anomaly alert is logged; default 200. */
  readonly placementAlertPerHour: number;
  /**
   * One `match.revealed` logbook entry per signing key and match per this many hours; a
   * read within the window of the logged one adds none (docs/engine.md "Logbook"). Default
   * 24, 0 to 168; 0 logs every read.
   */
  readonly revealLogWindowHours: number;
  /**
   * Days a logbook entry is kept before the retention job purges it behind a checkpointed
   * head. Default 2557 (the active term plus the archive term at their maxima: 7 years); at
   * least activeTermDays + archiveTermDays, so every stored signal's whole history stays
   * (docs/engine.md "Logbook retention", docs/privacy.md).
   */
  readonly logbookRetentionDays: number;
  /** Accepted clock skew of signed requests in seconds; default and maximum 300. */
  readonly clockSkewSeconds: number;
  /**
   * TEST ONLY: also accept `http://` webhook URLs whose host is 127.0.0.1, [::1] or
   * localhost, so end-to-end tests can run a receiver on loopback. Default false; the
   * server refuses to enable it when NODE_ENV=production.
   */
  readonly allowLoopbackHttpWebhooks: boolean;
  /**
   * The covenant's choice of which new signals get the one-time notice from the historic
   * archive, by the new signal's legal basis (docs/engine.md "Archive notice"); default
   * ['jeugdwet'] (Jeugdwet art. 7.1.4.6), [] turns it off.
   */
  readonly archiveNoticeBases: readonly LegalBasis[];
  /**
   * Days after the citizen was informed of a signal within which an objection is on time
   * (docs/engine.md "Objections"); default 42 (six weeks), 1 to 365.
   */
  readonly objectionTermDays: number;
  /**
   * Management information: a cell below this count is shown as "<n" (docs/privacy.md
   * §3a); default 5, 2 to 100.
   */
  readonly statisticsSuppressionThreshold: number;
  /** Passkey sign-in (docs/protocol.md §10); null: sign-in is off (`sign_in_disabled`). */
  readonly webauthn: WebAuthnConfig | null;
  /** Lifetime of an enrolment code, hours (1–720, default 72). */
  readonly enrolmentCodeHours: number;
  /** A session ends after this many minutes without a request (1–1440, default 30). */
  readonly sessionIdleMinutes: number;
  /** A session ends this many hours after sign-in at the latest (1–168, default 12). */
  readonly sessionHours: number;
}

/** The WebAuthn relying party (docs/operations.md "Sign-in"). */
export interface WebAuthnConfig {
  /** The RP id: the portal's registrable domain, e.g. `sluis.example.nl`. */
  readonly rpId: string;
  /** Shown by the authenticator when a passkey is created. */
  readonly rpName: string;
  /** Exact origins (`https://host[:port]`) the portal is served from. */
  readonly origins: readonly string[];
}

/** Milliseconds since the Unix epoch. Injected so tests can move time. */
export type Clock = () => number;
/** n bytes from a CSPRNG. Injected so tests can be deterministic. */
export type RandomSource = (n: number) => Uint8Array;
