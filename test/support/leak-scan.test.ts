// The leak scanner's rule for a BSN's digits (leak-scan.ts, docs/leakage.md §3.7): skipped only
// inside a UUID v4 and, in text, inside a run of 16 or more hex digits; a percent-escape ends a
// run. Everything else counts, in logs and in the database's bytes alike.

import { describe, expect, it } from 'vitest';
import { bsnNeedles, type Haystack, scan } from './leak-scan.js';

const BSN = '012345672';
const needles = bsnNeedles(BSN, 'BSN');
const eight = BSN.slice(1);
const found = (s: string, text = true) => {
  const h: Haystack = { label: 'h', bytes: Buffer.from(s, 'latin1'), text };
  return scan([h], needles).map((hit) => hit.needle);
};

describe('leak scan: a BSN’s digits', () => {
  it.each([
    ['a JSON string', `{"bsn":"${BSN}"}`],
    ['a URL path', `/v1/signals/${BSN}`],
    ['percent-encoded quotes', `/v1/x?q=%22${BSN}%22`],
    ['after an encoded slash', `/v1/x/%2F${BSN}`],
    ['after an encoded =', `q%3D${BSN}&`],
    ['beside hex letters', `id=abc${BSN}`],
    ['after a capital hex letter', `bsn:A${BSN}`],
    ['inside a longer number', `{"value":17${BSN}9}`],
    ['in a hex run of 15', `"${'ab'.repeat(3)}${BSN}"`],
    ['in a UUID-shaped id that is not v4', `"00000000-0000-0000-0000-000${BSN}"`],
  ])('counts in logs: %s', (_what, line) => {
    expect(found(line)).toContain('BSN (text)');
  });

  it('counts the 8-digit form beside an escape', () => {
    expect(found(`%22${eight}%22`)).toEqual(['BSN (8-digit form)']);
  });

  it.each([
    ['a 16-hex correlation id', `"correlationId":"${eight}0a1b2c3d"`],
    ['a trace id', `"traceId":"0af76519${BSN}16cd43dd8448eb21"`],
    ['a hash', `"hash":"e3b0c442${BSN}98fc1c149afbf4c8996fb924"`],
    ['a UUID v4', `"requestId":"${eight}-8f3a-4c2b-9d1e-a0b1c2d3e4f5"`],
  ])('skips in logs: %s', (_what, line) => {
    expect(found(line)).toEqual([]);
  });

  it('in the database’s bytes skips a UUID v4 only, not a hex run', () => {
    expect(found(`e3b0c442${BSN}98fc1c149afbf4c8996fb924`, false)).toContain('BSN (text)');
    expect(found(`00000000-0000-0000-0000-000${BSN}`, false)).toContain('BSN (text)');
    expect(found(`${eight}-8f3a-4c2b-9d1e-a0b1c2d3e4f5`, false)).toEqual([]);
    expect(found(`x\x00${BSN}\x01`, false)).toContain('BSN (text)');
  });
});
