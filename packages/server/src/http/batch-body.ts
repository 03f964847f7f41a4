// The batch placement's body parsed and checked as the route does it on the main thread (the
// envelope, then each item: schemas/placement-check.ts in front of the Placement schema), for
// the engine's batch worker thread (docs/engine.md "Batch preparation on a worker"), which loads
// this module by its URL. Refusals carry codes and field paths only, never a value.

import type { ParsedBatchBody } from '@sluis/engine';
import { isServerError } from '../errors.js';
import { checkedItem, placementInput } from '../routes/organisation-helpers.js';
import { validate } from './exchange.js';
import { parseJson } from './raw-body.js';
import { BatchEnvelope, Placement } from './schemas/signals.js';
import { placementChecker } from './schemas/placement-check.js';

/** This module's URL, the parser the route names to the engine. */
export const BATCH_BODY_PARSER = new URL(import.meta.url);

export function parseBatchBody(bytes: Uint8Array): ParsedBatchBody {
  let items: readonly unknown[];
  try {
    items = validate(BatchEnvelope, parseJson(bytes), 'body', []).items;
  } catch (e) {
    if (isServerError(e)) return { refused: { code: e.code, fields: e.fields } };
    return { refused: { code: 'validation_failed', fields: ['body'] } };
  }
  const check = placementChecker();
  return { items: items.map((item, index) => checkedItem(item, index, Placement, placementInput, check)) };
}
