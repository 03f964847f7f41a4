// What `admin logbook-verify` prints for a broken chain's reason (docs/operations.md "When
// logbook-verify fails"): a repair statement only for a column the logbook has; a column
// named by a server this CLI does not know (a newer or a foreign one) gets a plain
// explanation, no SQL, and is not echoed.

import type { LogbookVerification } from '@sluis/engine';
import { describe, expect, it } from 'vitest';
import { brokenBecause } from './admin-oversight-commands.js';

const broken = (extra: Record<string, unknown>) =>
  ({ ok: false, entries: 3, headHash: 'a'.repeat(64), firstBadSeq: 2, ...extra }) as LogbookVerification;

describe('logbook-verify: the stored_form hint', () => {
  it('a known column gets its repair statement', () => {
    expect(brokenBecause(broken({ reason: 'stored_form', column: 'details' }))).toContain(
      'UPDATE logbook SET details = CAST(details AS BLOB) WHERE seq = 2',
    );
  });

  it('a column the logbook does not have gets no statement and is not printed', () => {
    for (const column of ['notes', 'details; DROP TABLE logbook', '\u001b[2Jdetails', undefined]) {
      const text = brokenBecause(broken({ reason: 'stored_form', column }));
      expect(text).not.toMatch(/UPDATE|SELECT|CAST/);
      expect(text).toContain('in a column this CLI does not know');
      if (column !== undefined) expect(text).not.toContain(column);
    }
  });
});
