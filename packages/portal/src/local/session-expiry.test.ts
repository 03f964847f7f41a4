// What the page knows of the session's idle end (./session-expiry.ts): the latest end any tab
// learnt, shared on a BroadcastChannel (Node has one, as browsers do), on the wall clock and
// the monotonic one, the earlier of which counts, and the warning's lead.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionExpiryTracker, timeLeft, warningLead } from './session-expiry.js';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s();
});

function tab(): SessionExpiryTracker {
  const t = new SessionExpiryTracker();
  stops.push(t.listenToTabs());
  return t;
}

const heard = (t: SessionExpiryTracker) => new Promise<void>((resolve) => t.subscribe(resolve));

describe('session expiry', () => {
  it('keeps the latest end it was told on each clock, never an earlier one', () => {
    const t = new SessionExpiryTracker();
    t.told('s1', { endsAt: 10_000, monotonicEndsAt: 7_000 }, 1800);
    t.told('s1', { endsAt: 5_000, monotonicEndsAt: 8_000 }, 1800);
    expect(t.known('s1')).toEqual({ endsAt: 10_000, monotonicEndsAt: 8_000, termSeconds: 1800 });
    t.told('s1', { endsAt: 20_000, monotonicEndsAt: 9_000 }, 1700);
    expect(t.known('s1')).toEqual({ endsAt: 20_000, monotonicEndsAt: 9_000, termSeconds: 1800 });
    expect(t.known('s2')).toBeUndefined();
  });

  it('a request in one tab moves the end in the others, the time left counted on from its arrival', async () => {
    const a = tab();
    const b = tab();
    const bHeard = heard(b);
    const now = performance.now();
    a.told('s1', { endsAt: 50_000, monotonicEndsAt: now + 60_000 }, 1800);
    await bHeard;
    const known = b.known('s1')!;
    expect([known.endsAt, known.termSeconds]).toEqual([50_000, 1800]);
    expect(known.monotonicEndsAt).toBeGreaterThan(now + 59_000);
    expect(known.monotonicEndsAt).toBeLessThanOrEqual(performance.now() + 60_000);
    // What b heard it does not tell again; a hears b's own news.
    const aHeard = heard(a);
    b.told('s1', { endsAt: 90_000, monotonicEndsAt: performance.now() + 90_000 }, 1800);
    await aHeard;
    expect(a.known('s1')?.endsAt).toBe(90_000);
  });

  it('counts the time left on the clock that says less: a wall clock set back or one that slept delays nothing', () => {
    const known = { endsAt: 100_000, monotonicEndsAt: 50_000, termSeconds: 1800 };
    // Set back 4 minutes after the request: the wall clock says 4 minutes more, the monotonic one not.
    expect(timeLeft(known, 100_000 - 30_000 - 240_000, 50_000 - 30_000)).toBe(30_000);
    // Asleep: the monotonic clock stood still, the wall clock went on.
    expect(timeLeft(known, 100_000 + 1_000, 50_000 - 30_000)).toBe(-1_000);
  });

  it('warns 2 minutes before the end, or half the idle term when that is shorter', () => {
    expect(warningLead(1800)).toBe(120_000);
    expect(warningLead(240)).toBe(120_000);
    expect(warningLead(60)).toBe(30_000);
  });
});
