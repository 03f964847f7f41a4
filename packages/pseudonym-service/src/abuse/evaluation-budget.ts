// The evaluation budget and hourly alert per organisation — the service is the
// enumeration oracle of an OPRF epoch (docs/threat-model.md), so it has the placement
// budget's shape (engine domain/budget.ts): counts of evaluated elements in UTC hour
// buckets; a batch that would pass the day's budget is refused whole (nothing
// evaluated, `budget_exceeded` with Retry-After until the next UTC day); the alert fires
// once per clock hour when an organisation's elements in that hour pass the threshold.
// Counts are rebuilt from the logbook at start, so a restart does not reset the day.

import { ServiceError } from '../errors.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export class EvaluationBudget {
  /** organisation → hour number → elements. */
  readonly #hours = new Map<string, Map<number, number>>();
  readonly #alerted = new Set<string>();

  constructor(private readonly alertPerHour: number) {}

  today(organisation: string, now: number): number {
    const startHour = Math.floor(now / DAY_MS) * 24;
    let sum = 0;
    for (const [hour, n] of this.#hours.get(organisation) ?? []) if (hour >= startHour) sum += n;
    return sum;
  }

  /** Refuses (changing nothing) when `elements` more would pass the day's budget. */
  check(organisation: string, elements: number, budgetPerDay: number, now: number): void {
    if (this.today(organisation, now) + elements > budgetPerDay) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((Math.floor(now / DAY_MS) * DAY_MS + DAY_MS - now) / 1000),
      );
      throw new ServiceError('budget_exceeded', { retryAfterSeconds });
    }
  }

  /** Counts evaluated elements; returns the hour's count when this raised the alert. */
  count(organisation: string, elements: number, now: number): number | undefined {
    const hour = Math.floor(now / HOUR_MS);
    const hours = this.#hours.get(organisation) ?? new Map<number, number>();
    this.#hours.set(organisation, hours);
    const n = (hours.get(hour) ?? 0) + elements;
    hours.set(hour, n);
    // Keep two days of buckets at most.
    for (const h of hours.keys()) if (h < hour - 48) hours.delete(h);
    const key = `${organisation}\u0000${hour}`;
    if (n > this.alertPerHour && !this.#alerted.has(key)) {
      this.#alerted.add(key);
      return n;
    }
    return undefined;
  }

  /** Marks an hour as alerted already (rebuilt from the logbook). */
  markAlerted(organisation: string, at: number): void {
    this.#alerted.add(`${organisation}\u0000${Math.floor(at / HOUR_MS)}`);
  }
}
