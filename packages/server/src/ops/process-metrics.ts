// The process's own health figures for /metrics (docs/operations.md "Monitor"): CPU,
// memory, open file descriptors, event-loop delay and garbage collection. Names and units
// follow prom-client's default metrics (`process_*`, `nodejs_*`), so dashboards and alerts
// written for any Node.js service read them unchanged; they are measured with node:perf_hooks
// and /proc here rather than through that library (one hand-written exposition, ops/metrics.ts).
// No label carries anything but a GC kind.

import { readdirSync } from 'node:fs';
import {
  type IntervalHistogram,
  PerformanceObserver,
  constants,
  monitorEventLoopDelay,
} from 'node:perf_hooks';

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];

interface GcTally {
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Open file descriptors (Linux /proc); undefined where there is no /proc. */
function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

export class ProcessMetrics {
  readonly #loop: IntervalHistogram;
  readonly #gc = new Map<string, GcTally>();
  readonly #observer: PerformanceObserver;
  readonly #startSeconds = Math.round(Date.now() / 1000 - process.uptime());

  /** Starts sampling; `stop()` ends it (the server's shutdown). */
  constructor() {
    // 10 ms resolution: what a 20 ms p99 target can be judged by, at negligible cost.
    this.#loop = monitorEventLoopDelay({ resolution: 10 });
    this.#loop.enable();
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind =
          GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ??
          'other';
        let t = this.#gc.get(kind);
        if (t === undefined) {
          t = { counts: GC_BUCKETS.map(() => 0), sum: 0, count: 0 };
          this.#gc.set(kind, t);
        }
        const seconds = entry.duration / 1000;
        for (let i = 0; i < GC_BUCKETS.length; i++) if (seconds <= GC_BUCKETS[i]!) t.counts[i]!++;
        t.sum += seconds;
        t.count++;
      }
    });
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  stop(): void {
    this.#loop.disable();
    this.#observer.disconnect();
  }

  /** Prometheus text lines (no trailing newline). */
  render(): string[] {
    const out: string[] = [];
    const gauge = (name: string, help: string, value: number, type = 'gauge') => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    const cpu = process.cpuUsage();
    gauge('process_cpu_user_seconds_total', 'User CPU time spent in seconds.', cpu.user / 1e6, 'counter');
    gauge(
      'process_cpu_system_seconds_total',
      'System CPU time spent in seconds.',
      cpu.system / 1e6,
      'counter',
    );
    gauge(
      'process_start_time_seconds',
      'Start time of the process since the Unix epoch in seconds.',
      this.#startSeconds,
    );
    const memory = process.memoryUsage();
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', memory.rss);
    gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', memory.heapTotal);
    gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', memory.heapUsed);
    gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', memory.external);
    const fds = openFds();
    if (fds !== undefined) gauge('process_open_fds', 'Number of open file descriptors.', fds);
    const loop = this.#loop;
    const s = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
    gauge('nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.', s(loop.mean));
    gauge(
      'nodejs_eventloop_lag_p50_seconds',
      'The 50th percentile of the recorded event loop delays.',
      s(loop.percentile(50)),
    );
    gauge(
      'nodejs_eventloop_lag_p99_seconds',
      'The 99th percentile of the recorded event loop delays.',
      s(loop.percentile(99)),
    );
    gauge('nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.', s(loop.max));
    // Like prom-client: each scrape reports the delays since the previous one.
    loop.reset();
    out.push('# HELP nodejs_gc_duration_seconds Garbage collection duration by kind.');
    out.push('# TYPE nodejs_gc_duration_seconds histogram');
    for (const [kind, t] of [...this.#gc].sort(([a], [b]) => (a < b ? -1 : 1))) {
      GC_BUCKETS.forEach((b, i) => {
        out.push(`nodejs_gc_duration_seconds_bucket{kind="${kind}",le="${b}"} ${t.counts[i]}`);
      });
      out.push(`nodejs_gc_duration_seconds_bucket{kind="${kind}",le="+Inf"} ${t.count}`);
      out.push(`nodejs_gc_duration_seconds_sum{kind="${kind}"} ${t.sum}`);
      out.push(`nodejs_gc_duration_seconds_count{kind="${kind}"} ${t.count}`);
    }
    return out;
  }
}
