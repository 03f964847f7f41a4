// What the municipality and operators see: retention runs, the hash-chained logbook,
// statistics and the /metrics counters. Counts, codes and ids only: a logbook entry never
// holds a pseudonym or a contact detail.

import type { Actor } from './common.js';
import type { FollowUpOutcome } from './matches.js';

export interface RetentionReport {
  readonly expired: number;
  readonly purgedSignals: number;
  readonly purgedMatches: number;
  /** Webhook deliveries still pending whose inbox event this run deleted: ended, `expired`. */
  readonly expiredDeliveries: number;
  /** Removed people whose row this run deleted, past removal plus the logbook term. */
  readonly deletedPeople: number;
  readonly ranAt: number;
}

export interface LogbookEntry {
  readonly seq: number;
  readonly at: number;
  readonly actor: Actor;
  /** e.g. 'signal.placed', 'match.created', 'match.revealed', 'organisation.suspended'. */
  readonly action: string;
  /** Ids only: signalId, matchId, organisationId, keyId, requestId. Never pseudonyms or contact details. */
  readonly refs: Readonly<Record<string, string>>;
  /** Codes and counts only. */
  readonly details: Readonly<Record<string, string | number | boolean>>;
  /** Hex SHA-256 of the previous entry ('' for the first). */
  readonly prevHash: string;
  /** Hex SHA-256(prevHash ‖ canonical JSON of the entry without hashes). */
  readonly hash: string;
}

/**
 * Why the chain breaks at firstBadSeq (docs/operations.md "When logbook-verify fails"): the
 * entry does not hash to its stored hash; a text of it holds a control character no logbook
 * text has (on SQLite: the stored, encoded form written back as TEXT); the store cannot decode
 * it; it is missing; or the purge checkpoint is not the one its `logbook.purged` entry names.
 */
export type LogbookBreak = 'hash_mismatch' | 'stored_form' | 'unreadable' | 'missing_entry' | 'checkpoint';

/** The entry's text columns, as named in a verification (never their values). */
export const LOGBOOK_COLUMNS = ['actor', 'action', 'refs', 'details'] as const;
export type LogbookColumn = (typeof LOGBOOK_COLUMNS)[number];

export interface LogbookVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly headHash: string;
  /** First sequence number that fails, when not ok. */
  readonly firstBadSeq?: number;
  /** Why it fails, when not ok. */
  readonly reason?: LogbookBreak;
  /** With `stored_form`: the column whose cell holds the control character. */
  readonly column?: LogbookColumn;
}

export interface Statistics {
  readonly organisations: { readonly active: number; readonly suspended: number };
  readonly signals: { readonly active: number; readonly inactive: number };
  readonly matches: { readonly active: number; readonly ended: number; readonly family: number };
  /** Follow-up of the active matches (docs/engine.md "Follow-up outcomes"). */
  readonly followUp: FollowUpCounts;
  /**
   * Live signals per covenant key epoch (migration progress), per organisation: a due signal
   * counts in none (docs/engine.md "The life of a signal").
   */
  readonly epochs: readonly {
    readonly organisationId: string;
    readonly epoch: number;
    readonly activeSignals: number;
  }[];
}

/**
 * Follow-up of the matches of one status: how many there are, how many have no outcome
 * recorded by either party, and per outcome how many parties recorded it (a match has two
 * parties, so the outcomes add up to at most twice `matches`).
 */
export interface FollowUpCounts {
  readonly matches: number;
  readonly withoutOutcome: number;
  readonly outcomes: Readonly<Record<FollowUpOutcome, number>>;
}

export type Gauges = Pick<Statistics, 'organisations' | 'signals' | 'matches'>;

export interface EngineMetrics {
  /** Created placements since start, by organisation id (sluis_placements_total). */
  readonly placementsTotal: Readonly<Record<string, number>>;
  /** alert.placement_rate entries since start, by organisation id (sluis_placement_rate_alerts_total). */
  readonly placementRateAlertsTotal: Readonly<Record<string, number>>;
  /** Durable commits of the single writer (one per group-commit batch). */
  readonly commits: number;
  /** Write operations committed / rolled back alone. */
  readonly writeOperations: number;
  readonly failedWriteOperations: number;
  /** Nonces remembered for replay protection. */
  readonly nonceCacheSize: number;
  /** Ed25519 request-signature verifications since start (docs/protocol.md §5.4). */
  readonly signatureVerifications: number;
}
