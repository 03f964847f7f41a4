// The logbook's storage codec: lossless for every string (real entry shapes, random texts
// with UUID-like pieces, unicode, control characters), a pinned on-disk format (every
// dictionary byte, a golden vector), the size of a bulk placement's id list, corrupt cells
// refused with database_corrupt, and old TEXT rows read unchanged next to new BLOB rows
// in a real SQLite file, the chain verifying over the mix.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api.js';
import { canonicalJson, type Json } from '../../canonical-json.js';
import { isEngineError } from '../../errors.js';
import {
  appendLog,
  type Details,
  entryHash,
  readLogbook,
  type Refs,
  verifyLogbook,
} from '../../domain/logbook.js';
import type { LogAction } from '../../domain/logbook-actions.js';
import { decodeLogText, encodeLogText, encodeRepeatedLogText } from './logbook-codec.js';
import { LONG_WORDS, LONG_WORDS_AT_SCHEMA, SHORT_WORDS } from './logbook-words.js';
import { PERSON_ROLES } from '../../api.js';
import { APPLICATION_ID, applyMigration, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-logbook-codec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it('decodes an entry naming a person that was stored before the person words (literals) to the same text', () => {
    // A row written by the codec before words 87–104 existed holds their text as literal
    // bytes; it decodes to exactly the text the chain hashed, so old entries still verify.
    const o = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const p = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const text = canonicalJson({
      kind: 'organisation',
      organisationId: o,
      keyId: 'K1',
      personId: p,
      personRole: 'professional',
    });
    const uuidBytes = (u: string) => Buffer.from(u.replaceAll('-', ''), 'hex');
    const before = Buffer.concat([
      Buffer.from([0x01, 0x04]),
      Buffer.from('K1'),
      Buffer.from([0x05, 0x01]),
      uuidBytes(o),
      Buffer.from('","personId":"'),
      Buffer.from([0x01]),
      uuidBytes(p),
      Buffer.from('","personRole":"professional"}'),
    ]);
    expect(decodeLogText(before)).toBe(text);
    const now = encodeLogText(text) as Buffer;
    expect(decodeLogText(now)).toBe(text);
    expect(now.length).toBeLessThan(before.length);
    // format byte, keyId token + "K1", the organisation token + UUID, then person id and role: 2 + 2 + 18 + 19 + 2.
    expect(now.length).toBe(43);
  });

  it('stores the handover actions as words, and decodes their rows stored before the words to the same text', () => {
    for (const action of ['signal.handover_requested', 'signal.handover_declined']) {
      expect(encodeLogText(action)).toEqual(Buffer.from([0x01, 0x1f, LONG_WORDS.indexOf(action)]));
      // A row written before words 105–107 existed: the action as TEXT (too short to shorten
      // without a word) decodes to itself.
      expect(decodeLogText(action)).toBe(action);
    }
    const o = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const r = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const s = '16fd2706-8baf-433b-82eb-8c7f7d5e2f3a';
    const refs = canonicalJson({ organisationId: o, requestId: r, signalId: s });
    const uuidBytes = (u: string) => Buffer.from(u.replaceAll('-', ''), 'hex');
    const before = Buffer.concat([
      Buffer.from([0x01, 0x1e, 0x01]),
      uuidBytes(o),
      Buffer.from('","requestId":"'),
      Buffer.from([0x01]),
      uuidBytes(r),
      Buffer.from([0x10, 0x01]),
      uuidBytes(s),
      Buffer.from([0x03]),
    ]);
    expect(decodeLogText(before)).toBe(refs);
    const now = encodeLogText(refs) as Buffer;
    expect(decodeLogText(now)).toBe(refs);
    // format byte, organisation word + UUID, request id word (2 bytes) + UUID, signal id word + UUID, '"}'.
    expect(now.length).toBe(1 + 18 + 2 + 17 + 18 + 1);
    expect(now.length).toBeLessThan(before.length);
  });

  it('adds words only with a schema step, so a version without them refuses the database rather than reading it as corrupt', () => {
    // docs/operations.md "Upgrade": going back in place only while no newer migration ran. The
    // version at schema 24 had 105 long words (up to '{"matchEmail":'); 105–107 came with step 25,
    // 108–114 with step 26.
    expect(LONG_WORDS_AT_SCHEMA[SCHEMA_VERSION]).toBe(LONG_WORDS.length);
    expect(LONG_WORDS_AT_SCHEMA[25]).toBe(108);
    expect(LONG_WORDS_AT_SCHEMA[26]).toBe(115);
    expect(LONG_WORDS[104]).toBe('{"matchEmail":');
    const pinned = Object.entries(LONG_WORDS_AT_SCHEMA).map(([v, n]) => [Number(v), n] as const);
    for (const [[v1, n1], [v2, n2]] of pinned.slice(1).map((e, i) => [pinned[i]!, e] as const)) {
      expect(v2).toBeGreaterThan(v1);
      expect(n2).toBeGreaterThanOrEqual(n1);
    }
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

  it('pins the on-disk format: the format byte, the UUID tokens and every dictionary byte', () => {
    // APPEND-ONLY: a new word gets a new line at the end; no line here may ever change.
    const pinned: [readonly number[], string][] = [
      [[0x03], '"}'],
      [[0x04], '{"keyId":"'],
      [[0x05], '","kind":"organisation","organisationId":"'],
      [[0x06], '{"count":'],
      [[0x07], '{"kind":"system"}'],
      [[0x08], 'signal.placed'],
      [[0x09], 'signals.placed'],
      [[0x0a], 'match.created'],
      [[0x0b], 'match.revealed'],
      [[0x0c], 'match.ended'],
      [[0x0d], 'match.removed'],
      [[0x0e], 'signal.expired'],
      [[0x0f], '{"requestId":"'],
      [[0x10], '","signalId":"'],
      [[0x11], '{"signalIds":"'],
      [[0x12], '{"signalId":"'],
      [[0x13], '{"matchId":"'],
      [[0x14], '","signalA":"'],
      [[0x15], '","signalB":"'],
      [[0x16], '","organisationId":"'],
      [[0x17], '","matchIds":"'],
      [[0x18], '{"epochs":'],
      [[0x19], ',"parents":'],
      [[0x1a], '{"kind":"person"}'],
      [[0x1b], '{"kind":"family"}'],
      [[0x1c], '{"matchesEnded":'],
      [[0x1d], '{"reason":"'],
      [[0x1e], '{"organisationId":"'],
      [[0x1f, 0], 'organisation.admitted'],
      [[0x1f, 1], 'organisation.updated'],
      [[0x1f, 2], 'organisation.reinstated'],
      [[0x1f, 3], 'organisation.suspended'],
      [[0x1f, 4], 'key.added'],
      [[0x1f, 5], 'key.revoked'],
      [[0x1f, 6], 'key.activity_reviewed'],
      [[0x1f, 7], 'agreement.added'],
      [[0x1f, 8], 'agreement.status'],
      [[0x1f, 9], 'signal.migrated'],
      [[0x1f, 10], 'signal.withdrawn'],
      [[0x1f, 11], 'signal.transferred'],
      [[0x1f, 12], 'signal.rectified'],
      [[0x1f, 13], 'signal.informed_updated'],
      [[0x1f, 14], 'consent.recorded'],
      [[0x1f, 15], 'consent.withdrawn'],
      [[0x1f, 16], 'epoch.registered'],
      [[0x1f, 17], 'epoch.signals_stranded'],
      [[0x1f, 18], 'epoch.retired'],
      [[0x1f, 19], 'match.contact_made'],
      [[0x1f, 20], 'match.regie'],
      [[0x1f, 21], 'gdpr.access'],
      [[0x1f, 22], 'gdpr.erased'],
      [[0x1f, 23], 'gdpr.restricted'],
      [[0x1f, 24], 'gdpr.restriction_lifted'],
      [[0x1f, 25], 'gdpr.objection'],
      [[0x1f, 26], 'alert.placement_rate'],
      [[0x1f, 27], 'retention.run'],
      [[0x1f, 28], 'server_secret.rotation_started'],
      [[0x1f, 29], 'server_secret.rotation_progress'],
      [[0x1f, 30], 'server_secret.rotation_completed'],
      [[0x1f, 31], 'webhook_key.added'],
      [[0x1f, 32], 'webhook_key.signing'],
      [[0x1f, 33], 'webhook_key.retired'],
      [[0x1f, 34], '","kind":"admin"}'],
      [[0x1f, 35], '{"keyIds":"'],
      [[0x1f, 36], '{"agreementId":"'],
      [[0x1f, 37], '","keyId":"'],
      [[0x1f, 38], '","matchId":"'],
      [[0x1f, 39], '","signalIds":"'],
      [[0x1f, 40], '{"type":"'],
      [[0x1f, 41], '{"placementBudgetPerDay":'],
      [[0x1f, 42], ',"webhook":'],
      [[0x1f, 43], '{"webhook":'],
      [[0x1f, 44], '{"matchesCreated":'],
      [[0x1f, 45], '{"role":"'],
      [[0x1f, 46], '{"actionKind":"'],
      [[0x1f, 47], '","informationCategory":"'],
      [[0x1f, 48], '","owner":"'],
      [[0x1f, 49], '","purpose":"'],
      [[0x1f, 50], '{"status":"'],
      [[0x1f, 51], '{"added":'],
      [[0x1f, 52], ',"epochs":"'],
      [[0x1f, 53], '{"created":'],
      [[0x1f, 54], ',"existing":'],
      [[0x1f, 55], ',"refused":'],
      [[0x1f, 56], ',"replayed":'],
      [[0x1f, 57], '{"formReference":'],
      [[0x1f, 58], ',"scopes":"'],
      [[0x1f, 59], '{"epoch":'],
      [[0x1f, 60], '{"archivedUnlinked":'],
      [[0x1f, 61], ',"epoch":'],
      [[0x1f, 62], ',"signalsEnded":'],
      [[0x1f, 63], ',"forced":'],
      [[0x1f, 64], ',"storedPseudonymsDeleted":'],
      [[0x1f, 65], ',"reason":"'],
      [[0x1f, 66], '{"matchesRemoved":'],
      [[0x1f, 67], ',"via":"'],
      [[0x1f, 68], '{"action":"'],
      [[0x1f, 69], '","for":"'],
      [[0x1f, 70], '{"matches":'],
      [[0x1f, 71], ',"signals":'],
      [[0x1f, 72], ',"parentLinks":'],
      [[0x1f, 73], ',"status":"'],
      [[0x1f, 74], '{"placementsThisHour":'],
      [[0x1f, 75], ',"threshold":'],
      [[0x1f, 76], '{"generation":'],
      [[0x1f, 77], ',"rowsRekeyed":'],
      [[0x1f, 78], ',"signalsDone":'],
      [[0x1f, 79], ',"hashesRekeyed":'],
      [[0x1f, 80], '{"entries":'],
      [[0x1f, 81], ',"from":'],
      [[0x1f, 82], ',"to":'],
      [[0x1f, 83], '{"events":'],
      [[0x1f, 84], ',"expired":'],
      [[0x1f, 85], ',"purgedMatches":'],
      [[0x1f, 86], ',"purgedSignals":'],
      [[0x1f, 87], '","personId":"'],
      [[0x1f, 88], '","personRole":"professional"}'],
      [[0x1f, 89], '","personRole":"organisation_coordinator"}'],
      [[0x1f, 90], '","personRole":"match_coordinator"}'],
      [[0x1f, 91], '","personRole":"gdpr_desk"}'],
      [[0x1f, 92], '","personRole":"auditor"}'],
      [[0x1f, 93], '","personRole":"administrator"}'],
      [[0x1f, 94], '","kind":"admin","personId":"'],
      [[0x1f, 95], '{"personId":"'],
      [[0x1f, 96], 'person.added'],
      [[0x1f, 97], 'person.removed'],
      [[0x1f, 98], 'match.follow_up'],
      [[0x1f, 99], 'logbook.purged'],
      [[0x1f, 100], '{"roles":"'],
      [[0x1f, 101], '{"outcome":"'],
      [[0x1f, 102], ',"headHash":"'],
      [[0x1f, 103], '","throughSeq":'],
      [[0x1f, 104], '{"matchEmail":'],
      [[0x1f, 105], 'signal.handover_requested'],
      [[0x1f, 106], 'signal.handover_declined'],
      [[0x1f, 107], '","requestId":"'],
      [[0x1f, 108], 'archive.notice'],
      [[0x1f, 109], 'archive.notice_read'],
      [[0x1f, 110], 'enrolment_code.issued'],
      [[0x1f, 111], 'device.added'],
      [[0x1f, 112], 'device.removed'],
      [[0x1f, 113], 'session.started'],
      [[0x1f, 114], 'session.ended'],
    ];
    expect(SHORT_WORDS.length + LONG_WORDS.length).toBe(pinned.length);
    // Distinct, printable ASCII (no marker byte inside a word), each longer than its code.
    const words = [...SHORT_WORDS, ...LONG_WORDS];
    expect(new Set(words).size).toBe(words.length);
    for (const w of SHORT_WORDS) expect(w).toMatch(/^[\x20-\x7e]{2,}$/);
    for (const w of LONG_WORDS) expect(w).toMatch(/^[\x20-\x7e]{3,}$/);
    for (const [code, word] of pinned) {
      expect(decodeLogText(Buffer.from([0x01, ...code]))).toBe(word);
      // Each occurrence between literals encodes to exactly its code.
      const e = encodeLogText(`x${word}x${word}`);
      expect(Buffer.from(e).toString('hex'), word).toBe(
        Buffer.from([0x01, 0x78, ...code, 0x78, ...code]).toString('hex'),
      );
    }
    // A golden vector: a placement's refs, byte for byte.
    const u1 = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const u2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const u3 = '00000000-0000-4000-8000-000000000001';
    expect((encodeLogText(`{"requestId":"${u1}","signalId":"${u2}"}`) as Buffer).toString('hex')).toBe(
      '010f010f8fad5bd9cb469fa16570867728950e10017c9e6679742540de944be07fc1f90ae703',
    );
    expect((encodeLogText(`{"signalIds":"${u1},${u3}"}`) as Buffer).toString('hex')).toBe(
      '0111010f8fad5bd9cb469fa16570867728950e020000000000004000800000000000000103',
    );
  });

  it('refuses a corrupt cell with database_corrupt and a message that names no content', () => {
    const valid = encodeLogText(`{"signalId":"${randomUUID()}"}`) as Buffer;
    const cases: Uint8Array[] = [
      Buffer.alloc(0),
      Buffer.from([0x02, ...valid.subarray(1)]), // unknown format
      Buffer.from([0xff]),
      valid.subarray(0, 10), // truncated UUID
      Buffer.from([0x01, 0x01]),
      Buffer.from([0x01, 0x00]), // 0x00 is no token
      Buffer.from([0x01, 0x1f]), // long word without its index
      Buffer.from([0x01, 0x1f, 0xff]), // no such long word (yet)
      Buffer.from([0x01, 0x41, 0xc3]), // invalid UTF-8
      Buffer.from([0x01, 0xed, 0xa0, 0x80]), // a UTF-8-encoded surrogate
    ];
    for (const c of cases) {
      let error: unknown;
      try {
        decodeLogText(c);
      } catch (e) {
        error = e;
      }
      expect(isEngineError(error, 'database_corrupt'), Buffer.from(c).toString('hex')).toBe(true);
      expect((error as Error).message).toBe('a logbook entry is stored in an unknown form');
    }
  });
});

describe('logbook storage on a real SQLite file', () => {
  /** A file from before this codec, at an older schema (5): its logbook is written as TEXT below. */
  function preCodecFile(path: string): Database.Database {
    const db = new Database(path);
    for (let v = 0; v < 5; v++) {
      db.transaction(() => {
        applyMigration(db, MIGRATIONS[v]!);
        if (v === 0) {
          db.pragma(`application_id = ${APPLICATION_ID}`);
          db.prepare('INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)').run();
        }
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
    return db;
  }

  const organisation: Actor = { kind: 'organisation', organisationId: randomUUID(), keyId: keyId() };
  const entries: [Actor, LogAction, Refs, Details][] = [
    [{ kind: 'admin', keyId: 'admin-key' }, 'organisation.admitted', { organisationId: randomUUID() }, {}],
    [
      organisation,
      'signal.placed',
      { signalId: randomUUID(), requestId: randomUUID() },
      { epochs: 1, parents: 0 },
    ],
    [organisation, 'signals.placed', { signalIds: ids(20).join(',') }, { created: 20 }],
    [
      { kind: 'system' },
      'match.created',
      { matchId: randomUUID(), signalA: randomUUID(), signalB: randomUUID() },
      { kind: 'person' },
    ],
  ];

  it('reads old TEXT rows unchanged beside new BLOB rows, and the chain verifies over the mix', async () => {
    const path = join(dir, 'mixed.sqlite');
    const db = preCodecFile(path);
    // Old rows exactly as the engine wrote them before the codec: canonical JSON as TEXT.
    const insert = db.prepare(
      'INSERT INTO logbook (seq, at, actor, action, refs, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let prev = '';
    const oldTexts: string[][] = [];
    for (const [i, [actor, action, refs, details]] of entries.entries()) {
      const seq = i + 1;
      const hash = entryHash(prev, { seq, at: 1000 + seq, actor, action, refs, details });
      const texts = [
        canonicalJson(actor as unknown as Json),
        action,
        canonicalJson(refs),
        canonicalJson(details),
      ];
      insert.run(seq, 1000 + seq, ...texts, hash);
      oldTexts.push(texts);
      prev = hash.toString('hex');
    }
    db.close();

    const store = openSqliteStore({ path, clock: () => 5000 });
    try {
      const before = await store.read((tx) => readLogbook(tx, 1, 100));
      // New rows through the store, chained onto the old ones.
      await store.write(async (tx) => {
        for (const [i, [actor, action, refs, details]] of entries.entries()) {
          await appendLog(tx, 2000 + i, actor, action, refs, details);
        }
      });
      const all = await store.read((tx) => tx.logEntries(1, 100));
      expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      for (const [i, r] of all.entries()) {
        expect([r.actor, r.action, r.refs, r.details]).toEqual(oldTexts[i % entries.length]);
      }
      expect(await store.read((tx) => readLogbook(tx, 1, 4))).toEqual(before);
      expect(await store.read((tx) => verifyLogbook(tx))).toMatchObject({ ok: true, entries: 8 });
      expect(await store.read((tx) => verifyLogbook(tx, 3))).toMatchObject({ ok: true, entries: 8 });
    } finally {
      await store.close();
    }

    const check = new Database(path, { readonly: true });
    try {
      const types = check
        .prepare(
          'SELECT typeof(actor) AS actor, typeof(action) AS action, typeof(refs) AS refs, typeof(details) AS details FROM logbook ORDER BY seq',
        )
        .all() as Record<string, string>[];
      // Old rows stay TEXT (no migration rewrote them); new ones are BLOBs where shorter.
      for (const t of types.slice(0, 4)) expect(Object.values(t)).toEqual(['text', 'text', 'text', 'text']);
      expect(types.slice(4).map((t) => t.action)).toEqual(['blob', 'blob', 'blob', 'blob']);
      expect(types.slice(4).map((t) => t.refs)).toEqual(['blob', 'blob', 'blob', 'blob']);
      expect(types[4]!.details).toBe('text'); // '{}' cannot be shorter
      const sizes = check
        .prepare('SELECT length(CAST(refs AS BLOB)) AS n FROM logbook WHERE seq IN (3, 7) ORDER BY seq')
        .all() as { n: number }[];
      expect(sizes[1]!.n).toBeLessThan(sizes[0]!.n / 2);
    } finally {
      check.close();
    }
  });
});
