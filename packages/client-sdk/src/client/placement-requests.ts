// Placing signals (docs/api.md "POST /v1/signals", "POST /v1/signals/batch") and the key
// rotation's migration ("POST /v1/signals/migrate"): the requests that need the covenant keys.
// Invariant: identifiers are checked and pseudonymised in this process (placement.ts,
// batches.ts) and only pseudonyms are sent; the pseudonymisers come with each call from the
// client's private fields and are kept nowhere here (request-context.ts).

import { isSluisError, SluisError } from '../errors.js';
import type { Pseudonymiser } from '../protocol/pseudonymiser.js';
import {
  type AnyBatchItemResult,
  type BatchOptions,
  type MigrateOptions,
  migrationBatch,
  placementBatch,
  sendItemBatches,
} from './batches.js';
import { type MigrateSignalInput, type PlaceSignalInput, preparePlacement } from './placement.js';
import type { RequestContext } from './request-context.js';
import { asArchiveNotice, asArray, asHeldElsewhere, asObj, asOutcome, asSignal } from './responses.js';
import type { PlacementResult } from './types.js';
import type { RandomSource } from './uuid.js';
import { todayUtc } from './validate.js';

/**
 * Validates and pseudonymises locally, then places the signal. Retried safely: the same
 * requestId is sent on every attempt, so the server creates the signal at most once.
 */
export async function placeSignal(
  ctx: RequestContext,
  keys: readonly Pseudonymiser[],
  random: RandomSource,
  input: PlaceSignalInput,
): Promise<PlacementResult> {
  const body = await preparePlacement(input, keys, todayUtc(ctx.clock), random);
  // The requestId with every failure from here on (docs/sdk.md "Errors"), an answer it cannot
  // read included (the placement did arrive): placing again with it is answered `replayed`
  // if an attempt did arrive, never placed twice.
  return readPlacement(ctx, body).catch((e: unknown) => {
    if (!isSluisError(e)) throw e;
    throw new SluisError(e.code, { ...e.details, requestId: body.requestId }, { cause: e.cause });
  });
}

async function readPlacement(
  ctx: RequestContext,
  body: Awaited<ReturnType<typeof preparePlacement>>,
): Promise<PlacementResult> {
  const answer = asObj(await ctx.send({ method: 'POST', path: '/v1/signals', body, idempotent: true }));
  const outcome = asOutcome(answer.outcome);
  if (answer.heldByYou === false) {
    // No signal: a colleague (or no one) holds it (docs/api.md "Need to know").
    return asHeldElsewhere(outcome, body.requestId);
  }
  const notices = answer.archiveNotices === undefined ? [] : asArray(answer.archiveNotices, asArchiveNotice);
  return {
    outcome,
    signal: asSignal(answer.signal),
    requestId: body.requestId,
    ...(answer.heldByYou === true ? { heldByYou: true } : {}),
    ...(notices.length === 0 ? {} : { archiveNotices: notices }),
  };
}

/** Places many signals through the batch route; per-item results in the order of `items`. */
export function placeSignals(
  ctx: RequestContext,
  keys: readonly Pseudonymiser[],
  random: RandomSource,
  items: readonly PlaceSignalInput[],
  options: BatchOptions,
): Promise<AnyBatchItemResult[]> {
  return sendItemBatches(ctx, placementBatch(keys, todayUtc(ctx.clock), random), items, options);
}

/** Adds each own active signal's pseudonyms under the target epoch(s) (docs/keys.md). */
export function migrateSignals(
  ctx: RequestContext,
  keys: readonly Pseudonymiser[],
  items: readonly MigrateSignalInput[],
  options: MigrateOptions,
): Promise<AnyBatchItemResult[]> {
  return sendItemBatches(ctx, migrationBatch(keys, options.epochs), items, options);
}
