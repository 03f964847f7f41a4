// Store conformance, matches and what hangs off them: a match pair is unique; deleting a
// match removes its inbox events, its webhook deliveries (delivered ones too) and agreement
// entries; a consent goes with its signal; agreement entries are append-only; event cursors
// never decrease; a holder's inbox holds the events of the matches of the signals that
// person holds now.

import assert from 'node:assert/strict';
import { isEngineError } from '../../errors.js';
import { type ConformanceContext, newMatch, newSignal, org, uuid } from './fixtures.js';

export function matchCases({ test, withStore }: ConformanceContext): void {
  test(
    'a match pair is unique; deleting a match removes its events and pending deliveries',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [a, b] = await s.write(async (tx) => [
        await tx.insertSignal(newSignal(o, 1)),
        await tx.insertSignal(newSignal(o, 2)),
      ]);
      const m = newMatch(7, a!, b!, { regieHolder: 'a', regieSince: 1 });
      const mid = await s.write(async (tx) => {
        const rid = await tx.insertMatch(m);
        const cursor = await tx.appendEvent({
          organisationRid: o,
          type: 'match.created',
          matchId: m.id,
          at: 1,
        });
        await tx.insertDelivery({
          id: uuid(88),
          organisationRid: o,
          url: 'https://example.nl/hook',
          type: 'match.created',
          matchId: m.id,
          cursor,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: 1,
          lastErrorCode: null,
          createdAt: 1,
          deliveredAt: null,
        });
        return rid;
      });
      await assert.rejects(
        s.write((tx) => tx.insertMatch({ ...m, id: uuid(78) })),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
      assert.equal((await s.read((tx) => tx.getMatchByPair(b!, a!)))?.id, m.id);
      assert.equal((await s.read((tx) => tx.matchesOfSignal(b!))).length, 1);
      await s.write((tx) =>
        tx.updateMatch(mid, {
          contactMadeB: 5,
          outcomeB: 'client_refused',
          proposalBy: 'b',
          proposalFor: 'a',
          proposalAt: 5,
        }),
      );
      const u = await s.read((tx) => tx.getMatch(m.id));
      assert.equal(u?.contactMadeB, 5);
      assert.equal(u?.outcomeB, 'client_refused');
      assert.equal(u?.outcomeA, null);
      assert.equal(u?.proposalFor, 'a');
      assert.equal((await s.read((tx) => tx.listDeliveries('pending', 10))).length, 1);
      await s.write((tx) => tx.deleteMatch(mid));
      assert.equal(await s.read((tx) => tx.getMatch(m.id)), undefined);
      assert.equal((await s.read((tx) => tx.eventsAfter(o, 0, 10))).length, 0);
      assert.equal((await s.read((tx) => tx.listDeliveries('pending', 10))).length, 0);
    }),
  );

  test(
    'deleting a match removes every webhook delivery of it, delivered ones too, and no other match’s',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [a, b, c] = await s.write(async (tx) => [
        await tx.insertSignal(newSignal(o, 1)),
        await tx.insertSignal(newSignal(o, 2)),
        await tx.insertSignal(newSignal(o, 3)),
      ]);
      const gone = newMatch(7, a!, b!);
      const kept = newMatch(8, a!, c!);
      // Per match: one delivered (a match.created sent earlier) and one still pending.
      const delivery = (n: number, matchId: string, delivered: boolean) => ({
        id: uuid(n),
        organisationRid: o,
        url: 'https://example.nl/hook',
        type: 'match.created' as const,
        matchId,
        cursor: n,
        status: delivered ? ('delivered' as const) : ('pending' as const),
        attempts: delivered ? 1 : 0,
        nextAttemptAt: 1,
        lastErrorCode: null,
        createdAt: 1,
        deliveredAt: delivered ? 2 : null,
      });
      const rid = await s.write(async (tx) => {
        const rid = await tx.insertMatch(gone);
        await tx.insertMatch(kept);
        await tx.insertDelivery(delivery(81, gone.id, true));
        await tx.insertDelivery(delivery(82, gone.id, false));
        await tx.insertDelivery(delivery(83, kept.id, true));
        await tx.insertDelivery(delivery(84, kept.id, false));
        return rid;
      });
      assert.equal((await s.read((tx) => tx.listDeliveries('delivered', 10))).length, 2);
      await s.write((tx) => tx.deleteMatch(rid));
      assert.equal(await s.read((tx) => tx.getDelivery(uuid(81))), undefined);
      assert.equal(await s.read((tx) => tx.getDelivery(uuid(82))), undefined);
      assert.deepEqual(
        (await s.read((tx) => tx.listDeliveries(undefined, 10)))
          .map((d) => [d.id, d.matchId, d.status])
          .sort(),
        [
          [uuid(83), kept.id, 'delivered'],
          [uuid(84), kept.id, 'pending'],
        ],
      );
    }),
  );

  test(
    'a consent is upserted per signal and goes with its signal; agreement entries are append-only and go with their match',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [a, b] = await s.write(async (tx) => [
        await tx.insertSignal(newSignal(o, 1)),
        await tx.insertSignal(newSignal(o, 2)),
      ]);
      await s.write((tx) =>
        tx.setConsent({
          signalRid: a!,
          date: '2026-01-01',
          scopes: ['team_meeting'],
          formReference: 'ref/1',
          recordedAt: 1,
          withdrawnAt: null,
        }),
      );
      await s.write((tx) =>
        tx.setConsent({
          signalRid: a!,
          date: '2026-01-02',
          scopes: ['team_meeting', 'share_with_matched'],
          formReference: null,
          recordedAt: 2,
          withdrawnAt: 3,
        }),
      );
      assert.deepEqual(await s.read((tx) => tx.getConsent(a!)), {
        signalRid: a!,
        date: '2026-01-02',
        scopes: ['team_meeting', 'share_with_matched'],
        formReference: null,
        recordedAt: 2,
        withdrawnAt: 3,
      });
      assert.equal(await s.read((tx) => tx.getConsent(b!)), undefined);
      const match = newMatch(7, a!, b!);
      const mid = await s.write((tx) => tx.insertMatch(match));
      const entry = {
        matchRid: mid,
        seq: 1,
        kind: 'agreement' as const,
        agreementId: uuid(90),
        owner: 'b' as const,
        actionKind: 'home_visit',
        informationCategory: 'housing',
        purpose: 'prevent_eviction',
        dueDate: '2026-02-01',
        status: null,
        bySide: 'a' as const,
        at: 5,
      };
      await s.write((tx) => tx.appendAgreementEntry(entry));
      await s.write((tx) =>
        tx.appendAgreementEntry({
          ...entry,
          seq: 2,
          kind: 'status',
          owner: null,
          actionKind: null,
          informationCategory: null,
          purpose: null,
          dueDate: null,
          status: 'done',
          bySide: 'b',
          at: 6,
        }),
      );
      await assert.rejects(
        s.write((tx) => tx.appendAgreementEntry({ ...entry, seq: 2 })),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
      const entries = await s.read((tx) => tx.agreementEntries(mid));
      assert.deepEqual(entries[0], entry);
      assert.deepEqual(
        entries.map((e) => [e.seq, e.kind, e.status, e.bySide]),
        [
          [1, 'agreement', null, 'a'],
          [2, 'status', 'done', 'b'],
        ],
      );
      assert.deepEqual(
        (await s.read((tx) => tx.matchesWithAgreements())).map((m) => m.id),
        [match.id],
      );
      await s.write((tx) => tx.deleteMatch(mid));
      assert.deepEqual(await s.read((tx) => tx.agreementEntries(mid)), []);
      assert.deepEqual(await s.read((tx) => tx.matchesWithAgreements()), []);
      await s.write((tx) => tx.deleteSignal(a!));
      assert.equal(await s.read((tx) => tx.getConsent(a!)), undefined);
    }),
  );

  test(
    'event cursors strictly increase and are never reused after deletion',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const c1 = await s.write((tx) =>
        tx.appendEvent({ organisationRid: o, type: 'match.created', matchId: uuid(1), at: 1 }),
      );
      const c2 = await s.write((tx) =>
        tx.appendEvent({ organisationRid: o, type: 'match.updated', matchId: uuid(1), at: 2 }),
      );
      assert.ok(c2 > c1);
      await s.write((tx) => tx.deleteEventsBefore(3, 0));
      const c3 = await s.write((tx) =>
        tx.appendEvent({ organisationRid: o, type: 'match.ended', matchId: uuid(1), at: 4 }),
      );
      assert.ok(c3 > c2);
      const ev = await s.read((tx) => tx.eventsAfter(o, c1, 10));
      assert.deepEqual(
        ev.map((e) => [e.cursor, e.type]),
        [[c3, 'match.ended']],
      );
    }),
  );

  test(
    'match.removed events go after their own term, the others only after theirs',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const types = ['match.created', 'match.removed', 'match.updated', 'match.removed'] as const;
      for (const [i, type] of types.entries()) {
        await s.write((tx) =>
          tx.appendEvent({ organisationRid: o, type, matchId: uuid(i + 1), at: 10 * (i + 1) }),
        );
      }
      // Older than 15: every event; a match.removed older than 35 too.
      assert.equal(await s.write((tx) => tx.deleteEventsBefore(15, 35)), 2);
      const ev = await s.read((tx) => tx.eventsAfter(o, 0, 10));
      assert.deepEqual(
        ev.map((e) => [e.type, e.at]),
        [
          ['match.updated', 30],
          ['match.removed', 40],
        ],
      );
    }),
  );

  test(
    'events with a holder: only matches whose own-side signal that person holds now, in cursor order',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const other = await s.write((tx) => org(tx, 2));
      const person = (n: number) => ({
        id: uuid(6000 + n),
        organisationRid: o,
        displayName: `Person ${n}`,
        email: null,
        roles: ['professional' as const],
        status: 'active' as const,
        createdAt: 1,
        removedAt: null,
      });
      const [p1, p2] = await s.write(async (tx) => [
        await tx.insertPerson(person(1)),
        await tx.insertPerson(person(2)),
      ]);
      // p1 holds a (side a of m1) and d (side b of m2); p2 holds nothing yet; m3's own
      // signal has no holder (placed by the key alone).
      const [a, b, c, d, e, f] = await s.write(async (tx) => [
        await tx.insertSignal(newSignal(o, 1, { personRid: p1! })),
        await tx.insertSignal(newSignal(other, 2, { personRid: p2! })),
        await tx.insertSignal(newSignal(other, 3)),
        await tx.insertSignal(newSignal(o, 4, { personRid: p1! })),
        await tx.insertSignal(newSignal(o, 5)),
        await tx.insertSignal(newSignal(other, 6)),
      ]);
      const m1 = newMatch(1, a!, b!);
      const m2 = newMatch(2, c!, d!);
      const m3 = newMatch(3, e!, f!);
      const cursors = await s.write(async (tx) => {
        for (const m of [m1, m2, m3]) await tx.insertMatch(m);
        const out: number[] = [];
        for (const m of [m1, m3, m2, m1, uuid(99)]) {
          const matchId = typeof m === 'string' ? m : m.id;
          out.push(await tx.appendEvent({ organisationRid: o, type: 'match.created', matchId, at: 1 }));
        }
        // The other organisation's event of m1 is not o's, whoever holds its side there.
        await tx.appendEvent({ organisationRid: other, type: 'match.created', matchId: m1.id, at: 1 });
        return out;
      });
      const ids = async (holder: number | undefined, after = 0, limit = 10) =>
        (await s.read((tx) => tx.eventsAfter(o, after, limit, holder))).map((e) => [e.cursor, e.matchId]);
      assert.deepEqual(await ids(p1!), [
        [cursors[0], m1.id],
        [cursors[2], m2.id],
        [cursors[3], m1.id],
      ]);
      assert.deepEqual(await ids(p1!, cursors[0]!, 1), [[cursors[2], m2.id]]);
      assert.deepEqual(await ids(p2!), []);
      assert.equal((await ids(undefined)).length, 5);
      // A transfer moves the holder: p2 now sees m2's events and p1 no longer does.
      await s.write((tx) => tx.updateSignal(d!, { personRid: p2! }));
      assert.deepEqual(await ids(p2!), [[cursors[2], m2.id]]);
      assert.deepEqual(
        (await ids(p1!)).map(([, m]) => m),
        [m1.id, m1.id],
      );
    }),
  );
}
