// The placement budget's unit (docs/threat-model.md §5.3, docs/engine.md "Placement budget
// and rate alert"): a distinct (role, stored value) looked up, not a request. The review's
// attack (budget 1, one placement naming six people under two epochs), the epoch overlap
// charged once when another organisation's signal proves one person, two people charged
// as two, parents, batches, migrations, the hourly alert in the same unit, and the check
// atomic with the charge.

import { afterEach, describe, expect, it } from 'vitest';
import type { PersonPseudonyms } from '../api.js';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Person `n` under epoch 1 and person `m` under epoch 2: one "person" to the server's eye. */
const mixed = (n: number, m: number): PersonPseudonyms => [...person(n, [1]), ...person(m, [2])];

const used = async (orgId: string) => (await h.engine.budgetUsage(orgId)).usedToday;
const matchesOf = async (actor: Parameters<Harness['engine']['inbox']>[0]) =>
  (await h.engine.inbox(actor, undefined, 100)).items.filter((e) => e.type === 'match.created').length;

describe('the budget charges distinct stored values looked up', () => {
  it("the review's attack: a budget of 1 a day cannot reveal six people with one placement", async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const victims = await h.org('Wijkteam');
    // Six different people, each signalled by another organisation under one epoch.
    await h.engine.placeSignal(victims.actor, placement(1, { subject: person(1, [1]) }));
    await h.engine.placeSignal(victims.actor, placement(2, { subject: person(2, [2]) }));
    await h.engine.placeSignal(victims.actor, placement(50, { parents: [person(3, [1])] }));
    await h.engine.placeSignal(victims.actor, placement(51, { parents: [person(4, [2])] }));
    await h.engine.placeSignal(victims.actor, placement(52, { parents: [person(5, [1])] }));
    await h.engine.placeSignal(victims.actor, placement(53, { parents: [person(6, [2])] }));
    const attack = placement(99, { subject: mixed(1, 2), parents: [mixed(3, 4), mixed(5, 6)] });

    const fisher = await h.org('Fisher', { budget: 1 });
    await expect(h.engine.placeSignal(fisher.actor, attack)).rejects.toMatchObject({
      code: 'budget_exceeded',
    });
    expect(await matchesOf(fisher.actor)).toBe(0);
    expect(await used(fisher.org.id)).toBe(0);

    // The same request with a budget of six goes through, and it does reveal six people.
    const rich = await h.org('Rich', { budget: 6 });
    expect((await h.engine.placeSignal(rich.actor, attack)).outcome).toBe('created');
    expect(await matchesOf(rich.actor)).toBe(6);
    expect(await used(rich.org.id)).toBe(6);
  });

  it('the epoch overlap: one person under two epochs is charged once when another organisation proves it, two people twice', async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const b = await h.org('B');
    // B placed person 1 during the overlap (both epochs on one signal: one person, B says),
    // and persons 2 and 3 under one epoch each.
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [1, 2]) }));
    await h.engine.placeSignal(b.actor, placement(2, { subject: person(2, [1]) }));
    await h.engine.placeSignal(b.actor, placement(3, { subject: person(3, [2]) }));
    const a = await h.org('A', { budget: 100 });

    await h.engine.placeSignal(a.actor, placement(1, { subject: person(1, [1, 2]) }));
    expect(await used(a.org.id)).toBe(1);
    await h.engine.placeSignal(a.actor, placement(2, { subject: mixed(2, 3) }));
    expect(await used(a.org.id)).toBe(3);
    expect(await matchesOf(a.actor)).toBe(3);
    // Nobody else has signalled person 4: nothing proves its two values are one person.
    await h.engine.placeSignal(a.actor, placement(4, { subject: person(4, [1, 2]) }));
    expect(await used(a.org.id)).toBe(5);
  });

  it("an organisation's own signal is no proof, nor is another's that holds two values of the role under an epoch", async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const [a, b] = [await h.org('A', { budget: 100 }), await h.org('B')];
    // A's own earlier signal (archived) holding both values does not make them one person.
    const own = await h.engine.placeSignal(a.actor, placement(1, { subject: mixed(1, 2) }));
    expect(await used(a.org.id)).toBe(2);
    await h.engine.withdrawSignal(a.actor, own.signal.id, 'ended');
    await h.engine.placeSignal(a.actor, placement(1, { subject: mixed(1, 2) }));
    expect(await used(a.org.id)).toBe(4);
    // B's signal names two parents under both epochs: which value is which parent is unknown.
    await h.engine.placeSignal(b.actor, placement(10, { parents: [person(20, [1, 2]), person(21, [1, 2])] }));
    await h.engine.placeSignal(a.actor, placement(11, { parents: [mixed(20, 21)] }));
    expect(await used(a.org.id)).toBe(4 + 1 + 2);
    // B's signal with one parent under both epochs proves that parent.
    await h.engine.placeSignal(b.actor, placement(12, { parents: [person(22, [1, 2])] }));
    await h.engine.placeSignal(a.actor, placement(13, { parents: [person(22, [1, 2])] }));
    expect(await used(a.org.id)).toBe(7 + 1 + 1);
    // Nor is a signal the placement does not match: archived (it would show through the
    // charge that B once signalled the person, which no match reveals).
    const archived = await h.engine.placeSignal(b.actor, placement(30, { subject: person(30, [1, 2]) }));
    await h.engine.withdrawSignal(b.actor, archived.signal.id, 'ended');
    await h.engine.placeSignal(a.actor, placement(30, { subject: person(30, [1, 2]) }));
    expect(await used(a.org.id)).toBe(9 + 2);
  });

  it('a restricted person: the charge shows nothing the (absent) matches would not', async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const [a, b] = [await h.org('A', { budget: 100 }), await h.org('B')];
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [1, 2]) }));
    await h.engine.placeSignal(b.actor, placement(2, { subject: person(2, [1, 2]) }));
    await h.engine.gdprRestrict(admin, person(2, [1, 2]), true);
    // Both restricted and unrestricted: two units, whatever B holds.
    await h.engine.placeSignal(a.actor, placement(2, { subject: person(2, [1, 2]) }));
    expect(await used(a.org.id)).toBe(2);
    expect(await matchesOf(a.actor)).toBe(0);
    // Person 1 unrestricted: B's matching signal proves one person, one unit.
    await h.engine.placeSignal(a.actor, placement(1, { subject: person(1, [1, 2]) }));
    expect(await used(a.org.id)).toBe(3);
  });

  it('parents are charged, and a batch charges each distinct value once', async () => {
    h = await harness();
    const a = await h.org('A', { budget: 5 });
    // Two siblings with the same two parents: 2 subjects + 2 parents, not 2 × 3.
    const r = await h.engine.placeSignals(a.actor, [
      placement(1, { parents: [person(7), person(8)] }),
      placement(2, { parents: [person(7), person(8)] }),
    ]);
    expect(r.map((x) => (x.ok ? x.outcome : x.code))).toEqual(['created', 'created']);
    expect(await used(a.org.id)).toBe(4);
    // One unit left: a new subject with a new parent (two values) is refused, alone or in a batch.
    await expect(h.engine.placeSignal(a.actor, placement(3, { parents: [person(9)] }))).rejects.toMatchObject(
      {
        code: 'budget_exceeded',
      },
    );
    const rest = await h.engine.placeSignals(a.actor, [
      placement(4, { parents: [person(9)] }),
      placement(5, { parents: [person(7)] }),
    ]);
    expect(rest.map((x) => (x.ok ? x.outcome : x.code))).toEqual(['budget_exceeded', 'budget_exceeded']);
    expect(await used(a.org.id)).toBe(4);
  });

  it('a refused batch item does not make its values paid for the next item', async () => {
    h = await harness();
    const a = await h.org('A', { budget: 3 });
    const bad = placement(1, { parents: [person(7)] });
    const r = await h.engine.placeSignals(a.actor, [
      { ...bad, informed: { status: 'nonsense' } } as unknown as typeof bad,
      placement(2, { parents: [person(7)] }),
      placement(3, { parents: [person(7)] }),
    ]);
    expect(r.map((x) => (x.ok ? x.outcome : x.code))).toEqual(['validation_failed', 'created', 'created']);
    expect(await used(a.org.id)).toBe(3);
  });

  it('a migration is charged per added value; one proven to be the same person is free', async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const [a, b] = [await h.org('A', { budget: 100 }), await h.org('B')];
    const s1 = await h.engine.placeSignal(a.actor, placement(1, { parents: [person(5)] }));
    const s2 = await h.engine.placeSignal(a.actor, placement(2));
    expect(await used(a.org.id)).toBe(3);
    const [m1] = await h.engine.migrateSignals(a.actor, [
      { signalId: s1.signal.id, subject: person(1, [2]), parents: [person(5, [2])] },
    ]);
    expect(m1).toMatchObject({ ok: true, outcome: 'created' });
    expect(await used(a.org.id)).toBe(5);
    // B migrated person 2 already: its signal says 2@1 and 2@2 are one person.
    await h.engine.placeSignal(b.actor, placement(2, { subject: person(2, [1, 2]) }));
    const [m2] = await h.engine.migrateSignals(a.actor, [
      { signalId: s2.signal.id, subject: person(2, [2]) },
    ]);
    expect(m2).toMatchObject({ ok: true, outcome: 'created' });
    expect(await used(a.org.id)).toBe(5);
  });

  it('the hourly alert counts the same unit', async () => {
    h = await harness({ config: { placementAlertPerHour: 3 } });
    const a = await h.org('A');
    await h.engine.placeSignal(a.actor, placement(1, { parents: [person(7), person(8)] }));
    const alerts = async () =>
      (await h.engine.logbook(1, 100)).filter((e) => e.action === 'alert.placement_rate');
    expect(await alerts()).toHaveLength(0);
    expect(h.engine.placementRateAlertsSinceStart()).toBe(0);
    await h.engine.placeSignal(a.actor, placement(2));
    const [alert] = await alerts();
    expect(alert?.details).toEqual({ chargedThisHour: 4, threshold: 3 });
    expect(h.engine.metrics().placementRateAlertsTotal).toEqual({ [a.org.id]: 1 });
    expect(h.engine.placementRateAlertsSinceStart()).toBe(1);
  });

  it('the check is atomic with the charge: concurrent placements never overspend', async () => {
    h = await harness();
    const a = await h.org('A', { budget: 5 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        h.engine.placeSignal(a.actor, placement(10 + i, { parents: [person(40 + i)] })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await used(a.org.id)).toBe(4);
  });
});
