// Schema step SQLite 16 / PostgreSQL 10: the management-information counters for the
// months before counting began, rebuilt from the rows that still exist (docs/privacy.md
// §3a "Management information", docs/engine.md "Management information"). One statement,
// the same on both stores but for the date arithmetic.
//
// Which months: only those before the first month that already holds a counter. Counting
// started with schema step 15 (PostgreSQL 9), so every event in such a month happened
// before it and was never counted; a month that holds a counter was counted live (from
// the step on) and is left exactly as it is, because it may have been exported: changing
// one of its cells would let two exports be subtracted (the suppression argument of
// docs/privacy.md §3a). A store with no counter at all is backfilled up to now.
//
// What the rows give: a signal's placement (placed_at) and, for one withdrawn as
// 'involvement ended' (state 1), its withdrawal (ended_at); a match's creation, once per
// organisation type involved; per side the outcome it holds now, in the month it was
// recorded, and for 'contact made' the days from match to contact. What they cannot give
// is listed in docs/privacy.md §3a (deleted rows, replaced outcomes).

import { FOLLOW_UP_CODES } from './sqlite/codec.js';
import { CONTACT_DAYS_BASE, MAX_DAYS, STATISTIC_METRICS } from './statistic-codes.js';

/** The date arithmetic of one store's SQL. */
export interface BackfillDialect {
  /** yyyymm (UTC) of a column of milliseconds since the epoch, as an integer. */
  readonly month: (ms: string) => string;
  /** `x` limited to lo..hi. */
  readonly clamp: (x: string, lo: number, hi: number) => string;
}

export const SQLITE_BACKFILL: BackfillDialect = {
  month: (ms) => `CAST(strftime('%Y%m', ${ms} / 1000, 'unixepoch') AS INTEGER)`,
  clamp: (x, lo, hi) => `min(${hi}, max(${lo}, ${x}))`,
};

export const POSTGRES_BACKFILL: BackfillDialect = {
  month: (ms) => `to_char(to_timestamp(${ms} / 1000.0) AT TIME ZONE 'UTC', 'YYYYMM')::integer`,
  clamp: (x, lo, hi) => `LEAST(${hi}, GREATEST(${lo}, ${x}))`,
};

const metric = (m: (typeof STATISTIC_METRICS)[number]) => STATISTIC_METRICS.indexOf(m);

/** The backfill statement of schema step SQLite 16 / PostgreSQL 10. */
export function statisticsBackfillSql(d: BackfillDialect): string {
  const outcomeMetric = `CASE outcome ${FOLLOW_UP_CODES.map((o, i) => `WHEN ${i} THEN ${metric(o)}`).join(' ')} END`;
  const contactMade = FOLLOW_UP_CODES.indexOf('contact_made');
  const side = (s: 'a' | 'b') => `
    SELECT m.rid, m.created_at, m.contact_${s} AS at, m.outcome_${s} AS outcome, o.type
    FROM matches m JOIN signals s ON s.rid = m.${s} JOIN organisations o ON o.rid = s.org`;
  return `
  WITH sides AS (${side('a')} UNION ALL ${side('b')}),
  events AS (
    SELECT ${d.month('s.placed_at')} AS month, o.type AS org_type, ${metric('signals_placed')} AS metric
    FROM signals s JOIN organisations o ON o.rid = s.org WHERE s.state <> 3
    UNION ALL
    SELECT ${d.month('s.ended_at')}, o.type, ${metric('signals_withdrawn')}
    FROM signals s JOIN organisations o ON o.rid = s.org WHERE s.state = 1 AND s.ended_at IS NOT NULL
    UNION ALL
    SELECT ${d.month('created_at')}, type, ${metric('matches')} FROM (SELECT DISTINCT rid, created_at, type FROM sides) t
    UNION ALL
    SELECT ${d.month('at')}, type, ${outcomeMetric} FROM sides WHERE outcome IS NOT NULL AND at IS NOT NULL
    UNION ALL
    SELECT ${d.month('at')}, type, ${CONTACT_DAYS_BASE} + ${d.clamp('(at - created_at) / 86400000', 0, MAX_DAYS)}
    FROM sides WHERE outcome = ${contactMade} AND at IS NOT NULL
  )
  INSERT INTO statistics (month, org_type, metric, value)
  SELECT month, org_type, metric, count(*) FROM events
  WHERE month < coalesce((SELECT min(month) FROM statistics), 999999)
  GROUP BY month, org_type, metric;
  `;
}
