// Prometheus text exposition (version 0.0.4), hand-written to avoid a dependency; the
// process's own figures (CPU, memory, descriptors, event loop, GC) come from ops/process-metrics.ts.
// Invariant (docs/leakage.md §3.3): labels are route templates, methods, statuses, result codes and
// organisation ids — never a raw path, a pseudonym or a contact detail. Organisation ids
// and per-organisation placement counts are still operational data about the covenant:
// /metrics should be reachable by monitoring only (optional bearer token, operations.md).
// Rendering never queries the database: gauges come from GaugeCache, placement counters
// from the engine (which counts only committed placements, one source of truth).

import type { EngineMetrics } from '@sluis/engine';
import type { CachedGauges } from './gauge-cache.js';
import { logLinesDroppedTotal } from './logger.js';
import { ProcessMetrics } from './process-metrics.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const inner = Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
  return inner === '' ? '' : `{${inner}}`;
}

/** The labels of `sluis_build_info`. */
export type BuildLabels = {
  readonly version: string;
  readonly schema: string;
  readonly commit: string;
};

export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #aborted = new Map<string, number>();
  readonly #latency = new Map<string, Histogram>();
  readonly #webhooks = new Map<string, number>();
  readonly #mail = new Map<string, number>();
  readonly #process = new ProcessMetrics();

  readonly #build: BuildLabels | undefined;

  /**
   * `placementAlertPerHour` is accepted for compatibility only: the placement counters and the
   * rate alert are the engine's (EngineMetrics), not counted twice here. `build`: the program
   * version, the schema version it migrates to and the commit it was built from, as
   * `sluis_build_info` (docs/operations.md "Upgrade").
   */
  constructor(
    options: {
      placementAlertPerHour?: number;
      build?: BuildLabels;
    } = {},
  ) {
    this.#build = options.build;
  }

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const key = `${route}\u0000${method}\u0000${status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let h = this.#latency.get(route);
    if (h === undefined) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#latency.set(route, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** A request whose client went away before its body was complete: answered with no status. */
  observeAborted(route: string, method: string): void {
    const key = `${route}\u0000${method}`;
    this.#aborted.set(key, (this.#aborted.get(key) ?? 0) + 1);
  }

  /** Ends the event-loop and GC sampling (the server's shutdown). */
  stop(): void {
    this.#process.stop();
  }

  observeWebhook(result: 'delivered' | 'failed'): void {
    this.#webhooks.set(result, (this.#webhooks.get(result) ?? 0) + 1);
  }

  /** A match notice e-mail attempt (docs/operations.md "Match notice e-mail"). */
  observeMail(result: 'sent' | 'failed'): void {
    this.#mail.set(result, (this.#mail.get(result) ?? 0) + 1);
  }

  /**
   * `cached`: the gauges and when they were read (omitted until the first background
   * refresh succeeded);
   * `counters`: the engine's placement counters.
   */
  render(
    cached: CachedGauges | undefined,
    counters: Pick<EngineMetrics, 'placementsTotal' | 'placementRateAlertsTotal'> &
      Partial<Pick<EngineMetrics, 'commits' | 'writeOperations'>> = {
      placementsTotal: {},
      placementRateAlertsTotal: {},
    },
  ): string {
    const out: string[] = [];
    if (this.#build !== undefined) {
      out.push(
        '# HELP sluis_build_info The program version, the database schema version it expects and the commit it was built from.',
      );
      out.push('# TYPE sluis_build_info gauge');
      out.push(`sluis_build_info${labels(this.#build)} 1`);
    }
    out.push('# HELP sluis_http_requests_total HTTP requests by route template, method and status.');
    out.push('# TYPE sluis_http_requests_total counter');
    for (const [key, n] of [...this.#requests].sort()) {
      const [route, method, status] = key.split('\u0000') as [string, string, string];
      out.push(`sluis_http_requests_total${labels({ route, method, status })} ${n}`);
    }
    out.push(
      '# HELP sluis_http_requests_aborted_total Requests whose client went away before the body was complete, by route template and method.',
    );
    out.push('# TYPE sluis_http_requests_aborted_total counter');
    for (const [key, n] of [...this.#aborted].sort()) {
      const [route, method] = key.split('\u0000') as [string, string];
      out.push(`sluis_http_requests_aborted_total${labels({ route, method })} ${n}`);
    }
    out.push('# HELP sluis_http_request_duration_seconds Request latency by route template.');
    out.push('# TYPE sluis_http_request_duration_seconds histogram');
    for (const [route, h] of [...this.#latency].sort(([a], [b]) => (a < b ? -1 : 1))) {
      BUCKETS.forEach((b, i) => {
        out.push(
          `sluis_http_request_duration_seconds_bucket${labels({ route, le: String(b) })} ${h.counts[i]}`,
        );
      });
      out.push(`sluis_http_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${h.count}`);
      out.push(`sluis_http_request_duration_seconds_sum${labels({ route })} ${h.sum}`);
      out.push(`sluis_http_request_duration_seconds_count${labels({ route })} ${h.count}`);
    }
    if (cached !== undefined) {
      const stats = cached.gauges;
      // Seconds, as Prometheus timestamps are: alert on time() minus it (docs/operations.md "Monitor").
      out.push(
        '# HELP sluis_metrics_refreshed_timestamp_seconds When the sluis_signals, sluis_matches and sluis_organisations gauges were last read from the database (Unix time); they keep their value while a refresh fails.',
      );
      out.push('# TYPE sluis_metrics_refreshed_timestamp_seconds gauge');
      out.push(`sluis_metrics_refreshed_timestamp_seconds ${cached.refreshedAt / 1000}`);
      out.push('# HELP sluis_signals Stored signals by status.');
      out.push('# TYPE sluis_signals gauge');
      out.push(`sluis_signals${labels({ status: 'active' })} ${stats.signals.active}`);
      out.push(`sluis_signals${labels({ status: 'inactive' })} ${stats.signals.inactive}`);
      out.push('# HELP sluis_matches Stored matches by status (family matches also counted apart).');
      out.push('# TYPE sluis_matches gauge');
      out.push(`sluis_matches${labels({ status: 'active' })} ${stats.matches.active}`);
      out.push(`sluis_matches${labels({ status: 'ended' })} ${stats.matches.ended}`);
      out.push(`sluis_matches${labels({ status: 'family' })} ${stats.matches.family}`);
      out.push('# HELP sluis_organisations Admitted organisations by status.');
      out.push('# TYPE sluis_organisations gauge');
      out.push(`sluis_organisations${labels({ status: 'active' })} ${stats.organisations.active}`);
      out.push(`sluis_organisations${labels({ status: 'suspended' })} ${stats.organisations.suspended}`);
    }
    out.push('# HELP sluis_placements_total Signals created since start, by organisation id.');
    out.push('# TYPE sluis_placements_total counter');
    for (const [org, n] of Object.entries(counters.placementsTotal).sort()) {
      out.push(`sluis_placements_total${labels({ organisation: org })} ${n}`);
    }
    out.push(
      '# HELP sluis_placement_rate_alerts_total Hours in which an organisation placed more than the alert threshold.',
    );
    out.push('# TYPE sluis_placement_rate_alerts_total counter');
    for (const [org, n] of Object.entries(counters.placementRateAlertsTotal).sort()) {
      out.push(`sluis_placement_rate_alerts_total${labels({ organisation: org })} ${n}`);
    }
    if (counters.commits !== undefined && counters.writeOperations !== undefined) {
      // Their quotient is the committed operations per commit: on SQLite about the group
      // commit's batch size (docs/engine.md "SQLite: group commit and durability").
      out.push('# HELP sluis_store_commits_total Durable commits of the store since start.');
      out.push('# TYPE sluis_store_commits_total counter');
      out.push(`sluis_store_commits_total ${counters.commits}`);
      out.push('# HELP sluis_store_write_operations_total Write operations committed since start.');
      out.push('# TYPE sluis_store_write_operations_total counter');
      out.push(`sluis_store_write_operations_total ${counters.writeOperations}`);
    }
    out.push(...this.#process.render());
    out.push('# HELP sluis_webhook_deliveries_total Webhook delivery attempts by result.');
    out.push('# TYPE sluis_webhook_deliveries_total counter');
    for (const result of ['delivered', 'failed']) {
      out.push(`sluis_webhook_deliveries_total${labels({ result })} ${this.#webhooks.get(result) ?? 0}`);
    }
    // docs/operations.md "Logs": a stalled log reader costs lines, not memory; this says how many.
    out.push(
      '# HELP sluis_log_lines_dropped_total Log lines dropped since start while stdout was too far behind its reader.',
    );
    out.push('# TYPE sluis_log_lines_dropped_total counter');
    out.push(`sluis_log_lines_dropped_total ${logLinesDroppedTotal()}`);
    out.push('# HELP sluis_mail_notices_total Match notice e-mail send attempts by result.');
    out.push('# TYPE sluis_mail_notices_total counter');
    for (const result of ['sent', 'failed']) {
      out.push(`sluis_mail_notices_total${labels({ result })} ${this.#mail.get(result) ?? 0}`);
    }
    return `${out.join('\n')}\n`;
  }
}
