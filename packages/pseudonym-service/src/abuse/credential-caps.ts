// Caps for requests that present a match-server credential (docs/protocol.md §9.7,
// docs/threat-model.md "Pseudonym-service credentials"): at most `elementsPerCredential`
// elements over a credential's life — a batch that would pass it is refused whole
// (`credential_exhausted`, nothing evaluated) — and an hourly alert per person, once per
// clock hour, when a person's elements in that hour pass the threshold. These bound what
// one stolen or minted credential buys and make a person who asks far more than
// colleagues visible; the organisation's daily budget (evaluation-budget.ts) still
// applies on top. Rebuilt from the logbook at start, like the budget.

import { ServiceError } from '../errors.js';

const HOUR_MS = 3_600_000;

export class CredentialCaps {
  /** credential id → elements evaluated and when the credential expires (ms). */
  readonly #credentials = new Map<string, { elements: number; expiresAt: number }>();
  /** person id → hour number → elements. */
  readonly #hours = new Map<string, Map<number, number>>();
  readonly #alerted = new Set<string>();

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
    const hours = this.#hours.get(personId) ?? new Map<number, number>();
    this.#hours.set(personId, hours);
    const n = (hours.get(hour) ?? 0) + elements;
    hours.set(hour, n);
    for (const h of hours.keys()) if (h < hour - 1) hours.delete(h);
    const key = `${personId}\u0000${hour}`;
    if (n > this.personAlertPerHour && !this.#alerted.has(key)) {
      this.#alerted.add(key);
      return n;
    }
    return undefined;
  }

  markAlerted(personId: string, at: number): void {
    this.#alerted.add(`${personId}\u0000${Math.floor(at / HOUR_MS)}`);
  }
}
