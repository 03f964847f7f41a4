// The store's critical section of webhook key changes (docs/keys.md §4.5), and the wait for it.
// Invariant: a rotation or retirement, and the start's comparison with the logbook, run inside
// it on every instance of the store (its `exclusive`: a PostgreSQL advisory lock), one after
// the other; one that cannot enter within SECTION_WAIT_MS is refused (`conflict`), never run
// outside it. ServerKeys (server-keys.ts) and the comparison (webhook-key-reconciliation.ts)
// enter it; webhook-keys.json is read afresh and replaced inside it.

import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '@sluis/engine';

/** The name of the section in the store's `exclusive`. */
export const WEBHOOK_KEYS_SECTION = 'webhook-keys';
/** How long a change, or the start's comparison, waits for another change to leave the section. */
const SECTION_WAIT_MS = 10_000;
const SECTION_POLL_MS = 20;

/**
 * What `attempt` answers once it found the section free (undefined: busy), tried again every
 * SECTION_POLL_MS up to SECTION_WAIT_MS; then `conflict`.
 */
export async function whenSectionFree<T>(attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + SECTION_WAIT_MS;
  for (;;) {
    const r = await attempt();
    if (r !== undefined) return r;
    if (performance.now() >= deadline) {
      throw new EngineError('conflict', 'another webhook key change is still running');
    }
    await sleep(SECTION_POLL_MS);
  }
}
