// Caps for requests that present a match-server credential (docs/protocol.md §9.7,
// docs/threat-model.md §5.13): at most `elementsPerCredential`
// elements over a credential's life — a batch that would pass it is refused whole
// (`credential_exhausted`, nothing evaluated) — and an hourly alert per person, once per
// clock hour, when a person's elements in that hour pass the threshold. These bound what
// one stolen or minted credential buys and make a person who asks far more than
// colleagues visible; the organisation's daily budget (evaluation-budget.ts) still
// applies on top. Rebuilt from the logbook at start, like the budget. Only the current clock
// hour's counts and alerts are kept: those of a passed hour are dropped when the first count
// of a later hour comes, so memory holds the people seen this hour, not everyone ever seen.

import { ServiceError } from '../errors.js';

const HOUR_MS = 3_600_000;

export class CredentialCaps {
  /** credential id → elements evaluated and when the credential expires (ms). */
  readonly #credentials = new Map<string, { elements: number; expiresAt: number }>();
  /** person id → elements in the current clock hour. */
  readonly #hourCounts = new Map<string, number>();
  /** The people alerted for in the current clock hour. */
  readonly #alerted = new Set<string>();
  /** The current clock hour (hours since the epoch): the latest one counted. */
  #hour = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly elementsPerCredential: number,
    private readonly personAlertPerHour: number,
  ) {}

  /** Refuses (changing nothing) when `elements` more would pass the credential's cap. */
  check(credentialId: string, elements: number): void {
    const used = this.#credentials.get(credentialId)?.elements ?? 0;
    if (used + elements > this.elementsPerCredential) throw new ServiceError('credential_exhausted');
  }

  /** Counts evaluated elements; returns the person's hour count when this raised the alert. */
  count(personId: string, credentialId: string, expiresAt: number, elements: number, now: number) {
    for (const [id, c] of this.#credentials) if (c.expiresAt <= now) this.#credentials.delete(id);
    const c = this.#credentials.get(credentialId) ?? { elements: 0, expiresAt };
    c.elements += elements;
    this.#credentials.set(credentialId, c);
    const hour = Math.floor(now / HOUR_MS);
    this.#enterHour(hour);
    // A count from an earlier hour (the clock stepped back) is not an hour's count any more.
    if (hour < this.#hour) return undefined;
    const n = (this.#hourCounts.get(personId) ?? 0) + elements;
    this.#hourCounts.set(personId, n);
    if (n > this.personAlertPerHour && !this.#alerted.has(personId)) {
      this.#alerted.add(personId);
      return n;
    }
    return undefined;
  }

  markAlerted(personId: string, at: number): void {
    const hour = Math.floor(at / HOUR_MS);
    this.#enterHour(hour);
    if (hour === this.#hour) this.#alerted.add(personId);
  }

  /** How many people have a count in the current hour (what memory holds for the alert). */
  get peopleThisHour(): number {
    return this.#hourCounts.size;
  }

  /** At a later hour, drops the passed hour's counts and alerts. */
  #enterHour(hour: number): void {
    if (hour <= this.#hour) return;
    this.#hour = hour;
    this.#hourCounts.clear();
    this.#alerted.clear();
  }
}
