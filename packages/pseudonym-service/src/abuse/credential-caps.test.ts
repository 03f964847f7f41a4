// The per-person hourly counts keep only the current clock hour (docs/protocol.md §9.7):
// memory holds the people seen this hour, and a passed hour's alert does not hold back the next.

import { describe, expect, it } from 'vitest';
import { CredentialCaps } from './credential-caps.js';

const HOUR = 3_600_000;
const at = (hour: number, minute = 0) => hour * HOUR + minute * 60_000;
const expiresAt = at(1000);

describe('CredentialCaps hourly counts', () => {
  it('drops the counts of a passed hour at the first count of a later one', () => {
    const caps = new CredentialCaps(1_000, 50);
    for (let p = 0; p < 500; p++) caps.count(`person-${p}`, `cred-${p}`, expiresAt, 1, at(10, 5));
    expect(caps.peopleThisHour).toBe(500);
    caps.count('person-new', 'cred-new', expiresAt, 1, at(11, 1));
    expect(caps.peopleThisHour).toBe(1);
  });

  it('counts and alerts each hour afresh, once per person and hour', () => {
    const caps = new CredentialCaps(1_000, 5);
    expect(caps.count('p', 'c1', expiresAt, 4, at(10, 1))).toBeUndefined();
    expect(caps.count('p', 'c1', expiresAt, 2, at(10, 2))).toBe(6);
    expect(caps.count('p', 'c1', expiresAt, 2, at(10, 3))).toBeUndefined();
    expect(caps.count('p', 'c2', expiresAt, 4, at(11, 0))).toBeUndefined();
    expect(caps.count('p', 'c2', expiresAt, 2, at(11, 1))).toBe(6);
  });

  it('a replayed alert of this hour holds back the alert; one of a passed hour does not', () => {
    const caps = new CredentialCaps(1_000, 5);
    caps.markAlerted('p', at(10, 30));
    expect(caps.count('p', 'c', expiresAt, 6, at(10, 40))).toBeUndefined();
    caps.markAlerted('q', at(10, 50));
    expect(caps.count('q', 'c2', expiresAt, 6, at(11, 5))).toBe(6);
  });
});
