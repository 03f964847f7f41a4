// The /metrics gauges: counted piece by piece (per organisation, per match status and
// kind) they still add up to the full statistics — person and family matches, active and
// ended, a suspended organisation — and the event loop runs between every two pieces.

import { afterEach, describe, expect, it } from 'vitest';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('gauges', () => {
  it('add up to the full statistics', async () => {
    h = await harness({ file: true });
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const ended = await h.engine.placeSignal(c.actor, placement(1));
    await h.engine.placeSignal(a.actor, placement(10, { parents: [person(99)] }));
    await h.engine.placeSignal(b.actor, placement(11, { parents: [person(99)] }));
    await h.engine.placeSignal(c.actor, placement(12));
    await h.engine.withdrawSignal(c.actor, ended.signal.id, 'ended');
    await h.engine.suspendOrganisation(admin, c.org.id);
    const stats = await h.engine.statistics();
    expect(stats.matches.ended).toBeGreaterThan(0);
    expect(stats.matches.family).toBe(1);
    expect(stats.signals.inactive).toBe(1);
    expect(stats.organisations.suspended).toBe(1);
    expect(await h.engine.gauges()).toEqual({
      organisations: stats.organisations,
      signals: stats.signals,
      matches: stats.matches,
    });
  });

  it('let the event loop run between the pieces of the count: once per organisation and per match status and kind', async () => {
    h = await harness({ file: true });
    for (const name of ['A', 'B', 'C', 'D', 'E']) await h.org(name);
    // A callback that re-queues itself runs once per event-loop turn while the count runs.
    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await h.engine.gauges();
    counting = false;
    // 5 organisations + 4 match pieces = 9 turns given up; the first may run before the tick.
    expect(turns).toBeGreaterThanOrEqual(8);
  });
});
