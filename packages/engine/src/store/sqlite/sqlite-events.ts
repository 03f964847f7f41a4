// Per-organisation events and webhook deliveries on one better-sqlite3 connection (part of
// SqliteTx). Event cursors count per organisation and never decrease, so a cursor reveals
// nothing about other organisations' activity.

import type { DeliveryStatus } from '../../api.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import type { DeliveryRow, EventRow, NewDelivery, OutboxClaim } from '../store.js';
import { DELIVERY_STATUSES, deliveryCode, EVENT_TYPES } from './codec.js';
import type { Row } from './sqlite-rows.js';
import { DELIVERY_COLS, delivery, idBytes } from './sqlite-rows.js';
import { SqliteMail } from './sqlite-mail.js';

/**
 * `eventsAfter` for a holder (docs/api.md "Need to know"), arguments (org, after, org, holder,
 * limit), in two shapes with the same answer (docs/performance.md "The holder's inbox"). Both
 * read the holder's signals by signals_person (schema step 19) and their matches by the pair
 * and `matches_b` indexes. HOLDER_EVENTS_SQL then reads each of those matches' events by
 * `events_match` and sorts them by cursor (`+org` keeps the planner off `events_org_seq`): its
 * cost follows the holder's signals. HOLDER_EVENTS_WALK_SQL walks the organisation's events
 * after the cursor by `events_org_seq` until it has a page: its cost follows the events after
 * the cursor, fewer the more of them are the holder's.
 */
export const HOLDER_EVENTS_SQL = `SELECT seq, org, type, match, at FROM events WHERE +org = ? AND seq > ? AND match IN (
    SELECT m.id FROM signals s JOIN matches m ON m.a = s.rid OR m.b = s.rid
    WHERE s.org = ? AND s.person = ?)
  ORDER BY seq LIMIT ?`;
export const HOLDER_EVENTS_WALK_SQL = HOLDER_EVENTS_SQL.replace('+org', 'org');

/**
 * The most signals a holder may have for HOLDER_EVENTS_SQL when at most `span` of the
 * organisation's events follow the cursor: h² ≤ 16 × span. The walk reads up to span events,
 * ≈ 101 × span / h for a page of 100 when the holder's h signals' events are spread over them;
 * reading one held signal's events costs ≈ 6 walked events (docs/performance.md "The holder's
 * inbox", measured). So a caseload's first page reads its own events, a poll after the latest
 * cursor and a holder of much of the organisation walk.
 */
export const holderSignalsBound = (span: number) => Math.floor(Math.sqrt(16 * Math.max(span, 0)));

/** The holder's signals, counted by signals_person alone and no further than the bound + 1. */
export const HOLDER_SIGNALS_SQL = `SELECT count(*) AS n FROM (
    SELECT 1 FROM signals WHERE org = ? AND person = ? LIMIT ?)`;

export class SqliteEvents extends SqliteMail {
  /** The event's cursor counts per organisation (migration 5), so it reveals nothing about others. */
  async appendEvent(e: Omit<EventRow, 'cursor'>) {
    const seq = this.value(
      'UPDATE organisations SET event_seq = event_seq + 1 WHERE rid = ? RETURNING event_seq',
    ).get(e.organisationRid) as number;
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
        : this.st(
            this.holderWalks(organisationRid, afterCursor, holderRid)
              ? HOLDER_EVENTS_WALK_SQL
              : HOLDER_EVENTS_SQL,
          ).all(organisationRid, afterCursor, organisationRid, holderRid, limit);
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
  /** Whether the holder's inbox walks the organisation's events (see holderSignalsBound). */
  private holderWalks(organisationRid: number, afterCursor: number, holderRid: number) {
    const { event_seq: last } = this.st('SELECT event_seq FROM organisations WHERE rid = ?').get(
      organisationRid,
    ) as { event_seq: number };
    const bound = holderSignalsBound(last - afterCursor);
    const { n } = this.st(HOLDER_SIGNALS_SQL).get(organisationRid, holderRid, bound + 1) as { n: number };
    return n > bound;
  }
  async deleteEventsBefore(at: number, removedBefore: number) {
    const old = this.st('DELETE FROM events WHERE at < ?').run(at).changes;
    const removed = this.st('DELETE FROM events WHERE type = ? AND at < ?').run(
      EVENT_TYPES.indexOf('match.removed'),
      removedBefore,
    ).changes;
    return old + removed;
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
       WHERE d.status = ${deliveryCode('pending')} AND d.next_attempt_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until <= ?)
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
    claim: string,
    p: Pick<DeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'deliveredAt'>,
  ) {
    // Only while its claim still holds it pending (contract/outbox.ts).
    const changes = this.st(
      `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?, claim = NULL, claimed_until = NULL
       WHERE id = ? AND status = ${deliveryCode('pending')} AND claim = ?`,
    ).run(
      DELIVERY_STATUSES.indexOf(p.status),
      p.attempts,
      p.nextAttemptAt,
      p.lastErrorCode,
      p.deliveredAt,
      idBytes(id),
      idBytes(claim),
    ).changes;
    return changes === 1;
  }
  async expireDeliveriesBefore(at: number, removedBefore: number, now: number) {
    return this.st(
      `UPDATE deliveries SET status = ${deliveryCode('expired')}, next_attempt_at = ?, claim = NULL, claimed_until = NULL
       WHERE status = ${deliveryCode('pending')} AND (claimed_until IS NULL OR claimed_until <= ?)
         AND (created_at < ? OR (type = ? AND created_at < ?))`,
    ).run(now, now, at, EVENT_TYPES.indexOf('match.removed'), removedBefore).changes;
  }
  async deleteDeliveredBefore(at: number) {
    return this.st(
      `DELETE FROM deliveries WHERE (status = ${deliveryCode('delivered')} AND delivered_at < ?)
         OR (status = ${deliveryCode('expired')} AND next_attempt_at < ?)`,
    ).run(at, at).changes;
  }
}
