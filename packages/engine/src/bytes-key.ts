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
