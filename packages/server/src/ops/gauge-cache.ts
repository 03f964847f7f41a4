// The gauges of /metrics (signals, matches, organisations by status), cached. /metrics is
// reachable without a signature, so a scrape must never run a database query: it serves
// the cached counts and at most starts ONE background refresh once the cache is older
// than the refresh interval (default 60 s). The refresh reads counts over indexes only
// (Engine.gauges, no per-epoch join), so a busy scraper costs at most one cheap read per
// interval, whatever its request rate.

import type { Engine, Gauges } from '@sluis/engine';

export const DEFAULT_METRICS_REFRESH_MS = 60_000;

export class GaugeCache {
  readonly #engine: Pick<Engine, 'gauges'>;
  readonly #refreshMs: number;
  readonly #now: () => number;
  #value: Gauges | undefined;
  #at = Number.NEGATIVE_INFINITY;
  #refreshing: Promise<void> | undefined;

  constructor(engine: Pick<Engine, 'gauges'>, refreshMs = DEFAULT_METRICS_REFRESH_MS, now = Date.now) {
    this.#engine = engine;
    this.#refreshMs = refreshMs;
    this.#now = now;
  }

  /** The cached gauges (undefined before the first refresh); never waits for the database. */
  current(): Gauges | undefined {
    if (this.#now() - this.#at >= this.#refreshMs) void this.refresh();
    return this.#value;
  }

  /** One refresh at a time; a failure keeps the previous value (and is retried next interval). */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      this.#at = this.#now();
      try {
        this.#value = await this.#engine.gauges();
      } catch {
        // database closed or failing: /readyz reports that; the gauges just go stale
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }
}
