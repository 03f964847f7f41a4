// Byte values as Map keys and as Buffers without copying, for the batch path's in-memory
// views (docs/engine.md "Batch placement"). A key is the value's bytes one per UTF-16
// code unit (latin1): exact, half the length of hex, made in one native call. Keys stay in
// memory; like the values they stand for, they never reach a log or a message.

/** `bytes` as a Buffer over the same memory (no copy when it is one already). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A string that equals another key exactly when the bytes are equal. */
export function bytesKey(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('latin1');
}

/** The role's letter before a key: `s` (subject) or `p` (parent). */
const ROLE_LETTER = { subject: 0x73, parent: 0x70 } as const;

/** `bytesKey(bytes)` behind the role's letter: equal exactly when the role and the bytes are. */
export function roleKey(role: 'subject' | 'parent', bytes: Uint8Array): string {
  return `${role === 'subject' ? 's' : 'p'}${bytesKey(bytes)}`;
}

/** Values up to this long get their key written in one buffer and decoded once (`RoleKeys`). */
const SCRATCH_BYTES = 64;

/**
 * One write's keys of stored values (the batch view's and its tallies'), each value object's key
 * made once: the view's load, look-up and adopt and the tally's paid check and count ask for a
 * value's key three to six times (docs/performance.md "Twenty-sixth pass: bulk, the removals
 * together"). Per write, not per process: a module-wide `WeakMap` did this before, and its
 * inserts were ≈ 1.3 % of a bulk import's main thread, its look-ups ≈ 0.7 % (the Twenty-eighth
 * pass); this map goes with the write. The key is `roleKey`'s text, written as one flat string
 * (the role's letter and the bytes decoded together) rather than joined. Exact because the
 * values keyed here (derived stored values, HMAC outputs) are never written after they are made.
 */
export class RoleKeys {
  readonly #memo = { subject: new Map<Uint8Array, string>(), parent: new Map<Uint8Array, string>() };
  readonly #scratch = Buffer.allocUnsafe(1 + SCRATCH_BYTES);

  key(role: 'subject' | 'parent', bytes: Uint8Array): string {
    const memo = this.#memo[role];
    let k = memo.get(bytes);
    if (k === undefined) {
      if (bytes.length > SCRATCH_BYTES) k = roleKey(role, bytes);
      else {
        this.#scratch[0] = ROLE_LETTER[role];
        this.#scratch.set(bytes, 1);
        k = this.#scratch.toString('latin1', 0, 1 + bytes.length);
      }
      memo.set(bytes, k);
    }
    return k;
  }
}
