// The single placement's body check in front of its schema (route.ts `bodyCheck`,
// docs/performance.md "Eighth pass"): the batch items' direct check (placement-check.ts),
// which only ever accepts, shared by the requests that follow one another. Its memory of
// text values the rules accepted — a professional's contact details repeat from placement
// to placement, and the text rules were most of the check's time — is dropped after a
// fixed number of requests, so it holds at most a few values per request of that many.

import type { z } from 'zod';
import { placementChecker } from './placement-check.js';
import type { Placement } from './signals.js';

/** Requests one checker's memory of accepted texts serves before it is dropped. */
export const REQUESTS_PER_MEMO = 512;

/** A check of one placement body per call: the schema's output, or undefined for "ask zod". */
export function placementBodyCheck(
  requestsPerMemo = REQUESTS_PER_MEMO,
): (body: unknown) => z.output<typeof Placement> | undefined {
  let check = placementChecker();
  let uses = 0;
  return (body) => {
    if (uses++ === requestsPerMemo) {
      check = placementChecker();
      uses = 1;
    }
    return check(body);
  };
}
