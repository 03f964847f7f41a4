// The logbook dictionary against the engine's actions and the schema steps: every action the
// engine writes (LOG_ACTIONS, the only ones appendLog accepts) is one dictionary word; words are
// added only with a schema step, at the end; and a row stored before a word existed (its text as
// literal bytes) decodes to the same text, so old entries still verify. Old rows in a real SQLite
// file: logbook-old-rows.test.ts.

import { canonicalJson } from '../../canonical-json.js';
import { describe, expect, it } from 'vitest';
import { LOG_ACTIONS, type LogAction } from '../../domain/logbook-actions.js';
import { decodeLogText, encodeLogText } from './logbook-codec.js';
import { LONG_WORDS, LONG_WORDS_AT_SCHEMA } from './logbook-words.js';
import { SCHEMA_VERSION } from './migrations.js';

const uuidBytes = (u: string) => Buffer.from(u.replaceAll('-', ''), 'hex');

/** The actions worded by step 26: a version at step 25 stored them as TEXT. */
const AT_26: readonly LogAction[] = [
  'archive.notice',
  'archive.notice_read',
  'enrolment_code.issued',
  'device.added',
  'device.removed',
  'session.started',
  'session.ended',
];

describe('logbook dictionary', () => {
  it('has a word for every action the engine writes', () => {
    // One byte or two after the format byte: the action is a whole word, not a literal.
    const unworded = LOG_ACTIONS.filter((a) => {
      const e = encodeLogText(a);
      return typeof e === 'string' || e.length > 3;
    });
    expect(unworded).toEqual([]);
    for (const a of LOG_ACTIONS) expect(decodeLogText(encodeLogText(a))).toBe(a);
  });

  it('adds the words of step 26 at the end, 108–114', () => {
    expect(LONG_WORDS_AT_SCHEMA[25]).toBe(108);
    expect(LONG_WORDS_AT_SCHEMA[26]).toBe(115);
    expect(LONG_WORDS_AT_SCHEMA[27]).toBe(115);
    expect(LONG_WORDS.slice(108, 115)).toEqual(AT_26);
    for (const [i, a] of AT_26.entries()) {
      expect(encodeLogText(a)).toEqual(Buffer.from([0x01, 0x1f, 108 + i]));
    }
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
    // 108–114 with step 26; step 27 (handover declines) added none; 115 (`signal.found`) came with step 28; steps 29 (the key index), 30 (the access requests), 31 (the indexes of three scans) and 32 (the reveal marks by match) added none.
    expect(LONG_WORDS_AT_SCHEMA[SCHEMA_VERSION]).toBe(LONG_WORDS.length);
    expect(LONG_WORDS_AT_SCHEMA[25]).toBe(108);
    expect(LONG_WORDS_AT_SCHEMA[26]).toBe(115);
    expect(LONG_WORDS_AT_SCHEMA[27]).toBe(115);
    expect(LONG_WORDS_AT_SCHEMA[28]).toBe(116);
    expect(LONG_WORDS[115]).toBe('signal.found');
    expect(encodeLogText('signal.found')).toEqual(Buffer.from([0x01, 0x1f, 115]));
    expect(LONG_WORDS_AT_SCHEMA[29]).toBe(116);
    expect(LONG_WORDS_AT_SCHEMA[30]).toBe(116);
    expect(LONG_WORDS_AT_SCHEMA[31]).toBe(116);
    expect(LONG_WORDS_AT_SCHEMA[32]).toBe(116);
    expect(LONG_WORDS[104]).toBe('{"matchEmail":');
    const pinned = Object.entries(LONG_WORDS_AT_SCHEMA).map(([v, n]) => [Number(v), n] as const);
    for (const [[v1, n1], [v2, n2]] of pinned.slice(1).map((e, i) => [pinned[i]!, e] as const)) {
      expect(v2).toBeGreaterThan(v1);
      expect(n2).toBeGreaterThanOrEqual(n1);
    }
  });
});
