// Key lifecycle (docs/keys.md): covenant key epochs and their retirement, server-secret
// rotation, the review of a compromised key's activity and operational key events. Reports
// carry ids, epochs and counts, never a pseudonym.

import type { LogbookEntry } from './admin.js';

export type EpochStatus = 'active' | 'retired';

/** docs/protocol.md §7: a covenant HMAC key (§3) or an OPRF key of the pseudonym service (§9). */
export type EpochKind = 'hmac' | 'oprf';

export interface EpochRecord {
  readonly epoch: number;
  readonly status: EpochStatus;
  readonly kind: EpochKind;
  /** 'oprf': the pseudonym service's public key for the epoch (32 bytes); 'hmac': null. */
  readonly publicKey: Uint8Array | null;
  readonly registeredAt: number;
  readonly retiredAt: number | null;
}

export interface EpochRetirement {
  readonly epoch: EpochRecord;
  readonly storedPseudonymsDeleted: number;
  /** Active signals ended with reason 'key_retired' (forced retirement only). */
  readonly signalsEnded: number;
  /**
   * Archived signals left without any subject pseudonym: unlinkable, purged on schedule. The
   * due ones (past their expiresAt, not yet recorded) among them, their expiry recorded now.
   */
  readonly archivedUnlinked: number;
  readonly organisations: readonly {
    readonly organisationId: string;
    readonly signalsEnded: number;
    readonly archivedUnlinked: number;
  }[];
}

/** Live signals only: one past its expiresAt counts nowhere (docs/engine.md "The life of a signal"). */
export interface EpochProgress {
  readonly epochs: readonly EpochRecord[];
  readonly organisations: readonly {
    readonly organisationId: string;
    readonly organisationName: string;
    readonly activeSignals: number;
    /** Active signals with a subject pseudonym under each epoch. */
    readonly byEpoch: readonly { readonly epoch: number; readonly activeSignals: number }[];
    /**
     * Per active epoch: active signals that retiring it would end (no subject pseudonym
     * under any other active epoch). Zero for every epoch but one = fully migrated.
     */
    readonly stranded: readonly { readonly epoch: number; readonly activeSignals: number }[];
  }[];
}

export interface SecretRotationStatus {
  /** The generation new rows are written at. */
  readonly generation: number;
  /** The latest rotation, null when the secret was never rotated. */
  readonly rotation: {
    readonly generation: number;
    readonly status: 'running' | 'completed';
    readonly startedAt: number;
    readonly completedAt: number | null;
    readonly signalsTotal: number;
    readonly signalsDone: number;
    readonly rowsRekeyed: number;
    readonly pendingCatchUps: number;
  } | null;
}

export interface KeyActivity {
  readonly keyId: string;
  readonly from: number;
  readonly to: number;
  /** Signals placed with the key in the window, with what became of them. */
  readonly placements: readonly {
    readonly signalId: string;
    readonly at: number;
    readonly seq: number;
    readonly status: 'active' | 'inactive' | 'deleted';
  }[];
  /** Every logbook entry made with the key in the window (ids, codes, counts only). */
  readonly entries: readonly LogbookEntry[];
  /** True when more than the returned maximum matched. */
  readonly truncated: boolean;
}

export type KeyEventAction = 'webhook_key.added' | 'webhook_key.signing' | 'webhook_key.retired';

/** The logbook's record of webhook key changes (docs/keys.md §4.5 "Several instances"). */
export interface WebhookKeyRecord {
  readonly events: readonly {
    readonly seq: number;
    readonly action: 'webhook_key.added' | 'webhook_key.retired';
    readonly keyId: string;
  }[];
  /** The logbook head the read covered: the cursor of the next read. */
  readonly throughSeq: number;
}

/** What one call of rekeyBatch did; the server's log says it (docs/operations.md "Logs"). */
export interface RekeyBatchResult {
  /** Nothing is left to do (no rotation runs, or this call completed the last one keys/ calls for). */
  readonly done: boolean;
  /** This call completed the rotation. */
  readonly completed: boolean;
  /**
   * `started`: keys/ holds a generation the database had not recorded (a restored backup, or a
   * rotation cut off between its key file and its record), so this call began that rotation;
   * `signals`: re-keyed the next signals' stored values; `catch_ups`: repeated placements
   * written during the rotation; `completed`: recorded the end; `none`: no rotation runs.
   */
  readonly step: 'none' | 'started' | 'signals' | 'catch_ups' | 'completed';
  /** The generation re-keyed to; absent with `none`. */
  readonly generation?: number;
}
