// The stored codes of the management-information counters (schema step 15; SQLite
// migrations/steps.ts, PostgreSQL pg-migrations.ts): a metric's code is its index in
// STATISTIC_METRICS, and 100 + d counts a contact recorded d whole days after its match.
// Written by the domain (domain/management-information.ts) and by the backfill of the
// months before counting began (statistics-backfill.ts), so both count in one code.

/** The counted metrics; the index is the stored metric code (schema step 15). */
export const STATISTIC_METRICS = [
  'signals_placed',
  'signals_withdrawn',
  'matches',
  'contact_made',
  'already_in_contact',
  'no_contact_needed',
  'client_refused',
] as const;
export type StatisticMetric = (typeof STATISTIC_METRICS)[number];

/** Metric code 100 + d: a contact recorded d whole days after its match (d capped at MAX_DAYS). */
export const CONTACT_DAYS_BASE = 100;
export const MAX_DAYS = 366;
