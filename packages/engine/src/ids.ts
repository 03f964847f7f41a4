// Random public ids (UUID v4 from the injected random source) and their compact 16-byte
// form for storage. Public ids carry no meaning and no order, so they reveal nothing.

import { randomFillSync } from 'node:crypto';
import type { RandomSource } from './api.js';

const UUID_ANY_CASE_RE =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;

const POOL_BYTES = 4096;

/**
 * The engine's default random source: the operating system's CSPRNG read 4 KiB at a
 * time (one `randomBytes` call per id cost ≈ 5 % of a bulk import's CPU). Each request
 * gets fresh bytes, copied out, and its bytes are zeroed in the pool, so the pool never
 * holds an id already handed out. Requests larger than the pool read the CSPRNG directly.
 * A small request is copied and zeroed byte by byte, not through a view of the pool and
 * `fill`, a native call each (docs/performance.md "Twenty-eighth pass: bulk, margin on target 3"):
 * the same bytes to the same requests. `fill`: the CSPRNG (tests give their own).
 */
export function pooledRandom(fill: (pool: Buffer) => void = randomFillSync): RandomSource {
  const pool = Buffer.alloc(POOL_BYTES);
  let at = POOL_BYTES;
  return (n) => {
    if (n > POOL_BYTES) {
      const big = Buffer.alloc(n);
      fill(big);
      return big;
    }
    if (at + n > POOL_BYTES) {
      fill(pool);
      at = 0;
    }
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++, at++) {
      out[i] = pool[at]!;
      pool[at] = 0;
    }
    return out;
  };
}

export function newUuid(random: RandomSource): string {
  return uuidFromBytes(newUuidBytes(random));
}

/**
 * A new UUID v4 as its 16 bytes (`uuidToBytes` of `newUuid`'s text): the batch path stores a new
 * signal's id from these bytes instead of converting its text back (docs/performance.md
 * "Twenty-fifth pass: bulk, work removed from the main thread").
 */
export function newUuidBytes(random: RandomSource): Buffer {
  const b = Buffer.from(random(16));
  if (b.length !== 16) throw new RangeError('random source returned the wrong length');
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b;
}

/** True for an RFC 9562 UUID (versions 1–8, variant 10), any letter case. */
export function isUuid(text: unknown): text is string {
  return typeof text === 'string' && UUID_ANY_CASE_RE.test(text);
}

/** The value of each lower-case hex digit by its char code, −1 for every other code below 128. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) HEX_VALUE[c.toString(16).charCodeAt(0)] = c;
/** Where a UUID's text has its dashes. */
const isDashAt = (i: number) => i === 8 || i === 13 || i === 18 || i === 23;

/**
 * 16 bytes, or undefined when `id` is not 8-4-4-4-12 lower-case hex digits with dashes. Read digit by
 * digit into the result: the batch path converts two ids a signal (docs/performance.md
 * "Twenty-first pass: bulk"), where the pattern test and the dashless copy were ≈ 2 % of it.
 */
export function uuidToBytes(id: string): Buffer | undefined {
  if (id.length !== 36) return undefined;
  const out = Buffer.allocUnsafe(16);
  let at = 0;
  for (let i = 0; i < 36; i++) {
    if (isDashAt(i)) {
      if (id.charCodeAt(i) !== 45) return undefined;
      continue;
    }
    const hi = HEX_VALUE[id.charCodeAt(i)] ?? -1;
    const lo = HEX_VALUE[id.charCodeAt(++i)] ?? -1;
    if (hi < 0 || lo < 0) return undefined;
    out[at++] = (hi << 4) | lo;
  }
  return out;
}

/** The lower-case hex digits by value, and the text `uuidFromBytes` writes before decoding it. */
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const UUID_TEXT = Buffer.alloc(36);

/**
 * The 8-4-4-4-12 lower-case text of 16 bytes, written digit by digit into one buffer and decoded
 * once, instead of a hex copy cut in five (docs/performance.md "Twenty-fifth pass: bulk, work
 * removed from the main thread"): the batch path makes one for every new signal and two for
 * every row it reads. Any other length keeps the old form (a damaged row's id).
 */
export function uuidFromBytes(b: Uint8Array): string {
  if (b.length !== 16) {
    const h = Buffer.from(b).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) UUID_TEXT[at++] = 45;
    const v = b[i]!;
    UUID_TEXT[at++] = HEX_DIGITS[v >> 4]!;
    UUID_TEXT[at++] = HEX_DIGITS[v & 15]!;
  }
  return UUID_TEXT.toString('latin1', 0, 36);
}
