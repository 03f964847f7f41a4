// Store conformance, bookkeeping: logbook rows (the hash chain's storage), replay-protection
// nonces, covenant key epochs and public keys round-trip unchanged.

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
}
