// A restricted parent's links at the edges (docs/privacy.md "Restriction and existing matches"):
// a family match held only through them withholds the contact while a server-secret rotation
// has its two signals at different generations; the placement charge does not tell that another
// organisation names a held parent (docs/leakage.md §4.6); an epoch migration keeps the hold.
import { afterEach, expect, it } from 'vitest';
import type { Contact } from '../api.js';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});
const CHILD: Contact = { name: 'Kees Kind', role: 'jeugdarts', phone: '+31 10 999 0010' };

it('a held family match withholds the contact while its two signals are at different generations', async () => {
  h = await harness();
  const [a, b] = [await h.org('A'), await h.org('B')];
  await h.engine.placeSignal(a.actor, placement(10, { parents: [person(99)], contact: CHILD }));
  h.clock.advance(1000);
  await h.engine.placeSignal(b.actor, placement(11, { parents: [person(99)] }));
  const matchId = (await h.engine.inbox(b.actor, undefined, 100)).items.find(
    (e) => e.type === 'match.created',
  )!.matchId!;
  await h.engine.gdprRestrict(admin, person(99), true);
  expect((await h.engine.getMatch(b.actor, matchId)).counterpart.contact).toBeNull();
  await h.engine.beginSecretRotation(admin, Buffer.alloc(32, 0x6b));
  await h.engine.rekeyBatch(1); // A's signal at generation 2, B's still at 1
  const mid = await h.engine.getMatch(b.actor, matchId);
  expect({ contact: mid.counterpart.contact, restricted: mid.restricted }).toEqual({
    contact: null,
    restricted: true,
  });
});

it('the placement charge does not tell that another organisation names a held parent (leakage.md §4.6)', async () => {
  const charge = async (restrictFirst: boolean, withSibling: boolean) => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B', { budget: 100 })];
    await h.engine.registerEpoch(admin, 2);
    if (withSibling) await h.engine.placeSignal(a.actor, placement(10, { parents: [person(99, [1, 2])] }));
    if (restrictFirst) await h.engine.gdprRestrict(admin, person(99, [1, 2]), true);
    await h.engine.placeSignal(b.actor, placement(11, { parents: [person(99, [1, 2])] }));
    const used = (await h.engine.budgetUsage(b.org.id)).usedToday;
    const matches = (await h.engine.statistics()).matches.active;
    await h.close();
    return { used, matches };
  };
  const none = await charge(true, false);
  const held = await charge(true, true);
  // No family match either way: the charge must not differ either.
  expect(held.matches).toBe(0);
  expect(held.used).toBe(none.used);
});

it('a restricted parent makes no family match across an epoch migration', async () => {
  h = await harness();
  const [a, b] = [await h.org('A'), await h.org('B')];
  await h.engine.registerEpoch(admin, 2);
  // A has not upgraded: child 10 with parent 99 under epoch 1 only.
  const sa = await h.engine.placeSignal(
    a.actor,
    placement(10, { parents: [person(99, [1])], contact: CHILD }),
  );
  await h.engine.gdprRestrict(admin, person(99, [1, 2]), true);
  // B has upgraded: child 11 with parent 99 under epoch 2 only.
  await h.engine.placeSignal(
    b.actor,
    placement(11, { subject: person(11, [2]), parents: [person(99, [2])] }),
  );
  // A migrates its signal to epoch 2, as keys.md asks.
  await h.engine.migrateSignals(a.actor, [
    { signalId: sa.signal.id, subject: person(10, [2]), parents: [person(99, [2])] },
  ]);
  const created = (await h.engine.inbox(b.actor, undefined, 100)).items.filter(
    (e) => e.type === 'match.created',
  );
  const views = [];
  for (const e of created) views.push(await h.engine.getMatch(b.actor, e.matchId!));
  expect(views.map((v) => ({ kind: v.kind, contact: v.counterpart.contact }))).toEqual([]);
});
