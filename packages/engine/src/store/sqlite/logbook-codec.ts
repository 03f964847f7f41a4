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
//     0x03 … 0x1e              SHORT_WORDS[byte − 0x03]   (the dictionary: logbook-words.ts)
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
import { LONG_WORDS, SHORT_WORDS } from './logbook-words.js';

/** The first byte of every encoded cell. A later form takes the next value. */
const FORMAT_V1 = 0x01;

const UUID = 0x01;
const COMMA_UUID = 0x02;
const FIRST_SHORT = 0x03;
const LONG = 0x1f;

/**
 * The dictionary as a trie over UTF-16 code units, for the longest word at a position, with
 * each chain of single children merged into one edge (a radix tree): a word is found with a
 * lookup and a `startsWith` per branch, not a lookup per character (docs/performance.md
 * "Thirty-sixth pass"). Every word ends at a node, so the words met along a walk are those of
 * the per-character trie, and the longest of them is the same.
 */
interface Node {
  /** By the first code unit of the edge's label. */
  readonly edges: Map<number, Edge>;
  code?: readonly number[];
}
interface Edge {
  readonly label: string;
  readonly node: Node;
}

const TRIE: Node = (() => {
  const root: Node = { edges: new Map() };
  const add = (text: string, code: readonly number[]) => {
    let node = root;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      let edge = node.edges.get(c);
      if (edge === undefined) {
        edge = { label: text.charAt(k), node: { edges: new Map() } };
        node.edges.set(c, edge);
      }
      node = edge.node;
    }
    node.code = code;
  };
  for (const [i, w] of SHORT_WORDS.entries()) add(w, [FIRST_SHORT + i]);
  for (const [i, w] of LONG_WORDS.entries()) add(w, [LONG, i]);
  // Each node that ends no word and has one child is merged into the edge that leads to it.
  const merge = (node: Node) => {
    for (const [c, edge] of node.edges) {
      let { label, node: child } = edge;
      while (child.code === undefined && child.edges.size === 1) {
        const [only] = child.edges.values();
        label += only!.label;
        child = only!.node;
      }
      node.edges.set(c, { label, node: child });
      merge(child);
    }
  };
  merge(root);
  return root;
})();

const corrupt = () => new EngineError('database_corrupt', 'a logbook entry is stored in an unknown form');

const UUID_LENGTH = 36;

/** A hex digit's value by code unit below 0x80 (lower case only, as uuidFromBytes writes), else −1. */
const HEX = (() => {
  const t = new Int8Array(0x80).fill(-1);
  for (let d = 0; d < 16; d++) t['0123456789abcdef'.charCodeAt(d)] = d;
  return t;
})();

function hexValue(c: number): number {
  return c < 0x80 ? HEX[c]! : -1;
}

/**
 * When text[i, i + 36) is a lower-case UUID (exactly the shape uuidFromBytes writes), writes
 * its 16 bytes at out[pos, pos + 16) and answers true. Otherwise answers false, having written
 * at most those bytes, which the caller has not claimed yet: it writes over them.
 */
function takeUuid(text: string, i: number, out: Buffer, pos: number): boolean {
  if (
    i + UUID_LENGTH > text.length ||
    text.charCodeAt(i + 8) !== 0x2d ||
    text.charCodeAt(i + 13) !== 0x2d ||
    text.charCodeAt(i + 18) !== 0x2d ||
    text.charCodeAt(i + 23) !== 0x2d
  ) {
    return false;
  }
  let p = pos;
  for (let k = i; k < i + UUID_LENGTH; k += 2) {
    if (k === i + 8 || k === i + 13 || k === i + 18 || k === i + 23) k++;
    const hi = hexValue(text.charCodeAt(k));
    const lo = hexValue(text.charCodeAt(k + 1));
    if ((hi | lo) < 0) return false;
    out[p++] = (hi << 4) | lo;
  }
  return true;
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
    if (c === 0x2c && takeUuid(text, i + 1, out, pos + 1)) {
      out[pos] = COMMA_UUID;
      pos += 17;
      textBytes += 1 + UUID_LENGTH;
      i += 1 + UUID_LENGTH;
      continue;
    }
    if (hexValue(c) >= 0 && takeUuid(text, i, out, pos + 1)) {
      out[pos] = UUID;
      pos += 17;
      textBytes += UUID_LENGTH;
      i += UUID_LENGTH;
      continue;
    }
    // The longest dictionary word starting here (all words are ASCII: 1 byte per unit).
    let code: readonly number[] | undefined;
    let length = 0;
    let node = TRIE;
    for (let k = i; k < text.length; ) {
      const edge = node.edges.get(text.charCodeAt(k));
      if (edge === undefined || (edge.label.length > 1 && !text.startsWith(edge.label, k))) break;
      k += edge.label.length;
      node = edge.node;
      if (node.code !== undefined) {
        code = node.code;
        length = k - i;
      }
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
