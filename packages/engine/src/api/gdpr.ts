// GDPR requests of data subjects, handled by the municipality only: the access report lists
// signals and matches by id, status and organisation name, never contact details.

import type { Informed } from './common.js';
import type { PersonRole } from './people.js';
import type { MatchKind, MatchStatus } from './matches.js';
import type { SignalStatus } from './signals.js';

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
  }[];
  readonly matches: readonly {
    readonly matchId: string;
    readonly kind: MatchKind;
    readonly status: MatchStatus;
    readonly createdAt: number;
    readonly organisationNames: readonly [string, string];
  }[];
  /** Who received or viewed this citizen's signals, and when, oldest first (docs/privacy.md "Who saw the signal"). */
  readonly access: readonly GdprAccessRecord[];
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
  /** The match through which the signal was received or viewed; null for the GDPR desk's own view. */
  readonly matchId: string | null;
  readonly organisationId: string | null;
  readonly organisationName: string | null;
  readonly role: PersonRole | 'organisation' | 'municipality';
  readonly personName: string | null;
}

export type ObjectionStatus = 'pending' | 'upheld' | 'rejected';
