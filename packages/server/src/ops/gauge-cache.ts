// The gauges of /metrics (signals, matches, organisations by status), cached. A scrape must
// never run a database query (a slow or absent database would stall the monitoring that is to
// report it): it serves the cached counts. A running server refreshes them on a timer, once per
// refresh interval (default 60 s), so the first scrape after a quiet hour is as fresh as any
// (docs/operations.md "Monitor"); a scrape that finds the cache older than the interval (no
// timer, or the timer late) also starts ONE background refresh. The refresh reads counts over
// indexes only (Engine.gauges, no per-epoch join): one cheap read per interval, whatever the
// scrape rate — and also when nobody scrapes, which is the price of never serving an old value.
// A failed refresh keeps the last value; when that value was read is served beside it
// (`sluis_metrics_refreshed_timestamp_seconds`), so a monitor sees gauges that stopped moving.

import type { Engine, Gauges } from '@sluis/engine';

export const DEFAULT_METRICS_REFRESH_MS = 60_000;

/** The gauges of the last refresh that succeeded, and when it read them (ms, the cache's clock). */
export interface CachedGauges {
  readonly gauges: Gauges;
  readonly refreshedAt: number;
}

export class GaugeCache {
  readonly #engine: Pick<Engine, 'gauges'>;
  readonly #refreshMs: number;
  readonly #now: () => number;
  #value: CachedGauges | undefined;
  #at = Number.NEGATIVE_INFINITY;
  #refreshing: Promise<void> | undefined;

  constructor(engine: Pick<Engine, 'gauges'>, refreshMs = DEFAULT_METRICS_REFRESH_MS, now = Date.now) {
    this.#engine = engine;
    this.#refreshMs = refreshMs;
    this.#now = now;
  }

  /** The cached gauges (undefined before the first refresh succeeded); never waits for the database. */
  current(): CachedGauges | undefined {
    if (this.#now() - this.#at >= this.#refreshMs) void this.refresh();
    return this.#value;
  }

  /**
   * Refreshes every interval until the returned function is called (server.ts, at close). The
   * timer does not keep the process alive; a refresh still running is not started twice.
   */
  start(): () => void {
    const timer = setInterval(() => void this.refresh(), this.#refreshMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** One refresh at a time; a failure keeps the previous value (and is retried next interval). */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      this.#at = this.#now();
      try {
        this.#value = { gauges: await this.#engine.gauges(), refreshedAt: this.#now() };
      } catch {
        // database closed or failing: /readyz reports that; the gauges just go stale
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }
}
