// parseRequestSignature, read by hand, held to the two anchored regular expressions it
// replaced (docs/performance.md "Ninth pass"): on generated headers of the profile's shape
// (every field at, inside and past its bounds) and on valid headers mutated character by
// character, it accepts exactly what the regular expressions accept, with the same output,
// and refuses with the same code. The regular-expression parser below is the one the
// engine used before, kept here only as the oracle.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from './bytes.js';
import { parseRequestSignature } from './request-signature.js';

const INPUT_RE =
  /^sluis=\("@method" "@path" "@query" "content-digest"( "sluis-on-behalf-of"| "sluis-credential")?\);created=([0-9]{1,15});keyid="([A-Za-z0-9_-]{1,64})";nonce="([A-Za-z0-9_-]{16,64})";tag="sluis-request-v1"$/;
const SIGNATURE_RE = /^sluis=:([A-Za-z0-9+/=]{1,200}):$/;

/** The parser before the ninth pass (request-signature.ts at main 89ee54b). */
function regexParse(signatureInput: string | undefined, signature: string | undefined) {
  if (signatureInput === undefined || signature === undefined) return { ok: false, code: 'auth_missing' };
  const m = INPUT_RE.exec(signatureInput);
  const s = SIGNATURE_RE.exec(signature);
  if (m === null || s === null) return { ok: false, code: 'auth_malformed' };
  const sig = fromBase64(s[1]!);
  const created = Number(m[2]);
  if (sig === undefined || sig.length !== 64 || !Number.isSafeInteger(created)) {
    return { ok: false, code: 'auth_malformed' };
  }
  return {
    ok: true,
    value: {
      created,
      keyId: m[3]!,
      nonce: m[4]!,
      signature: sig,
      onBehalfOf: m[1] === ' "sluis-on-behalf-of"',
      credential: m[1] === ' "sluis-credential"',
    },
  };
}

const TOKEN = 'abcxyzABCXYZ0189_-';
/** Characters a mutation inserts: the fields' own, the syntax's, and ones no field allows. */
const ODD = [
  ...TOKEN,
  '+',
  '/',
  '=',
  ':',
  ';',
  '"',
  '(',
  ')',
  ' ',
  '\t',
  '\n',
  '\r',
  '\0',
  '.',
  'é',
  '\u0660',
  '٣',
  '\u200b',
  '😀',
  '\ud800',
];

const token = (min: number, max: number) =>
  fc.array(fc.constantFrom(...TOKEN), { minLength: min, maxLength: max }).map((a) => a.join(''));

const signatureInput = fc
  .record({
    component: fc.constantFrom(
      '',
      ' "sluis-on-behalf-of"',
      ' "sluis-credential"',
      ' "sluis-other"',
      ' "sluis-credential" "sluis-on-behalf-of"',
    ),
    created: fc.oneof(
      fc.stringMatching(/^[0-9]{1,16}$/),
      fc.constantFrom(
        '',
        '0',
        '000000000000000',
        '999999999999999',
        '9999999999999999',
        '1764760000',
        '-1',
        '1e3',
        '٣',
      ),
    ),
    keyId: fc.oneof(token(0, 66), fc.constantFrom('a'.repeat(64), 'a'.repeat(65), 'key id', 'kéy')),
    nonce: fc.oneof(
      token(14, 66),
      fc.constantFrom('a'.repeat(15), 'a'.repeat(16), 'a'.repeat(64), 'a'.repeat(65)),
    ),
    tag: fc.oneof(
      { weight: 6, arbitrary: fc.constant('sluis-request-v1') },
      { weight: 1, arbitrary: fc.constantFrom('sluis-request-v2', 'sluis-request-v1 ', '') },
    ),
  })
  .map(
    ({ component, created, keyId, nonce, tag }) =>
      `sluis=("@method" "@path" "@query" "content-digest"${component});created=${created};keyid="${keyId}";nonce="${nonce}";tag="${tag}"`,
  );

/** 64 bytes' canonical base64, other lengths, the last character off canonical, stray padding. */
const signatureValue = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
  },
  fc.uint8Array({ minLength: 0, maxLength: 150 }).map((b) => Buffer.from(b).toString('base64')),
  fc
    .tuple(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.constantFrom(...'ABCQRgwxz+/'))
    .map(([b, c]) => {
      const t = Buffer.from(b).toString('base64');
      return `${t.slice(0, 85)}${c}==`;
    }),
  fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url')),
  fc
    .uint8Array({ minLength: 64, maxLength: 64 })
    .map((b) => Buffer.from(b).toString('base64').replace(/=+$/, '')),
  fc.string({ maxLength: 210 }),
);
const signature = fc.oneof(
  { weight: 4, arbitrary: signatureValue.map((v) => `sluis=:${v}:`) },
  { weight: 1, arbitrary: signatureValue.map((v) => `sluis=${v}`) },
  { weight: 1, arbitrary: signatureValue.map((v) => `sluis=:${v}:\n`) },
);

/** A valid pair of headers, then some characters deleted, inserted, replaced; or cut. */
const mutated = fc
  .tuple(
    fc.constantFrom('', ' "sluis-on-behalf-of"', ' "sluis-credential"'),
    fc.stringMatching(/^[0-9]{1,15}$/),
    token(1, 64),
    token(16, 64),
    fc.uint8Array({ minLength: 64, maxLength: 64 }),
    fc.array(
      fc.record({
        which: fc.boolean(),
        op: fc.constantFrom('delete', 'insert', 'replace', 'cut'),
        at: fc.nat(),
        ch: fc.constantFrom(...ODD),
      }),
      { maxLength: 3 },
    ),
  )
  .map(([component, created, keyId, nonce, bytes, edits]) => {
    const headers = [
      `sluis=("@method" "@path" "@query" "content-digest"${component});created=${created};keyid="${keyId}";nonce="${nonce}";tag="sluis-request-v1"`,
      `sluis=:${Buffer.from(bytes).toString('base64')}:`,
    ];
    for (const e of edits) {
      const k = e.which ? 0 : 1;
      const h = headers[k]!;
      const at = e.at % (h.length + 1);
      headers[k] =
        e.op === 'delete'
          ? h.slice(0, at) + h.slice(at + 1)
          : e.op === 'insert'
            ? h.slice(0, at) + e.ch + h.slice(at)
            : e.op === 'replace'
              ? h.slice(0, at) + e.ch + h.slice(at + 1)
              : h.slice(0, at);
    }
    return headers as [string, string];
  });

const same = (si: string | undefined, sg: string | undefined): void =>
  expect(parseRequestSignature(si, sg)).toEqual(regexParse(si, sg));

describe('parseRequestSignature (by hand) against the regular expressions it replaced', () => {
  it('the same answer on generated headers of every field’s bounds', () => {
    let accepted = 0;
    fc.assert(
      fc.property(signatureInput, signature, (si, sg) => {
        same(si, sg);
        if (regexParse(si, sg).ok) accepted++;
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it('the same answer on valid headers mutated character by character', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutated, ([si, sg]) => {
        same(si, sg);
        if (regexParse(si, sg).ok) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The mutations leave some pairs valid, so acceptance is compared too, not only refusal.
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts each profile, and reads its fields', () => {
    const sig = Buffer.alloc(64, 7);
    for (const [component, onBehalfOf, credential] of [
      ['', false, false],
      [' "sluis-on-behalf-of"', true, false],
      [' "sluis-credential"', false, true],
    ] as const) {
      const si = `sluis=("@method" "@path" "@query" "content-digest"${component});created=0001764760000;keyid="k_-1";nonce="n0123456789abcdef";tag="sluis-request-v1"`;
      const sg = `sluis=:${sig.toString('base64')}:`;
      same(si, sg);
      expect(parseRequestSignature(si, sg)).toEqual({
        ok: true,
        value: {
          created: 1764760000,
          keyId: 'k_-1',
          nonce: 'n0123456789abcdef',
          signature: sig,
          onBehalfOf,
          credential,
        },
      });
    }
  });

  it('the same answer on fixed near misses: duplicates, order, case, padding, every last character', () => {
    const sig = Buffer.alloc(64, 9).toString('base64');
    const ok = `sluis=("@method" "@path" "@query" "content-digest");created=1764760000;keyid="k1";nonce="n0123456789abcdef";tag="sluis-request-v1"`;
    const sg = `sluis=:${sig}:`;
    const inputs = [
      ok,
      ok.replace(';created=1764760000', ';created=1764760000;created=1764760000'),
      ok.replace(';tag="sluis-request-v1"', ';tag="sluis-request-v1";tag="sluis-request-v1"'),
      ok.replace('keyid=', 'KEYID='),
      ok.replace('created=1764760000;keyid="k1"', 'keyid="k1";created=1764760000'),
      ok.replace('"@method" "@path"', '"@path" "@method"'),
      ok.replace('sluis=(', 'sluis=( '),
      ok.replace(';nonce=', '; nonce='),
      `${ok} `,
      ok.replace('created=1764760000', 'created=9007199254740993'),
      ok.replace('created=1764760000', 'created=-1764760000'),
      ok.replace('"k1"', '"k1xx xx"'),
    ];
    for (const si of inputs) same(si, sg);
    const body = sig.slice(0, 85);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (const last of alphabet) {
      for (const tail of ['==', '=A', 'A=', 'AA', '=', '===']) same(ok, `sluis=:${body}${last}${tail}:`);
    }
    for (const sgOdd of [`sluis=:${sig}`, `sluis=${sig}:`, `sluis=:${sig.replace(/=+$/, '')}:`, `${sg}\n`])
      same(ok, sgOdd);
  });

  it('a header that is not a text is malformed, not a thrown error', () => {
    const bad = [['x'], 42, null, {}] as unknown[];
    for (const v of bad) {
      expect(parseRequestSignature(v as string, 'sluis=:x:')).toEqual({ ok: false, code: 'auth_malformed' });
      expect(parseRequestSignature('sluis=()', v as string)).toEqual({ ok: false, code: 'auth_malformed' });
    }
  });

  it('missing headers are auth_missing, before anything is read', () => {
    for (const [si, sg] of [
      [undefined, 'x'],
      ['x', undefined],
      [undefined, undefined],
    ] as const) {
      same(si, sg);
      expect(parseRequestSignature(si, sg)).toEqual({ ok: false, code: 'auth_missing' });
    }
  });
});
