// The row types of the inbox and the outboxes (store.ts): inbox events, webhook deliveries
// and mail notices, with the lease (claim) an outbox row is handed out under.

import type { DeliveryStatus, InboxEventType, MailNoticeStatus } from '../api.js';

export interface EventRow {
  /** The organisation's own event number (its inbox cursor): 1, 2, … per organisation, never reused. */
  readonly cursor: number;
  readonly organisationRid: number;
  readonly type: InboxEventType;
  readonly matchId: string;
  readonly at: number;
}

export interface DeliveryRow {
  readonly id: string;
  readonly organisationRid: number;
  readonly organisationId: string;
  readonly url: string;
  readonly type: InboxEventType;
  readonly matchId: string;
  readonly cursor: number;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastErrorCode: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
  /** The claim it is being sent under (a random UUID per claim), or null (store.ts clause 5). */
  readonly claim: string | null;
  /** When that claim's lease ends (ms); the row may be claimed again from then on. */
  readonly claimedUntil: number | null;
}

export type NewDelivery = Omit<DeliveryRow, 'organisationId' | 'claim' | 'claimedUntil'>;

/**
 * A claim on outbox rows (webhook deliveries, match notices): a random token and the end
 * of its lease. Rows claimed under it are sent by its holder alone until the lease ends.
 */
export interface OutboxClaim {
  readonly token: string;
  readonly until: number;
}

/**
 * One match notice e-mail in the persisted outbox (docs/engine.md "Match notice e-mail"):
 * to a person, about a match. It holds no address and no text: the address is read from
 * the person at send time, and the message says only that there is a new match.
 */
export interface MailNoticeRow {
  readonly id: string;
  readonly personRid: number;
  /** The person's public id (joined on read). */
  readonly personId: string;
  readonly matchId: string;
  readonly status: MailNoticeStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  /** A stable code (e.g. smtp_unavailable, no_email_address); never server text. */
  readonly lastErrorCode: string | null;
  readonly createdAt: number;
  /** When it was sent or dropped; null while pending. */
  readonly doneAt: number | null;
  /** The claim it is being sent under, or null (as DeliveryRow.claim). */
  readonly claim: string | null;
  readonly claimedUntil: number | null;
}

export type NewMailNotice = Omit<MailNoticeRow, 'personId' | 'claim' | 'claimedUntil'>;
export type MailNoticePatch = Pick<
  MailNoticeRow,
  'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'doneAt'
>;
