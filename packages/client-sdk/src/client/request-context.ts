// What the per-area request functions (the *-requests.ts files) get from SluisClient: its
// signed, retried send and its clock. Invariant: never the signing key or the pseudonym keys;
// those stay in the client's private fields (client.ts), which hands the pseudonymisers to
// the placement requests per call (placement-requests.ts).

import type { Call } from './transport.js';
import { requireUuid } from './validate.js';

export interface RequestContext {
  /** Sends one call through the signed transport (transport.ts); resolves to the answer's body. */
  readonly send: (call: Call) => Promise<unknown>;
  /** Milliseconds since the epoch; "today" for the date checks. */
  readonly clock: () => number;
}

/** An id as a path segment; a non-UUID is refused naming the field, never the value. */
export function sid(id: string, field = 'signalId'): string {
  return encodeURIComponent(requireUuid(id, field));
}
