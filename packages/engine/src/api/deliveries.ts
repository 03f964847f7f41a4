// The webhook and match notice e-mail outboxes as the server's workers see them, and the
// operations that drain them (part of the Engine interface, api/engine.ts). A delivery's
// payload names only the event type, the match id and the inbox cursor: no contact detail
// ever travels in a webhook body.

import type { InboxEventType } from './matches.js';

/**
 * A delivery's states; `expired`: ended by retention while still pending, once its inbox
 * event was gone (docs/privacy.md §4): never sent again. The one list the type, the admin
 * API's schemas, the CLI and the stores derive from; a state's index is its stored code
 * (deliveries.status), so a new one goes at the end.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'expired'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * A webhook notification waiting in the persisted outbox. The payload names only the
 * event type, the match id and the inbox cursor: the receiver fetches details through
 * its authenticated inbox, so no contact detail ever travels in a webhook body.
 */
export interface Delivery {
  readonly id: string;
  readonly organisationId: string;
  readonly url: string;
  readonly payload: { readonly type: InboxEventType; readonly matchId: string; readonly cursor: string };
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastErrorCode: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

/** One send attempt's outcome as a worker reports it: delivered, or failed with a stable code. */
export type AttemptResult = { ok: true } | { ok: false; code: string };

/**
 * A delivery claimed for sending (docs/engine.md "Storage contract", clause 5): the worker
 * that claimed it sends it and records the attempt under `claim`.
 */
export interface ClaimedDelivery extends Delivery {
  readonly claim: string;
}

/**
 * A match notice e-mail in the persisted outbox (docs/engine.md "Match notice e-mail"):
 * pending until sent; dropped when it can no longer be sent (the person was removed or
 * has no address, the organisation opted out or was suspended, the match is gone).
 */
export type MailNoticeStatus = 'pending' | 'sent' | 'dropped';

/** A match notice as the outbox monitor sees it: ids, state and codes only — no address, no text. */
export interface MailNotice {
  readonly id: string;
  readonly personId: string;
  readonly matchId: string;
  readonly status: MailNoticeStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastErrorCode: string | null;
  readonly createdAt: number;
  readonly doneAt: number | null;
}

/**
 * A notice claimed for sending, as the mail worker gets it: the outbox id and the address
 * read from the person now. The message itself is fixed text (it names nothing about the match).
 */
export interface MailToSend {
  readonly id: string;
  readonly to: string;
  readonly attempts: number;
  /** The claim to record the attempt under (as ClaimedDelivery.claim). */
  readonly claim: string;
}

/** The Engine's outbox operations: what the server's delivery and mail workers call. */
export interface Outboxes {
  // webhook outbox, drained by the server's delivery worker on every instance: each
  // delivery is claimed per row for `leaseMs` (docs/engine.md "Storage contract", clause 5)
  claimDeliveries(limit: number, leaseMs: number): Promise<readonly ClaimedDelivery[]>;
  recordDeliveryAttempt(deliveryId: string, claim: string, result: AttemptResult): Promise<void>;
  listDeliveries(query: { status?: DeliveryStatus; limit?: number }): Promise<readonly Delivery[]>;

  // match notice e-mail outbox, drained by the server's mail worker (docs/engine.md "Match notice e-mail")
  claimMailNotices(limit: number, leaseMs: number): Promise<readonly MailToSend[]>;
  recordMailAttempt(noticeId: string, claim: string, result: AttemptResult): Promise<void>;
  listMailNotices(query: { status?: MailNoticeStatus; limit?: number }): Promise<readonly MailNotice[]>;
}
