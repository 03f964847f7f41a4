// Store conformance, matches and what hangs off them: a match pair is unique; deleting a
// match removes its inbox events, pending deliveries and agreement entries; a consent goes
// with its signal; agreement entries are append-only; event cursors never decrease.

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
      await s.write((tx) => tx.deleteEventsBefore(3));
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
}
