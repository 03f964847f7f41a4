// Store conformance, the hold of a parent link (store/contract/signals.ts `heldParentLinks`,
// `holdParentLinks`; docs/engine.md "GDPR requests (municipality only)"): a parent row keeps
// its hold through insertPseudonyms, insertPlacements and a re-keying, the two hold bits are
// set and cleared apart, only on parent rows of the values named, and each change answers the
// signals whose row changed.

import assert from 'node:assert/strict';
import { PARENT_HOLD } from '../rows.js';
import type { StoredPseudonymRow } from '../store.js';
import { type ConformanceContext, newSignal, org, stored } from './fixtures.js';

const { restricted: R, objection: O } = PARENT_HOLD;
const hex = (v: Uint8Array) => Buffer.from(v).toString('hex');
/** A signal's rows as `role:value-byte:hold`, sorted. */
const rowsOf = (rows: readonly StoredPseudonymRow[]) =>
  rows.map((r) => `${r.role}:${r.stored[0]}:${r.held ?? 0}`).sort();

export function parentHoldCases({ test, withStore }: ConformanceContext): void {
  test(
    'a parent link keeps its hold through inserts and a re-keying; holds are set and cleared per bit, on parent rows only',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      // Signal 1: child value 1, parent values 9 (held at insert) and 8. Signal 2 (batch path):
      // child value 2, parent 9 held. Signal 3: value 9 as its *subject*, parent 8.
      const [a, b, c] = await s.write(async (tx) => {
        const a = await tx.insertSignal(newSignal(o, 1, { hasParents: true }));
        await tx.insertPseudonyms([
          { stored: stored(1), signalRid: a, epoch: 1, generation: 1, role: 'subject' },
          { stored: stored(9), signalRid: a, epoch: 1, generation: 1, role: 'parent', held: R },
          { stored: stored(8), signalRid: a, epoch: 1, generation: 1, role: 'parent' },
        ]);
        const [b] = await tx.insertPlacements([
          {
            signal: newSignal(o, 2, { hasParents: true }),
            pseudonyms: [
              { stored: stored(2), epoch: 1, generation: 1, role: 'subject' },
              { stored: stored(9), epoch: 1, generation: 1, role: 'parent', held: R },
            ],
          },
        ]);
        const c = await tx.insertSignal(newSignal(o, 3, { hasParents: true }));
        await tx.insertPseudonyms([
          { stored: stored(9), signalRid: c, epoch: 1, generation: 1, role: 'subject' },
          { stored: stored(8), signalRid: c, epoch: 1, generation: 1, role: 'parent' },
        ]);
        return [a, b!, c];
      });
      const rows = (rid: number) => s.read(async (tx) => rowsOf(await tx.pseudonymsOf(rid)));
      assert.deepEqual(await rows(a), ['parent:8:0', 'parent:9:1', 'subject:1:0']);
      assert.deepEqual(await rows(b), ['parent:9:1', 'subject:2:0']);
      const held = async (vs: number[]) =>
        (await s.read((tx) => tx.heldParentLinks(vs.map(stored))))
          .map((r) => `${r.stored[0]}:${r.held}`)
          .sort();
      assert.deepEqual(await held([9, 8, 1]), ['9:1', '9:1']);

      // The objection bit beside the restriction bit, on value 8's parent rows only: signal 3's
      // subject row of value 9 and its parent row of 8 are apart.
      assert.deepEqual(await s.write((tx) => tx.holdParentLinks([stored(8), stored(9)], O, true)), [a, b, c]);
      assert.deepEqual(await rows(a), ['parent:8:2', 'parent:9:3', 'subject:1:0']);
      assert.deepEqual(await rows(c), ['parent:8:2', 'subject:9:0']);
      // Setting a bit already set changes no row.
      assert.deepEqual(await s.write((tx) => tx.holdParentLinks([stored(8)], O, true)), []);
      assert.deepEqual(await s.write((tx) => tx.holdParentLinks([stored(9)], R, false)), [a, b]);
      assert.deepEqual(await rows(b), ['parent:9:2', 'subject:2:0']);
      assert.deepEqual(await held([9]), ['9:2', '9:2']);

      // A re-keying (key-lifecycle.ts) moves the row to a new value and keeps its hold.
      const row = (await s.read((tx) => tx.pseudonymsOf(a))).find((r) => hex(r.stored) === hex(stored(9)))!;
      await s.write((tx) => tx.rekeyPseudonym(row, stored(19), 2));
      assert.deepEqual(await rows(a), ['parent:19:2', 'parent:8:2', 'subject:1:0']);
      assert.deepEqual(await held([19]), ['19:2']);

      assert.deepEqual(
        await s.write((tx) => tx.holdParentLinks([stored(8), stored(9), stored(19)], O, false)),
        [a, b, c],
      );
      assert.deepEqual(await held([8, 9, 19]), []);
      assert.deepEqual(await rows(a), ['parent:19:0', 'parent:8:0', 'subject:1:0']);
    }),
  );
}
