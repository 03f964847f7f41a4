// Handing one signal over (docs/engine.md "Handover requests") on one better-sqlite3
// connection (part of SqliteTx): the placement refusals kept a day and the open requests.
// The row mappers are shared with the PostgreSQL store, so both read a row the same way.

import { uuidFromBytes } from '../../ids.js';
import type {
  HandoverDeclineRow,
  HandoverRequestRow,
  NewHandoverRequest,
  PlacementRefusalRow,
} from '../contract/handover.js';
import { idBytes, type Row } from './sqlite-rows.js';
import { SqlitePlacements } from './sqlite-placements.js';

export function placementRefusalRow(r: Row): PlacementRefusalRow {
  return {
    organisationRid: Number(r.org),
    requestId: uuidFromBytes(r.request_id),
    personRid: Number(r.person),
    signalRid: Number(r.signal),
    at: Number(r.at),
  };
}

export function handoverRequestRow(r: Row): HandoverRequestRow {
  return {
    rid: Number(r.rid),
    id: uuidFromBytes(r.id),
    organisationRid: Number(r.org),
    signalRid: Number(r.signal),
    personRid: Number(r.person),
    personId: r.person_id,
    requestedAt: Number(r.requested_at),
  };
}

export function handoverDeclineRow(r: Row): HandoverDeclineRow {
  return {
    organisationRid: Number(r.org),
    personRid: Number(r.person),
    requestedAt: Number(r.requested_at),
    declinedAt: Number(r.declined_at),
  };
}

export const HANDOVER_COLS =
  'h.rid, h.id, h.org, h.signal, h.person, h.requested_at, p.id AS person_id FROM handover_requests h JOIN people p ON p.rid = h.person';

export class SqliteHandover extends SqlitePlacements {
  async getPlacementRefusal(organisationRid: number, requestId: string) {
    const r = this.st('SELECT * FROM placement_refusals WHERE org = ? AND request_id = ?').get(
      organisationRid,
      idBytes(requestId.toLowerCase()),
    );
    return r === undefined ? undefined : placementRefusalRow(r);
  }
  async getHandoverRequest(id: string) {
    const r = this.st(`SELECT ${HANDOVER_COLS} WHERE h.id = ?`).get(idBytes(id.toLowerCase()));
    return r === undefined ? undefined : handoverRequestRow(r);
  }
  async listHandoverRequests(organisationRid: number) {
    return this.st(`SELECT ${HANDOVER_COLS} WHERE h.org = ? ORDER BY h.rid`)
      .all(organisationRid)
      .map(handoverRequestRow);
  }

  async listHandoverDeclines(personRid: number, since: number) {
    return this.st(
      'SELECT * FROM handover_declines WHERE person = ? AND declined_at >= ? ORDER BY declined_at DESC, rid DESC',
    )
      .all(personRid, since)
      .map(handoverDeclineRow);
  }

  async recordPlacementRefusal(row: PlacementRefusalRow) {
    this.st(
      'INSERT OR REPLACE INTO placement_refusals (org, request_id, person, signal, at) VALUES (?, ?, ?, ?, ?)',
    ).run(row.organisationRid, idBytes(row.requestId.toLowerCase()), row.personRid, row.signalRid, row.at);
  }
  async deletePlacementRefusal(organisationRid: number, requestId: string) {
    this.st('DELETE FROM placement_refusals WHERE org = ? AND request_id = ?').run(
      organisationRid,
      idBytes(requestId.toLowerCase()),
    );
  }
  async deletePlacementRefusalsBefore(before: number) {
    return this.st('DELETE FROM placement_refusals WHERE at < ?').run(before).changes;
  }
  async insertHandoverRequest(row: NewHandoverRequest) {
    const r = this.st(
      `INSERT INTO handover_requests (id, org, signal, person, requested_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (signal, person) DO NOTHING`,
    ).run(idBytes(row.id), row.organisationRid, row.signalRid, row.personRid, row.requestedAt);
    return r.changes === 1;
  }
  async deleteHandoverRequest(rid: number) {
    return this.st('DELETE FROM handover_requests WHERE rid = ?').run(rid).changes === 1;
  }
  async insertHandoverDecline(row: HandoverDeclineRow) {
    this.st('INSERT INTO handover_declines (org, person, requested_at, declined_at) VALUES (?, ?, ?, ?)').run(
      row.organisationRid,
      row.personRid,
      row.requestedAt,
      row.declinedAt,
    );
  }
  async deleteHandoverDeclinesBefore(before: number) {
    return this.st('DELETE FROM handover_declines WHERE declined_at < ?').run(before).changes;
  }
  async deleteHandoverRequestsOfSignal(signalRid: number) {
    this.st('DELETE FROM handover_requests WHERE signal = ?').run(signalRid);
  }
  async deleteHandoverOfPerson(personRid: number) {
    this.st('DELETE FROM handover_requests WHERE person = ?').run(personRid);
    this.st('DELETE FROM placement_refusals WHERE person = ?').run(personRid);
    this.st('DELETE FROM handover_declines WHERE person = ?').run(personRid);
  }
}
