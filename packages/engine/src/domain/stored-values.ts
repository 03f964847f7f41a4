// From client pseudonyms to the values the store holds and the values a lookup must try.
// Stored rows are written at the current server-secret generation; during a rotation
// (docs/keys.md) rows at generation current−1 still exist, so lookups try both.

import type { EngineContext } from './context.js';
import type { DecodedPseudonym } from '../validation.js';
import type { StoredPseudonymRow } from '../store/store.js';

export interface DerivedPseudonym {
  readonly epoch: number;
  /** The server-secret generation `stored` was computed at (the current one then). */
  readonly generation: number;
  /** The value stored at `generation`. */
  readonly stored: Buffer;
  /** The generation-1 value: only the base of the placement's idempotency hash, never stored. */
  readonly first: Buffer;
  /** Values a lookup must try: current and, during a rotation, current−1. */
  readonly lookup: readonly Buffer[];
}

export function derive(ctx: EngineContext, p: DecodedPseudonym): DerivedPseudonym {
  const chain = ctx.secrets.derive(p.epoch, p.bytes);
  const stored = chain[chain.length - 1]!;
  return { epoch: p.epoch, generation: chain.length, stored, first: chain[0]!, lookup: chain.slice(-2) };
}

/** Lookup values for rows already stored (catch-up matching): each row rekeyed forward. */
export function lookupFromStored(ctx: EngineContext, rows: readonly StoredPseudonymRow[]): Buffer[] {
  const out: Buffer[] = [];
  for (const r of rows) {
    let v: Buffer = Buffer.from(r.stored);
    out.push(v);
    for (let g = r.generation + 1; g <= ctx.secrets.current; g++) {
      v = ctx.secrets.rekey(g, v);
      out.push(v);
    }
  }
  return out;
}
