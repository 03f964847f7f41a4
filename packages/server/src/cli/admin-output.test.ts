// What `admin retention-run` prints of a retention run's answer without --json
// (docs/operations.md "Retention"): every count in words, and `-` for a count the server did not
// send — a server before API 1.12.0 answers without `expiredDeliveries` and `deletedPeople`.

import { describe, expect, it } from 'vitest';
import { retentionLine } from './admin-output.js';

describe('retentionLine', () => {
  it('prints every count in words', () => {
    expect(
      retentionLine({
        expired: 1,
        purgedSignals: 2,
        purgedMatches: 3,
        expiredDeliveries: 4,
        deletedPeople: 0,
      }),
    ).toBe(
      'expired 1, purged signals 2, purged matches 3, expired webhook deliveries 4, deleted removed people 0\n',
    );
  });

  it('prints - for the counts a server before API 1.12.0 does not send, never undefined', () => {
    const older = { expired: 1, purgedSignals: 2, purgedMatches: 3 } as Parameters<typeof retentionLine>[0];
    expect(retentionLine(older)).toBe(
      'expired 1, purged signals 2, purged matches 3, expired webhook deliveries -, deleted removed people -\n',
    );
  });
});
