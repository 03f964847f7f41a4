// The leak scanner's rule for a BSN's digits (leak-scan.ts, docs/leakage.md §3.7): skipped only
// inside a UUID v4 and, in text, inside a run of 16 or more hex digits; a percent-escape ends a
// run. Everything else counts, in logs and in the database's bytes alike. Its base64 and
// base64url forms count anywhere, at every offset of the digits in the bytes encoded.

import { randomBytes } from 'node:crypto';
import { canonicaliseIdentifier, oprfInput, PseudonymKey } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { bsnBase64Needles, bsnNeedles, type Haystack, scan } from './leak-scan.js';

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

describe('leak scan: a BSN’s base64 and base64url forms', () => {
  const labels = (form: string) => [0, 1, 2].map((o) => `BSN (${form}, base64 at offset ${o} mod 3)`);

  it('has three needles per form, of the characters the digits alone decide, the same in both alphabets', () => {
    const b64 = bsnBase64Needles(BSN, 'BSN');
    expect(b64.map((n) => n.label)).toEqual([...labels('9-digit form'), ...labels('8-digit form')]);
    expect(b64.map((n) => n.bytes.length)).toEqual([12, 11, 11, 10, 10, 10]);
    expect(b64.map((n) => n.bytes.toString())).toEqual([
      Buffer.from(BSN).toString('base64'),
      ...[1, 2].map((o) =>
        Buffer.from(`${'\0'.repeat(o)}${BSN}`)
          .toString('base64')
          .slice(o + 1, o + 12),
      ),
      ...[0, 1, 2].map((o) =>
        Buffer.from(`${'\0'.repeat(o)}${eight}`)
          .toString('base64')
          .slice(Math.ceil((8 * o) / 6), Math.ceil((8 * o) / 6) + 10),
      ),
    ]);
    for (const n of b64) expect(n.bytes.toString()).toMatch(/^[A-Za-z0-9]+$/);
    // bsnNeedles holds them beside the digits; a BSN without a leading zero has no 8-digit ones.
    expect(needles.map((n) => n.label)).toEqual(expect.arrayContaining(labels('9-digit form')));
    expect(bsnNeedles('111222333', 'B').filter((n) => n.label.includes('8-digit'))).toEqual([]);
  });

  it('finds each form in base64 and base64url of any bytes around the digits, in logs and in files', () => {
    for (let before = 0; before < 6; before++) {
      for (const after of [0, 1, 2, 5]) {
        for (const [form, digits] of [
          ['9-digit form', BSN],
          ['8-digit form', eight],
        ] as const) {
          const bytes = Buffer.concat([randomBytes(before), Buffer.from(digits), randomBytes(after)]);
          const label = `BSN (${form}, base64 at offset ${before % 3} mod 3)`;
          for (const encoded of [bytes.toString('base64'), bytes.toString('base64url')]) {
            expect(found(`{"blob":"${encoded}"}`)).toContain(label);
            expect(found(`x\x00${encoded}\x01`, false)).toContain(label);
          }
        }
      }
    }
  });

  it('finds the SDK’s HMAC message and OPRF input, whose digits follow its labels', () => {
    const id = canonicaliseIdentifier('bsn', BSN);
    const message = Buffer.from(PseudonymKey.message(1, id));
    const input = Buffer.from(oprfInput(1, id));
    expect(message.indexOf(BSN) % 3).toBe(1);
    expect(input.indexOf(BSN) % 3).toBe(2);
    expect(found(message.toString('base64'))).toContain('BSN (9-digit form, base64 at offset 1 mod 3)');
    expect(found(input.toString('base64url'))).toContain('BSN (9-digit form, base64 at offset 2 mod 3)');
  });

  it('does not find another BSN’s forms, nor this one’s digits in other places', () => {
    const other = Buffer.from('111222333');
    for (let before = 0; before < 3; before++) {
      const bytes = Buffer.concat([randomBytes(before), other, randomBytes(2)]);
      expect(found(bytes.toString('base64'))).toEqual([]);
    }
    // Decimal text in base64 is not a number of its own: only the base64 needles see it.
    expect(found(Buffer.from(`id=${BSN}`).toString('base64'))).toEqual(
      expect.not.arrayContaining(['BSN (text)']),
    );
  });
});
