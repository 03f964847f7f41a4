// The storage form of the logbook's text columns (actor, action, refs, details) in SQLite:
// a lossless, smaller encoding of the exact text the hash chain covers (docs/engine.md
// "Logbook"). The engine, the hash and every export see the decoded text only, so
// decodeLogText(encodeLogText(s)) === s for every string s: an auditor's recomputed chain
// does not depend on how a row is stored.
//
// A cell is either TEXT (the text itself: every row written before this codec, and any
// text the codec cannot or need not shorten) or a BLOB:
//
//   FORMAT_V1, then literal UTF-8 bytes (all ≥ 0x20) interleaved with tokens:
//     0x01 + 16 bytes          a lower-case UUID (8-4-4-4-12 hex)
//     0x02 + 16 bytes          ',' followed by a lower-case UUID (comma-separated id lists)
//     0x03 … 0x1e              SHORT_WORDS[byte − 0x03]
//     0x1f + one byte i        LONG_WORDS[i]
//     0x00                     never (invalid)
//
// Canonical JSON escapes every character below U+0020 and actions are fixed codes, so those
// bytes are free to mark tokens. A text that does hold such a character, or a lone surrogate
// (which has no UTF-8 form), is stored as TEXT, as is a text the encoding would not shorten.
// A BLOB that does not decode (unknown format byte, unknown token, truncated UUID, invalid
// UTF-8) is reported as `database_corrupt`, never guessed at.

import { EngineError } from '../../errors.js';
import { uuidFromBytes } from '../../ids.js';

/** The first byte of every encoded cell. A later form takes the next value. */
const FORMAT_V1 = 0x01;

const UUID = 0x01;
const COMMA_UUID = 0x02;
const FIRST_SHORT = 0x03;
const LONG = 0x1f;

// The dictionary is part of the on-disk format: APPEND-ONLY, forever. An entry's position is
// its byte value in every row ever written; reordering, editing or removing one would make old
// rows decode to different text (and fail verification). SHORT_WORDS is full (0x03–0x1e); new
// words go at the end of LONG_WORDS (up to 256), with a schema step (LONG_WORDS_AT_SCHEMA).
// logbook-codec.test.ts pins every value.
// The words are the JSON keys (in canonical key order, with the punctuation around them) and
// actions of the entries the engine writes (`appendLog(` in packages/engine/src/domain); the
// one-byte ones are those of the entries written per signal or per match.

/** One byte each: 0x03 + index. */
export const SHORT_WORDS: readonly string[] = [
  /* 0x03 */ '"}',
  /* 0x04 */ '{"keyId":"',
  /* 0x05 */ '","kind":"organisation","organisationId":"',
  /* 0x06 */ '{"count":',
  /* 0x07 */ '{"kind":"system"}',
  /* 0x08 */ 'signal.placed',
  /* 0x09 */ 'signals.placed',
  /* 0x0a */ 'match.created',
  /* 0x0b */ 'match.revealed',
  /* 0x0c */ 'match.ended',
  /* 0x0d */ 'match.removed',
  /* 0x0e */ 'signal.expired',
  /* 0x0f */ '{"requestId":"',
  /* 0x10 */ '","signalId":"',
  /* 0x11 */ '{"signalIds":"',
  /* 0x12 */ '{"signalId":"',
  /* 0x13 */ '{"matchId":"',
  /* 0x14 */ '","signalA":"',
  /* 0x15 */ '","signalB":"',
  /* 0x16 */ '","organisationId":"',
  /* 0x17 */ '","matchIds":"',
  /* 0x18 */ '{"epochs":',
  /* 0x19 */ ',"parents":',
  /* 0x1a */ '{"kind":"person"}',
  /* 0x1b */ '{"kind":"family"}',
  /* 0x1c */ '{"matchesEnded":',
  /* 0x1d */ '{"reason":"',
  /* 0x1e */ '{"organisationId":"',
];

/** Two bytes each: 0x1f, then the index. */
export const LONG_WORDS: readonly string[] = [
  // actions
  /* 0 */ 'organisation.admitted',
  /* 1 */ 'organisation.updated',
  /* 2 */ 'organisation.reinstated',
  /* 3 */ 'organisation.suspended',
  /* 4 */ 'key.added',
  /* 5 */ 'key.revoked',
  /* 6 */ 'key.activity_reviewed',
  /* 7 */ 'agreement.added',
  /* 8 */ 'agreement.status',
  /* 9 */ 'signal.migrated',
  /* 10 */ 'signal.withdrawn',
  /* 11 */ 'signal.transferred',
  /* 12 */ 'signal.rectified',
  /* 13 */ 'signal.informed_updated',
  /* 14 */ 'consent.recorded',
  /* 15 */ 'consent.withdrawn',
  /* 16 */ 'epoch.registered',
  /* 17 */ 'epoch.signals_stranded',
  /* 18 */ 'epoch.retired',
  /* 19 */ 'match.contact_made',
  /* 20 */ 'match.regie',
  /* 21 */ 'gdpr.access',
  /* 22 */ 'gdpr.erased',
  /* 23 */ 'gdpr.restricted',
  /* 24 */ 'gdpr.restriction_lifted',
  /* 25 */ 'gdpr.objection',
  /* 26 */ 'alert.placement_rate',
  /* 27 */ 'retention.run',
  /* 28 */ 'server_secret.rotation_started',
  /* 29 */ 'server_secret.rotation_progress',
  /* 30 */ 'server_secret.rotation_completed',
  /* 31 */ 'webhook_key.added',
  /* 32 */ 'webhook_key.signing',
  /* 33 */ 'webhook_key.retired',
  // actor and refs
  /* 34 */ '","kind":"admin"}',
  /* 35 */ '{"keyIds":"',
  /* 36 */ '{"agreementId":"',
  /* 37 */ '","keyId":"',
  /* 38 */ '","matchId":"',
  /* 39 */ '","signalIds":"',
  // details
  /* 40 */ '{"type":"',
  /* 41 */ '{"placementBudgetPerDay":',
  /* 42 */ ',"webhook":',
  /* 43 */ '{"webhook":',
  /* 44 */ '{"matchesCreated":',
  /* 45 */ '{"role":"',
  /* 46 */ '{"actionKind":"',
  /* 47 */ '","informationCategory":"',
  /* 48 */ '","owner":"',
  /* 49 */ '","purpose":"',
  /* 50 */ '{"status":"',
  /* 51 */ '{"added":',
  /* 52 */ ',"epochs":"',
  /* 53 */ '{"created":',
  /* 54 */ ',"existing":',
  /* 55 */ ',"refused":',
  /* 56 */ ',"replayed":',
  /* 57 */ '{"formReference":',
  /* 58 */ ',"scopes":"',
  /* 59 */ '{"epoch":',
  /* 60 */ '{"archivedUnlinked":',
  /* 61 */ ',"epoch":',
  /* 62 */ ',"signalsEnded":',
  /* 63 */ ',"forced":',
  /* 64 */ ',"storedPseudonymsDeleted":',
  /* 65 */ ',"reason":"',
  /* 66 */ '{"matchesRemoved":',
  /* 67 */ ',"via":"',
  /* 68 */ '{"action":"',
  /* 69 */ '","for":"',
  /* 70 */ '{"matches":',
  /* 71 */ ',"signals":',
  /* 72 */ ',"parentLinks":',
  /* 73 */ ',"status":"',
  /* 74 */ '{"placementsThisHour":',
  /* 75 */ ',"threshold":',
  /* 76 */ '{"generation":',
  /* 77 */ ',"rowsRekeyed":',
  /* 78 */ ',"signalsDone":',
  /* 79 */ ',"hashesRekeyed":',
  /* 80 */ '{"entries":',
  /* 81 */ ',"from":',
  /* 82 */ ',"to":',
  /* 83 */ '{"events":',
  /* 84 */ ',"expired":',
  /* 85 */ ',"purgedMatches":',
  /* 86 */ ',"purgedSignals":',
  // people (docs/engine.md "People and roles"): the person in the actor, their entries, and
  // the actions and details added after the first dictionary. Rows written before these
  // words hold the same text as literals and decode unchanged.
  /* 87 */ '","personId":"',
  /* 88 */ '","personRole":"professional"}',
  /* 89 */ '","personRole":"organisation_coordinator"}',
  /* 90 */ '","personRole":"match_coordinator"}',
  /* 91 */ '","personRole":"gdpr_desk"}',
  /* 92 */ '","personRole":"auditor"}',
  /* 93 */ '","personRole":"administrator"}',
  /* 94 */ '","kind":"admin","personId":"',
  /* 95 */ '{"personId":"',
  /* 96 */ 'person.added',
  /* 97 */ 'person.removed',
  /* 98 */ 'match.follow_up',
  /* 99 */ 'logbook.purged',
  /* 100 */ '{"roles":"',
  /* 101 */ '{"outcome":"',
  /* 102 */ ',"headHash":"',
  /* 103 */ '","throughSeq":',
  /* 104 */ '{"matchEmail":',
  // handover requests (docs/engine.md "Logbook"): the two actions and the request id that
  // follows the organisation id in their refs. Rows written before these words hold the same
  // text as literals and decode unchanged.
  /* 105 */ 'signal.handover_requested',
  /* 106 */ 'signal.handover_declined',
  /* 107 */ '","requestId":"',
];

/**
 * How many LONG_WORDS the version at each SQLite schema version (migrations/steps.ts) reads,
 * from step 25 on. A version reads a word it does not have as `database_corrupt`, so words are
 * only ever added together with a schema step, which a version before them refuses to start on
 * (`schema_too_new`): going back past them is a restore, like going back past any migration
 * (docs/operations.md "Upgrade"). An entry is never changed; a new schema step adds one, with
 * the new count (logbook-codec.test.ts holds the current schema to LONG_WORDS.length).
 */
export const LONG_WORDS_AT_SCHEMA: Readonly<Record<number, number>> = { 25: 108 };

/** The dictionary as a trie over UTF-16 code units, for the longest word at a position. */
interface Node {
  readonly next: Map<number, Node>;
  code?: readonly number[];
}

const TRIE: Node = (() => {
  const root: Node = { next: new Map() };
  const add = (text: string, code: readonly number[]) => {
    let node = root;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      let child = node.next.get(c);
      if (child === undefined) {
        child = { next: new Map() };
        node.next.set(c, child);
      }
      node = child;
    }
    node.code = code;
  };
  for (const [i, w] of SHORT_WORDS.entries()) add(w, [FIRST_SHORT + i]);
  for (const [i, w] of LONG_WORDS.entries()) add(w, [LONG, i]);
  return root;
})();

const corrupt = () => new EngineError('database_corrupt', 'a logbook entry is stored in an unknown form');

const UUID_LENGTH = 36;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

const isDashAt = (k: number) => k === 8 || k === 13 || k === 18 || k === 23;

/** True when text[i, i + 36) is a lower-case UUID (exactly the shape uuidFromBytes writes). */
function uuidAt(text: string, i: number): boolean {
  if (i + UUID_LENGTH > text.length || text.charCodeAt(i + 8) !== 0x2d) return false;
  for (let k = 0; k < UUID_LENGTH; k++) {
    const c = text.charCodeAt(i + k);
    if (isDashAt(k) ? c !== 0x2d : hexValue(c) < 0) return false;
  }
  return true;
}

function writeUuid(text: string, i: number, out: Buffer, pos: number): void {
  let p = pos;
  for (let k = 0; k < UUID_LENGTH; k += 2) {
    if (isDashAt(k)) k++;
    out[p++] = (hexValue(text.charCodeAt(i + k)) << 4) | hexValue(text.charCodeAt(i + k + 1));
  }
}

/**
 * The storage form of one logbook text: a Buffer when the encoding is shorter, else the
 * text itself (stored as TEXT).
 */
export function encodeLogText(text: string): string | Buffer {
  // At most 3 bytes per UTF-16 code unit, plus the format byte.
  const out = Buffer.allocUnsafe(3 * text.length + 1);
  out[0] = FORMAT_V1;
  let pos = 1;
  let textBytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 0x20) return text;
    if (c === 0x2c && uuidAt(text, i + 1)) {
      out[pos] = COMMA_UUID;
      writeUuid(text, i + 1, out, pos + 1);
      pos += 17;
      textBytes += 1 + UUID_LENGTH;
      i += 1 + UUID_LENGTH;
      continue;
    }
    if (hexValue(c) >= 0 && uuidAt(text, i)) {
      out[pos] = UUID;
      writeUuid(text, i, out, pos + 1);
      pos += 17;
      textBytes += UUID_LENGTH;
      i += UUID_LENGTH;
      continue;
    }
    // The longest dictionary word starting here (all words are ASCII: 1 byte per unit).
    let node = TRIE.next.get(c);
    let code: readonly number[] | undefined;
    let length = 0;
    for (let k = i + 1; node !== undefined; k++) {
      if (node.code !== undefined) {
        code = node.code;
        length = k - i;
      }
      node = k < text.length ? node.next.get(text.charCodeAt(k)) : undefined;
    }
    if (code !== undefined) {
      for (const b of code) out[pos++] = b;
      textBytes += length;
      i += length;
      continue;
    }
    // A literal character, in UTF-8.
    if (c < 0x80) {
      out[pos++] = c;
      textBytes += 1;
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >> 6);
      out[pos++] = 0x80 | (c & 0x3f);
      textBytes += 2;
    } else if (c < 0xd800 || c > 0xdfff) {
      out[pos++] = 0xe0 | (c >> 12);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
      textBytes += 3;
    } else {
      // A surrogate pair is one code point of 4 bytes; a lone surrogate has no UTF-8 form.
      const d = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return text;
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      out[pos++] = 0xf0 | (cp >> 18);
      out[pos++] = 0x80 | ((cp >> 12) & 0x3f);
      out[pos++] = 0x80 | ((cp >> 6) & 0x3f);
      out[pos++] = 0x80 | (cp & 0x3f);
      textBytes += 4;
      i++;
    }
    i++;
  }
  return pos < textBytes ? out.subarray(0, pos) : text;
}

/** How many distinct texts encodeRepeatedLogText keeps; the memo starts afresh when full. */
const REPEATED_MAX = 512;
const repeated = new Map<string, string | Buffer>();

/**
 * encodeLogText for a text that repeats from entry to entry — an actor (one per key and
 * person), an action, a placement's details — remembered, so each distinct text is encoded
 * once (docs/performance.md "Seventh pass"). The same bytes as encodeLogText (test); the
 * Buffer is shared, so it is only ever bound to a statement (which copies it), never changed.
 */
export function encodeRepeatedLogText(text: string): string | Buffer {
  const known = repeated.get(text);
  if (known !== undefined) return known;
  const encoded = encodeLogText(text);
  let kept = encoded;
  if (typeof encoded !== 'string') {
    // A copy of its own: a small encoding is a view into Node's shared 8 KiB pool.
    kept = Buffer.allocUnsafeSlow(encoded.length);
    encoded.copy(kept);
  }
  if (repeated.size >= REPEATED_MAX) repeated.clear();
  repeated.set(text, kept);
  return kept;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function literal(bytes: Uint8Array, start: number, end: number): string {
  try {
    return utf8.decode(bytes.subarray(start, end));
  } catch {
    throw corrupt();
  }
}

/** The text of a stored cell: TEXT as it is, a BLOB decoded; `database_corrupt` if it cannot be. */
export function decodeLogText(v: string | Buffer | Uint8Array): string {
  if (typeof v === 'string') return v;
  if (v.length === 0 || v[0] !== FORMAT_V1) throw corrupt();
  let s = '';
  let run = 1;
  let i = 1;
  while (i < v.length) {
    const b = v[i]!;
    if (b >= 0x20) {
      i++;
      continue;
    }
    if (run < i) s += literal(v, run, i);
    if (b === UUID || b === COMMA_UUID) {
      if (i + 17 > v.length) throw corrupt();
      s += (b === COMMA_UUID ? ',' : '') + uuidFromBytes(v.subarray(i + 1, i + 17));
      i += 17;
    } else if (b === LONG) {
      const word = i + 1 < v.length ? LONG_WORDS[v[i + 1]!] : undefined;
      if (word === undefined) throw corrupt();
      s += word;
      i += 2;
    } else {
      const word = b >= FIRST_SHORT ? SHORT_WORDS[b - FIRST_SHORT] : undefined;
      if (word === undefined) throw corrupt();
      s += word;
      i++;
    }
    run = i;
  }
  if (run < i) s += literal(v, run, i);
  return s;
}
