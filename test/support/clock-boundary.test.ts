// The helpers that keep a counting case clear of a UTC hour or day boundary
// (test/support/clock-boundary.ts): they move or wait only near one, and then past it.

import { describe, expect, it } from 'vitest';
import { advanceOverBoundary, DAY_MS, HOUR_MS, untilBoundary, waitOverBoundary } from './clock-boundary.js';

const MIDNIGHT = Date.UTC(2026, 11, 7);

describe('clock boundaries', () => {
  it('counts to the next whole UTC hour and day', () => {
    expect(untilBoundary(MIDNIGHT - 1, DAY_MS)).toBe(1);
    expect(untilBoundary(MIDNIGHT, DAY_MS)).toBe(DAY_MS);
    expect(untilBoundary(MIDNIGHT + 90 * 60_000, HOUR_MS)).toBe(30 * 60_000);
  });

  it('advances only within the room before a boundary, and then exactly onto it', () => {
    expect(advanceOverBoundary(MIDNIGHT - 60_000, DAY_MS, 60_000)).toBe(0);
    expect(advanceOverBoundary(MIDNIGHT - 59_999, DAY_MS, 60_000)).toBe(59_999);
    expect(advanceOverBoundary(MIDNIGHT - 1, HOUR_MS, 60_000)).toBe(1);
    expect(advanceOverBoundary(MIDNIGHT, HOUR_MS, 60_000)).toBe(0);
  });

  it('waits past a boundary that is near, and not at all for one that is far', async () => {
    // A clock 80 ms before midnight that runs with wall time.
    const offset = MIDNIGHT - 80 - Date.now();
    const clock = () => Date.now() + offset;
    await waitOverBoundary(clock, DAY_MS, 1_000);
    expect(clock()).toBeGreaterThanOrEqual(MIDNIGHT);
    expect(untilBoundary(clock(), DAY_MS)).toBeGreaterThanOrEqual(1_000);
    // Far from it: done before any timer could fire (no wait at all).
    const far = () => MIDNIGHT - 2_000;
    const first = await Promise.race([
      waitOverBoundary(far, DAY_MS, 1_000).then(() => 'done'),
      new Promise((r) => setTimeout(() => r('a timer'), 0)),
    ]);
    expect(first).toBe('done');
  });
});
