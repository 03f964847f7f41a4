// A restriction (art. 18) or a pending objection (art. 21) on the person's parent links
// (docs/engine.md "GDPR requests (municipality only)"; parent-holds.ts): the desk's request
// holds, or frees, every stored row that names the person as a parent of a child's signal.
// The child's signals are not restricted. Invariants: both parties of each active family
// match whose view changes get `match.updated` (art. 19), as for a restricted signal; freed
// links catch up the family matches missed meanwhile.

import type { OrganisationRow, SignalRow, StoreWriter } from '../store/store.js';
import type { EngineContext } from './context.js';
import { catchUp } from './matching.js';
import { notifyParties } from './notify.js';
import { familyMatchHold, holdObjects, holdRestricts } from './parent-holds.js';
import { isRestricted, matchAsRecorded } from './views.js';

/** What a family match's view says of restriction and objection (views.ts `matchView`). */
async function shown(tx: StoreWriter, m: Parameters<typeof familyMatchHold>[1], a: SignalRow, b: SignalRow) {
  const hold = await familyMatchHold(tx, m, a, b);
  const restricted = a.restricted || b.restricted || holdRestricts(hold);
  const underObjection = a.objection === 'pending' || b.objection === 'pending' || holdObjects(hold);
  return `${restricted}/${underObjection}`;
}

/**
 * Sets (`on`) or clears the hold bit `bit` (PARENT_HOLD) on the parent links of the person
 * whose values are `lookup`; tells the parties of each family match whose view changed and,
 * when a link is freed, catches its signal up. Answers the links changed and the matches created.
 */
export async function holdParentLinksOf(
  ctx: EngineContext,
  tx: StoreWriter,
  lookup: readonly Uint8Array[],
  bit: number,
  on: boolean,
  now: number,
): Promise<{ parentLinks: number; matchesCreated: number }> {
  const linked = await tx.findSignalsByStored(lookup, 'parent');
  const family = new Map<number, { m: Parameters<typeof familyMatchHold>[1]; view: string }>();
  for (const s of linked) {
    for (const m of await tx.matchesOfSignal(s.rid)) {
      if (m.kind !== 'family' || m.status !== 'active' || family.has(m.rid)) continue;
      const [a, b] = [await tx.getSignalByRid(m.a), await tx.getSignalByRid(m.b)];
      // A match with a due signal reads as ended (views.ts `matchAsRecorded`): nothing to tell.
      if (a === undefined || b === undefined || matchAsRecorded(m, a, b, now).status !== 'active') continue;
      family.set(m.rid, { m, view: await shown(tx, m, a, b) });
    }
  }
  const changed = await tx.holdParentLinks(lookup, bit, on);
  for (const { m, view } of family.values()) {
    const [a, b] = [(await tx.getSignalByRid(m.a))!, (await tx.getSignalByRid(m.b))!];
    if ((await shown(tx, m, a, b)) === view) continue;
    const orgs: OrganisationRow[] = [];
    for (const t of [a, b]) {
      const o = await tx.getOrganisationByRid(t.organisationRid);
      if (o !== undefined) orgs.push(o);
    }
    await notifyParties(ctx, tx, orgs, 'match.updated', m.id, now);
  }
  let matchesCreated = 0;
  if (!on) {
    const freed = new Set(changed);
    for (const s of linked) {
      if (freed.has(s.rid) && s.status === 'active' && !isRestricted(s))
        matchesCreated += await catchUp(ctx, tx, s, now);
    }
  }
  return { parentLinks: changed.length, matchesCreated };
}
