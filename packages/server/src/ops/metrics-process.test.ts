// /metrics exposes the process's resident memory, which the memory soak of the
// reliability suite reads from outside the process (docs/reliability.md §5).

import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('process metrics', () => {
  it('renders process_resident_memory_bytes and nodejs_heap_used_bytes as positive gauges', () => {
    const text = new Metrics({ placementAlertPerHour: 10 }).render(undefined);
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
    const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1]);
    const heap = Number(/^nodejs_heap_used_bytes (\d+)$/m.exec(text)?.[1]);
    expect(rss).toBeGreaterThan(1024 * 1024);
    expect(heap).toBeGreaterThan(0);
  });
});
