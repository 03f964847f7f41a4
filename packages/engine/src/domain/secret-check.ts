// Server-secret check values (docs/keys.md §2.2 "Check values"). Invariant: no instance
// derives stored values under a secret of generation g other than the one the store's
// first holder of g recorded a check value for. Without it a second instance on a shared
// store (a new data directory makes its own server-secret-1.key), or an SQLite file opened
// with another backup's keys, would store values no other instance can ever match. The
// check value is a MAC of a fixed input (protocol/stored-pseudonym.ts secretCheckValue);
// refusals name the generation, never a key or a check value.

import { timingSafeEqual } from 'node:crypto';
import { EngineError } from '../errors.js';
import { secretCheckValue } from '../protocol/stored-pseudonym.js';
import type { StoreWriter } from '../store/store.js';
import type { EngineContext } from './context.js';

/** Records generation `g`'s check value, or compares it with the recorded one: `server_secret_mismatch`. */
export async function recordSecretCheck(
  ctx: EngineContext,
  tx: StoreWriter,
  generation: number,
  checkValue: Uint8Array,
): Promise<void> {
  compare(generation, await tx.recordSecretCheck(generation, checkValue, ctx.clock()), checkValue);
}

/**
 * At start, before anything is derived or a rotation reconciled: every generation both the
 * store and this instance know must have this instance's check value (`server_secret_mismatch`,
 * lowest generation first), and the store must not record a generation this instance lacks
 * (`secret_generation_missing`). Compared first: a new data directory on a store at a later
 * generation has a foreign generation 1, so it is told that, not to copy the next file — on
 * every start, not only the one that made its keys (docs/operations.md "High availability").
 * Read first: a write only records the values not recorded yet, so a start on a read-only
 * database whose values are there stays a read.
 */
export async function verifySecretChecks(ctx: EngineContext): Promise<void> {
  const unrecorded = await ctx.store.read(async (tx) => {
    const stored = (await tx.latestSecretRotation())?.generation ?? 1;
    const unrecorded: number[] = [];
    for (let g = 1; g <= Math.min(stored, ctx.secrets.current); g++) {
      const recorded = await tx.secretCheck(g);
      if (recorded === undefined) unrecorded.push(g);
      else compare(g, recorded, ctx.secrets.checkValue(g));
    }
    if (stored > ctx.secrets.current) {
      throw new EngineError(
        'secret_generation_missing',
        `the store records server-secret generation ${ctx.secrets.current + 1}, whose key file this instance lacks`,
        { generation: ctx.secrets.current + 1 },
      );
    }
    return unrecorded;
  });
  if (unrecorded.length === 0) return;
  await ctx.store.write(async (tx) => {
    for (const g of unrecorded) await recordSecretCheck(ctx, tx, g, ctx.secrets.checkValue(g));
  });
}

/** A generation loaded while running (secret-generation.ts): checked before it is used. */
export async function verifyLoadedSecret(
  ctx: EngineContext,
  generation: number,
  secret: Uint8Array,
): Promise<void> {
  const check = secretCheckValue(secret, generation);
  const recorded = await ctx.store.read((tx) => tx.secretCheck(generation));
  if (recorded !== undefined) compare(generation, recorded, check);
  else await ctx.store.write((tx) => recordSecretCheck(ctx, tx, generation, check));
}

function compare(generation: number, recorded: Uint8Array, checkValue: Uint8Array): void {
  if (recorded.length !== checkValue.length || !timingSafeEqual(recorded, checkValue)) {
    throw new EngineError(
      'server_secret_mismatch',
      `server-secret generation ${generation} of this instance does not belong to the store (its check value differs)`,
      { generation },
    );
  }
}
