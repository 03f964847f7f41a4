// The management information screen's period, checked in the page before anything is sent, by
// the server's own rules (docs/engine.md "Management information"): months written `YYYY-MM`,
// closed months only (a month closes on the second day of the next, UTC), the first month not
// after the last, at most 120 months.

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY_MS = 86_400_000;
/** The server's limit on the months of one answer. */
export const MAX_MONTHS = 120;

/** A month as a count of months since year 0, or undefined when not written `YYYY-MM`. */
function index(month: string): number | undefined {
  const m = MONTH.exec(month.trim());
  return m === null ? undefined : Number(m[1]) * 12 + Number(m[2]) - 1;
}

function text(i: number): string {
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The newest closed month at `now`: the month before the one that holds `now` minus a day. */
export function lastClosedMonth(now: number): string {
  const d = new Date(now - DAY_MS);
  return text(d.getUTCFullYear() * 12 + d.getUTCMonth() - 1);
}

/** `month` moved by `by` months (negative: earlier). */
export function addMonths(month: string, by: number): string {
  const i = index(month);
  return i === undefined ? month : text(i + by);
}

export type PeriodFault = 'month' | 'closed' | 'order' | 'span';

/** The faults of a period, per field (`from`, `to`); empty when the server would take it. */
export function checkPeriod(
  from: string,
  to: string,
  now: number,
): { readonly from?: PeriodFault; readonly to?: PeriodFault } {
  const f = index(from);
  const t = index(to);
  const last = index(lastClosedMonth(now))!;
  const faults: { from?: PeriodFault; to?: PeriodFault } = {};
  if (f === undefined) faults.from = 'month';
  if (t === undefined) faults.to = 'month';
  else if (t > last) faults.to = 'closed';
  if (f !== undefined && faults.from === undefined && t !== undefined) {
    if (f > t) faults.from = 'order';
    else if (t - f + 1 > MAX_MONTHS) faults.from = 'span';
  }
  return faults;
}

/**
 * Whether a month shows no number at all: every count below the threshold and no median (or no
 * row). The page then says so in a sentence — that each count is below the threshold, which may
 * be 0 — since the answer cannot tell 0 from a suppressed 1 and the page must not either
 * (docs/privacy.md §3a); the sentence repeats what the cells already show.
 */
export function noNumberShown(cells: readonly (number | string)[]): boolean {
  return cells.every((c) => typeof c !== 'number');
}
