// What the page knows of the session's idle end (./session-expiry.ts): the latest end any tab
// learnt, shared on a BroadcastChannel (Node has one, as browsers do), and the warning's lead.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionExpiryTracker, warningLead } from './session-expiry.js';

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
  it('keeps the latest end it was told, never an earlier one', () => {
    const t = new SessionExpiryTracker();
    t.told('s1', 10_000, 1800);
    t.told('s1', 5_000, 1800);
    expect(t.known('s1')).toEqual({ endsAt: 10_000, termSeconds: 1800 });
    t.told('s1', 20_000, 1700);
    expect(t.known('s1')).toEqual({ endsAt: 20_000, termSeconds: 1800 });
    expect(t.known('s2')).toBeUndefined();
  });

  it('a request in one tab moves the end in the others', async () => {
    const a = tab();
    const b = tab();
    const bHeard = heard(b);
    a.told('s1', 50_000, 1800);
    await bHeard;
    expect(b.known('s1')).toEqual({ endsAt: 50_000, termSeconds: 1800 });
    // What b heard it does not tell again; a hears b's own news.
    const aHeard = heard(a);
    b.told('s1', 90_000, 1800);
    await aHeard;
    expect(a.known('s1')?.endsAt).toBe(90_000);
  });

  it('warns 2 minutes before the end, or half the idle term when that is shorter', () => {
    expect(warningLead(1800)).toBe(120_000);
    expect(warningLead(240)).toBe(120_000);
    expect(warningLead(60)).toBe(30_000);
  });
});
