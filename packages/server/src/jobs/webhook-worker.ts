// Drains the engine's persisted webhook outbox (docs/api.md "Webhooks"). Each delivery
// is POSTed with the server's signature (docs/protocol.md §6) and a timeout; the result
// is recorded in the engine, which owns retries and backoff, so a restart or a receiver
// outage loses nothing. The body names only the event type, match id and cursor. The
// connection goes only to allowed addresses (webhook-transport.ts), and an attempt's
// result is one of three coarse codes — `address_refused`, `unreachable` (no answer: DNS,
// connection, TLS or timeout alike), `rejected` (an answer other than 2xx) — so the admin
// view of deliveries cannot be used to scan ports (docs/threat-model.md §5.8).
// Every instance runs this worker: a round claims its deliveries per row (docs/engine.md
// "Storage contract", clause 5), so no delivery is sent by two instances, and the lease
// outlasts an attempt (the timeout) by LEASE_MARGIN_MS for recording it.
// A delivery deleted while it was in flight (its match erased) is dropped with one log line,
// `webhook_delivery_dropped`, and never retried.
// Invariant: stop() returns only when no delivery is in flight, and a round ends only when
// every delivery it claimed has been attempted.

import { type SigningKey, signWebhook } from '@sluis/client-sdk';
import { type AttemptResult, type ClaimedDelivery, type Engine, isEngineError } from '@sluis/engine';
import type { Logger } from '../ops/logger.js';
import { isServerError } from '../errors.js';
import type { Metrics } from '../ops/metrics.js';
import { OutboxLoop } from './outbox-loop.js';
import { fetchTransport, guardedTransport, type WebhookTransport } from './webhook-transport.js';

export interface WebhookWorkerOptions {
  readonly engine: Engine;
  /** The server's webhook key, or a function giving the one to sign with now (rotation, docs/keys.md). */
  readonly signingKey: SigningKey | (() => SigningKey | Promise<SigningKey>);
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** The test-only `allowLoopbackHttpWebhooks` (docs/operations.md). */
  readonly allowLoopback?: boolean;
  /** Delivers through this instead of the guarded transport (tests with a local receiver). */
  readonly fetch?: typeof fetch;
  readonly transport?: WebhookTransport;
  /** Deliveries fetched per round and sent in parallel. */
  readonly batchSize?: number;
}

/** How long a claim outlasts the attempt's timeout: time to record the attempt. */
export const LEASE_MARGIN_MS = 60_000;

export class WebhookWorker {
  readonly #o: WebhookWorkerOptions;
  readonly #transport: WebhookTransport;
  readonly #loop: OutboxLoop;
  readonly #aborts = new Set<AbortController>();

  constructor(options: WebhookWorkerOptions) {
    this.#o = options;
    this.#transport =
      options.transport ??
      (options.fetch === undefined
        ? guardedTransport({ allowLoopback: options.allowLoopback ?? false })
        : fetchTransport(options.fetch));
    this.#loop = new OutboxLoop({
      round: () => this.runOnce(),
      intervalMs: options.intervalMs,
      logger: options.logger,
      failureEvent: 'webhook_round_failed',
    });
  }

  start(): void {
    this.#loop.start();
  }

  /** Runs a round soon; coalesces wake-ups while a round is running. */
  wake(): void {
    this.#loop.wake();
  }

  /** One round: sends every due delivery of one batch. Returns how many were attempted. */
  async runOnce(): Promise<number> {
    // No key to sign with (docs/keys.md §4.5: none live here, or every one retired by the
    // logbook): the round fails before it claims, so nothing waits out a lease once the key is there.
    // A copy of keys/ behind the logbook was logged once already (webhook_keys_behind_logbook):
    // not again each round.
    if (typeof this.#o.signingKey === 'function') {
      try {
        await this.#o.signingKey();
      } catch (e) {
        if (isServerError(e, 'webhook_keys_behind_logbook')) return 0;
        throw e;
      }
    }
    const claimed = await this.#o.engine.claimDeliveries(
      this.#o.batchSize ?? 20,
      Math.min(this.#o.timeoutMs + LEASE_MARGIN_MS, 3_600_000),
    );
    // Every claimed delivery is attempted before the round ends, even when recording one
    // fails (its claim then lapses with its lease and it is retried: at-least-once).
    const settled = await Promise.allSettled(claimed.map((d) => this.#deliver(d)));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return claimed.length;
  }

  async #deliver(d: ClaimedDelivery): Promise<void> {
    const body = new TextEncoder().encode(
      JSON.stringify({ type: d.payload.type, matchId: d.payload.matchId, cursor: d.payload.cursor }),
    );
    const key = typeof this.#o.signingKey === 'function' ? await this.#o.signingKey() : this.#o.signingKey;
    const headers = signWebhook(key, d.url, body);
    const abort = new AbortController();
    this.#aborts.add(abort);
    const timer = setTimeout(() => abort.abort(), this.#o.timeoutMs);
    let result: AttemptResult;
    try {
      const status = await this.#transport(d.url, {
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: abort.signal,
      });
      result = status >= 200 && status < 300 ? { ok: true } : { ok: false, code: 'rejected' };
    } catch (e) {
      result = {
        ok: false,
        code: isServerError(e, 'webhook_address_refused') ? 'address_refused' : 'unreachable',
      };
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
    try {
      await this.#o.engine.recordDeliveryAttempt(d.id, d.claim, result);
    } catch (e) {
      if (!isEngineError(e) || e.code !== 'not_found') throw e;
      // Deleted while it was being sent: its match was erased, withdrawn in error or purged
      // (docs/privacy.md §4). Nothing is left to record or to retry; the round goes on.
      this.#o.logger.log('info', 'webhook_delivery_dropped', {
        deliveryId: d.id,
        organisationId: d.organisationId,
        code: 'delivery_deleted',
      });
    }
  }

  /** Stops the timer, aborts deliveries still waiting on a receiver, and waits for the round to end. */
  async stop(graceMs = 2000): Promise<void> {
    await this.#loop.stop(graceMs, () => {
      for (const a of this.#aborts) a.abort();
    });
  }
}
