// The Store's part for what is sent on to organisations: inbox events, webhook deliveries
// and match notice mail. Inbox cursors commit in increasing order per organisation, so a
// reader never skips past one (contract clause 4, store.ts); outbox rows are leased to one
// claim at a time, so every instance drains the outboxes at once and each row is sent by one
// of them (clause 5).

import type { DeliveryStatus, MailNoticeStatus } from '../../api.js';
import type {
  DeliveryRow,
  EventRow,
  MailNoticePatch,
  MailNoticeRow,
  NewDelivery,
  NewMailNotice,
  OutboxClaim,
} from '../outbox-rows.js';

/** Reads (contract: store.ts). */
export interface OutboxReader {
  /**
   * The organisation's events after `afterCursor`, in cursor order. With `holderRid`, only
   * those of a match whose signal on the organisation's side that person holds now
   * (signals.person): a professional's portal inbox (docs/api.md "Need to know"). An event
   * of a match that is gone has no holder and is left out then.
   */
  eventsAfter(
    organisationRid: number,
    afterCursor: number,
    limit: number,
    holderRid?: number,
  ): Promise<EventRow[]>;

  getMailNotice(id: string): Promise<MailNoticeRow | undefined>;
  /** Newest first; every status when `status` is undefined. */
  listMailNotices(status: MailNoticeStatus | undefined, limit: number): Promise<MailNoticeRow[]>;

  getDelivery(id: string): Promise<DeliveryRow | undefined>;
  listDeliveries(status: DeliveryStatus | undefined, limit: number): Promise<DeliveryRow[]>;
}

/** Writes, only inside Store.write. */
export interface OutboxWriter {
  /** The organisation's next cursor, allocated under a lock held to commit (contract clause 4). */
  appendEvent(row: Omit<EventRow, 'cursor'>): Promise<number>;
  /**
   * `appendEvent` for several rows (the batch path): returns each row's cursor, in row
   * order; an organisation's rows get consecutive cursors in row order. Its cursor locks
   * (clause 4) are taken in organisation rid order, so two batches notifying the same
   * organisations cannot deadlock.
   */
  appendEvents(rows: readonly Omit<EventRow, 'cursor'>[]): Promise<number[]>;
  /**
   * Deletes the events older than `at`, and the `match.removed` events older than
   * `removedBefore` (their shorter term, docs/privacy.md §4). Returns how many.
   */
  deleteEventsBefore(at: number, removedBefore: number): Promise<number>;

  insertDelivery(row: NewDelivery): Promise<void>;
  /**
   * Claims up to `limit` deliveries that are pending, due (nextAttemptAt ≤ now) and not
   * leased (claimedUntil null or ≤ now), oldest due first: sets their claim to `claim`
   * and returns them as claimed. Concurrency (clause 5): of concurrent claims, on one
   * instance or several, no row is returned to two whose leases overlap — PostgreSQL locks
   * the rows `FOR UPDATE SKIP LOCKED` (a row another claim holds is skipped, one it has
   * just claimed is re-checked and left), SQLite's single writer runs claims one at a time.
   * A lease that ends without a recorded attempt (a crashed sender) frees the row again.
   */
  claimDeliveries(now: number, claim: OutboxClaim, limit: number): Promise<DeliveryRow[]>;
  /**
   * Records what came of a delivery claimed under `claim`: sets its state fields and ends its
   * claim (claim and claimedUntil null) — only while the row is still pending and held by that
   * claim, as the caller read it. Answers whether it did. A row that changed meanwhile is left
   * as it is: expired by retention (`expireDeliveriesBefore`, after the lease ended), or taken
   * over by another claim. The condition is in the statement itself, so it holds against a
   * concurrent writer too: on PostgreSQL (READ COMMITTED) an expiry that committed while this
   * statement waited for the row is seen, and the late attempt changes nothing.
   */
  updateDelivery(
    id: string,
    claim: string,
    patch: Pick<DeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'deliveredAt'>,
  ): Promise<boolean>;
  /**
   * Ends the pending deliveries whose inbox event `deleteEventsBefore(at, removedBefore)`
   * deletes (created before `at`; a `match.removed` one before `removedBefore`): status
   * `expired`, with `now` as its nextAttemptAt (when it was ended), its claim ended (a late
   * attempt's record then changes nothing: `updateDelivery`). One leased at `now` is left to its attempt (a later run ends
   * it if that fails). Returns how many.
   */
  expireDeliveriesBefore(at: number, removedBefore: number, now: number): Promise<number>;
  /** Deletes the deliveries delivered, or expired (by nextAttemptAt), before `at`. Returns how many. */
  deleteDeliveredBefore(at: number): Promise<number>;

  /** Queues one match notice; a duplicate id is a 'conflict'. */
  insertMailNotice(row: NewMailNotice): Promise<void>;
  /** As `claimDeliveries`, for pending match notices (docs/engine.md "Match notice e-mail"). */
  claimMailNotices(now: number, claim: OutboxClaim, limit: number): Promise<MailNoticeRow[]>;
  /** Sets the notice's state fields and ends its claim (no-op for an unknown id). */
  updateMailNotice(id: string, patch: MailNoticePatch): Promise<void>;
  /** Deletes sent and dropped notices done before `at`; pending ones stay. Returns how many. */
  deleteDoneMailNoticesBefore(at: number): Promise<number>;
}
