// GDPR requests: access (signals and matches, no contact details), erasure (everything
// hanging off the person goes, delivered webhook records too; counterparts get
// match.removed; the person is removed as a parent elsewhere), restriction, objection (pending restricts, upheld erases,
// rejected lifts and catches up). Admin only.

import { afterEach, describe, expect, it } from 'vitest';
import { admin, DAY, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('GDPR', () => {
  it('access lists the signals and matches with organisations, dates and status only', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(2));
    const r = await h.engine.gdprAccess(admin, person(1));
    expect(r.signals.map((x) => x.organisationName).sort()).toEqual(['A', 'B']);
    expect(r.signals.find((x) => x.signalId === s.signal.id)).toMatchObject({
      status: 'active',
      placedAt: s.signal.placedAt,
      restricted: false,
      objection: null,
    });
    expect(r.matches).toHaveLength(1);
    expect(r.matches[0]?.via).toBe('signal');
    expect([...r.matches[0]!.organisationNames].sort()).toEqual(['A', 'B']);
    expect(JSON.stringify(r)).not.toContain('de Vries');
    const log = await h.engine.logbook(1, 100);
    expect(log.find((e) => e.action === 'gdpr.access')?.details).toEqual({
      signals: 2,
      parentLinks: 0,
      matches: 1,
    });
    await expect(h.engine.gdprAccess(a.actor, person(1))).rejects.toMatchObject({ code: 'forbidden' });
  });

  // docs/privacy.md §2 art. 15: a parent link is data about the person (erasure removes it).
  it('access lists the legal basis, consent, follow-up, regie and agreements stored about the person', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const sa = await h.engine.placeSignal(
      a.actor,
      placement(1, { legalBasis: 'consent', attestation: { date: '2026-01-10', formReference: 'F-1' } }),
    );
    h.clock.advance(1000);
    const sb = await h.engine.placeSignal(b.actor, placement(1));
    const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
    await h.engine.recordConsent(a.actor, sa.signal.id, { date: '2026-01-12', scopes: ['team_meeting'] });
    const x = await h.engine.addAgreement(a.actor, matchId, {
      owner: 'counterpart',
      actionKind: 'home_visit',
      informationCategory: 'health',
      purpose: 'assess_need',
      dueDate: '2026-02-01',
    });
    await h.engine.setAgreementStatus(b.actor, matchId, x.id, 'done');
    await h.engine.recordFollowUp(b.actor, matchId, 'contact_made');
    // A holds regie by the covenant rule (the first signaller); it goes to B
    await h.engine.regie(b.actor, matchId, { action: 'propose', for: 'me' });
    await h.engine.regie(a.actor, matchId, { action: 'accept' });

    const r = await h.engine.gdprAccess(admin, person(1));
    const mine = r.signals.find((s) => s.signalId === sa.signal.id)!;
    expect(mine).toMatchObject({
      legalBasis: 'consent',
      attestedOn: '2026-01-10',
      consent: { date: '2026-01-12', scopes: ['team_meeting'], recordedAt: h.clock.now, withdrawnAt: null },
    });
    expect(r.signals.find((s) => s.signalId === sb.signal.id)).toMatchObject({
      legalBasis: 'jeugdwet',
      attestedOn: null,
      consent: null,
    });
    const [m] = r.matches;
    const ia = m!.organisationNames.indexOf('A');
    const ib = m!.organisationNames.indexOf('B');
    expect(m!.followUp[ib]).toEqual({ outcome: 'contact_made', at: h.clock.now });
    expect(m!.followUp[ia]).toBeNull();
    expect(m!.regie).toEqual({ holder: ib, since: h.clock.now });
    expect(m!.agreements).toEqual([
      {
        agreementId: x.id,
        owner: ib,
        actionKind: 'home_visit',
        informationCategory: 'health',
        purpose: 'assess_need',
        dueDate: '2026-02-01',
        status: 'done',
        createdAt: h.clock.now,
        createdBy: ia,
        history: [
          { status: 'open', at: h.clock.now, by: ia },
          { status: 'done', at: h.clock.now, by: ib },
        ],
      },
    ]);
    // the form references stay with the organisation
    expect(JSON.stringify(r)).not.toContain('F-1');
  });

  it('access lists the signals that hold the person as a parent and the family matches built on them', async () => {
    h = await harness();
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    const both = await h.engine.placeSignal(a.actor, placement(5, { parents: [person(1), person(2)] }));
    const one = await h.engine.placeSignal(b.actor, placement(6, { parents: [person(1)] }));
    // A family match built on the other parent only: not this person's.
    await h.engine.placeSignal(c.actor, placement(7, { parents: [person(2)] }));
    expect((await h.engine.statistics()).matches).toMatchObject({ active: 2, family: 2 });
    const r = await h.engine.gdprAccess(admin, person(1));
    expect(r.signals).toEqual([]);
    expect(r.parentLinks.map((x) => [x.signalId, x.organisationName, x.status]).sort()).toEqual(
      [
        [both.signal.id, 'A', 'active'],
        [one.signal.id, 'B', 'active'],
      ].sort(),
    );
    expect(r.matches).toHaveLength(1);
    expect(r.matches[0]).toMatchObject({ kind: 'family', status: 'active', via: 'parent' });
    expect([...r.matches[0]!.organisationNames].sort()).toEqual(['A', 'B']);
    expect(JSON.stringify(r)).not.toContain('de Vries');
    const log = await h.engine.logbook(1, 100);
    expect(log.find((e) => e.action === 'gdpr.access')?.details).toEqual({
      signals: 0,
      parentLinks: 2,
      matches: 1,
    });
  });

  it('erasure deletes every signal of the person with its matches; counterparts are told', async () => {
    h = await harness();
    const [a, b, c] = [await h.org(), await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.placeSignal(c.actor, placement(5, { parents: [person(1)] }));
    const sibling = await h.engine.placeSignal(b.actor, placement(6, { parents: [person(1)] }));
    expect((await h.engine.statistics()).matches).toMatchObject({ active: 2, family: 1 });
    expect(await h.engine.gdprErase(admin, person(1))).toEqual({ signals: 2, matches: 1, parentLinks: 2 });
    expect((await h.engine.gdprAccess(admin, person(1))).signals).toHaveLength(0);
    expect((await h.engine.statistics()).signals.active).toBe(2);
    // Its only parent was erased: it has no parents any more.
    expect((await h.engine.getSignal(b.actor, sibling.signal.id)).hasParents).toBe(false);
    // The erased person no longer links anyone as a parent.
    const d = await h.org();
    await h.engine.placeSignal(d.actor, placement(7, { parents: [person(1)] }));
    expect((await h.engine.statistics()).matches).toMatchObject({ active: 1, family: 1 });
    const log = await h.engine.logbook(1, 200);
    expect(log.find((e) => e.action === 'gdpr.erased')?.details).toMatchObject({ signals: 2, matches: 1 });
  });

  // docs/privacy.md §2 art. 17: an erased match's reveal marks go in the erasure's own write,
  // not with the retention job a day later; another match's marks stay.
  it("erasure and an upheld objection delete the erased matches' reveal marks at once", async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    for (const n of [1, 2, 3]) {
      await h.engine.placeSignal(a.actor, placement(n));
      await h.engine.placeSignal(b.actor, placement(n));
    }
    const matchIds = (await h.engine.inbox(a.actor, undefined, 10)).items.map((i) => i.matchId);
    await h.engine.inbox(b.actor, undefined, 10);
    expect(matchIds).toHaveLength(3);
    const marks = (matchId: string) =>
      h.store.read(async (tx) => [
        await tx.lastRevealLogged(a.keyId, matchId),
        await tx.lastRevealLogged(b.keyId, matchId),
      ]);
    const at = h.clock.now;
    for (const m of matchIds) expect(await marks(m)).toEqual([at, at]);
    const of = async (n: number) => (await h.engine.gdprAccess(admin, person(n))).matches[0]!.matchId;
    const [erased, objected] = [await of(1), await of(2)];
    await h.engine.gdprErase(admin, person(1));
    expect(await marks(erased)).toEqual([undefined, undefined]);
    await h.engine.gdprObject(admin, person(2), 'upheld');
    expect(await marks(objected)).toEqual([undefined, undefined]);
    const kept = matchIds.filter((m) => m !== erased && m !== objected);
    expect(kept).toHaveLength(1);
    expect(await marks(kept[0]!)).toEqual([at, at]);
  });

  // docs/privacy.md §4 "Reveal marks": a match deleted by its organisation's withdrawal in
  // error or by the purge is never read again either; its marks go in the deleting write too.
  it("a withdrawal in error and a purge delete the match's reveal marks at once", async () => {
    h = await harness({ config: { archiveTermDays: 10 } });
    const [a, b] = [await h.org('A'), await h.org('B')];
    const placed = [];
    for (const n of [1, 2, 3]) {
      placed.push((await h.engine.placeSignal(a.actor, placement(n))).signal.id);
      await h.engine.placeSignal(b.actor, placement(n));
    }
    const of = async (n: number) => (await h.engine.gdprAccess(admin, person(n))).matches[0]!.matchId;
    const [inError, purged, kept] = [await of(1), await of(2), await of(3)];
    const marks = (matchId: string) =>
      h.store.read(async (tx) => [
        await tx.lastRevealLogged(a.keyId, matchId),
        await tx.lastRevealLogged(b.keyId, matchId),
      ]);
    /** Both parties read match `matchId` now; returns that time. */
    const read = async (matchId: string) => {
      await h.engine.getMatch(a.actor, matchId);
      await h.engine.getMatch(b.actor, matchId);
      return h.clock.now;
    };

    const at = await read(inError);
    expect(await marks(inError)).toEqual([at, at]);
    await h.engine.withdrawSignal(a.actor, placed[0]!, 'error');
    expect(await marks(inError)).toEqual([undefined, undefined]);

    // Archived, read again an hour before its purge: the marks are inside their window.
    await h.engine.withdrawSignal(a.actor, placed[1]!, 'ended');
    h.clock.advance(10 * DAY - 3_600_000);
    const late = await read(purged);
    await read(kept);
    expect(await marks(purged)).toEqual([late, late]);
    h.clock.advance(3_600_000);
    expect((await h.engine.runRetention(admin)).purgedMatches).toBe(1);
    expect(await marks(purged)).toEqual([undefined, undefined]);
    expect(await marks(kept)).toEqual([late, late]);
  });

  // docs/privacy.md §4: a deleted match leaves no webhook delivery behind, delivered or not;
  // only the parties' match.removed follows.
  it('erasure, withdrawal in error and purge delete the match’s webhook deliveries, delivered ones too', async () => {
    h = await harness({ config: { archiveTermDays: 10 } });
    const hook = (o: string) => ({ webhookUrl: `https://${o}.example.nl/hook` });
    const [a, b] = [await h.org('A', hook('a')), await h.org('B', hook('b'))];
    const deliveries = () => h.engine.listDeliveries({ limit: 1000 });
    const deliverAll = async () => {
      for (const d of await h.engine.claimDeliveries(1000, 70_000))
        await h.engine.recordDeliveryAttempt(d.id, d.claim, { ok: true });
    };
    const told = new Set<string>();
    /** A's and B's signals for person n, and the id of the match they made. */
    const pair = async (n: number) => {
      const s = await h.engine.placeSignal(a.actor, placement(n));
      await h.engine.placeSignal(b.actor, placement(n));
      const fresh = [...new Set((await deliveries()).map((d) => d.payload.matchId))].filter(
        (m) => !told.has(m),
      );
      expect(fresh).toHaveLength(1);
      told.add(fresh[0]!);
      return { signalId: s.signal.id, matchId: fresh[0]! };
    };
    const erased = await pair(1);
    const other = await pair(2);
    const inError = await pair(3);
    const purged = await pair(4);
    await h.engine.withdrawSignal(a.actor, purged.signalId, 'ended');
    await deliverAll();
    const of = async (matchId: string) =>
      (await deliveries())
        .filter((d) => d.payload.matchId === matchId)
        .map((d) => `${d.payload.type} ${d.status}`)
        .sort();
    expect(await of(erased.matchId)).toEqual(['match.created delivered', 'match.created delivered']);

    await h.engine.gdprErase(admin, person(1));
    await h.engine.withdrawSignal(a.actor, inError.signalId, 'error');
    h.clock.advance(10 * DAY);
    expect((await h.engine.runRetention(admin)).purgedMatches).toBe(1);
    for (const m of [erased, inError, purged])
      expect(await of(m.matchId)).toEqual(['match.removed pending', 'match.removed pending']);
    expect(await of(other.matchId)).toEqual(['match.created delivered', 'match.created delivered']);
  });

  it('objection: pending restricts, rejected lifts and catches up, upheld erases', async () => {
    h = await harness();
    const [a, b, c] = [await h.org(), await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1));
    expect(await h.engine.gdprObject(admin, person(1), 'pending')).toEqual({
      signals: 1,
      parentLinks: 0,
      onTime: true,
    });
    const s = await h.engine.placeSignal(b.actor, placement(1));
    // Inherits the person's pending objection; only the municipality's report shows it.
    const pending = await h.engine.gdprAccess(admin, person(1));
    expect(pending.signals.find((x) => x.signalId === s.signal.id)?.restricted).toBe(true);
    expect((await h.engine.statistics()).matches.active).toBe(0);
    await h.engine.gdprObject(admin, person(1), 'rejected');
    expect((await h.engine.statistics()).matches.active).toBe(1);
    const access = await h.engine.gdprAccess(admin, person(1));
    expect(access.signals.every((x) => x.objection === 'rejected' && !x.restricted)).toBe(true);
    await h.engine.placeSignal(c.actor, placement(1));
    expect(await h.engine.gdprObject(admin, person(1), 'upheld')).toEqual({ signals: 3, parentLinks: 0 });
    expect((await h.engine.statistics()).signals.active).toBe(0);
  });

  it('restriction keeps existing matches and blocks new ones', async () => {
    h = await harness();
    const [a, b, c] = [await h.org(), await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.gdprRestrict(admin, person(1), true);
    await h.engine.placeSignal(c.actor, placement(1));
    expect((await h.engine.statistics()).matches.active).toBe(1);
    await h.engine.gdprRestrict(admin, person(1), false);
    expect((await h.engine.statistics()).matches.active).toBe(3);
  });

  it("the placer's answer is the same whether or not another organisation's signal is restricted", async () => {
    const run = async (restrict: boolean) => {
      h = await harness();
      const [a, b] = [await h.org('A'), await h.org('B')];
      await h.engine.placeSignal(a.actor, placement(1));
      if (restrict) await h.engine.gdprRestrict(admin, person(1), true);
      const placed = await h.engine.placeSignal(b.actor, placement(1));
      const seen = {
        placed,
        read: await h.engine.getSignal(b.actor, placed.signal.id),
        list: await h.engine.listSignals(b.actor, {}),
      };
      // Inherited all the same: the restriction is a match-time rule.
      expect((await h.engine.statistics()).matches.active).toBe(restrict ? 0 : 1);
      await h.close();
      return seen;
    };
    const plain = await run(false);
    const restricted = await run(true);
    expect(restricted).toEqual(plain);
    expect(plain.placed.signal.restricted).toBe(false);
    h = await harness();
  });

  it("the holder's signal view says restricted while the desk's restriction is registered on it, not when inherited", async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const own = (await h.engine.placeSignal(a.actor, placement(1))).signal.id;
    const seen = async () => ({
      read: (await h.engine.getSignal(a.actor, own)).restricted,
      list: (await h.engine.listSignals(a.actor, {})).items.map((s) => s.restricted),
    });
    expect(await seen()).toEqual({ read: false, list: [false] });
    await h.engine.gdprRestrict(admin, person(1), true);
    expect(await seen()).toEqual({ read: true, list: [true] });
    // B's signal inherits the restriction at placement: it is not shown to B.
    const other = (await h.engine.placeSignal(b.actor, placement(1))).signal;
    expect(other.restricted).toBe(false);
    expect((await h.engine.getSignal(b.actor, other.id)).restricted).toBe(false);
    // The desk's request again registers it on every signal of the person, B's too.
    await h.engine.gdprRestrict(admin, person(1), true);
    expect((await h.engine.getSignal(b.actor, other.id)).restricted).toBe(true);
    await h.engine.gdprRestrict(admin, person(1), false);
    expect(await seen()).toEqual({ read: false, list: [false] });
    expect((await h.engine.getSignal(b.actor, other.id)).restricted).toBe(false);
  });

  it('refuses a request that does not name the person under every active epoch, and changes nothing', async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [2]) }));
    const refused = { code: 'validation_failed', fields: ['subject'] };
    await expect(h.engine.gdprAccess(admin, person(1, [1]))).rejects.toMatchObject(refused);
    await expect(h.engine.gdprErase(admin, person(1, [2]))).rejects.toMatchObject(refused);
    await expect(h.engine.gdprRestrict(admin, person(1, [1]), true)).rejects.toMatchObject(refused);
    await expect(h.engine.gdprObject(admin, person(1, [1]), 'upheld')).rejects.toMatchObject(refused);
    expect((await h.engine.statistics()).signals.active).toBe(2);
    expect((await h.engine.gdprAccess(admin, person(1, [1, 2]))).signals).toHaveLength(2);
    expect(await h.engine.gdprErase(admin, person(1, [1, 2]))).toMatchObject({ signals: 2 });
    // After epoch 1 is retired, the remaining active epoch alone is complete.
    await h.engine.retireEpoch(admin, 1);
    expect((await h.engine.gdprAccess(admin, person(1, [2]))).signals).toHaveLength(0);
  });

  it('a person without a BSN (oprfOnly) is named under every active OPRF epoch and no HMAC epoch', async () => {
    h = await harness();
    // The ristretto255 generator: a valid OPRF public key (docs/protocol.md §9.5).
    const publicKey = Uint8Array.from(
      Buffer.from('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76', 'hex'),
    );
    await h.engine.registerEpoch(admin, 2, { kind: 'oprf', publicKey });
    await h.engine.registerEpoch(admin, 3, { kind: 'oprf', publicKey });
    const [a, b] = [await h.org(), await h.org()];
    // Placed during the OPRF→OPRF overlap, under the OPRF epochs only (docs/protocol.md §2.2).
    await h.engine.placeSignal(a.actor, placement(1, { subject: person(1, [2]) }));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [2, 3]) }));
    const refused = { code: 'validation_failed', fields: ['subject'] };
    // Without oprfOnly the active HMAC epoch 1 is missing.
    await expect(h.engine.gdprAccess(admin, person(1, [2, 3]))).rejects.toMatchObject(refused);
    // oprfOnly: a missing OPRF epoch and an HMAC epoch are each refused, and nothing changes.
    await expect(h.engine.gdprErase(admin, person(1, [2]), 'oprf')).rejects.toMatchObject(refused);
    await expect(h.engine.gdprErase(admin, person(1, [1, 2, 3]), 'oprf')).rejects.toMatchObject(refused);
    await expect(h.engine.gdprRestrict(admin, person(1, [3]), true, 'oprf')).rejects.toMatchObject(refused);
    await expect(h.engine.gdprObject(admin, person(1, [2]), 'upheld', 'oprf')).rejects.toMatchObject(refused);
    expect((await h.engine.statistics()).signals.active).toBe(2);
    expect((await h.engine.gdprAccess(admin, person(1, [2, 3]), 'oprf')).signals).toHaveLength(2);
    expect(await h.engine.gdprRestrict(admin, person(1, [2, 3]), true, 'oprf')).toEqual({
      signals: 2,
      parentLinks: 0,
    });
    expect(await h.engine.gdprErase(admin, person(1, [2, 3]), 'oprf')).toMatchObject({ signals: 2 });
  });

  it('refuses invalid pseudonyms and unknown epochs without echoing them', async () => {
    h = await harness();
    const err = await h.engine.gdprErase(admin, [{ epoch: 1, value: 'not-a-pseudonym' }]).catch((e) => e);
    expect(err).toMatchObject({ code: 'pseudonym_invalid', fields: ['subject.0.value'] });
    expect(err.message).not.toContain('not-a-pseudonym');
    await expect(h.engine.gdprErase(admin, person(1, [9]))).rejects.toMatchObject({ code: 'epoch_unknown' });
  });
});
