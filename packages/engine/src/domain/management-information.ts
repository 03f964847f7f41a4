// Management information for the municipality (Jeugdwet 7.1.3.1; docs/engine.md
// "Management information", docs/privacy.md §3a). Counters per UTC
// calendar month and organisation type are incremented in the same write as the event they
// count and never decremented, so a month's cells are final once it is closed. The export
// shows closed months only, every cell of the fixed (month, organisation type, metric)
// grid, and no total or other figure derived from more than one cell; any count below
// the suppression threshold is shown as "<n". Together (the argument is in
// docs/privacy.md): two exports agree on every cell they share and hold nothing else, so
// no difference of two exports can recover a suppressed cell.

import type { ManagementInformation, ManagementInformationRow, MiCell, MiQuery } from '../api.js';
import {
  CONTACT_DAYS_BASE,
  MAX_DAYS,
  STATISTIC_METRICS,
  type StatisticMetric,
} from '../store/statistic-codes.js';
import type { StatisticRow, StoreWriter } from '../store/store.js';
import { DAY_MS } from '../time.js';
import { fail } from '../validation.js';
import { type EngineContext, requireAdmin } from './context.js';
import type { Actor } from '../api.js';

export { STATISTIC_METRICS, type StatisticMetric } from '../store/statistic-codes.js';

/** At most this many months in one export. */
const MAX_MONTHS = 120;

/** yyyymm of the UTC calendar month of `ms`. */
export function monthOf(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

function previousMonth(m: number): number {
  return m % 100 === 1 ? (Math.floor(m / 100) - 1) * 100 + 12 : m - 1;
}

/**
 * The newest closed month: one that ended at least a day ago, so no write that began in
 * it (on any instance, within the clock skew) can still add to it.
 */
export function lastClosedMonth(now: number): number {
  return previousMonth(monthOf(now - DAY_MS));
}

export async function countStatistic(
  tx: StoreWriter,
  now: number,
  organisationType: string,
  metric: StatisticMetric,
): Promise<void> {
  await tx.addStatistic(monthOf(now), organisationType, STATISTIC_METRICS.indexOf(metric), 1);
}

/** One recorded contact, `ms` after its match was made: the median's histogram. */
export async function countContactTime(
  tx: StoreWriter,
  now: number,
  organisationType: string,
  ms: number,
): Promise<void> {
  const days = Math.min(MAX_DAYS, Math.max(0, Math.floor(ms / DAY_MS)));
  await tx.addStatistic(monthOf(now), organisationType, CONTACT_DAYS_BASE + days, 1);
}

/** yyyymm of a month written `YYYY-MM`, or undefined. */
function parseMonth(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) return undefined;
  return Number(text.slice(0, 4)) * 100 + Number(text.slice(5, 7));
}

/**
 * The months of a period (yyyymm, oldest first), or the fields refused (docs/engine.md
 * "Management information"): a month not written `YYYY-MM`, a last month not closed at `now`,
 * a first month after the last or more than MAX_MONTHS months (`from`). Every fault at once,
 * as the portal checks the period before it sends it (shared vectors:
 * test/vectors/management-information-periods.json).
 */
export function periodMonths(
  fromText: unknown,
  toText: unknown,
  now: number,
): { readonly months: readonly number[] } | { readonly refused: readonly ('from' | 'to')[] } {
  const from = parseMonth(fromText);
  const to = parseMonth(toText);
  const refused = new Set<'from' | 'to'>();
  if (from === undefined) refused.add('from');
  if (to === undefined || to > lastClosedMonth(now)) refused.add('to');
  const months: number[] = [];
  if (from !== undefined && to !== undefined) {
    for (let m = to; m >= from && months.length <= MAX_MONTHS; m = previousMonth(m)) months.unshift(m);
    if (from > to || months.length > MAX_MONTHS) refused.add('from');
  }
  return refused.size > 0 ? { refused: [...refused] } : { months };
}

const monthText = (m: number) => `${Math.floor(m / 100)}-${String(m % 100).padStart(2, '0')}`;

/** The lower median of a histogram of days (count per day), or undefined when empty. */
function medianDays(histogram: ReadonlyMap<number, number>): number | undefined {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = Math.ceil(total / 2);
  let seen = 0;
  for (const d of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(d)!;
    if (seen >= rank) return d;
  }
  return undefined;
}

export async function managementInformation(
  ctx: EngineContext,
  actor: Actor,
  query: MiQuery,
): Promise<ManagementInformation> {
  requireAdmin(actor);
  const period = periodMonths(query.from, query.to, ctx.clock());
  const bad: string[] = 'refused' in period ? [...period.refused] : [];
  const types = ctx.config.organisationTypes;
  if (query.organisationType !== undefined && !types.includes(query.organisationType)) {
    bad.push('organisationType');
  }
  if (bad.length > 0 || !('months' in period)) fail(bad);
  const months = period.months;
  const from = months[0]!;
  const to = months[months.length - 1]!;
  const rows = await ctx.store.read((tx) => tx.statistics(from, to));
  const byCell = new Map<string, StatisticRow[]>();
  for (const r of rows) {
    const k = `${r.month}/${r.organisationType}`;
    const l = byCell.get(k) ?? [];
    l.push(r);
    byCell.set(k, l);
  }
  const threshold = ctx.config.statisticsSuppressionThreshold;
  const cell = (n: number): MiCell => (n < threshold ? `<${threshold}` : n);
  const wanted = query.organisationType === undefined ? types : [query.organisationType];
  const out: ManagementInformationRow[] = [];
  for (const month of months) {
    for (const organisationType of wanted) {
      const counts = new Map<number, number>();
      const histogram = new Map<number, number>();
      for (const r of byCell.get(`${month}/${organisationType}`) ?? []) {
        if (r.metric >= CONTACT_DAYS_BASE) histogram.set(r.metric - CONTACT_DAYS_BASE, r.value);
        else counts.set(r.metric, r.value);
      }
      const n = (m: StatisticMetric) => counts.get(STATISTIC_METRICS.indexOf(m)) ?? 0;
      const contacts = [...histogram.values()].reduce((a, b) => a + b, 0);
      const median = medianDays(histogram);
      out.push({
        month: monthText(month),
        organisationType,
        signalsPlaced: cell(n('signals_placed')),
        signalsWithdrawn: cell(n('signals_withdrawn')),
        matches: cell(n('matches')),
        contactMade: cell(n('contact_made')),
        alreadyInContact: cell(n('already_in_contact')),
        noContactNeeded: cell(n('no_contact_needed')),
        clientRefused: cell(n('client_refused')),
        // A median over fewer contacts than the threshold is suppressed like a count.
        medianDaysToContact: contacts < threshold || median === undefined ? `<${threshold}` : median,
      });
    }
  }
  return { threshold, from: monthText(from), to: monthText(to), rows: out };
}

/** The CSV form of an export (RFC 4180; every value is a number, a code or "<n"). */
export function managementInformationCsv(mi: ManagementInformation): string {
  const head = [
    'month',
    'organisation_type',
    'signals_placed',
    'signals_withdrawn',
    'matches',
    'contact_made',
    'already_in_contact',
    'no_contact_needed',
    'client_refused',
    'median_days_to_contact',
  ];
  const lines = mi.rows.map((r) =>
    [
      r.month,
      r.organisationType,
      r.signalsPlaced,
      r.signalsWithdrawn,
      r.matches,
      r.contactMade,
      r.alreadyInContact,
      r.noContactNeeded,
      r.clientRefused,
      r.medianDaysToContact,
    ].join(','),
  );
  return `${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
