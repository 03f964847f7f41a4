// Store trait, deleted content leaves the store's files (SQLite: secure_delete and a WAL
// checkpoint, docs/engine.md "Deletion leaves no copy"): after a signal is deleted and the
// store compacted, its contact and stored pseudonym are in none of the store's files. An
// in-memory store has no files; PostgreSQL frees a deleted row's space without zeroing it
// and keeps it in its WAL, which test/e2e/pg-erasure-scan.test.ts measures instead.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { newSignal, org, stored } from '../conformance/fixtures.js';
import type { TraitContext } from './context.js';

export function deletedContentCases({ test, skip, traits, withStore }: TraitContext): void {
  const name =
    'a deleted signal’s contact and stored pseudonym are in none of the store’s files after compact()';
  if ('skip' in traits.deletedContentLeavesFiles) {
    skip(name, traits.deletedContentLeavesFiles.skip);
    return;
  }
  const { files } = traits.deletedContentLeavesFiles;
  test(
    name,
    withStore(async (s) => {
      const marker = 'Trait Deleted Contactname';
      const value = stored(0x7d);
      const o = await s.write((tx) => org(tx, 1));
      const rid = await s.write(async (tx) => {
        const r = await tx.insertSignal(newSignal(o, 1, { contact: { name: marker, role: 'r' } }));
        await tx.insertPseudonyms([
          { stored: value, signalRid: r, epoch: 1, generation: 1, role: 'subject' },
        ]);
        return r;
      });
      await s.write(async (tx) => {
        const keep = await tx.insertSignal(
          newSignal(o, 2, { contact: { name: 'Kept Contactname', role: 'r' } }),
        );
        await tx.insertPseudonyms([
          { stored: stored(0x7e), signalRid: keep, epoch: 1, generation: 1, role: 'subject' },
        ]);
      });
      const found = (needle: Buffer) =>
        files(s).filter((f) => existsSync(f) && readFileSync(f).includes(needle)).length;
      // Positive control: the scan finds them while they are stored.
      assert.ok(found(Buffer.from(marker)) > 0, 'the contact is in the files before the deletion');
      assert.ok(found(value) > 0, 'the stored pseudonym is in the files before the deletion');
      await s.write((tx) => tx.deleteSignal(rid));
      await s.compact();
      assert.equal(found(Buffer.from(marker)), 0);
      assert.equal(found(value), 0);
      assert.ok(found(Buffer.from('Kept Contactname')) > 0, 'the other signal stays');
    }),
  );
}
