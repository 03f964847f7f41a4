// The batch routes (placement, migration): what each checks and sends (placementBatch,
// migrationBatch); checks each item locally, pseudonymises the
// valid ones per epoch, splits the wire items into chunks the server accepts and merges
// the per-item answers back in the caller's order. Invariant:
// a chunk stays within MAX_BATCH_ITEMS items and well under the 1 MiB body limit.

import { SluisError } from '../errors.js';
import type { Pseudonymiser } from '../protocol/pseudonymiser.js';
import { intOption } from './client-options.js';
import type { CalendarDate } from './dates.js';
import {
  checkMigration,
  checkPlacement,
  type MigrateSignalInput,
  type PersonPseudonyms,
  type Persons,
  type PlaceSignalInput,
  pseudonymiseItems,
} from './placement.js';
import type { RequestContext } from './request-context.js';
import { asBatchResults } from './responses.js';
import type { BatchItemResult, MigrationBody, MinimalBatchItemResult, PlacementBody } from './types.js';
import type { RandomSource } from './uuid.js';

/** Largest batch the server accepts (docs/api.md). */
export const MAX_BATCH_ITEMS = 500;
/** Stay well under the 1 MiB body limit of the batch routes. */
const MAX_BATCH_BYTES = 900_000;

/** Splits wire items into chunks of at most MAX_BATCH_ITEMS items and MAX_BATCH_BYTES. */
function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = JSON.stringify(item).length + 1;
    if (current.length > 0 && (current.length >= size || bytes + n > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export interface BatchOptions {
  /** Items per request, 1–500. Default 500. */
  readonly chunkSize?: number;
  /** Called after each chunk with the number of items done so far. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Nothing is sent before this settles: the items are checked and pseudonymised meanwhile
   * (a pipelined import, docs/sdk.md "CSV import"). If it rejects, nothing is sent and the
   * call rejects with its reason.
   */
  readonly after?: Promise<unknown>;
  /**
   * Ask for the minimal answer (`Prefer: return=minimal`, docs/api.md "POST /v1/signals/batch"):
   * each placed item's result carries its signal's id only (MinimalBatchItemResult), not its view.
   * For a caller that keeps no more than outcome and id per item (the CSV import).
   */
  readonly minimal?: boolean;
}

/** A batch's per-item result in either answer form. */
export type AnyBatchItemResult = BatchItemResult | MinimalBatchItemResult;

export interface MigrateOptions extends BatchOptions {
  /** Epochs to pseudonymise under. Default: the newest configured key only. */
  readonly epochs?: readonly number[];
}

/** Sends the prepared items chunk by chunk and writes each answer into `results` at its index. */
export async function sendBatches<T extends { index: number; body: PlacementBody | MigrationBody }>(
  ctx: RequestContext,
  path: string,
  prepared: readonly T[],
  results: AnyBatchItemResult[],
  options: BatchOptions,
  requestIdOf: (p: T) => string | undefined,
): Promise<void> {
  const size = intOption(options.chunkSize, MAX_BATCH_ITEMS, 1, MAX_BATCH_ITEMS, 'chunkSize');
  if (options.after !== undefined) await options.after;
  let done = results.filter((r) => r !== undefined).length;
  for (const part of chunk(prepared, size)) {
    const answer = await ctx.send({
      method: 'POST',
      path,
      body: { items: part.map((p) => p.body) },
      idempotent: path === '/v1/signals/batch' || path === '/v1/signals/migrate',
      ...(options.minimal === true ? { prefer: 'return=minimal' } : {}),
    });
    const indexes = part.map((p) => p.index);
    const mapped: AnyBatchItemResult[] =
      options.minimal === true
        ? asBatchResults(answer, part.length, indexes, true)
        : asBatchResults(answer, part.length, indexes);
    for (const r of mapped) {
      const requestId = requestIdOf(part.find((p) => p.index === r.index)!);
      results[r.index] = requestId === undefined ? r : { ...r, requestId };
    }
    done += part.length;
    options.onProgress?.(done, results.length);
  }
}

/** One batch: how an item is checked and what its local refusal and its wire body carry. */
export interface ItemBatch<I, B extends PlacementBody | MigrationBody> {
  readonly path: string;
  readonly keys: readonly Pseudonymiser[];
  /** Throws SluisError for an item that is not sent; its persons and body builder otherwise. */
  readonly check: (item: I) => { readonly persons: Persons; readonly build: (p: PersonPseudonyms) => B };
  /** Fields of the item a local refusal repeats (a placement's requestId). */
  readonly localFields: (item: I) => { readonly requestId?: string };
  readonly requestIdOf: (body: B) => string | undefined;
}

/** The placement batch (POST /v1/signals/batch) under every configured key; dates checked against `today`. */
export function placementBatch(
  keys: readonly Pseudonymiser[],
  today: CalendarDate,
  random: RandomSource,
): ItemBatch<PlaceSignalInput, PlacementBody> {
  const kinds = keys.map((k) => k.kind);
  return {
    path: '/v1/signals/batch',
    keys,
    check: (item) => checkPlacement(item, today, random, kinds),
    localFields: (item) => (typeof item?.requestId === 'string' ? { requestId: item.requestId } : {}),
    requestIdOf: (body) => body.requestId,
  };
}

/**
 * The migration batch (POST /v1/signals/migrate) under `epochs` of the configured keys
 * `all`, by default the newest only; an epoch without a key is `epoch_invalid`.
 */
export function migrationBatch(
  all: readonly Pseudonymiser[],
  epochs: readonly number[] | undefined,
): ItemBatch<MigrateSignalInput, MigrationBody> {
  const keys =
    epochs === undefined
      ? [all[all.length - 1]!]
      : epochs.map((e) => all.find((k) => k.epoch === e) ?? epochInvalid());
  if (keys.length === 0) epochInvalid();
  const kinds = keys.map((k) => k.kind);
  return {
    path: '/v1/signals/migrate',
    keys,
    check: (item) => checkMigration(item, kinds),
    localFields: () => ({}),
    requestIdOf: () => undefined,
  };
}

function epochInvalid(): never {
  throw new SluisError('epoch_invalid');
}

/**
 * Results in the order of `items`: a local refusal (`local: true`) for an item that fails
 * its check, the server's per-item answer for the others (one pseudonymisation batch per
 * epoch over every valid item: an OPRF epoch makes one round trip per 1000 identifiers).
 */
export async function sendItemBatches<I, B extends PlacementBody | MigrationBody>(
  ctx: RequestContext,
  batch: ItemBatch<I, B>,
  items: readonly I[],
  options: BatchOptions,
): Promise<AnyBatchItemResult[]> {
  const results: AnyBatchItemResult[] = new Array(items.length);
  const checked: { index: number; item: ReturnType<ItemBatch<I, B>['check']> }[] = [];
  items.forEach((item, index) => {
    try {
      checked.push({ index, item: batch.check(item) });
    } catch (e) {
      if (!(e instanceof SluisError)) throw e;
      results[index] = {
        index,
        ok: false,
        code: e.code,
        fields: e.details.fields ?? [],
        local: true,
        ...batch.localFields(item),
      };
    }
  });
  const pseudonyms = await pseudonymiseItems(
    batch.keys,
    checked.map((c) => c.item.persons),
  );
  const prepared = checked.map((c, i) => ({ index: c.index, body: c.item.build(pseudonyms[i]!) }));
  await sendBatches(ctx, batch.path, prepared, results, options, (p) => batch.requestIdOf(p.body));
  return results;
}
