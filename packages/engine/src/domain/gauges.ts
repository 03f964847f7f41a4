// The gauges of /metrics: organisations, signals and matches by status. At millions of
// signals a count over one index walks it whole (≈ 40 ms per million signals), so the
// counts are taken in pieces — one organisation's signals, one status and kind of
// matches — each its own read, yielding to the event loop between them: requests are
// served between the pieces instead of waiting for the whole count. The pieces are not
// one snapshot; a change committed meanwhile may show in one count and not another,
// which a gauge refreshed every minute can bear (docs/operations.md "Monitor"). The full
// statistics (admin stats, with the follow-up and per-epoch counts) are one read.
// Both count as every read shows it: a signal past its expiresAt is inactive and its
// matches ended, whether or not the expiry is recorded yet (store `dueCounts`).

import type { FollowUpCounts, Gauges, Statistics } from '../api.js';
import type { DueCounts, StoreCounts } from '../store/store.js';
import type { EngineContext } from './context.js';

/** The stored counts with the due signals inactive and their active matches ended. */
function asShown(c: Pick<StoreCounts, 'signals' | 'matches'>, due: DueCounts) {
  const ending = due.matches.person + due.matches.family;
  return {
    signals: { active: c.signals.active - due.signals, inactive: c.signals.inactive + due.signals },
    matches: { active: c.matches.active - ending, ended: c.matches.ended + ending, family: c.matches.family },
  };
}

function followUpAsShown(f: FollowUpCounts, due: FollowUpCounts): FollowUpCounts {
  return {
    matches: f.matches - due.matches,
    withoutOutcome: f.withoutOutcome - due.withoutOutcome,
    outcomes: Object.fromEntries(
      Object.entries(f.outcomes).map(([o, n]) => [o, n - due.outcomes[o as keyof typeof due.outcomes]]),
    ) as FollowUpCounts['outcomes'],
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function gauges(ctx: EngineContext): Promise<Gauges> {
  const organisations = await ctx.store.read((tx) => tx.listOrganisations());
  let active = 0;
  let inactive = 0;
  for (const o of organisations) {
    await turn();
    const c = await ctx.store.read((tx) => tx.signalStateCounts(o.rid));
    active += c.active;
    inactive += c.inactive;
  }
  const matches = { active: 0, ended: 0, family: 0 };
  for (const status of ['active', 'ended'] as const) {
    for (const kind of ['person', 'family'] as const) {
      await turn();
      const n = await ctx.store.read((tx) => tx.matchCount(status, kind));
      matches[status] += n;
      if (kind === 'family') matches.family += n;
    }
  }
  await turn();
  const due = await ctx.store.read((tx) => tx.dueCounts(ctx.clock()));
  return {
    organisations: {
      active: organisations.filter((o) => o.status === 'active').length,
      suspended: organisations.filter((o) => o.status === 'suspended').length,
    },
    ...asShown({ signals: { active, inactive }, matches }, due),
  };
}

/** Engine.statistics: the store's counts with the active matches' follow-up, in one read. */
export async function statistics(ctx: EngineContext): Promise<Statistics> {
  return ctx.store.read(async (tx) => {
    const now = ctx.clock();
    const counts = await tx.counts();
    const followUp = await tx.followUpCounts('active');
    const due = await tx.dueCounts(now);
    return {
      ...counts,
      ...asShown(counts, due),
      followUp: followUpAsShown(followUp, due.followUp),
      epochs: await tx.epochSignalCounts(now),
    };
  });
}
