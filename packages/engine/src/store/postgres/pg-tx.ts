// The Store's reader/writer on PostgreSQL: one object per read or per run of a write
// operation, on the pool (reads) or on the write's transaction. The statements live one
// aggregate per file, each class extending the one before: pg-core.ts (statements, locks,
// savepoints, the deferred tail), pg-sign-in.ts, pg-organisations.ts, pg-signals.ts, pg-matches.ts,
// pg-events.ts, pg-bookkeeping.ts, pg-rotation.ts, pg-handover.ts, pg-access-requests.ts; the batch path's multi-row statements
// in pg-batch.ts (docs/engine.md "Batch placement").

import type { EventRow, NewMatch, NewPlacement, PseudonymRole, StoreWriter } from '../store.js';
import * as batchSql from './pg-batch.js';
import { PgAccessRequests } from './pg-access-requests.js';

export class PgTx extends PgAccessRequests implements StoreWriter {
  async signalsByStoredValues(stored: readonly Uint8Array[], role: PseudonymRole) {
    await this.enterPersonSections(stored);
    return batchSql.signalsByStoredValues((run) => this.q(run), stored, role);
  }
  subjectEpochsOf(signalRids: readonly number[]) {
    return batchSql.subjectEpochsOf((run) => this.q(run), signalRids);
  }
  signalsByRequestIds(organisationRid: number, requestIds: readonly string[]) {
    return batchSql.signalsByRequestIds((run) => this.q(run), organisationRid, requestIds);
  }
  async insertPlacements(rows: readonly NewPlacement[]) {
    return batchSql.insertPlacements((run) => this.q(run), rows, await this.reservedRids(rows.length));
  }
  insertMatches(rows: readonly NewMatch[]) {
    return batchSql.insertMatches((run) => this.q(run), rows);
  }
  appendEvents(rows: readonly Omit<EventRow, 'cursor'>[]) {
    return batchSql.appendEvents((run) => this.q(run), rows);
  }
}
