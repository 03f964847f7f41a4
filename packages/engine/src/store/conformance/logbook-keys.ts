// Store conformance, bookkeeping: logbook rows (the hash chain's storage, their texts byte for
// byte whatever the storage form), replay-protection nonces, covenant key epochs and public
// keys round-trip unchanged; the logbook purge behind a checkpoint and the reveal marks. Appending
// onto the chain: logbook-chain.ts.

import assert from 'node:assert/strict';
import { EngineError } from '../../errors.js';
import type { IndexedLogAction, Store } from '../store.js';
import { type ConformanceContext, newMatch, newSignal, org, stored, uuid } from './fixtures.js';

/** Stored matches `n` and `n + 1` (their ids): a reveal mark is made only for a stored match. */
function twoMatches(s: Store, n: number): Promise<[string, string]> {
  return s.write(async (tx) => {
    const o = await org(tx, n);
    const [a, b, c] = [
      await tx.insertSignal(newSignal(o, 900 + n)),
      await tx.insertSignal(newSignal(o, 901 + n)),
      await tx.insertSignal(newSignal(o, 902 + n)),
    ];
    await tx.insertMatch(newMatch(n, a, b));
    await tx.insertMatch(newMatch(n + 1, a, c));
    return [uuid(70_000 + n), uuid(70_000 + n + 1)];
  });
}

export function logbookAndKeyCases({ test, withStore }: ConformanceContext): void {
  test(
    'purgeLogThrough deletes a prefix and records its head in one write; never backwards, never the newest entry',
    withStore(async (s) => {
      await s.write(async (tx) => {
        for (let seq = 1; seq <= 5; seq++) {
          await tx.insertLogEntry({
            seq,
            at: seq * 10,
            actor: '{}',
            action: 'x',
            refs: '{}',
            details: '{}',
            hash: stored(seq),
          });
        }
      });
      assert.equal(await s.read((tx) => tx.logCheckpoint()), undefined);
      assert.equal(await s.write((tx) => tx.purgeLogThrough({ seq: 2, at: 20, hash: stored(2) })), 2);
      const cp = await s.read((tx) => tx.logCheckpoint());
      assert.equal(cp?.seq, 2);
      assert.equal(cp?.at, 20);
      assert.ok(Buffer.from(cp!.hash).equals(stored(2)));
      assert.deepEqual(
        (await s.read((tx) => tx.logEntries(1, 10))).map((r) => r.seq),
        [3, 4, 5],
      );
      const refused = async (seq: number) =>
        s
          .write((tx) => tx.purgeLogThrough({ seq, at: seq * 10, hash: stored(seq) }))
          .then(
            () => 'accepted',
            (e: unknown) => (e instanceof EngineError ? e.code : 'other'),
          );
      assert.equal(await refused(1), 'conflict'); // backwards
      assert.equal(await refused(5), 'conflict'); // the newest entry stays
      assert.equal((await s.read((tx) => tx.logCheckpoint()))?.seq, 2); // a refusal changed nothing
      assert.equal(await s.write((tx) => tx.purgeLogThrough({ seq: 4, at: 40, hash: stored(4) })), 2);
      assert.equal((await s.read((tx) => tx.logCheckpoint()))?.seq, 4);
      assert.equal((await s.read((tx) => tx.lastLogEntry()))?.seq, 5);
    }),
  );

  test(
    'logEntriesWithAction: the entries after a seq with one of the actions, in seq order, texts byte for byte',
    withStore(async (s) => {
      const actions = [
        'webhook_key.added',
        'x',
        'webhook_key.retired',
        'webhook_key.signing',
        'webhook_key.added',
      ];
      // Appended the way the engine appends (the store's own storage form for each text).
      for (const [i, action] of actions.entries()) {
        await s.write((tx) =>
          tx.appendLogEntry((head) => ({
            seq: (head?.seq ?? 0) + 1,
            at: i,
            actor: '{"kind":"system"}',
            action,
            refs: `{"keyId":"k${i}"}`,
            details: '{}',
            hash: stored(i + 1),
          })),
        );
      }
      const wanted: IndexedLogAction[] = ['webhook_key.added', 'webhook_key.retired'];
      const after = (seq: number, limit = 10) =>
        s.read(async (tx) =>
          (await tx.logEntriesWithAction(seq, wanted, limit)).map((r) => [r.seq, r.action, r.refs]),
        );
      assert.deepEqual(await after(0), [
        [1, 'webhook_key.added', '{"keyId":"k0"}'],
        [3, 'webhook_key.retired', '{"keyId":"k2"}'],
        [5, 'webhook_key.added', '{"keyId":"k4"}'],
      ]);
      assert.deepEqual(await after(1), [
        [3, 'webhook_key.retired', '{"keyId":"k2"}'],
        [5, 'webhook_key.added', '{"keyId":"k4"}'],
      ]);
      assert.deepEqual(await after(0, 1), [[1, 'webhook_key.added', '{"keyId":"k0"}']]);
      assert.deepEqual(await after(5), []);
    }),
  );

  test(
    'logbookHead gives the head and the newest secret generation recorded (1 when none)',
    withStore(async (s) => {
      const empty = await s.read((tx) => tx.logbookHead());
      assert.equal(empty.last, undefined);
      assert.equal(empty.secretGeneration, 1);
      await s.write(async (tx) => {
        for (let seq = 1; seq <= 3; seq++) {
          await tx.insertLogEntry({
            seq,
            at: seq,
            actor: '{}',
            action: 'x',
            refs: '{}',
            details: '{}',
            hash: stored(seq),
          });
        }
        for (const generation of [2, 3]) {
          await tx.insertSecretRotation({
            generation,
            startedAt: generation,
            completedAt: generation === 2 ? 5 : null,
            maxSignalRid: 0,
            cursorRid: 0,
            rowsRekeyed: 0,
            hashesRekeyed: 0,
          });
        }
      });
      for (const head of [await s.read((tx) => tx.logbookHead()), await s.write((tx) => tx.logbookHead())]) {
        assert.equal(head.last?.seq, 3);
        assert.ok(Buffer.from(head.last!.hash).equals(stored(3)));
        assert.equal(head.secretGeneration, 3);
      }
    }),
  );

  test(
    'fenceGeneration fails the whole write when the store has a newer secret generation, and passes at it',
    withStore(async (s) => {
      const rotation = (generation: number) => ({
        generation,
        startedAt: generation,
        completedAt: null,
        maxSignalRid: 0,
        cursorRid: 0,
        rowsRekeyed: 0,
        hashesRekeyed: 0,
      });
      const entry = (action: string) => (head: { seq: number } | undefined) => {
        const seq = (head?.seq ?? 0) + 1;
        return { seq, at: seq, actor: '{}', action, refs: '{}', details: '{}', hash: stored(seq) };
      };
      // No rotation recorded: the store is at generation 1.
      await s.write(async (tx) => {
        await tx.fenceGeneration(1);
        await tx.appendLogEntry(entry('at-1'));
      });
      await s.write((tx) => tx.insertSecretRotation(rotation(2)));
      const fencedAt = (used: number, withEntry: boolean) =>
        s
          .write(async (tx) => {
            await org(tx, 7 + used + (withEntry ? 10 : 0));
            await tx.fenceGeneration(used);
            if (withEntry) await tx.appendLogEntry(entry(`at-${used}`));
          })
          .then(
            () => 'committed',
            (e: unknown) => (e instanceof EngineError ? e.code : 'other'),
          );
      // Behind the store: refused, with or without an entry to chain, and nothing committed.
      assert.equal(await fencedAt(1, true), 'secret_generation_stale');
      assert.equal(await fencedAt(1, false), 'secret_generation_stale');
      assert.deepEqual(
        (await s.read((tx) => tx.logEntries(1, 10))).map((r) => r.action),
        ['at-1'],
      );
      assert.equal((await s.read((tx) => tx.listOrganisations())).length, 0);
      // At (or past) the store's generation the same write commits.
      assert.equal(await fencedAt(2, true), 'committed');
      assert.deepEqual(
        (await s.read((tx) => tx.logEntries(1, 10))).map((r) => r.action),
        ['at-1', 'at-2'],
      );
      assert.equal((await s.read((tx) => tx.listOrganisations())).length, 1);
    }),
  );

  test(
    'reveal marks: per key and match, replaced on set, deleted by age',
    withStore(async (s) => {
      const [m1, m2] = await twoMatches(s, 71);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m1)), undefined);
      await s.write(async (tx) => {
        await tx.setRevealLogged('k1', m1, 100);
        await tx.setRevealLogged('k1', m2, 200);
        await tx.setRevealLogged('k2', m1, 300);
      });
      await s.write((tx) => tx.setRevealLogged('k1', m1, 400));
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m1)), 400);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m2)), 200);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k2', m1)), 300);
      assert.equal(await s.write((tx) => tx.deleteRevealMarksBefore(301)), 2);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m2)), undefined);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m1)), 400);
    }),
  );

  test(
    "reveal marks of one match: every key's deleted, another match's kept",
    withStore(async (s) => {
      const [m1, m2] = await twoMatches(s, 73);
      await s.write(async (tx) => {
        await tx.setRevealLogged('k1', m1, 100);
        await tx.setRevealLogged('k2 p1', m1, 200);
        await tx.setRevealLogged('k1', m2, 300);
      });
      assert.equal(await s.write((tx) => tx.deleteRevealMarksOfMatch(m1)), 2);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m1)), undefined);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k2 p1', m1)), undefined);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m2)), 300);
      assert.equal(await s.write((tx) => tx.deleteRevealMarksOfMatch(m1)), 0);
    }),
  );

  // docs/privacy.md §2 art. 17: a reveal that runs on after its match was deleted leaves no mark
  // (the race with an erasure itself: domain/concurrent-row-updates.test.ts).
  test(
    'a reveal mark is made only while its match exists: none for a deleted or unknown match',
    withStore(async (s) => {
      const [m1, m2] = await twoMatches(s, 75);
      await s.write(async (tx) => {
        await tx.setRevealLogged('k1', m1, 100);
        await tx.deleteMatch((await tx.getMatch(m2))!.rid);
        await tx.setRevealLogged('k1', m2, 100);
        await tx.setRevealLogged('k1', uuid(79), 100);
      });
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m1)), 100);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', m2)), undefined);
      assert.equal(await s.read((tx) => tx.lastRevealLogged('k1', uuid(79))), undefined);
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
        epochs.map((e) => [e.epoch, e.status, e.kind, e.publicKey]),
        [[1, 'active', 'hmac', null]],
      );
      // An OPRF epoch keeps its kind and the pseudonym service's public key (store.ts EpochRow).
      await s.write((tx) =>
        tx.insertEpoch({
          epoch: 2,
          status: 'active',
          kind: 'oprf',
          publicKey: stored(9),
          registeredAt: 5,
          retiredAt: null,
        }),
      );
      const e2 = await s.read((tx) => tx.getEpoch(2));
      assert.equal(e2?.kind, 'oprf');
      assert.ok(Buffer.from(e2!.publicKey!).equals(stored(9)));
      await s.write((tx) => tx.updateEpoch(2, { status: 'retired', retiredAt: 6 }));
      assert.equal((await s.read((tx) => tx.getEpoch(2)))?.kind, 'oprf');
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
    'logbook texts come back byte for byte, whatever they hold (the hash is over them)',
    withStore(async (s) => {
      const texts = [
        '{}',
        '',
        `{"matchId":"${uuid(1)}","signalA":"${uuid(2)}","signalB":"${uuid(3)}"}`,
        `{"signalIds":"${uuid(1)},${uuid(2)},${uuid(3).toUpperCase()},${uuid(4).slice(0, 30)}"}`,
        `signal.placed${uuid(5)}${uuid(6)}signals.placed`,
        '{"kind":"system"}\u0001\n',
        '{"kind":"system"}\u0001\u001f',
        `{"signalId":"${uuid(7)}","x":"\\u0001\\n"}`,
        '\ufeff{"naam":"é ß 😀"}',
      ];
      await s.write(async (tx) => {
        for (const [i, t] of texts.entries()) {
          await tx.insertLogEntry({
            seq: i + 1,
            at: i,
            actor: t,
            action: t,
            refs: t,
            details: t,
            hash: stored(i),
          });
        }
      });
      const rows = await s.read((tx) => tx.logEntries(1, 100));
      assert.deepEqual(
        rows.map((r) => [r.actor, r.action, r.refs, r.details]),
        texts.map((t) => [t, t, t, t]),
      );
      const last = await s.read((tx) => tx.lastLogEntry());
      assert.equal(last?.seq, texts.length);
      assert.ok(Buffer.from(last!.hash).equals(stored(texts.length - 1)));
    }),
  );
}
