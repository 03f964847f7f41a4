// The rows a batch of placements decided and has not written yet (docs/engine.md "Batch
// placement"): new signals with their stored pseudonyms, matches, inbox events with their
// webhook deliveries, mail notices and management-information counters, kept in memory and
// written by `flush` with few multi-row statements (store.ts `insertPlacements`,
// `insertMatches`, `appendEvents`). Invariant: signals are written first, so that what
// names them (a match's pair) is written with the rids the store gave them; what the batch
// *sees* of these rows is the view's (batch-plan.ts `BatchView`, which extends this).

import type {
  NewDelivery,
  NewMailNotice,
  NewMatch,
  NewPlacement,
  SignalRow,
  StoreWriter,
} from '../store/store.js';
import { appendLog } from './logbook.js';
import { matchNotices } from './mail-notices.js';
import { monthOf, STATISTIC_METRICS, type StatisticMetric } from './management-information.js';
import { type MakeMatch, newMatchOf } from './matching.js';
import { deliveryOf } from './notify.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class BatchWrites {
  readonly #tx: StoreWriter;
  readonly #now: number;
  /** The new signals, in item order; a row's provisional rid is replaced by the stored one at the flush. */
  protected signals: { row: Mutable<SignalRow>; placement: NewPlacement }[] = [];
  /** The stored pseudonyms of the new signals not written yet, by provisional rid (pseudonymsOf). */
  protected readonly pending = new Map<number, NewPlacement['pseudonyms']>();
  #matches: { row: Omit<NewMatch, 'a' | 'b'>; a: SignalRow; b: SignalRow }[] = [];
  #events: {
    row: { organisationRid: number; type: 'match.created'; matchId: string; at: number };
    delivery?: NewDelivery;
  }[] = [];
  #mail: NewMailNotice[] = [];
  #statistics = new Map<string, { type: string; metric: StatisticMetric; by: number }>();

  constructor(tx: StoreWriter, now: number) {
    this.#tx = tx;
    this.#now = now;
  }

  /**
   * createMatch for a new signal `s` of this batch (matching.ts `MakeMatch`): the same match,
   * events, webhook deliveries, notices, counters and logbook entry, the rows kept for the
   * next flush. No pair can exist yet: `s` is new, and an item matches each signal once.
   */
  readonly plan: MakeMatch = async (ctx, tx, kind, s, sOrg, t, tOrg, at) => {
    const m = newMatchOf(ctx, kind, s, sOrg, t, tOrg, at);
    this.#matches.push({ row: m.row, a: m.a, b: m.b });
    // notifyParties: each distinct organisation once, in rid order.
    for (const o of (sOrg.rid === tOrg.rid ? [sOrg] : [sOrg, tOrg]).sort((x, y) => x.rid - y.rid)) {
      const delivery = deliveryOf(ctx, o, 'match.created', m.row.id, 0, at);
      this.#events.push({
        row: { organisationRid: o.rid, type: 'match.created', matchId: m.row.id, at },
        ...(delivery === undefined ? {} : { delivery }),
      });
    }
    for (const type of m.types) this.count(type, 'matches');
    const parties = [
      { signal: s, org: sOrg },
      { signal: t, org: tOrg },
    ];
    this.#mail.push(...matchNotices(ctx, parties, m.row.id, at));
    await appendLog(tx, at, { kind: 'system' }, 'match.created', m.refs, { kind });
    return true;
  };

  /** countStatistic, summed per counter until the flush. */
  count(type: string, metric: StatisticMetric): void {
    const k = `${metric}\n${type}`;
    const c = this.#statistics.get(k);
    if (c === undefined) this.#statistics.set(k, { type, metric, by: 1 });
    else c.by++;
  }

  /** Writes what the items decided: signals first (their rids), then what names them. */
  async flush(): Promise<void> {
    const tx = this.#tx;
    if (this.signals.length > 0) {
      const rids = await tx.insertPlacements(this.signals.map((x) => x.placement));
      this.signals.forEach((x, i) => {
        x.row.rid = rids[i]!;
      });
      this.signals = [];
      this.pending.clear();
    }
    if (this.#matches.length > 0) {
      await tx.insertMatches(this.#matches.map((m) => ({ ...m.row, a: m.a.rid, b: m.b.rid })));
      this.#matches = [];
    }
    if (this.#events.length > 0) {
      const cursors = await tx.appendEvents(this.#events.map((e) => e.row));
      for (const [i, e] of this.#events.entries()) {
        if (e.delivery !== undefined) await tx.insertDelivery({ ...e.delivery, cursor: cursors[i]! });
      }
      this.#events = [];
    }
    for (const n of this.#mail) await tx.insertMailNotice(n);
    this.#mail = [];
    for (const c of this.#statistics.values()) {
      await tx.addStatistic(monthOf(this.#now), c.type, STATISTIC_METRICS.indexOf(c.metric), c.by);
    }
    this.#statistics.clear();
  }
}
