// The access report's "who received or viewed" beyond matches (docs/privacy.md "Who saw the
// signal"): an archive notice is listed as received by the new signaller's organisation on the
// archived signal, and its reads as viewed; a placement answered `existing` (an `existingOnly`
// look-up that found the signal too) writes one `signal.found` entry with ids only and is
// listed as viewed by whoever placed; a `replayed` or `created` answer writes none. On both stores.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../api.js';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type OrgActor = Actor & { kind: 'organisation' };

const contact = { name: 'Oud Melder', role: 'mentor', phone: '0600000031' };

const found = async () => (await h.engine.logbook(1, 5000)).filter((e) => e.action === 'signal.found');

async function professional(org: { org: { id: string }; actor: OrgActor }, displayName: string) {
  const p = await h.engine.addPerson(admin, {
    organisationId: org.org.id,
    displayName,
    roles: ['professional'],
  });
  return { ...org.actor, personId: p.id, personRole: 'professional', session: true } as OrgActor;
}

describe('access report: archive notices', () => {
  it('lists the notice as received on the archived signal, and each read as viewed', async () => {
    h = await harness();
    const [a, b] = [await h.org('Jeugdzorg Rijnmond'), await h.org('Basisschool De Linde')];
    const reader = await professional(b, 'Nora Nieuw');
    const old = await h.engine.placeSignal(a.actor, placement(1, { contact }));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    h.clock.advance(1000);
    const fresh = await h.engine.placeSignal(reader, placement(1));
    expect(fresh.archiveNotices).toHaveLength(1);
    h.clock.advance(1000);
    await h.engine.archiveNotices(reader, fresh.signal.id);
    const r = await h.engine.gdprAccess(admin, person(1));
    expect(
      r.access.map((x) => [x.kind, x.via, x.signalId, x.organisationName, x.role, x.personName]),
    ).toEqual([
      ['received', 'archive_notice', old.signal.id, 'Basisschool De Linde', 'organisation', null],
      ['viewed', 'archive_notice', old.signal.id, 'Basisschool De Linde', 'professional', 'Nora Nieuw'],
    ]);
    expect(r.access[0]).toMatchObject({ matchId: null, organisationId: b.org.id, at: fresh.signal.placedAt });
    // Ids only: neither the answer's list nor the logbook entries carry the archived contact.
    expect(JSON.stringify(r.access)).not.toContain('Oud Melder');
    expect(JSON.stringify(r.access)).not.toContain('0600000031');
    const log = (await h.engine.logbook(1, 5000)).filter((e) => e.action.startsWith('archive.notice'));
    expect(log).toHaveLength(2);
    expect(JSON.stringify(log)).not.toMatch(/Oud Melder|0600000031|mentor/);
  });

  it('another citizen’s report does not list it; a notice of another person’s archive neither', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const old = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    await h.engine.placeSignal(a.actor, placement(2));
    const fresh = await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.archiveNotices(b.actor, fresh.signal.id);
    expect((await h.engine.gdprAccess(admin, person(2))).access).toEqual([]);
  });
});

describe.each([false, true])(
  'a placement answered existing is logged (coalesced placements %s)',
  (coalesced) => {
    it('writes signal.found with ids only; listed as viewed by the colleague, the key and a look-up', async () => {
      h = await harness({ config: { coalescePlacements: coalesced } });
      const a = await h.org('Jeugdzorg A');
      const holder = await professional(a, 'Anna Houder');
      const colleague = await professional(a, 'Pieter Collega');
      const placed = await h.engine.placeSignal(holder, placement(3, { contact }));
      expect(await found()).toEqual([]);
      h.clock.advance(1000);
      const looked = placement(3);
      const theirs = await h.engine.placeSignal(colleague, looked);
      expect(theirs).toMatchObject({ outcome: 'existing', heldByYou: false });
      h.clock.advance(1000);
      expect((await h.engine.placeSignal(a.actor, placement(3))).outcome).toBe('existing');
      h.clock.advance(1000);
      expect((await h.engine.placeSignal(colleague, placement(3, { existingOnly: true }))).outcome).toBe(
        'existing',
      );
      const log = await found();
      expect(log).toHaveLength(3);
      expect(log[0]!.refs).toEqual({ signalId: placed.signal.id, requestId: looked.requestId });
      expect(log[0]!.actor).toMatchObject({ organisationId: a.org.id, personId: colleague.personId });
      expect(log.map((e) => e.details)).toEqual([{}, {}, { existingOnly: true }]);
      expect(JSON.stringify(log)).not.toMatch(/Oud Melder|0600000031|mentor/);
      const r = await h.engine.gdprAccess(admin, person(3));
      expect(
        r.access.map((x) => [x.kind, x.via, x.signalId, x.organisationName, x.role, x.personName]),
      ).toEqual([
        ['viewed', 'existing', placed.signal.id, 'Jeugdzorg A', 'professional', 'Pieter Collega'],
        ['viewed', 'existing', placed.signal.id, 'Jeugdzorg A', 'organisation', null],
        ['viewed', 'existing', placed.signal.id, 'Jeugdzorg A', 'professional', 'Pieter Collega'],
      ]);
      expect(JSON.stringify(r.access)).not.toContain('Oud Melder');
    });

    it('a replayed answer, a created one and a look-up that finds nothing write nothing', async () => {
      h = await harness({ config: { coalescePlacements: coalesced } });
      const a = await h.org();
      const first = placement(4);
      expect((await h.engine.placeSignal(a.actor, first)).outcome).toBe('created');
      const again = placement(4);
      expect((await h.engine.placeSignal(a.actor, again)).outcome).toBe('existing');
      const head = async () => (await h.store.read((tx) => tx.lastLogEntry()))?.seq;
      const before = await head();
      expect((await h.engine.placeSignal(a.actor, first)).outcome).toBe('replayed');
      await expect(h.engine.placeSignal(a.actor, placement(5, { existingOnly: true }))).rejects.toMatchObject(
        {
          code: 'not_found',
        },
      );
      expect(await head()).toBe(before);
      // Only the `existing` answer wrote one. (The same `existing` request sent again is answered
      // `existing` again — no signal holds its request id — and is another look-up, logged again.)
      expect(await found()).toHaveLength(1);
    });
  },
);

describe('a batch item answered existing', () => {
  it('is logged as a single placement is', async () => {
    h = await harness();
    const a = await h.org();
    const placed = await h.engine.placeSignal(a.actor, placement(6));
    const other = placement(6);
    const results = await h.engine.placeSignals(a.actor, [other, placement(7)]);
    expect(results[0]).toMatchObject({ ok: true, outcome: 'existing' });
    const log = await found();
    expect(log).toHaveLength(1);
    expect(log[0]!.refs).toEqual({ signalId: placed.signal.id, requestId: other.requestId });
  });
});
