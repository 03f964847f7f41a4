// Calendar dates ('YYYY-MM-DD', proleptic Gregorian, UTC) and the end-date rule for
// youth-care signals. Computed here, on the organisation's side, so the date of birth
// never leaves the SDK: only the derived end date is sent.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Strict parse: a real calendar day between 1900-01-01 and 9999-12-31, or undefined. */
export function parseDate(text: unknown): CalendarDate | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DATE_RE.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The UTC calendar day of a millisecond timestamp (the server's notion of "today"). */
export function utcDate(ms: number): CalendarDate {
  const t = new Date(ms);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Negative, zero or positive like a comparator. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function nextDay(d: CalendarDate): CalendarDate {
  if (d.day < daysInMonth(d.year, d.month)) return { ...d, day: d.day + 1 };
  if (d.month < 12) return { year: d.year, month: d.month + 1, day: 1 };
  return { year: d.year + 1, month: 1, day: 1 };
}

export function previousDay(d: CalendarDate): CalendarDate {
  if (d.day > 1) return { ...d, day: d.day - 1 };
  if (d.month > 1) return { year: d.year, month: d.month - 1, day: daysInMonth(d.year, d.month - 1) };
  return { year: d.year - 1, month: 12, day: 31 };
}

/** The age at which a youth-care signal ends (Jeugdwet: youth care up to 23). */
export const YOUTH_END_AGE = 23;

/**
 * The last day a youth-care signal may be active: the day before the 23rd birthday.
 * Someone born on 29 February has the 23rd birthday in a non-leap year; we take
 * 28 February as that birthday (the earlier reading), so the signal ends on 27 February.
 */
export function endDateFromDateOfBirth(dateOfBirth: CalendarDate): CalendarDate {
  const year = dateOfBirth.year + YOUTH_END_AGE;
  const day = Math.min(dateOfBirth.day, daysInMonth(year, dateOfBirth.month));
  return previousDay({ year, month: dateOfBirth.month, day });
}

/**
 * The end date a placement SENDS for a date of birth: the day before the 23rd birthday
 * rounded DOWN to the first of its month, so the server learns at most the month, never
 * the exact birth date (ending earlier is always lawful). When that first day is not after
 * `today` (the birthday falls later this month), tomorrow is sent: the earliest end the
 * server accepts, which still says no more than "within this month".
 */
export function placementEndDate(dateOfBirth: CalendarDate, today: CalendarDate): CalendarDate {
  const exact = endDateFromDateOfBirth(dateOfBirth);
  const first = { year: exact.year, month: exact.month, day: 1 };
  return compareDates(first, today) > 0 ? first : nextDay(today);
}

/** The longest a signal stays active, in days: two years (docs/engine.md "The life of a signal"). */
export const ACTIVE_TERM_DAYS = 730;

/** `d` plus `days` calendar days. */
export function addDays(d: CalendarDate, days: number): CalendarDate {
  return utcDate(Date.UTC(d.year, d.month - 1, d.day) + days * 86_400_000);
}

/**
 * The last day a signal placed on `placedOn` stays active, as the server keeps it
 * (docs/engine.md "The life of a signal": `expiresAt = min(end of endDate, placedAt +
 * activeTermDays)`): the end date sent, but never later than the active term after placing.
 * Without an end date, the term's last day. A server configured with a shorter term ends
 * the signal earlier still; never later.
 */
export function lastActiveDay(
  endDate: CalendarDate | undefined,
  placedOn: CalendarDate,
  activeTermDays: number = ACTIVE_TERM_DAYS,
): CalendarDate {
  const termEnd = addDays(placedOn, activeTermDays);
  return endDate !== undefined && compareDates(endDate, termEnd) < 0 ? endDate : termEnd;
}
