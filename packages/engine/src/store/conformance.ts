// The store conformance suite (hono's common-case pattern): every Store implementation
// must pass it. Framework-agnostic — the caller passes its test registrar (vitest `it`)
// and a factory for fresh, empty stores — so a PostgreSQL store can run the same cases.
// It checks the contract the domain relies on: durability of acknowledged writes,
// isolation of failing operations, one writer, unique pairs, monotonic cursors, and
// that consents and agreement entries go with their signal / match.

import assert from 'node:assert/strict';
import { EngineError, isEngineError } from '../errors.js';
import type { NewSignal, Store, StoreWriter } from './store.js';

export type StoreFactory = () => Store | Promise<Store>;
export type TestRegistrar = (name: string, fn: () => Promise<void>) => void;

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const stored = (n: number) => Buffer.alloc(32, n);

async function org(tx: StoreWriter, n: number): Promise<number> {
  return tx.insertOrganisation({
    id: uuid(1000 + n),
    name: `Org ${n}`,
    type: 'youth_care',
    status: 'active',
    webhookUrl: null,
    placementBudgetPerDay: 10,
    createdAt: 1,
  });
}

function newSignal(orgRid: number, n: number, over: Partial<NewSignal> = {}): NewSignal {
  return {
    id: uuid(n),
    organisationRid: orgRid,
    status: 'active',
    endReason: null,
    contact: { name: 'A', role: 'B', email: 'a@example.nl' },
    informed: { status: 'not_yet' },
    placedAt: 10,
    expiresAt: 1000,
    endedAt: null,
    purgeAt: null,
    restricted: false,
    objection: null,
    hasParents: false,
    parentsAtPlacement: 0,
    requestId: uuid(5000 + n),
    requestHash: Buffer.alloc(16, n),
    ...over,
  };
}

export function runStoreConformance(factory: StoreFactory, test: TestRegistrar): void {
  const withStore = (fn: (s: Store) => Promise<void>) => async () => {
    const s = await factory();
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };

  test(
    'an acknowledged write is visible to later reads',
    withStore(async (s) => {
      const rid = await s.write((tx) => org(tx, 1));
      const o = await s.read((tx) => tx.getOrganisationByRid(rid));
      assert.equal(o?.name, 'Org 1');
      assert.equal(o?.status, 'active');
    }),
  );

  test(
    'a failing operation rolls back alone; the others of its batch commit',
    withStore(async (s) => {
      const results = await Promise.allSettled([
        s.write((tx) => org(tx, 1)),
        s.write(async (tx) => {
          await org(tx, 2);
          throw new EngineError('conflict', 'x');
        }),
        s.write((tx) => org(tx, 3)),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const r1 = results[1];
      assert.ok(r1?.status === 'rejected' && isEngineError(r1.reason, 'conflict'));
      const names = (await s.read((tx) => tx.listOrganisations())).map((o) => o.name);
      assert.deepEqual(names, ['Org 1', 'Org 3']);
    }),
  );

  test(
    'concurrent writes are serialised (read-modify-write loses nothing) and share commits',
    withStore(async (s) => {
      const rid = await s.write((tx) => org(tx, 1));
      const before = s.stats();
      await Promise.all(
        Array.from({ length: 50 }, () =>
          s.write(async (tx) => {
            const cur = (await tx.placementHour(rid, 7)) ?? { count: 0, alerted: false };
            await tx.setPlacementHour(rid, 7, { count: cur.count + 1, alerted: false });
          }),
        ),
      );
      assert.equal((await s.read((tx) => tx.placementHour(rid, 7)))?.count, 50);
      const after = s.stats();
      assert.equal(after.operations - before.operations, 50);
      assert.ok(after.commits - before.commits < 50, 'group commit shares commits');
    }),
  );

  test(
    'signals round-trip, patch, and are unique per (organisation, requestId)',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const rid = await s.write((tx) =>
        tx.insertSignal(newSignal(o, 1, { contact: { name: 'N', role: 'R', phone: '+31 10 1234567' } })),
      );
      const got = await s.read((tx) => tx.getSignal(uuid(1)));
      assert.deepEqual(got?.contact, { name: 'N', role: 'R', phone: '+31 10 1234567' });
      assert.equal(got?.rid, rid);
      assert.equal((await s.read((tx) => tx.getSignalByRequest(o, uuid(5001))))?.id, uuid(1));
      await s.write((tx) =>
        tx.updateSignal(rid, {
          status: 'inactive',
          endReason: 'ended',
          endedAt: 5,
          purgeAt: 9,
          restricted: true,
        }),
      );
      const p = await s.read((tx) => tx.getSignalByRid(rid));
      assert.equal(p?.status, 'inactive');
      assert.equal(p?.endReason, 'ended');
      assert.equal(p?.restricted, true);
      assert.equal(p?.informed.status, 'not_yet');
      await assert.rejects(
        s.write((tx) => tx.insertSignal(newSignal(o, 2, { requestId: uuid(5001) }))),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
    }),
  );

  test(
    'stored pseudonyms are found by value and role, and deleted by epoch',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [a, b] = await s.write(async (tx) => {
        const a = await tx.insertSignal(newSignal(o, 1));
        const b = await tx.insertSignal(newSignal(o, 2));
        await tx.insertPseudonyms([
          { stored: stored(1), signalRid: a, epoch: 1, generation: 1, role: 'subject' },
          { stored: stored(2), signalRid: a, epoch: 2, generation: 1, role: 'subject' },
          { stored: stored(1), signalRid: b, epoch: 1, generation: 1, role: 'parent' },
        ]);
        return [a, b];
      });
      const subj = await s.read((tx) => tx.findSignalsByStored([stored(1), stored(2)], 'subject'));
      assert.deepEqual(
        subj.map((x) => x.rid),
        [a],
      );
      const par = await s.read((tx) => tx.findSignalsByStored([stored(1)], 'parent'));
      assert.deepEqual(
        par.map((x) => x.rid),
        [b],
      );
      assert.equal((await s.read((tx) => tx.pseudonymsOf(a!))).length, 2);
      assert.equal(await s.write((tx) => tx.deletePseudonymsOfEpoch(2)), 1);
      assert.equal((await s.read((tx) => tx.pseudonymsOf(a!))).length, 1);
      await s.write((tx) => tx.deleteSignal(b!));
      assert.equal((await s.read((tx) => tx.findSignalsByStored([stored(1)], 'parent'))).length, 0);
    }),
  );

  test(
    'a match pair is unique; deleting a match removes its events and pending deliveries',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [a, b] = await s.write(async (tx) => [
        await tx.insertSignal(newSignal(o, 1)),
        await tx.insertSignal(newSignal(o, 2)),
      ]);
      const m = {
        id: uuid(77),
        kind: 'person' as const,
        status: 'active' as const,
        a: a!,
        b: b!,
        createdAt: 1,
        endedAt: null,
        contactMadeA: null,
        contactMadeB: null,
        regieHolder: 'a' as const,
        regieSince: 1,
        proposalBy: null,
        proposalFor: null,
        proposalAt: null,
      };
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
        tx.updateMatch(mid, { contactMadeB: 5, proposalBy: 'b', proposalFor: 'a', proposalAt: 5 }),
      );
      const u = await s.read((tx) => tx.getMatch(m.id));
      assert.equal(u?.contactMadeB, 5);
      assert.equal(u?.proposalFor, 'a');
      assert.equal((await s.read((tx) => tx.dueDeliveries(10, 10))).length, 1);
      await s.write((tx) => tx.deleteMatch(mid));
      assert.equal(await s.read((tx) => tx.getMatch(m.id)), undefined);
      assert.equal((await s.read((tx) => tx.eventsAfter(o, 0, 10))).length, 0);
      assert.equal((await s.read((tx) => tx.dueDeliveries(10, 10))).length, 0);
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
      const mid = await s.write((tx) =>
        tx.insertMatch({
          id: uuid(77),
          kind: 'person',
          status: 'active',
          a: a!,
          b: b!,
          createdAt: 1,
          endedAt: null,
          contactMadeA: null,
          contactMadeB: null,
          regieHolder: null,
          regieSince: null,
          proposalBy: null,
          proposalFor: null,
          proposalAt: null,
        }),
      );
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
        [uuid(77)],
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

  test(
    'logbook rows, nonces, epochs and keys round-trip',
    withStore(async (s) => {
      assert.equal(await s.read((tx) => tx.lastLogEntry()), undefined);
      await s.write(async (tx) => {
        await tx.insertLogEntry({
          seq: 1,
          at: 1,
          actor: '{}',
          action: 'x',
          refs: '{}',
          details: '{}',
          hash: stored(9),
        });
        await tx.insertLogEntry({
          seq: 2,
          at: 2,
          actor: '{}',
          action: 'y',
          refs: '{}',
          details: '{}',
          hash: stored(8),
        });
      });
      const last = await s.read((tx) => tx.lastLogEntry());
      assert.equal(last?.seq, 2);
      assert.ok(Buffer.from(last!.hash).equals(stored(8)));
      assert.deepEqual(
        (await s.read((tx) => tx.logEntries(2, 10))).map((r) => r.action),
        ['y'],
      );
      await s.write((tx) =>
        tx.insertNonces([
          { keyId: 'k', nonce: 'n1', expiresAt: 10 },
          { keyId: 'k', nonce: 'n2', expiresAt: 20 },
        ]),
      );
      assert.deepEqual(
        (await s.read((tx) => tx.unexpiredNonces(15))).map((n) => n.nonce),
        ['n2'],
      );
      assert.equal(await s.write((tx) => tx.deleteExpiredNonces(15)), 1);
      const epochs = await s.read((tx) => tx.listEpochs());
      assert.deepEqual(
        epochs.map((e) => [e.epoch, e.status]),
        [[1, 'active']],
      );
      const o = await s.write((tx) => org(tx, 1));
      await s.write((tx) =>
        tx.insertKey({
          keyId: 'key1',
          role: 'organisation',
          organisationRid: o,
          publicKey: stored(3),
          status: 'active',
          addedAt: 1,
          revokedAt: null,
        }),
      );
      const k = await s.read((tx) => tx.getKey('key1'));
      assert.equal(k?.organisationId, uuid(1001));
      assert.ok(Buffer.from(k!.publicKey).equals(stored(3)));
    }),
  );

  test(
    'a closed store refuses work with store_closed',
    withStore(async (s) => {
      const other = await factory();
      await other.close();
      await assert.rejects(
        other.write((tx) => org(tx, 1)),
        (e: unknown) => isEngineError(e, 'store_closed'),
      );
      await assert.rejects(
        other.read((tx) => tx.listOrganisations()),
        (e: unknown) => isEngineError(e, 'store_closed'),
      );
      assert.equal((await s.read((tx) => tx.listOrganisations())).length, 0);
    }),
  );
}
