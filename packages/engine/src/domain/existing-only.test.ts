// A placement with `existingOnly` is a look-up (docs/api.md "POST /v1/signals — place a
// signal"): it answers `existing` as the placement would, and `not_found` where the placement
// would create — with nothing stored, charged, logged or matched; a batch item with it is
// refused; with coalesced placements it is never part of a group. On both stores.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../api.js';
import { isEngineError } from '../errors.js';
import { admin, type Harness, harness, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type OrgActor = Actor & { kind: 'organisation' };

async function setUp(coalescePlacements = false) {
  h = await harness({ config: { coalescePlacements } });
  const a = await h.org('Jeugdzorg A');
  const b = await h.org('School B');
  const session = async (displayName: string): Promise<OrgActor> => ({
    ...a.actor,
    personId: (
      await h.engine.addPerson(admin, { organisationId: a.org.id, displayName, roles: ['professional'] })
    ).id,
    personRole: 'professional',
    session: true,
  });
  const orgRid = (await h.store.read((tx) => tx.getOrganisation(a.org.id)))!.rid;
  /** What a look-up must leave as it was: the logbook's head, the hour's count, A's signals. */
  const state = async () => {
    const head = await h.store.read((tx) => tx.lastLogEntry());
    const hour = await h.store.read((tx) => tx.placementHour(orgRid, Math.floor(h.clock.now / 3_600_000)));
    const signals = await h.engine.listSignals(a.actor, { status: 'active' });
    return { seq: head?.seq, hour: hour ?? null, signals: signals.items.map((s) => s.id).sort() };
  };
  return { a, b, session, state, holder: await session('Houder'), colleague: await session('Collega') };
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'placed';
  } catch (e) {
    return isEngineError(e) ? e.code : String(e);
  }
};

describe.each([false, true])('existingOnly (coalesced placements %s)', (coalesced) => {
  it('answers not_found where a placement would create, and changes nothing', async () => {
    const { a, b, holder, state } = await setUp(coalesced);
    // another organisation's signal for the same person: a placement would match it
    await h.engine.placeSignal(b.actor, placement(7));
    const before = await state();
    expect(await code(h.engine.placeSignal(holder, placement(7, { existingOnly: true })))).toBe('not_found');
    expect(await code(h.engine.placeSignal(a.actor, placement(8, { existingOnly: true })))).toBe('not_found');
    expect(await state()).toEqual(before);
    expect((await h.engine.inbox(b.actor, undefined, 50)).items).toEqual([]);
    // the same person placed for real afterwards is created: nothing was there
    expect((await h.engine.placeSignal(holder, placement(7))).outcome).toBe('created');
  });

  it('answers existing as a placement would: heldByYou for the holder and for a colleague', async () => {
    const { holder, colleague, state } = await setUp(coalesced);
    const placed = await h.engine.placeSignal(holder, placement(3));
    const before = await state();
    const own = await h.engine.placeSignal(holder, placement(3, { existingOnly: true }));
    expect(own).toMatchObject({ outcome: 'existing', heldByYou: true, signal: { id: placed.signal.id } });
    const theirs = await h.engine.placeSignal(colleague, placement(3, { existingOnly: true }));
    expect(theirs.outcome).toBe('existing');
    expect(theirs.heldByYou).toBe(false);
    expect((await state()).signals).toEqual(before.signals);
  });

  it('is refused in a batch item, and only there', async () => {
    const { a } = await setUp(coalesced);
    const results = await h.engine.placeSignals(a.actor, [
      placement(5),
      placement(6, { existingOnly: true }),
    ]);
    expect(results[0]).toMatchObject({ ok: true, outcome: 'created' });
    expect(results[1]).toMatchObject({ ok: false, code: 'validation_failed', fields: ['existingOnly'] });
  });

  it('takes true only', async () => {
    const { a } = await setUp(coalesced);
    const bad = placement(9, { existingOnly: false as unknown as true });
    expect(await code(h.engine.placeSignal(a.actor, bad))).toBe('validation_failed');
  });
});
