// The placement's rows written out (placement-steps.ts `storedSignalRow`, `withSignalRid`) are
// the spreads they replace, key for key and in the same order (docs/performance.md
// "Thirty-seventh pass").

import { describe, expect, it } from 'vitest';
import type { NewSignal, StoredPseudonymRow } from '../store/store.js';
import { storedSignalRow, withSignalRid } from './placement-steps.js';

describe('a placement’s rows', () => {
  it('the stored row is the row spread: { rid, ...row, personRid }', () => {
    // Required: a field added to the row, optional or not, must be set here, and is then compared.
    const row: Required<NewSignal> = {
      id: '00000000-0000-4000-8000-000000000001',
      organisationRid: 3,
      status: 'active',
      endReason: null,
      contact: { name: 'A', role: 'B', email: 'a@example.nl' },
      informed: { status: 'not_yet' },
      placedAt: 10,
      expiresAt: 20,
      endedAt: null,
      purgeAt: null,
      restricted: true,
      objection: 'pending',
      objectionInherited: true,
      restrictionRegistered: false,
      hasParents: true,
      parentsAtPlacement: 2,
      legalBasis: 'consent',
      requestId: '00000000-0000-4000-8000-000000000002',
      requestHash: new Uint8Array([1, 2, 3]),
      personRid: 99,
    };
    for (const personRid of [5, null]) {
      const spread = { rid: 7, ...row, personRid };
      const written = storedSignalRow(row, 7, personRid);
      expect(written).toStrictEqual(spread);
      expect(Object.keys(written)).toEqual(Object.keys(spread));
    }
  });

  it('a stored pseudonym under its signal is the pseudonym spread: { ...p, signalRid }', () => {
    const free: Omit<StoredPseudonymRow, 'signalRid'> = {
      stored: new Uint8Array([4]),
      epoch: 1,
      generation: 2,
      role: 'subject',
    };
    const held: Required<Omit<StoredPseudonymRow, 'signalRid'>> = { ...free, role: 'parent', held: 1 };
    for (const p of [free, held]) {
      const spread = { ...p, signalRid: 9 };
      expect(withSignalRid(p, 9)).toStrictEqual(spread);
      expect(Object.keys(withSignalRid(p, 9))).toEqual(Object.keys(spread));
    }
  });
});
