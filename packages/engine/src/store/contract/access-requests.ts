// The Store's part for the link from a citizen's signals to the GDPR access requests that
// found them (docs/leakage.md §3.5, docs/privacy.md art. 15): the `gdpr.access` logbook entry
// keeps counts only, and this link lives beside the signal instead, so that an erasure (or
// any deletion of the signal) removes it with the signal (schema: ON DELETE CASCADE) and the
// logbook's purge removes it at the logbook's term. A later access report of a person not
// erased lists the earlier requests from it as "viewed by the municipality".
//
// Concurrency (docs/engine.md "Storage contract"): rows are only added and deleted, never
// updated; two requests for one person add their own rows. A read sees committed rows only.

/** One access request that found one signal: when, and the role the report lists. */
export interface AccessRequestRow {
  readonly signalRid: number;
  readonly at: number;
  /** The desk person's role (`gdpr_desk`), or `municipality` for an administrator's key. */
  readonly role: string;
}

export interface AccessRequestReader {
  /** The rows of these signals, by time (then signal rid); none for a rid without rows. */
  accessRequestsOf(signalRids: readonly number[]): Promise<AccessRequestRow[]>;
}

export interface AccessRequestWriter {
  /** Adds one row per signal rid, each with `at` and `role` (in the request's logbook write). */
  insertAccessRequests(signalRids: readonly number[], at: number, role: string): Promise<void>;
  /** Deletes the rows made at or before `at` (the logbook's purged head); returns how many. */
  deleteAccessRequestsThrough(at: number): Promise<number>;
}
