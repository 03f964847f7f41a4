// Store trait, group commit (SQLite's single writer, docs/engine.md "Storage contract"):
// concurrent writes share durable COMMITs. PostgreSQL commits each write on its own
// connection and declares why not.

import assert from 'node:assert/strict';
import { org } from '../conformance/fixtures.js';
import type { TraitContext } from './context.js';

export function groupCommitCases({ test, skip, traits, withStore }: TraitContext): void {
  const groupCommit = 'concurrent writes share durable commits (group commit)';
  if (traits.groupCommit !== true) {
    skip(groupCommit, traits.groupCommit.skip);
    return;
  }
  test(
    groupCommit,
    withStore(async (s) => {
      const rid = await s.write((tx) => org(tx, 1));
      const before = s.stats();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          s.write((tx) => tx.setPlacementHour(rid, i, { count: 1, alerted: false })),
        ),
      );
      const after = s.stats();
      assert.equal(after.operations - before.operations, 50);
      assert.ok(after.commits - before.commits < 50, 'group commit shares commits');
    }),
  );
}
