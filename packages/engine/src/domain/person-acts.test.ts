// A person acting (docs/engine.md "Logbook", "Match notice e-mail"): every entry made by a
// person names the person's id, the role acted in and — for an organisation's person — the
// organisation, never a name or e-mail; the signal stores its placing person, a transfer
// clears it; each viewer's reveal is logged (per key and person); a new match queues one
// match notice per placing person of an opted-in organisation only, which is dropped at
// send time once the person is removed; erasure still works with the person in the chain.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, LogbookEntry } from '../api.js';
import { admin, type Harness, harness, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const NAME = 'Fenna Zwartkruis-Oudeboom';
const EMAIL = 'fenna.zwartkruis@zorg.example.nl';

type OrgActor = Actor & { kind: 'organisation' };

async function setUp() {
  h = await harness();
  const a = await h.org('Jeugdzorg A');
  const b = await h.org('Schuldhulp B');
  const pa = await h.engine.addPerson(admin, {
    organisationId: a.org.id,
    displayName: NAME,
    email: EMAIL,
    roles: ['professional'],
  });
  const pb = await h.engine.addPerson(admin, {
    organisationId: b.org.id,
    displayName: 'Bram Tegenpartij',
    email: 'bram@schuld.example.nl',
    roles: ['professional', 'organisation_coordinator'],
  });
  const asA: OrgActor = { ...a.actor, personId: pa.id, personRole: 'professional' };
  const asB: OrgActor = { ...b.actor, personId: pb.id, personRole: 'professional' };
  return { a, b, pa, pb, asA, asB };
}

const entries = async (action: string): Promise<LogbookEntry[]> =>
  (await h.engine.logbook(1, 5000)).filter((e) => e.action === action);

/** The id of the newest match, from its `match.created` entry (reading the inbox would log a reveal). */
const newestMatch = async (): Promise<string> => {
  const created = await entries('match.created');
  return created[created.length - 1]!.refs.matchId!;
};

describe('a person acting', () => {
  it('every entry a person made names their id, role and organisation; never a name or e-mail', async () => {
    const { a, pa, asA, asB } = await setUp();
    const placed = await h.engine.placeSignal(asA, placement(1));
    await h.engine.placeSignal(asB, placement(1));
    const matchId = await newestMatch();
    await h.engine.getMatch(asA, matchId);
    await h.engine.recordFollowUp(asA, matchId, 'already_in_contact');
    await h.engine.withdrawSignal(asA, placed.signal.id, 'ended');
    for (const action of ['signal.placed', 'match.revealed', 'match.follow_up', 'signal.withdrawn']) {
      const mine = (await entries(action)).filter(
        (e) => (e.actor as { personId?: string }).personId === pa.id,
      );
      expect(mine.length, action).toBeGreaterThanOrEqual(1);
      expect(mine[0]!.actor).toEqual({
        kind: 'organisation',
        organisationId: a.org.id,
        keyId: a.keyId,
        personId: pa.id,
        personRole: 'professional',
      });
    }
    const all = JSON.stringify(await h.engine.logbook(1, 5000));
    expect(all).not.toContain(NAME);
    expect(all).not.toContain(EMAIL);
    expect(all).not.toContain('Bram');
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });

  it('a municipality person is named by id and role on admin entries', async () => {
    const { a } = await setUp();
    const desk = await h.engine.addPerson(admin, {
      organisationId: null,
      displayName: 'Loket AVG',
      roles: ['gdpr_desk'],
    });
    const asDesk: Actor = { kind: 'admin', keyId: 'admin-key', personId: desk.id, personRole: 'gdpr_desk' };
    await h.engine.gdprAccess(asDesk, placement(9).subject);
    const [entry] = await entries('gdpr.access');
    expect(entry?.actor).toEqual({
      kind: 'admin',
      keyId: 'admin-key',
      personId: desk.id,
      personRole: 'gdpr_desk',
    });
    expect(a.org.id).toBeTruthy();
  });

  it('the signal stores its placing person; a transfer clears it', async () => {
    const { a, pa, asA } = await setUp();
    const s = await h.engine.placeSignal(asA, placement(2));
    const plain = await h.engine.placeSignal(a.actor, placement(3));
    const person = await h.store.read((tx) => tx.getPerson(pa.id));
    expect((await h.store.read((tx) => tx.getSignal(s.signal.id)))?.personRid).toBe(person!.rid);
    expect((await h.store.read((tx) => tx.getSignal(plain.signal.id)))?.personRid).toBeNull();
    await h.engine.transferSignals(a.actor, [s.signal.id], {
      name: 'Collega',
      role: 'jeugdconsulent',
      email: 'collega@zorg.example.nl',
    });
    expect((await h.store.read((tx) => tx.getSignal(s.signal.id)))?.personRid).toBeNull();
  });

  it('a person of another organisation, or a removed one, cannot be the placing person', async () => {
    const { a, pb, pa } = await setUp();
    await expect(
      h.engine.placeSignal({ ...a.actor, personId: pb.id, personRole: 'professional' }, placement(4)),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await h.engine.removePerson(admin, pa.id);
    await expect(
      h.engine.placeSignal({ ...a.actor, personId: pa.id, personRole: 'professional' }, placement(4)),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('two people on one organisation key each have their reveal logged within the window', async () => {
    const { a, asA, asB } = await setUp();
    const colleague = await h.engine.addPerson(admin, {
      organisationId: a.org.id,
      displayName: 'Collega',
      roles: ['professional'],
    });
    await h.engine.placeSignal(asA, placement(5));
    await h.engine.placeSignal(asB, placement(5));
    const m = await newestMatch();
    await h.engine.getMatch(asA, m);
    await h.engine.getMatch(asA, m);
    await h.engine.getMatch({ ...a.actor, personId: colleague.id, personRole: 'professional' }, m);
    const viewers = (await entries('match.revealed')).map((e) => (e.actor as { personId?: string }).personId);
    expect(viewers.filter((v) => v === asA.personId)).toHaveLength(1);
    expect(viewers.filter((v) => v === colleague.id)).toHaveLength(1);
  });

  it('a new match queues a notice per placing person of an opted-in organisation only', async () => {
    const { a, pa, asA, asB } = await setUp();
    await h.engine.updateOrganisation(admin, a.org.id, { matchEmail: true });
    await h.engine.placeSignal(asA, placement(6));
    await h.engine.placeSignal(asB, placement(6));
    const due = await h.engine.claimMailNotices(10, 70_000);
    expect(due).toEqual([{ id: expect.any(String), to: EMAIL, attempts: 0, claim: expect.any(String) }]);
    const listed = await h.engine.listMailNotices({});
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ personId: pa.id, status: 'pending' });
    expect(JSON.stringify(listed)).not.toContain(EMAIL);
    // claimed: a second sender (another instance) gets nothing while the lease holds
    expect(await h.engine.claimMailNotices(10, 70_000)).toEqual([]);
    await h.engine.recordMailAttempt(due[0]!.id, due[0]!.claim, { ok: false, code: 'smtp_unavailable' });
    expect(await h.engine.claimMailNotices(10, 70_000)).toEqual([]);
    h.clock.advance(11_000);
    const again = await h.engine.claimMailNotices(10, 70_000);
    expect(again).toHaveLength(1);
    // an attempt under the old claim is not recorded; under the current one it is
    await h.engine.recordMailAttempt(due[0]!.id, due[0]!.claim, { ok: true });
    expect(await h.engine.listMailNotices({ status: 'sent' })).toEqual([]);
    await h.engine.recordMailAttempt(due[0]!.id, again[0]!.claim, { ok: true });
    expect((await h.engine.listMailNotices({ status: 'sent' }))[0]).toMatchObject({ attempts: 2 });
    // An unknown notice and a free-text failure are refused.
    await expect(
      h.engine.recordMailAttempt(due[0]!.id, due[0]!.claim, { ok: false, code: 'bad code!' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
    // Removed before sending: dropped with person_removed, never returned for sending.
    await h.engine.placeSignal(asA, placement(7));
    await h.engine.removePerson(admin, pa.id);
    await h.engine.placeSignal(asB, placement(7));
    expect(await h.engine.claimMailNotices(10, 70_000)).toEqual([]);
    expect((await h.engine.listMailNotices({ status: 'dropped' }))[0]?.lastErrorCode).toBe('person_removed');
  });

  it('a notice queued before its signal was transferred is dropped, not sent to the leaver', async () => {
    const { a, asA, asB } = await setUp();
    await h.engine.updateOrganisation(admin, a.org.id, { matchEmail: true });
    const s = await h.engine.placeSignal(asA, placement(8));
    await h.engine.placeSignal(asB, placement(8));
    await h.engine.transferSignals(a.actor, [s.signal.id], {
      name: 'Collega',
      role: 'jeugdconsulent',
      email: 'collega@zorg.example.nl',
    });
    expect(await h.engine.claimMailNotices(10, 70_000)).toEqual([]);
    const dropped = await h.engine.listMailNotices({ status: 'dropped' });
    expect(dropped.map((n) => n.lastErrorCode)).toEqual(['signal_transferred']);
  });

  // docs/privacy.md §6: an erasure leaves no notice of the erased match, sent or dropped.
  it("erasure deletes the match's notices, the sent and dropped ones too", async () => {
    const { a, asA, asB } = await setUp();
    await h.engine.updateOrganisation(admin, a.org.id, { matchEmail: true });
    await h.engine.placeSignal(asA, placement(6));
    await h.engine.placeSignal(asB, placement(6));
    const due = await h.engine.claimMailNotices(10, 70_000);
    await h.engine.recordMailAttempt(due[0]!.id, due[0]!.claim, { ok: true });
    await h.engine.placeSignal(asA, placement(9));
    await h.engine.placeSignal(asB, placement(9));
    await h.engine.updateOrganisation(admin, a.org.id, { matchEmail: false });
    expect(await h.engine.claimMailNotices(10, 70_000)).toEqual([]);
    expect((await h.engine.listMailNotices({})).map((n) => n.status).sort()).toEqual(['dropped', 'sent']);
    await h.engine.gdprErase(admin, placement(6).subject);
    await h.engine.gdprErase(admin, placement(9).subject);
    expect(await h.engine.listMailNotices({})).toEqual([]);
  });

  it('erasure still works with people named in the chain', async () => {
    const { asA, asB } = await setUp();
    await h.engine.placeSignal(asA, placement(8));
    await h.engine.placeSignal(asB, placement(8));
    const r = await h.engine.gdprErase(admin, placement(8).subject);
    expect(r).toEqual({ signals: 2, matches: 1, parentLinks: 0 });
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });
});
