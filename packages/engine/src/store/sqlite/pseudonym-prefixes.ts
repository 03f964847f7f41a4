// `signals.pfx` (schema step 6): the first PREFIX_BYTES of each of a signal's stored
// pseudonyms, concatenated — a multiset, one chunk per `signal_pseudonyms` row, in no
// particular order. It replaces a by-signal index on `signal_pseudonyms` (≈ 47 bytes per
// signal) with ≈ 9: a signal's pseudonyms are the rows in the primary-key ranges
// [chunk, chunk ‖ ff…ff] whose `signal` is this one. Two values sharing a prefix are both
// found by one seek and told apart by `signal`. Every change to a signal's rows changes its
// chunks in the same transaction, and it must: with no foreign key and no by-signal index
// left, a missing chunk would leave rows that deleting the signal cannot find (a stale
// chunk would only cost a seek). Tested: signal-invariants.test.ts.

export const PREFIX_BYTES = 8;

const STORED_BYTES = 32;
const HIGH = Buffer.alloc(STORED_BYTES - PREFIX_BYTES, 0xff);

export function prefixOf(stored: Uint8Array): Buffer {
  return Buffer.from(stored.subarray(0, PREFIX_BYTES));
}

/** Every chunk of a pfx value, in order (a shorter tail, never written, is ignored). */
function allChunks(pfx: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i + PREFIX_BYTES <= pfx.length; i += PREFIX_BYTES) {
    out.push(Buffer.from(pfx.subarray(i, i + PREFIX_BYTES)));
  }
  return out;
}

/** The distinct chunks of a pfx value. */
export function chunksOf(pfx: Uint8Array): Buffer[] {
  const seen = new Set<string>();
  return allChunks(pfx).filter((c) => {
    const k = c.toString('hex');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The bounds of the primary-key range holding every stored value with this prefix. */
export function rangeOf(chunk: Buffer): [Buffer, Buffer] {
  return [chunk, Buffer.concat([chunk, HIGH])];
}

/** pfx with `added` values' chunks appended and one chunk removed per `removed` value. */
export function editPrefixes(
  pfx: Uint8Array,
  added: readonly Uint8Array[],
  removed: readonly Uint8Array[],
): Buffer {
  const chunks = allChunks(pfx);
  for (const r of removed) {
    const p = prefixOf(r);
    const at = chunks.findIndex((c) => c.equals(p));
    if (at !== -1) chunks.splice(at, 1);
  }
  for (const a of added) chunks.push(prefixOf(a));
  return Buffer.concat(chunks);
}
