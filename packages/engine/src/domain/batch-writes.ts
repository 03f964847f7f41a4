// The rows a batch of placements decided and has not written yet (docs/engine.md "Batch
// placement"): new signals with their stored pseudonyms, matches, inbox events with their
// webhook deliveries, mail notices and management-information counters, kept in memory and
// written by `flush` with few multi-row statements (store/contract/ `insertPlacements`,
// `insertMatches`, `appendEvents`). Invariant: signals are written first, so that what
// names them (a match's pair) is written with the rids the store gave them; what the batch
// *sees* of these rows is the view's (batch-view.ts `BatchView`, which extends this).

import type {
  NewDelivery,
  NewMailNotice,
  NewMatch,
  NewPlacement,
  SignalRow,
  StoreWriter,
} from '../store/store.js';
import { inOrder } from '../in-order.js';
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

  /**
   * Writes what the items decided: the signals first (their rids), then what names them —
   * matches, inbox events, notices, counters — sent together without waiting for each
   * other's answers, in this order, and last the webhook deliveries (they name the events'
   * cursors). On PostgreSQL the middle part is one round trip, its statements run in the
   * order sent, so the inbox cursors' row locks are still taken in organisation rid order
   * (docs/engine.md "Coalesced placements"). `alongside`: the caller's writes sent
   * behind them in the same round trip (a group's hour counters). The error is the first
   * call's that failed, in this order (in-order.ts).
   */
  async flush(alongside?: () => Promise<unknown>[]): Promise<void> {
    const tx = this.#tx;
    if (this.signals.length > 0) {
      const rids = await tx.insertPlacements(this.signals.map((x) => x.placement));
      this.signals.forEach((x, i) => {
        x.row.rid = rids[i]!;
      });
      this.signals = [];
      this.pending.clear();
    }
    const matches = this.#matches;
    const events = this.#events;
    const mail = this.#mail;
    const statistics = [...this.#statistics.values()];
    this.#matches = [];
    this.#events = [];
    this.#mail = [];
    this.#statistics.clear();
    const writes: Promise<unknown>[] = [];
    if (matches.length > 0)
      writes.push(tx.insertMatches(matches.map((m) => ({ ...m.row, a: m.a.rid, b: m.b.rid }))));
    // A delivery names its event's cursor: sent once the cursors are answered, after the
    // writes below — a delivery answered "transaction aborted" must not come before their
    // own error in the order that counts.
    const appended = events.length > 0 ? tx.appendEvents(events.map((e) => e.row)) : undefined;
    if (appended !== undefined) writes.push(appended);
    for (const n of mail) writes.push(tx.insertMailNotice(n));
    for (const c of statistics) {
      writes.push(tx.addStatistic(monthOf(this.#now), c.type, STATISTIC_METRICS.indexOf(c.metric), c.by));
    }
    if (alongside !== undefined) writes.push(...alongside());
    await inOrder(writes);
    if (appended === undefined || events.every((e) => e.delivery === undefined)) return;
    const cursors = await appended;
    await inOrder(
      events.flatMap((e, i) =>
        e.delivery === undefined ? [] : [tx.insertDelivery({ ...e.delivery, cursor: cursors[i]! })],
      ),
    );
  }
}
