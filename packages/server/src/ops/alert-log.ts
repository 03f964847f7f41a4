// Turns the engine's placement-rate alerts (docs/threat-model.md §5.3: an organisation placing
// more than placementAlertPerHour in an hour, a possible enumeration) into a `warn` log line,
// so a log-based SIEM sees possible fishing as it happens, not only /metrics and the logbook.
// The line names the organisation id and the running count — never a pseudonym or a signal.

import type { Engine } from '@sluis/engine';
import type { Logger } from './logger.js';

export class PlacementAlertLog {
  readonly #engine: Engine;
  readonly #logger: Logger;
  readonly #seen = new Map<string, number>();
  /** The engine's alert total when the counters were last read: unchanged, no count moved. */
  #total = 0;

  constructor(engine: Engine, logger: Logger) {
    this.#engine = engine;
    this.#logger = logger;
  }

  /** Logs `placement_rate_alert` once for each alert raised since the last call (cheap: in-memory counters). */
  check(): void {
    // Counters only grow, so an unchanged total means no organisation's count changed.
    const total = this.#engine.placementRateAlertsSinceStart();
    if (total === this.#total) return;
    this.#total = total;
    for (const [organisationId, total] of Object.entries(this.#engine.metrics().placementRateAlertsTotal)) {
      const before = this.#seen.get(organisationId) ?? 0;
      if (total <= before) continue;
      this.#seen.set(organisationId, total);
      this.#logger.log('warn', 'placement_rate_alert', { organisationId, alertsSinceStart: total });
    }
  }
}
