// Runs retention (expiry at the active term or end date, purge after the archive term,
// docs/privacy.md §4) on a fixed interval inside the server. The same engine call backs
// `sluis-server retention` for cron. Invariant: stop() returns only when no run is in
// flight, so shutdown never closes the database under a retention transaction. A run logs
// `retention_run` with its counts, a failed one `retention_failed`, scheduled or by `admin
// retention-run` alike, each with `by` saying which (docs/operations.md "Logs").

import type { Engine, RetentionReport } from '@sluis/engine';
import { errorFields, type Logger } from '../ops/logger.js';

/** Who started a run: the server's own schedule, or an administrator (`POST /v1/admin/retention/run`). */
export type RetentionRunBy = 'schedule' | 'admin';

/** The one `retention_run` event (counts only) of every run the server makes. */
export function logRetentionRun(logger: Logger, r: RetentionReport, by: RetentionRunBy): void {
  logger.log('info', 'retention_run', {
    by,
    expired: r.expired,
    purgedSignals: r.purgedSignals,
    purgedMatches: r.purgedMatches,
    expiredDeliveries: r.expiredDeliveries,
    deletedPeople: r.deletedPeople,
  });
}

/** The one `retention_failed` event of a run that failed as a whole. */
export function logRetentionFailed(logger: Logger, e: unknown, by: RetentionRunBy): void {
  logger.log('error', 'retention_failed', { by, ...errorFields(e) });
}

export class RetentionJob {
  readonly #engine: Engine;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RetentionReport | undefined> | undefined;

  constructor(options: { engine: Engine; logger: Logger; intervalMs: number }) {
    this.#engine = options.engine;
    this.#logger = options.logger;
    this.#intervalMs = options.intervalMs;
  }

  /** Schedules runs every interval (the first one after one interval); 0 disables. */
  start(): void {
    if (this.#intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.runNow(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Runs once unless a run is already in flight (then joins it). */
  runNow(): Promise<RetentionReport | undefined> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<RetentionReport | undefined> {
    try {
      // Once across instances on one store (storage contract, clause 5): skipped while another runs it.
      const r = await this.#engine.exclusive('retention', () =>
        this.#engine.runRetention({ kind: 'system' }),
      );
      if (r === undefined) return undefined;
      logRetentionRun(this.#logger, r, 'schedule');
      return r;
    } catch (e) {
      logRetentionFailed(this.#logger, e, 'schedule');
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#running;
  }
}
