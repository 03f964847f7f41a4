// The webhook outbox as the server's delivery worker sees it. A delivery's payload names
// only the event type, the match id and the inbox cursor: no contact detail ever travels in
// a webhook body.

import type { InboxEventType } from './matches.js';

export type DeliveryStatus = 'pending' | 'delivered';

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
