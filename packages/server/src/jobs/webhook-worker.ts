// Drains the engine's persisted webhook outbox (docs/api.md "Webhooks"). Each delivery
// is POSTed with the server's signature (docs/protocol.md §6) and a timeout; the result
// is recorded in the engine, which owns retries and backoff, so a restart or a receiver
// outage loses nothing. The body names only the event type, match id and cursor.
// Invariant: stop() returns only when no delivery is in flight.

import { type SigningKey, signWebhook } from '@sluis/client-sdk';
import type { Delivery, Engine } from '@sluis/engine';
import { errorFields, type Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';

export interface WebhookWorkerOptions {
  readonly engine: Engine;
  /** The server's webhook key, or a function giving the one to sign with now (rotation, docs/keys.md). */
  readonly signingKey: SigningKey | (() => SigningKey);
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  /** Deliveries fetched per round and sent in parallel. */
  readonly batchSize?: number;
}

export class WebhookWorker {
  readonly #o: WebhookWorkerOptions;
  readonly #fetch: typeof fetch;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  readonly #aborts = new Set<AbortController>();

  constructor(options: WebhookWorkerOptions) {
    this.#o = options;
    this.#fetch = options.fetch ?? fetch;
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.wake(), this.#o.intervalMs);
    this.#timer.unref();
    this.wake();
  }

  /** Runs a round soon; coalesces wake-ups while a round is running. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        while (!this.#stopped && (await this.runOnce()) > 0) {
          // keep draining while work is due
        }
      } catch (e) {
        this.#o.logger.log('error', 'webhook_round_failed', errorFields(e));
      }
    } while (this.#again && !this.#stopped);
  }

  /** One round: sends every due delivery of one batch. Returns how many were attempted. */
  async runOnce(): Promise<number> {
    // One deliverer at a time across the instances on one store (storage contract, clause
    // 5), so no delivery is sent twice; an instance that finds it held sends nothing now.
    const sent = await this.#o.engine.exclusive('webhooks', async () => {
      const due = await this.#o.engine.dueDeliveries(this.#o.batchSize ?? 20);
      await Promise.all(due.map((d) => this.#deliver(d)));
      return due.length;
    });
    return sent ?? 0;
  }

  async #deliver(d: Delivery): Promise<void> {
    const body = new TextEncoder().encode(
      JSON.stringify({ type: d.payload.type, matchId: d.payload.matchId, cursor: d.payload.cursor }),
    );
    const key = typeof this.#o.signingKey === 'function' ? this.#o.signingKey() : this.#o.signingKey;
    const headers = signWebhook(key, d.url, body);
    const abort = new AbortController();
    this.#aborts.add(abort);
    const timer = setTimeout(() => abort.abort(), this.#o.timeoutMs);
    let result: { ok: true } | { ok: false; code: string };
    try {
      const res = await this.#fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        redirect: 'manual',
        signal: abort.signal,
      });
      await res.body?.cancel().catch(() => undefined);
      result =
        res.status >= 200 && res.status < 300 ? { ok: true } : { ok: false, code: `http_${res.status}` };
    } catch {
      result = { ok: false, code: abort.signal.aborted ? 'timeout' : 'network_error' };
    } finally {
      clearTimeout(timer);
      this.#aborts.delete(abort);
    }
    this.#o.metrics.observeWebhook(result.ok ? 'delivered' : 'failed');
    this.#o.logger.log(result.ok ? 'info' : 'warn', 'webhook_delivery', {
      deliveryId: d.id,
      organisationId: d.organisationId,
      attempt: d.attempts + 1,
      result: result.ok ? 'delivered' : result.code,
    });
    await this.#o.engine.recordDeliveryAttempt(d.id, result);
  }

  /** Stops the timer, aborts deliveries still waiting on a receiver, and waits for the round to end. */
  async stop(graceMs = 2000): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    const running = this.#running;
    if (running === undefined) return;
    const grace = setTimeout(() => {
      for (const a of this.#aborts) a.abort();
    }, graceMs);
    try {
      await running;
    } finally {
      clearTimeout(grace);
    }
  }
}
