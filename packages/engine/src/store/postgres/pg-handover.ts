// Handing one signal over (docs/engine.md "Handover requests") on PostgreSQL (part of PgTx,
// pg-core.ts), read with the SQLite store's row mappers. Of two concurrent asks for one
// signal and person, the unique index on (signal, person) lets exactly one insert (the
// other's ON CONFLICT waits for the first's commit, then does nothing).

import {
  HANDOVER_COLS as COLS,
  handoverDeclineRow,
  handoverRequestRow,
  placementRefusalRow,
} from '../sqlite/sqlite-handover.js';
import { idBytes } from '../sqlite/sqlite-rows.js';
import type { HandoverDeclineRow, NewHandoverRequest, PlacementRefusalRow } from '../contract/handover.js';
import { PgRotation } from './pg-rotation.js';

export class PgHandover extends PgRotation {
  async getPlacementRefusal(organisationRid: number, requestId: string) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT * FROM placement_refusals WHERE org = ${organisationRid} AND request_id = ${idBytes(requestId.toLowerCase())}`,
    );
    return r === undefined ? undefined : placementRefusalRow(r);
  }
  async getHandoverRequest(id: string) {
    const [r] = await this.q(
      (sql) => sql`SELECT ${sql.unsafe(COLS)} WHERE h.id = ${idBytes(id.toLowerCase())}`,
    );
    return r === undefined ? undefined : handoverRequestRow(r);
  }
  async listHandoverRequests(organisationRid: number) {
    const rows = await this.q(
      (sql) => sql`SELECT ${sql.unsafe(COLS)} WHERE h.org = ${organisationRid} ORDER BY h.rid`,
    );
    return rows.map(handoverRequestRow);
  }

  async listHandoverDeclines(personRid: number, since: number) {
    const rows = await this.q(
      (sql) => sql`SELECT * FROM handover_declines WHERE person = ${personRid} AND declined_at >= ${since}
        ORDER BY declined_at DESC, rid DESC`,
    );
    return rows.map(handoverDeclineRow);
  }

  async recordPlacementRefusal(row: PlacementRefusalRow) {
    await this.q(
      (sql) => sql`INSERT INTO placement_refusals (org, request_id, person, signal, at)
        VALUES (${row.organisationRid}, ${idBytes(row.requestId.toLowerCase())}, ${row.personRid}, ${row.signalRid}, ${row.at})
        ON CONFLICT (org, request_id) DO UPDATE SET person = EXCLUDED.person, signal = EXCLUDED.signal, at = EXCLUDED.at`,
    );
  }
  async deletePlacementRefusal(organisationRid: number, requestId: string) {
    await this.q(
      (sql) =>
        sql`DELETE FROM placement_refusals WHERE org = ${organisationRid} AND request_id = ${idBytes(requestId.toLowerCase())}`,
    );
  }
  async deletePlacementRefusalsBefore(before: number) {
    const rows = await this.q(
      (sql) => sql`DELETE FROM placement_refusals WHERE at < ${before} RETURNING 1 AS n`,
    );
    return rows.length;
  }
  async insertHandoverRequest(row: NewHandoverRequest) {
    const rows = await this.q(
      (sql) => sql`INSERT INTO handover_requests (id, org, signal, person, requested_at)
        VALUES (${idBytes(row.id)}, ${row.organisationRid}, ${row.signalRid}, ${row.personRid}, ${row.requestedAt})
        ON CONFLICT (signal, person) DO NOTHING RETURNING rid`,
    );
    return rows.length === 1;
  }
  async deleteHandoverRequest(rid: number) {
    const rows = await this.q((sql) => sql`DELETE FROM handover_requests WHERE rid = ${rid} RETURNING rid`);
    return rows.length === 1;
  }
  async insertHandoverDecline(row: HandoverDeclineRow) {
    await this.q(
      (sql) => sql`INSERT INTO handover_declines (org, person, requested_at, declined_at)
        VALUES (${row.organisationRid}, ${row.personRid}, ${row.requestedAt}, ${row.declinedAt})`,
    );
  }
  async deleteHandoverDeclinesBefore(before: number) {
    const rows = await this.q(
      (sql) => sql`DELETE FROM handover_declines WHERE declined_at < ${before} RETURNING 1 AS n`,
    );
    return rows.length;
  }
  async deleteHandoverRequestsOfSignal(signalRid: number) {
    await this.q((sql) => sql`DELETE FROM handover_requests WHERE signal = ${signalRid}`);
  }
  async deleteHandoverOfPerson(personRid: number) {
    await this.q((sql) => sql`DELETE FROM handover_requests WHERE person = ${personRid}`);
    await this.q((sql) => sql`DELETE FROM placement_refusals WHERE person = ${personRid}`);
    await this.q((sql) => sql`DELETE FROM handover_declines WHERE person = ${personRid}`);
  }
}
