// A handover larger than one request (docs/api.md `POST /v1/signals/transfer` takes 1–1000
// signals): the ids are sent in chunks of at most `TRANSFER_LIMIT`, one after the other, and
// the outcome says honestly what moved and what did not. A refused chunk stops the handover:
// the signals of that chunk and the ones after it stay with their holder, so a second
// handover of the same person picks up exactly those (docs/portal.md "Signing in", *Handing over*).

/** The API's limit per transfer request. */
export const TRANSFER_LIMIT = 1000;

/** What a chunked handover did: `moved` signals moved; after a refusal, `notMoved` did not. */
export type ChunkedOutcome =
  | { readonly ok: true; readonly moved: number }
  | { readonly ok: false; readonly moved: number; readonly notMoved: number; readonly error: unknown };

/** `ids` in order, cut into chunks of at most `size`. */
export function chunks<T>(ids: readonly T[], size = TRANSFER_LIMIT): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/**
 * Sends `ids` chunk by chunk with `send` (which answers how many it moved); `progress` hears the
 * running total after each chunk that moved, so the screen can say how far it is.
 */
export async function sendInChunks(
  ids: readonly string[],
  send: (chunk: readonly string[]) => Promise<number>,
  progress: (moved: number, total: number) => void = () => {},
  size = TRANSFER_LIMIT,
): Promise<ChunkedOutcome> {
  let moved = 0;
  for (const chunk of chunks(ids, size)) {
    try {
      moved += await send(chunk);
    } catch (error) {
      // Each request is all or nothing (docs/api.md): what earlier chunks moved stays moved.
      return { ok: false, moved, notMoved: ids.length - moved, error };
    }
    if (moved < ids.length) progress(moved, ids.length);
  }
  return { ok: true, moved };
}
