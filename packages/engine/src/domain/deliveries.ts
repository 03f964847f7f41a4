// The webhook outbox as the server's delivery worker sees it. A delivery is never
// dropped: failures back off (outbox.ts backoffMs) and are retried until a 2xx; a restart
// loses nothing because the outbox is in the store. Senders claim deliveries per row
// (outbox.ts, store.ts clause 5), so every instance drains the outbox and a delivery is
// sent by one of them. It is sent to the organisation's CURRENT webhook URL, read when it
// is claimed: a URL the municipality changed or removed (e.g. a compromised receiver) gets
// nothing more. A delivery of an organisation without a URL is closed unsent (`no_webhook_url`).

import {
  type AttemptResult,
  type ClaimedDelivery,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryStatus,
} from '../api.js';
import type { DeliveryRow } from '../store/store.js';
import { fail, validateLimit } from '../validation.js';
import { type EngineContext, notFound } from './context.js';
import { afterAttempt, newClaim, validAttemptResult } from './outbox.js';

function toDelivery(d: DeliveryRow): Delivery {
  return {
    id: d.id,
    organisationId: d.organisationId,
    url: d.url,
    payload: { type: d.type, matchId: d.matchId, cursor: String(d.cursor) },
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    lastErrorCode: d.lastErrorCode,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
  };
}

export const NO_WEBHOOK_URL = 'no_webhook_url';

/**
 * Claims up to `limit` due deliveries for `leaseMs` and answers them with the current URL
 * and the claim to record their attempts under; those whose organisation has no URL now
 * are closed unsent in the same write and not answered.
 */
export async function claimDeliveries(
  ctx: EngineContext,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const n = validateLimit(limit, 100, 1000);
  const claim = newClaim(ctx, leaseMs);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const send: ClaimedDelivery[] = [];
    const urls = new Map<number, string | null>();
    for (const d of await tx.claimDeliveries(now, claim, n)) {
      if (!urls.has(d.organisationRid)) {
        urls.set(d.organisationRid, (await tx.getOrganisationByRid(d.organisationRid))?.webhookUrl ?? null);
      }
      const url = urls.get(d.organisationRid) ?? null;
      if (url !== null) {
        send.push({ ...toDelivery({ ...d, url }), claim: claim.token });
        continue;
      }
      await tx.updateDelivery(d.id, claim.token, {
        status: 'delivered',
        attempts: d.attempts,
        nextAttemptAt: d.nextAttemptAt,
        lastErrorCode: NO_WEBHOOK_URL,
        deliveredAt: now,
      });
    }
    return send;
  });
}

export async function listDeliveries(
  ctx: EngineContext,
  query: { status?: DeliveryStatus; limit?: number },
): Promise<Delivery[]> {
  const n = validateLimit(query?.limit, 100, 1000);
  if (query?.status !== undefined && !DELIVERY_STATUSES.includes(query.status)) fail(['status']);
  return ctx.store.read(async (tx) => (await tx.listDeliveries(query?.status, n)).map(toDelivery));
}

/**
 * Records one attempt made under `claim`: delivered, or pending again after the backoff.
 * Ends the claim. An attempt whose claim no longer holds the row pending (its lease ended and
 * another claim took it over, or retention expired it: docs/engine.md "Retention") changes
 * nothing — also when that change commits between this read and the update, which is
 * conditional on the state read here (store/contract/outbox.ts `updateDelivery`).
 */
export async function recordDeliveryAttempt(
  ctx: EngineContext,
  deliveryId: string,
  claim: string,
  result: AttemptResult,
): Promise<void> {
  validAttemptResult(result);
  await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const d = typeof deliveryId === 'string' ? await tx.getDelivery(deliveryId) : undefined;
    if (d === undefined) notFound();
    if (d.status !== 'pending' || d.claim === null || d.claim !== claim) return;
    const { doneAt, ...attempt } = afterAttempt(d, result, now);
    await tx.updateDelivery(d.id, claim, {
      status: result.ok ? 'delivered' : 'pending',
      ...attempt,
      deliveredAt: doneAt,
    });
  });
}
