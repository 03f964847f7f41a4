// Display helpers: a pseudonym is shown shortened (its epoch and first 8 characters), enough
// to compare with a colleague, never the whole value (docs/portal.md "What stays in the browser"); dates
// and times in the page's language, one style per kind, and a moment in Dutch time whatever
// the computer's time zone (docs/portal.md "Dates and times").

export function shortPseudonym(epoch: number, value: string): string {
  return `${epoch}:${value.slice(0, 8)}…`;
}

function locale(lang: string): string {
  return lang === 'nl' ? 'nl-NL' : 'en-GB';
}

/** Dutch time (CET/CEST): the zone of the covenant's working days, whatever the computer's zone. */
export const DUTCH_TIME_ZONE = 'Europe/Amsterdam';

/** A calendar date as the API writes it (`2026-12-04`), no time of day. */
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A moment — when something happened (placed, created, added) or until when something works —
 * as a date with the time of day in Dutch time: "4 dec 2026, 13:05" for 12:05 UTC, on a
 * computer set to any zone.
 */
export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (DAY_ONLY.test(iso) || Number.isNaN(d.getTime())) return formatDay(iso, lang);
  return d.toLocaleString(locale(lang), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: DUTCH_TIME_ZONE,
  });
}

/** The time of day of a moment (milliseconds since the epoch) in Dutch time: "13:05". */
export function formatTime(ms: number, lang: string): string {
  return new Date(ms).toLocaleTimeString(locale(lang), {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: DUTCH_TIME_ZONE,
  });
}

/**
 * A day — a calendar date (informed, end date, due date) or the day a term ends — without a
 * time: "4 dec 2026". Days are the server's calendar days, in UTC (an end date's signal expires
 * at 23:59:59.999 UTC, docs/engine.md "The life of a signal"), so a day is read and shown in
 * UTC and never moves to the day before or after in the browser's time zone.
 */
export function formatDay(iso: string, lang: string): string {
  const d = new Date(DAY_ONLY.test(iso) ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleDateString(locale(lang), { dateStyle: 'medium', timeZone: 'UTC' });
}

/** A calendar month as the API writes it (`2026-03`): "maart 2026" / "March 2026", in UTC. */
export function formatMonth(month: string, lang: string): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (m === null) return '—';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return d.toLocaleDateString(locale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' });
}
