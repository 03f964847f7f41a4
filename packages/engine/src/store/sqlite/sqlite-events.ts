// Per-organisation events and webhook deliveries on one better-sqlite3 connection (part of
// SqliteTx). Event cursors count per organisation and never decrease, so a cursor reveals
// nothing about other organisations' activity.

import type { DeliveryStatus } from '../../api.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import type { DeliveryRow, EventRow, NewDelivery, OutboxClaim } from '../store.js';
import { DELIVERY_STATUSES, EVENT_TYPES } from './codec.js';
import type { Row } from './sqlite-rows.js';
import { DELIVERY_COLS, delivery, idBytes } from './sqlite-rows.js';
import { SqliteMail } from './sqlite-mail.js';

/**
 * `eventsAfter` for a holder (docs/api.md "Need to know"), arguments (org, after, org,
 * holder, limit): the holder's signals by signals_person (schema step 19), their matches
 * by the pair and `matches_b` indexes, and the organisation's events after the cursor.
 */
export const HOLDER_EVENTS_SQL = `SELECT seq, org, type, match, at FROM events WHERE org = ? AND seq > ? AND match IN (
    SELECT m.id FROM signals s JOIN matches m ON m.a = s.rid OR m.b = s.rid
    WHERE s.org = ? AND s.person = ?)
  ORDER BY seq LIMIT ?`;

export class SqliteEvents extends SqliteMail {
  /** The event's cursor counts per organisation (migration 5), so it reveals nothing about others. */
  async appendEvent(e: Omit<EventRow, 'cursor'>) {
    const { event_seq: seq } = this.st(
      'UPDATE organisations SET event_seq = event_seq + 1 WHERE rid = ? RETURNING event_seq',
    ).get(e.organisationRid) as { event_seq: number };
    this.st('INSERT INTO events (org, seq, type, match, at) VALUES (?, ?, ?, ?, ?)').run(
      e.organisationRid,
      seq,
      EVENT_TYPES.indexOf(e.type),
      idBytes(e.matchId),
      e.at,
    );
    return seq;
  }
  async eventsAfter(organisationRid: number, afterCursor: number, limit: number, holderRid?: number) {
    const rows =
      holderRid === undefined
        ? this.st(
            'SELECT seq, org, type, match, at FROM events WHERE org = ? AND seq > ? ORDER BY seq LIMIT ?',
          ).all(organisationRid, afterCursor, limit)
        : this.st(HOLDER_EVENTS_SQL).all(organisationRid, afterCursor, organisationRid, holderRid, limit);
    return rows.map(
      (r: Row): EventRow => ({
        cursor: r.seq,
        organisationRid: r.org,
        type: EVENT_TYPES[r.type]!,
        matchId: uuidFromBytes(r.match),
        at: r.at,
      }),
    );
  }
  async deleteEventsBefore(at: number) {
    return this.st('DELETE FROM events WHERE at < ?').run(at).changes;
  }

  async insertDelivery(d: NewDelivery) {
    this.st(
      `INSERT INTO deliveries (id, org, url, type, match, cursor, status, attempts, next_attempt_at, last_error, created_at, delivered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      idBytes(d.id),
      d.organisationRid,
      d.url,
      EVENT_TYPES.indexOf(d.type),
      idBytes(d.matchId),
      d.cursor,
      DELIVERY_STATUSES.indexOf(d.status),
      d.attempts,
      d.nextAttemptAt,
      d.lastErrorCode,
      d.createdAt,
      d.deliveredAt,
    );
  }
  async claimDeliveries(now: number, claim: OutboxClaim, limit: number) {
    // The single writer runs one claim at a time (store.ts clause 5).
    const rows = this.st(
      `SELECT ${DELIVERY_COLS} FROM deliveries d JOIN organisations o ON o.rid = d.org
       WHERE d.status = 0 AND d.next_attempt_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until <= ?)
       ORDER BY d.next_attempt_at, d.rid LIMIT ?`,
    )
      .all(now, now, limit)
      .map(delivery);
    const set = this.st('UPDATE deliveries SET claim = ?, claimed_until = ? WHERE id = ?');
    for (const d of rows) set.run(idBytes(claim.token), claim.until, idBytes(d.id));
    return rows.map((d) => ({ ...d, claim: claim.token, claimedUntil: claim.until }));
  }
  async getDelivery(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const r = this.st(
      `SELECT ${DELIVERY_COLS} FROM deliveries d JOIN organisations o ON o.rid = d.org WHERE d.id = ?`,
    ).get(b);
    return r === undefined ? undefined : delivery(r);
  }
  async listDeliveries(status: DeliveryStatus | undefined, limit: number) {
    const base = `SELECT ${DELIVERY_COLS} FROM deliveries d JOIN organisations o ON o.rid = d.org`;
    if (status === undefined) return this.st(`${base} ORDER BY d.rid DESC LIMIT ?`).all(limit).map(delivery);
    return this.st(`${base} WHERE d.status = ? ORDER BY d.rid DESC LIMIT ?`)
      .all(DELIVERY_STATUSES.indexOf(status), limit)
      .map(delivery);
  }
  async updateDelivery(
    id: string,
    p: Pick<DeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'deliveredAt'>,
  ) {
    this.st(
      'UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?, claim = NULL, claimed_until = NULL WHERE id = ?',
    ).run(
      DELIVERY_STATUSES.indexOf(p.status),
      p.attempts,
      p.nextAttemptAt,
      p.lastErrorCode,
      p.deliveredAt,
      idBytes(id),
    );
  }
  async deleteDeliveredBefore(at: number) {
    return this.st('DELETE FROM deliveries WHERE status = 1 AND delivered_at < ?').run(at).changes;
  }
}
