// The server-secret generation fence (docs/engine.md "Storage contract", clause 5): the one
// refusal of a write whose stored values were derived at a generation older than the
// store's. The stores raise it from `fenceGeneration`; the domain from a generation it read.

import { EngineError } from '../errors.js';

/**
 * `used` is the in-memory generation when the operation began, `seen` the store's generation
 * read under the logbook section. A rotation records its generation under that section, so
 * when `seen` is not newer the operation commits before any newer generation can be recorded.
 */
export function checkGeneration(used: number, seen: number): void {
  if (seen > used) {
    throw new EngineError(
      'secret_generation_stale',
      'a newer server-secret generation is recorded in the store',
    );
  }
}
