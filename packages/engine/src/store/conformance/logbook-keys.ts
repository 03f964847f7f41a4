// Store conformance, bookkeeping: logbook rows (the hash chain's storage, their texts byte for
// byte whatever the storage form), replay-protection nonces, covenant key epochs and public
// keys round-trip unchanged.

import assert from 'node:assert/strict';
import { type ConformanceContext, org, stored, uuid } from './fixtures.js';

export function logbookAndKeyCases({ test, withStore }: ConformanceContext): void {
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
