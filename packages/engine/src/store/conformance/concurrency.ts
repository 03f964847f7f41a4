// Store conformance, concurrency (docs/engine.md "Storage contract", clauses 3-5): the
// critical sections make concurrent read-then-write operations exact — pairwise matches
// for one person, a day budget, one logbook chain, inbox cursors a reader never skips
// (concurrency-sections.ts) — nonces, job locks and outbox claims are shared
// (concurrency-shared.ts), and the secret generation fence holds in every order
// (concurrency-fence.ts). Each case runs its writes concurrently on one instance of the
// store here; the same cases on two instances on the same data are a trait
// (store/traits/instances.ts).

import { FENCE_CASES } from './concurrency-fence.js';
import { SECTION_CASES } from './concurrency-sections.js';
import { SHARED_CASES } from './concurrency-shared.js';
import type { ConformanceContext, InstancesCase } from './fixtures.js';

export type { InstancesCase } from './fixtures.js';

/** Every concurrency case; the two-instance run of them is a trait (store/traits/instances.ts). */
export const CONCURRENCY_CASES: readonly InstancesCase[] = [
  ...SECTION_CASES,
  ...SHARED_CASES,
  ...FENCE_CASES,
];

/** The cases on one instance: the contract every store keeps. */
export function concurrencyCases({ test, withStore }: ConformanceContext): void {
  for (const c of CONCURRENCY_CASES) {
    test(
      c.name,
      withStore((s) => c.run([s])),
    );
  }
}
