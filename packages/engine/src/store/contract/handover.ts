// The Store's part for handing one signal over to a colleague (docs/engine.md "Handover
// requests"): the short-lived record of a placement answered `existing` to a person who does
// not hold the signal, and the open requests that person made from it. Split from store.ts
// so the contract of each part stays readable; StoreReader/StoreWriter extend these.
//
// Concurrency (docs/engine.md "Storage contract"): `insertHandoverRequest` is one statement
// whose answer tells the caller whether it added the request, so of two concurrent asks for
// one signal and person exactly one adds it (SQLite: the single writer; PostgreSQL: the
// unique index on (signal, person)). Every delete is idempotent. Both kinds of row go with
// their signal when it is deleted (schema: ON DELETE CASCADE); a decline names no signal, so it
// stays until its term ends or its person is removed.

/**
 * A placement answered `existing` to a person who does not hold the signal: usable for
 * REFUSAL_TERM_MS (domain/handover-requests.ts), deleted when used, with its signal or person,
 * or else by the first retention run after that term (domain/retention.ts housekeeping).
 */
export interface PlacementRefusalRow {
  readonly organisationRid: number;
  /** The placement's requestId (a UUID, lower case). */
  readonly requestId: string;
  readonly personRid: number;
  readonly signalRid: number;
  readonly at: number;
}

/** An open request of a person of the organisation to be handed one signal. */
export interface HandoverRequestRow {
  readonly rid: number;
  /** Public id (a UUID). */
  readonly id: string;
  readonly organisationRid: number;
  readonly signalRid: number;
  /** The person who asked. */
  readonly personRid: number;
  /** Their public id (joined on read). */
  readonly personId: string;
  readonly requestedAt: number;
}
export type NewHandoverRequest = Omit<HandoverRequestRow, 'rid' | 'personId'>;

/**
 * A request the coordinator declined, kept so the person who asked is told (DECLINE_TERM_MS,
 * domain/handover-requests.ts): when they asked and when it was declined — no signal, no id.
 */
export interface HandoverDeclineRow {
  readonly organisationRid: number;
  /** The person who asked. */
  readonly personRid: number;
  readonly requestedAt: number;
  readonly declinedAt: number;
}

export interface HandoverReader {
  /** The record of the organisation's placement `requestId`, whoever made it. */
  getPlacementRefusal(organisationRid: number, requestId: string): Promise<PlacementRefusalRow | undefined>;
  /** The request with public id `id`. */
  getHandoverRequest(id: string): Promise<HandoverRequestRow | undefined>;
  /** The organisation's open requests, oldest first. */
  listHandoverRequests(organisationRid: number): Promise<HandoverRequestRow[]>;
  /** The person's declined requests declined at or after `since`, newest decline first. */
  listHandoverDeclines(personRid: number, since: number): Promise<HandoverDeclineRow[]>;
}

export interface HandoverWriter {
  /** Stores the record, replacing one with the same (organisation, requestId). */
  recordPlacementRefusal(row: PlacementRefusalRow): Promise<void>;
  /** Deletes the record of (organisation, requestId), if any. */
  deletePlacementRefusal(organisationRid: number, requestId: string): Promise<void>;
  /** Deletes the records made before `before`; returns how many. */
  deletePlacementRefusalsBefore(before: number): Promise<number>;
  /**
   * Adds the request unless one for the same signal and person is open; true when this call
   * added it. Of two concurrent calls for one signal and person exactly one answers true.
   */
  insertHandoverRequest(row: NewHandoverRequest): Promise<boolean>;
  /** Deletes the request; true when it existed. */
  deleteHandoverRequest(rid: number): Promise<boolean>;
  /** Keeps that a request of the person was declined (in the decline's write). */
  insertHandoverDecline(row: HandoverDeclineRow): Promise<void>;
  /** Deletes the declines made before `before`; returns how many. */
  deleteHandoverDeclinesBefore(before: number): Promise<number>;
  /** Deletes every request for the signal (it was transferred or ended). */
  deleteHandoverRequestsOfSignal(signalRid: number): Promise<void>;
  /**
   * Deletes every request, record and decline of the person (removed, docs/privacy.md §4), in
   * the caller's write.
   */
  deleteHandoverOfPerson(personRid: number): Promise<void>;
}
