// The webhook outbox as the server's delivery worker sees it. A delivery is never
// dropped: failures back off exponentially (10 s × 2^(attempts−1), at most 1 h) and are
// retried until a 2xx; a restart loses nothing because the outbox is in the store. It is
// sent to the organisation's CURRENT webhook URL, read at send time: a URL the
// municipality changed or removed (e.g. a compromised receiver) gets nothing more. A
// delivery of an organisation without a URL is closed unsent (`no_webhook_url`).

import type { Delivery, DeliveryStatus } from '../api.js';
import type { DeliveryRow } from '../store/store.js';
import { fail, validateLimit } from '../validation.js';
import { type EngineContext, notFound } from './context.js';

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 3_600_000;

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
}

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

export async function dueDeliveries(ctx: EngineContext, limit: number): Promise<Delivery[]> {
  const n = validateLimit(limit, 100, 1000);
  const { send, close } = await ctx.store.read(async (tx) => {
    const send: Delivery[] = [];
    const close: DeliveryRow[] = [];
    const urls = new Map<number, string | null>();
    for (const d of await tx.dueDeliveries(ctx.clock(), n)) {
      if (!urls.has(d.organisationRid)) {
        urls.set(d.organisationRid, (await tx.getOrganisationByRid(d.organisationRid))?.webhookUrl ?? null);
      }
      const url = urls.get(d.organisationRid) ?? null;
      if (url === null) close.push(d);
      else send.push(toDelivery({ ...d, url }));
    }
    return { send, close };
  });
  if (close.length > 0) {
    await ctx.store.write(async (tx) => {
      const now = ctx.clock();
      for (const d of close) {
        await tx.updateDelivery(d.id, {
          status: 'delivered',
          attempts: d.attempts,
          nextAttemptAt: d.nextAttemptAt,
          lastErrorCode: NO_WEBHOOK_URL,
          deliveredAt: now,
        });
      }
    });
  }
  return send;
}

export async function listDeliveries(
  ctx: EngineContext,
  query: { status?: DeliveryStatus; limit?: number },
): Promise<Delivery[]> {
  const n = validateLimit(query?.limit, 100, 1000);
  if (query?.status !== undefined && query.status !== 'pending' && query.status !== 'delivered')
    fail(['status']);
  return ctx.store.read(async (tx) => (await tx.listDeliveries(query?.status, n)).map(toDelivery));
}

const ERROR_CODE_RE = /^[a-z0-9_.:-]{1,64}$/i;

export async function recordDeliveryAttempt(
  ctx: EngineContext,
  deliveryId: string,
  result: { ok: true } | { ok: false; code: string },
): Promise<void> {
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') fail(['result']);
  if (!result.ok && (typeof result.code !== 'string' || !ERROR_CODE_RE.test(result.code)))
    fail(['result.code']);
  await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const d = typeof deliveryId === 'string' ? await tx.getDelivery(deliveryId) : undefined;
    if (d === undefined) notFound();
    if (d.status === 'delivered') return;
    const attempts = d.attempts + 1;
    if (result.ok) {
      await tx.updateDelivery(d.id, {
        status: 'delivered',
        attempts,
        nextAttemptAt: d.nextAttemptAt,
        lastErrorCode: d.lastErrorCode,
        deliveredAt: now,
      });
    } else {
      await tx.updateDelivery(d.id, {
        status: 'pending',
        attempts,
        nextAttemptAt: now + backoffMs(attempts),
        lastErrorCode: result.code,
        deliveredAt: null,
      });
    }
  });
}
