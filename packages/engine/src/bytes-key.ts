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

/**
 * Per role, each value object's key, made once: a batch item's stored values were keyed three
 * to five times each (the view's load, look-up and adopt, the tally's paid check and count),
 * ≈ 1 % of a bulk import's main thread (docs/performance.md "Twenty-sixth pass: bulk, the
 * removals together"). Held by the object, so it goes with it; exact because the values keyed
 * here (derived stored values, HMAC outputs) are never written after they are made.
 */
const roleKeys = { subject: new WeakMap<Uint8Array, string>(), parent: new WeakMap<Uint8Array, string>() };

/** `bytesKey(bytes)` behind the role's letter: equal exactly when the role and the bytes are. */
export function roleKey(role: 'subject' | 'parent', bytes: Uint8Array): string {
  const memo = roleKeys[role];
  let k = memo.get(bytes);
  if (k === undefined) {
    k = `${role === 'subject' ? 's' : 'p'}${bytesKey(bytes)}`;
    memo.set(bytes, k);
  }
  return k;
}
