// UTC calendar helpers. All times are milliseconds since the Unix epoch; dates are
// 'YYYY-MM-DD' in UTC, so retention never depends on the server's time zone.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The last two texts parseDate answered, with their answers (a batch repeats its few dates). */
const lastDates: [string, number | undefined, string, number | undefined] = ['', undefined, '', undefined];

/**
 * Midnight UTC of a 'YYYY-MM-DD' date, or undefined when it is not a real date. The last two
 * answers are remembered: the batch path parses each item's dates (docs/performance.md
 * "Twenty-first pass: bulk"), and the answer depends on the text alone.
 */
export function parseDate(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === lastDates[0]) return lastDates[1];
  if (text === lastDates[2]) return lastDates[3];
  const ms = parseDateText(text);
  lastDates[2] = lastDates[0];
  lastDates[3] = lastDates[1];
  lastDates[0] = text;
  lastDates[1] = ms;
  return ms;
}

function parseDateText(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

export function startOfDay(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

/** The last millisecond of a date (the signal is active through its end date). */
export function endOfDay(dayStart: number): number {
  return dayStart + DAY_MS - 1;
}

export function hourOf(now: number): number {
  return Math.floor(now / HOUR_MS);
}
