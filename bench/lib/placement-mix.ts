// Case 2's mix of placements (cases/placement.ts), for the cases and tools that place it over
// HTTP or through an engine in this process: the n-th placement is organisation n mod the
// organisations', about the next person of `people`, except every third, which is about the
// person placed just before (by the previous organisation, so matching does real work). One mix
// numbers its placements on across every server or engine it feeds, so request ids and
// contacts never repeat within it.

import type { Pseudonym } from '@sluis/client-sdk';
import type { BenchServer } from './bench-server.js';
import { placementBody } from './population.js';
import type { PreparedRequest } from './signed-requests.js';

export interface PlacementMix {
  /** The next placement over `organisations` organisations: which one places it, and its body. */
  next(organisations: number): { readonly organisation: number; readonly body: Record<string, unknown> };
}

/** A mix over `people` (about 0.7 of a person a placement); throws when they run out. */
export function placementMix(people: readonly Pseudonym[]): PlacementMix {
  let personIndex = 0;
  let n = 0;
  return {
    next(organisations) {
      const organisation = n % organisations;
      const person = n % 3 === 2 ? people[Math.max(0, personIndex - 1)] : people[personIndex++];
      if (person === undefined) throw new Error('bench: more placements than people prepared');
      const body = placementBody(person, n, organisation, Math.floor(n / organisations));
      n++;
      return { organisation, body };
    },
  };
}

/**
 * The mix's next `count` placements as requests to `bench`, each signed by its organisation, all
 * created now. The same seeds make the same keys on every bench server; organisation ids differ,
 * bodies do not name them.
 */
export function signedPlacements(mix: PlacementMix, bench: BenchServer, count: number): PreparedRequest[] {
  const created = Math.floor(Date.now() / 1000);
  const out: PreparedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const { organisation, body } = mix.next(bench.organisations.length);
    out.push(bench.organisations[organisation]!.signer.prepare('POST', '/v1/signals', body, created));
  }
  return out;
}
