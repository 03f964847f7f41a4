// Placement preparation: validation, re-keying of the client pseudonyms to stored values and
// the keyed idempotency hash. Pure CPU, run before the write starts so the single writer stays
// fast; the client pseudonyms never leave this step, only their derived (stored) values do.

import type { PlaceSignalInput } from '../api.js';
import { REQUEST_HASH_BYTES } from '../protocol/stored-pseudonym.js';
import { type ValidPlacement, fail, validatePlacement } from '../validation.js';
import type { EngineContext } from './context.js';
import { type RequestHashMemo, requestHashBody } from './request-hash-body.js';
import { type DerivedPseudonym, derive } from './stored-values.js';

/** Hex of a value; a Buffer is read in place, not copied first (the batch path calls this per item). */
export const hex = (b: Uint8Array) =>
  (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)).toString('hex');

/**
 * Idempotency hash over the canonical input with pseudonyms replaced by their stored
 * values, keyed with the server secret (HMAC, labels.ts), so neither the covenant key
 * nor a database dump can test a guessed identifier, contact or end date against it
 * (docs/leakage.md §3.7). It is computed over the generation-1 values and then re-keyed with every later server secret, exactly like a
 * stored value, so a server-secret rotation re-keys it too (docs/keys.md). Returns the
 * hashes at generations current−1 (when > 0) and current, `bytes` long: a retry across a
 * rotation still matches its placement. Hashes are written REQUEST_HASH_BYTES long; a
 * signal placed before schema step 6 keeps its 16 bytes, and a retry of it is compared at 16.
 */
function requestHashes(
  ctx: EngineContext,
  v: ValidPlacement,
  subject: readonly DerivedPseudonym[],
  parents: readonly (readonly DerivedPseudonym[])[],
  memo: RequestHashMemo | undefined,
): (bytes: number) => Buffer[] {
  const body = requestHashBody(v, subject, parents, memo);
  const generation = subject[0]?.generation ?? 1;
  return (bytes) => {
    const out: Buffer[] = [ctx.secrets.requestHashGen1(body, bytes)];
    for (let g = 2; g <= generation; g++) out.push(ctx.secrets.rekeyRequestHash(g, out[out.length - 1]!));
    return out.slice(-2);
  };
}

export interface PreparedPlacement {
  readonly v: ValidPlacement;
  readonly subject: DerivedPseudonym[];
  readonly parents: DerivedPseudonym[][];
  readonly hash: Buffer;
  /** The hash at generation−1 too (a retry across a server-secret rotation). */
  readonly hashes: readonly Buffer[];
  /** The same hashes at another length (a signal written with 16-byte hashes). */
  readonly hashesOfLength: (bytes: number) => readonly Buffer[];
  /** The server-secret generation every derived value is at. */
  readonly generation: number;
  readonly subjectLookup: Buffer[];
}

/**
 * Validation and re-keying: pure CPU, done before the write so the writer stays fast.
 * `memo`: the batch's (request-hash-body.ts), made for its items and dropped with it.
 */
export function preparePlacement(
  ctx: EngineContext,
  input: PlaceSignalInput,
  now: number,
  memo?: RequestHashMemo,
): PreparedPlacement {
  const prep = derivePlacement(ctx, validatePlacement(input, now), memo);
  if (prep.parents.length === 0) return prep;
  const subjectStored = new Set(prep.subject.map((p) => hex(p.stored)));
  const parentStored = prep.parents.flat().map((p) => hex(p.stored));
  if (parentStored.some((x) => subjectStored.has(x)) || new Set(parentStored).size !== parentStored.length) {
    fail(['parents']);
  }
  return prep;
}

/**
 * Re-derives a placement prepared before a server-secret rotation began (the values
 * must be at the generation current when the write runs, docs/keys.md). Pure CPU, rare.
 */
export function atCurrentGeneration(ctx: EngineContext, prep: PreparedPlacement): PreparedPlacement {
  return prep.generation === ctx.secrets.current ? prep : derivePlacement(ctx, prep.v);
}

/** The stored values and request hashes of a validated placement, at the current generation. */
function derivePlacement(ctx: EngineContext, v: ValidPlacement, memo?: RequestHashMemo): PreparedPlacement {
  const subject = v.subject.map((p) => derive(ctx, p));
  const parents = v.parents.map((pp) => pp.map((p) => derive(ctx, p)));
  const hashesOfLength = requestHashes(ctx, v, subject, parents, memo);
  const hashes = hashesOfLength(REQUEST_HASH_BYTES);
  return {
    v,
    subject,
    parents,
    hash: hashes[hashes.length - 1]!,
    hashes,
    hashesOfLength,
    generation: ctx.secrets.current,
    subjectLookup: subject.flatMap((p) => p.lookup),
  };
}
