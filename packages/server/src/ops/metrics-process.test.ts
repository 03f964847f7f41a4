// /metrics exposes the process's own figures under prom-client's names: resident memory
// (which the memory soak of the reliability suite reads from outside the process,
// docs/reliability.md §5), heap, CPU, descriptors, event-loop delay and GC
// (docs/operations.md "Monitor").

import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_WAIT } from '../../../../test/support/server-wait.js';
import { Metrics } from './metrics.js';

const value = (text: string, name: string): number => {
  const m = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  if (m === null) throw new Error(`${name} missing`);
  return Number(m[1]);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('process metrics', () => {
  let metrics: Metrics | undefined;
  afterEach(() => metrics?.stop());

  it('renders memory, heap, CPU and descriptors as positive figures', () => {
    metrics = new Metrics();
    const text = metrics.render(undefined);
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
    expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
    expect(value(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(value(text, 'nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(
      value(text, 'nodejs_heap_size_used_bytes'),
    );
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value(text, 'process_start_time_seconds')).toBeGreaterThan(1.7e9);
    // This machine and CI run Linux, where /proc gives the descriptor count.
    expect(value(text, 'process_open_fds')).toBeGreaterThan(2);
  });

  it('reports a blocked event loop, and the next scrape only what came after', async () => {
    metrics = new Metrics();
    metrics.render(undefined);
    await sleep(30);
    // Block the loop for 400 ms: the delay monitor must see it. The next interval's lag stays
    // below it unless this process is kept off the CPU that long (README "Test workers").
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // busy
    }
    await sleep(30);
    const blocked = value(metrics.render(undefined), 'nodejs_eventloop_lag_max_seconds');
    expect(blocked).toBeGreaterThan(0.08);
    await sleep(60);
    expect(value(metrics.render(undefined), 'nodejs_eventloop_lag_max_seconds')).toBeLessThan(blocked);
  });

  it('counts garbage collections by kind', async () => {
    metrics = new Metrics();
    // Allocate enough to force collections; gc entries are delivered asynchronously.
    let keep: unknown[] = [];
    for (let i = 0; i < 200; i++) keep = [new Array(50_000).fill(i)];
    expect(keep.length).toBe(1);
    // Delivered a turn or two of the event loop after the collection: waited for, not paused
    // for (a timer can fire first when the process was kept off the CPU meanwhile).
    const counts = () => [
      ...metrics!.render(undefined).matchAll(/^nodejs_gc_duration_seconds_count\{kind="(\w+)"\} (\d+)$/gm),
    ];
    await expect
      .poll(() => counts().reduce((n, m) => n + Number(m[2]), 0), { timeout: SERVER_WAIT })
      .toBeGreaterThan(0);
    expect(counts().length).toBeGreaterThan(0);
  });
});
