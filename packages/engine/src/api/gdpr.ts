// GDPR requests of data subjects, handled by the municipality only: the access report lists
// signals and matches by id, status and organisation name, never contact details.

import type { Informed } from './common.js';
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
}

export type ObjectionStatus = 'pending' | 'upheld' | 'rejected';
