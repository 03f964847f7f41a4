// The logbook's storage codec: lossless for every string (real entry shapes, random texts
// with UUID-like pieces, unicode, control characters), shorter than the text where it can be, and
// the size of a bulk placement's id list. The pinned on-disk format and corrupt cells are in
// logbook-codec-format.test.ts; the dictionary against the actions and the schema steps in
// logbook-words.test.ts; old rows in a real SQLite file in logbook-old-rows.test.ts.

import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERSON_ROLES } from '../../api.js';
import { canonicalJson, type Json } from '../../canonical-json.js';
import { decodeLogText, encodeLogText, encodeRepeatedLogText } from './logbook-codec.js';
import { LONG_WORDS, SHORT_WORDS } from './logbook-words.js';

const roundTrip = (s: string) => decodeLogText(encodeLogText(s));
const keyId = () => Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
const hasControl = (s: string) => Array.from(s).some((c) => c.charCodeAt(0) < 0x20);
const hasLoneSurrogate = (s: string) => /\p{Cs}/u.test(s);

/** Every shape `appendLog(` is called with in packages/engine/src/domain, as canonical JSON. */
function realTexts(): string[] {
  const [o, k, s, m, r, a] = [randomUUID(), keyId(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const actors: Json[] = [
    { kind: 'organisation', organisationId: o, keyId: k },
    { kind: 'admin', keyId: 'admin-key' },
    { kind: 'system' },
    // a person acting (on behalf through the organisation key, or by a session)
    ...PERSON_ROLES.slice(0, 2).map((personRole) => ({
      kind: 'organisation',
      organisationId: o,
      keyId: k,
      personId: randomUUID(),
      personRole,
    })),
    ...PERSON_ROLES.slice(2).map((personRole) => ({
      kind: 'admin',
      keyId: 'admin-key',
      personId: randomUUID(),
      personRole,
    })),
  ];
  const refs: Json[] = [
    { signalId: s, requestId: r },
    { signalIds: ids(3).join(',') },
    { matchId: m, signalA: s, signalB: randomUUID() },
    { matchId: m, signalId: s },
    { signalId: s },
    { organisationId: o },
    { organisationId: o, keyIds: `${k},${keyId()}` },
    { keyId: k },
    { keyId: k, organisationId: o },
    { organisationId: o, keyId: k, matchId: m, agreementId: a },
    { organisationId: o, keyId: k, signalId: s },
    { organisationId: o, keyId: k, signalIds: ids(2).join(',') },
    // signal.transferred naming its recipient (docs/engine.md "Logbook")
    { organisationId: o, keyId: k, personId: randomUUID(), signalIds: ids(2).join(',') },
    { organisationId: o, keyId: k, matchIds: ids(4).join(',') },
    { organisationId: o, keyId: k, matchId: m },
    { personId: randomUUID(), organisationId: o },
    { personId: randomUUID() },
    // signal.handover_requested / signal.handover_declined
    { organisationId: o, requestId: r, signalId: s },
    { organisationId: o, requestId: r },
    {},
  ];
  const details: Json[] = [
    { epochs: 1, parents: 2 },
    { created: 480, replayed: 3, existing: 7, refused: 10 },
    { kind: 'person' },
    { kind: 'family' },
    { reason: 'expired' },
    { reason: 'erased_by_request' },
    { matchesEnded: 0 },
    { reason: 'ended', matchesEnded: 1 },
    { reason: 'error', matchesRemoved: 2 },
    { count: 3, via: 'inbox' },
    { count: 1, via: 'contact_made' },
    { type: 'youth_care' },
    { webhook: true, placementBudgetPerDay: 500 },
    { matchesCreated: 4 },
    { role: 'organisation' },
    { owner: 'me', actionKind: 'contact', informationCategory: 'care', purpose: 'coordination' },
    { status: 'done' },
    { added: 2, epochs: '1,2' },
    { scopes: 'share_contact,share_agreements', formReference: true },
    { epoch: 2 },
    { epoch: 1, signalsEnded: 4, archivedUnlinked: 5 },
    { epoch: 1, storedPseudonymsDeleted: 9, signalsEnded: 4, archivedUnlinked: 5, forced: false },
    { action: 'propose', for: 'counterpart' },
    { signals: 2, matches: 1 },
    { signals: 2, matches: 1, parentLinks: 0 },
    { status: 'rejected', signals: 2, matchesCreated: 1 },
    { placementsThisHour: 1001, threshold: 1000 },
    { generation: 2, signalsDone: 10, signals: 100, rowsRekeyed: 12 },
    { generation: 2, rowsRekeyed: 120, hashesRekeyed: 100 },
    { from: 1, to: 2, entries: 3 },
    { expired: 1, purgedSignals: 2, purgedMatches: 3, events: 4 },
    { roles: 'professional,organisation_coordinator' },
    { outcome: 'already_in_contact' },
    { throughSeq: 120, headHash: 'ab'.repeat(32), entries: 120 },
    { matchEmail: true, placementBudgetPerDay: 500 },
  ];
  return [...actors, ...refs, ...details].map((v) => canonicalJson(v));
}

/**
 * The format read plainly (docs/engine.md "Logbook"), sharing no code with the encoder: at each
 * position a `,` and a lower-case UUID, else a lower-case UUID, else the longest dictionary word,
 * else one code point in UTF-8; TEXT when that is not shorter, or when the text holds a control
 * character or a lone surrogate.
 */
function plainEncoding(text: string): string | Buffer {
  if (hasControl(text) || hasLoneSurrogate(text)) return text;
  const words = [
    ...SHORT_WORDS.map((w, i) => ({ w, code: [0x03 + i] })),
    ...LONG_WORDS.map((w, i) => ({ w, code: [0x1f, i] })),
  ];
  const lowerUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
  const uuidBytes = (u: string) => [...Buffer.from(u.replaceAll('-', ''), 'hex')];
  const out = [0x01];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith(',') && lowerUuid.test(rest.slice(1))) {
      out.push(0x02, ...uuidBytes(rest.slice(1, 37)));
      i += 37;
    } else if (lowerUuid.test(rest)) {
      out.push(0x01, ...uuidBytes(rest.slice(0, 36)));
      i += 36;
    } else {
      const longest = words
        .filter(({ w }) => rest.startsWith(w))
        .reduce<{ w: string; code: number[] } | undefined>(
          (a, b) => (a === undefined || b.w.length > a.w.length ? b : a),
          undefined,
        );
      const piece = longest?.w ?? String.fromCodePoint(text.codePointAt(i)!);
      out.push(...(longest?.code ?? Buffer.from(piece, 'utf8')));
      i += piece.length;
    }
  }
  return out.length < Buffer.byteLength(text) ? Buffer.from(out) : text;
}

describe('logbook codec', () => {
  it('round-trips every real entry shape and every action, and shortens them', () => {
    const texts = [...realTexts(), ...SHORT_WORDS, ...LONG_WORDS];
    for (const t of texts) expect(roundTrip(t)).toBe(t);
    for (const t of realTexts().filter((t) => t.length > 2)) {
      const e = encodeLogText(t);
      expect(Buffer.isBuffer(e), t).toBe(true);
      expect(e.length).toBeLessThan(Buffer.byteLength(t));
    }
    // Every action is one dictionary word (stored in 2 or 3 bytes).
    for (const action of [...SHORT_WORDS, ...LONG_WORDS].filter((w) => /^[a-z_]+\.[a-z_]+$/.test(w))) {
      expect(encodeLogText(action).length).toBeLessThanOrEqual(3);
    }
  });

  it('is lossless for any string; TEXT whenever a control character or lone surrogate is present', () => {
    const uuid = fc.uuid().map((u) => u.toLowerCase());
    const piece = fc.oneof(
      uuid,
      uuid.map((u) => u.toUpperCase()),
      uuid.map((u) => u.slice(0, 35)),
      uuid.map((u) => u.slice(1)),
      uuid.map((u) => `${u}a`),
      uuid.map((u) => u.replaceAll('-', '')),
      uuid.map((u) => `,${u}`),
      fc.constantFrom(...SHORT_WORDS, ...LONG_WORDS),
      fc.constantFrom(',', '"', '{', '}', ':', '-', '\\u0001', '\\n', '\ufeff', 'é', '😀', 'ß'),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const s = pieces.join('');
        const e = encodeLogText(s);
        expect(decodeLogText(e)).toBe(s);
        if (typeof e !== 'string') expect(e.length).toBeLessThan(Buffer.byteLength(s));
        if (hasControl(s)) expect(e).toBe(s);
      }),
      { numRuns: 3000 },
    );
    const raw = fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
        fc.constantFrom(randomUUID(), ',', '"}'),
      ),
      maxLength: 20,
    });
    fc.assert(
      fc.property(raw, (s) => {
        const e = encodeLogText(s);
        expect(decodeLogText(e)).toBe(s);
        if (hasLoneSurrogate(s) || hasControl(s)) expect(e).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });

  it('writes the bytes of the format read plainly: the longest word, UUIDs first', () => {
    const same = (s: string) => {
      const e = encodeLogText(s);
      const plain = plainEncoding(s);
      if (typeof plain === 'string') expect(e).toBe(plain);
      else expect(Buffer.isBuffer(e) && Buffer.compare(e, plain) === 0, s).toBe(true);
    };
    for (const t of [...realTexts(), ...SHORT_WORDS, ...LONG_WORDS]) same(t);
    const uuid = fc.uuid().map((u) => u.toLowerCase());
    // Words cut short, run together and glued to UUIDs: where a longest match can go wrong.
    const word = fc.constantFrom(...SHORT_WORDS, ...LONG_WORDS);
    const piece = fc.oneof(
      uuid,
      uuid.map((u) => `,${u}`),
      uuid.map((u) => u.slice(0, 20)),
      word,
      fc.tuple(word, fc.nat()).map(([w, n]) => w.slice(0, 1 + (n % w.length))),
      fc.tuple(word, fc.nat()).map(([w, n]) => w.slice(n % w.length)),
      fc.constantFrom(',', '"', '{', '}', ':', '.', '_', 'é', '😀', '\ud800'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => same(pieces.join(''))),
      { numRuns: 5000 },
    );
  });

  it('encodes a repeated text to the same bytes as encodeLogText, in a buffer of its own, also past the memo size', () => {
    const texts = [...realTexts(), ...SHORT_WORDS, 'a\u0001b', `{"keyId":"${'é'.repeat(40)}"}`];
    for (let i = 0; i < 600; i++)
      texts.push(canonicalJson({ keyId: `k-${i}`, kind: 'organisation', organisationId: randomUUID() }));
    for (let round = 0; round < 2; round++) {
      for (const t of texts) {
        const memo = encodeRepeatedLogText(t);
        const plain = encodeLogText(t);
        if (typeof plain === 'string') {
          expect(memo).toBe(plain);
        } else {
          expect(Buffer.isBuffer(memo)).toBe(true);
          expect(Buffer.compare(memo as Buffer, plain)).toBe(0);
          // Not a view into Node's shared pool: the whole allocation is this encoding.
          expect((memo as Buffer).buffer.byteLength).toBe((memo as Buffer).length);
        }
        expect(decodeLogText(memo)).toBe(t);
      }
    }
  });

  it('stores a transfer naming its recipient with dictionary words only: no new word was needed', () => {
    const refs = canonicalJson({
      organisationId: randomUUID(),
      keyId: keyId(),
      personId: randomUUID(),
      signalIds: ids(2).join(','),
    });
    // format byte; {"keyId":" + 22 literal bytes; ","organisationId":" + UUID; ","personId":" +
    // UUID (two-byte word); ","signalIds":" + UUID + ,UUID (two-byte word); "}
    expect(encodeLogText(refs).length).toBe(1 + (1 + 22) + (1 + 17) + (2 + 17) + (2 + 17 + 17) + 1);
    expect(roundTrip(refs)).toBe(refs);
  });

  it('keeps the corner cases exact', () => {
    const u = randomUUID();
    for (const s of [
      '',
      u,
      u.toUpperCase(),
      `${u}${u}`,
      `${u},${u},`,
      `,${u}`,
      `,,${u}`,
      `${u.slice(0, 35)}"}`,
      `{"signalIds":"${u}"}`,
      `{"signalIds":"${u},${u.slice(0, 30)}"}`,
      '\ufeff{"kind":"system"}\ufeff',
      `${u}\ufeff${u}`,
      `{"kind":"system"}\u0001`,
      '\ud800{"kind":"system"}',
      `"}${u}😀"}`,
    ]) {
      expect(roundTrip(s)).toBe(s);
    }
    expect(encodeLogText('{}')).toBe('{}');
    expect(encodeLogText(u.toUpperCase())).toBe(u.toUpperCase());
    expect(decodeLogText(new Uint8Array(encodeLogText(u) as Buffer))).toBe(u);
  });

  it('stores a 500-id bulk placement in at most 17.5 bytes per id', () => {
    const refs = canonicalJson({ signalIds: ids(500).join(',') });
    const e = encodeLogText(refs);
    expect(e.length / 500).toBeLessThanOrEqual(17.5);
    expect(decodeLogText(e)).toBe(refs);
  });
});
