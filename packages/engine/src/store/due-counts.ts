// Folds the rows of the due-counts query (store `dueCounts`, both stores): the active
// matches with a due signal grouped by kind and both outcome codes, at most 2 × 5 × 5 groups.

import type { DueCounts } from './rows.js';
import { FOLLOW_UP_CODES, MATCH_KINDS } from './sqlite/codec.js';

/** One group: kind and outcome codes as stored (null: none recorded), and how many matches. */
export interface DueMatchGroup {
  readonly kind: number;
  readonly outcomeA: number | null;
  readonly outcomeB: number | null;
  readonly n: number;
}

export function dueCountsOf(signals: number, groups: readonly DueMatchGroup[]): DueCounts {
  const matches = { person: 0, family: 0 };
  const outcomes = Object.fromEntries(FOLLOW_UP_CODES.map((o) => [o, 0])) as Record<
    (typeof FOLLOW_UP_CODES)[number],
    number
  >;
  let withoutOutcome = 0;
  for (const g of groups) {
    matches[MATCH_KINDS[g.kind]!] += g.n;
    if (g.outcomeA === null && g.outcomeB === null) withoutOutcome += g.n;
    for (const o of [g.outcomeA, g.outcomeB]) if (o !== null) outcomes[FOLLOW_UP_CODES[o]!] += g.n;
  }
  return {
    signals,
    matches,
    followUp: { matches: matches.person + matches.family, withoutOutcome, outcomes },
  };
}
