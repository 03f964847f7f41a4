// The batch routes (placement, migration): splits the prepared wire items into chunks the
// server accepts and merges the per-item answers back in the caller's order. Invariant:
// a chunk stays within MAX_BATCH_ITEMS items and well under the 1 MiB body limit.

import type { RequestContext } from './request-context.js';
import { asBatchResults } from './responses.js';
import type { BatchItemResult, MigrationBody, PlacementBody } from './types.js';
import { intOption } from './client-options.js';

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
   * (a pipelined import, docs/sdk.md "Bulk import"). If it rejects, nothing is sent and the
   * call rejects with its reason.
   */
  readonly after?: Promise<unknown>;
}

export interface MigrateOptions extends BatchOptions {
  /** Epochs to pseudonymise under. Default: the newest configured key only. */
  readonly epochs?: readonly number[];
}

/** Sends the prepared items chunk by chunk and writes each answer into `results` at its index. */
export async function sendBatches<T extends { index: number; body: PlacementBody | MigrationBody }>(
  ctx: RequestContext,
  path: string,
  prepared: readonly T[],
  results: BatchItemResult[],
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
    });
    const mapped = asBatchResults(
      answer,
      part.length,
      part.map((p) => p.index),
    );
    for (const r of mapped) {
      const requestId = requestIdOf(part.find((p) => p.index === r.index)!);
      results[r.index] = requestId === undefined ? r : { ...r, requestId };
    }
    done += part.length;
    options.onProgress?.(done, results.length);
  }
}
