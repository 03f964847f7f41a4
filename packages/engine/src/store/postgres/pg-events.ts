// Inbox events, webhook deliveries and the match notice mail outbox on PostgreSQL (part of
// PgTx, pg-core.ts; the mail statements in pg-mail.ts). An event's cursor is the
// organisation row's counter, locked to commit, so an organisation's cursors commit in
// order; an outbox claim passes over rows another claim holds (docs/engine.md "Storage
// contract", clauses 4 and 5).

import type { DeliveryStatus, MailNoticeStatus } from '../../api.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import { DELIVERY_STATUSES, deliveryCode, EVENT_TYPES } from '../sqlite/codec.js';
import { mailNotice } from '../sqlite/sqlite-mail.js';
import { DELIVERY_COLS, delivery, idBytes } from '../sqlite/sqlite-rows.js';
import type {
  DeliveryRow,
  EventRow,
  MailNoticePatch,
  NewDelivery,
  NewMailNotice,
  OutboxClaim,
} from '../store.js';
import { type Row, type Sql, type Statement, unnamed } from './pg-core.js';
import { mapPgError } from './pg-errors.js';
import * as mailSql from './pg-mail.js';
import { PgMatches } from './pg-matches.js';

/** UPDATE … RETURNING has no order: the claimed rows oldest due first, as they were chosen. */
const inClaimOrder = (rows: Row[]): Row[] =>
  [...rows].sort(
    (x, y) =>
      Number(x.next_attempt_at) - Number(y.next_attempt_at) || Number(x.order_rid) - Number(y.order_rid),
  );

/**
 * `eventsAfter` for a holder (docs/api.md "Need to know"): the holder's signals by
 * signals_person (schema step 12), their matches, the organisation's events after the cursor.
 * Its text and values; the text is fixed, every value a parameter.
 */
export const holderEventsStatement = (
  organisationRid: number,
  afterCursor: number,
  limit: number,
  holderRid: number,
): Statement => ({
  text: `SELECT seq, org, type, match, at FROM events WHERE org = $1 AND seq > $2
    AND match IN (SELECT m.id FROM signals s JOIN matches m ON m.a = s.rid OR m.b = s.rid
      WHERE s.org = $1 AND s.person = $3)
    ORDER BY seq LIMIT $4`,
  params: [organisationRid, afterCursor, holderRid, limit],
});

/**
 * The holder's events, unnamed (pg-core.ts `unnamed`), as the list (pg-signals.ts
 * `listSignalsQuery`): planned for its values it starts from the holder's matches, where the
 * generic plan a prepared statement may turn to walks the organisation's events from the
 * cursor until it has a page.
 */
export const holderEventsQuery = (sql: Sql, ...args: Parameters<typeof holderEventsStatement>) =>
  unnamed(sql, holderEventsStatement(...args));

/** An organisation's events after its cursor: events_pkey (org, seq) in order. */
export const eventsAfterQuery = (sql: Sql, organisationRid: number, afterCursor: number, limit: number) =>
  sql`SELECT seq, org, type, match, at FROM events WHERE org = ${organisationRid} AND seq > ${afterCursor} ORDER BY seq LIMIT ${limit}`;

export class PgEvents extends PgMatches {
  async appendEvent(e: Omit<EventRow, 'cursor'>) {
    // The organisation row stays locked to commit: its cursors commit in order (clause 4).
    const [r] = await this.q(
      (sql) =>
        sql`UPDATE organisations SET event_seq = event_seq + 1 WHERE rid = ${e.organisationRid} RETURNING event_seq`,
    );
    if (r === undefined) throw mapPgError({ code: '23503' });
    const seq = Number(r.event_seq);
    await this.q(
      (sql) => sql`INSERT INTO events (org, seq, type, match, at) VALUES (${e.organisationRid}, ${seq},
        ${EVENT_TYPES.indexOf(e.type)}, ${idBytes(e.matchId)}, ${e.at})`,
    );
    return seq;
  }
  async eventsAfter(organisationRid: number, afterCursor: number, limit: number, holderRid?: number) {
    const rows = await this.q((sql) =>
      holderRid === undefined
        ? eventsAfterQuery(sql, organisationRid, afterCursor, limit)
        : holderEventsQuery(sql, organisationRid, afterCursor, limit, holderRid),
    );
    return rows.map(
      (r): EventRow => ({
        cursor: r.seq,
        organisationRid: r.org,
        type: EVENT_TYPES[r.type]!,
        matchId: uuidFromBytes(r.match),
        at: r.at,
      }),
    );
  }
  async deleteEventsBefore(at: number, removedBefore: number) {
    const old = (await this.q((sql) => sql`DELETE FROM events WHERE at < ${at} RETURNING seq`)).length;
    const removed = await this.q(
      (sql) => sql`DELETE FROM events WHERE type = ${EVENT_TYPES.indexOf('match.removed')}
        AND at < ${removedBefore} RETURNING seq`,
    );
    return old + removed.length;
  }
  async insertDelivery(d: NewDelivery) {
    await this.q(
      (
        sql,
      ) => sql`INSERT INTO deliveries (id, org, url, type, match, cursor, status, attempts, next_attempt_at,
        last_error, created_at, delivered_at) VALUES (${idBytes(d.id)}, ${d.organisationRid}, ${d.url},
        ${EVENT_TYPES.indexOf(d.type)}, ${idBytes(d.matchId)}, ${d.cursor}, ${DELIVERY_STATUSES.indexOf(d.status)},
        ${d.attempts}, ${d.nextAttemptAt}, ${d.lastErrorCode}, ${d.createdAt}, ${d.deliveredAt})`,
    );
  }
  async claimDeliveries(now: number, claim: OutboxClaim, limit: number) {
    // SKIP LOCKED: a row another claim is taking is passed over, and one it has just
    // claimed is re-checked against the lease after its lock is taken (store.ts clause 5).
    const rows = await this.q(
      (sql) => sql`WITH c AS (
          SELECT rid FROM deliveries
           WHERE status = ${sql.unsafe(deliveryCode('pending'))} AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now})
           ORDER BY next_attempt_at, rid LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        UPDATE deliveries d SET claim = ${idBytes(claim.token)}, claimed_until = ${claim.until}
          FROM c, organisations o WHERE d.rid = c.rid AND o.rid = d.org
        RETURNING ${sql.unsafe(DELIVERY_COLS)}, d.rid AS order_rid`,
    );
    return inClaimOrder(rows).map(delivery);
  }
  async getDelivery(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const [r] = await this.q(
      (sql) =>
        sql`SELECT ${sql.unsafe(DELIVERY_COLS)} FROM deliveries d JOIN organisations o ON o.rid = d.org WHERE d.id = ${b}`,
    );
    return r === undefined ? undefined : delivery(r);
  }
  async listDeliveries(status: DeliveryStatus | undefined, limit: number) {
    const rows = await this.q((sql) => {
      const base = sql`SELECT ${sql.unsafe(DELIVERY_COLS)} FROM deliveries d JOIN organisations o ON o.rid = d.org`;
      if (status === undefined) return sql`${base} ORDER BY d.rid DESC LIMIT ${limit}`;
      return sql`${base} WHERE d.status = ${DELIVERY_STATUSES.indexOf(status)} ORDER BY d.rid DESC LIMIT ${limit}`;
    });
    return rows.map(delivery);
  }
  async updateDelivery(
    id: string,
    claim: string,
    p: Pick<DeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'deliveredAt'>,
  ) {
    // The condition is re-checked on the row version a concurrent expiry or claim committed
    // while this statement waited for the row (READ COMMITTED), so a late attempt changes
    // nothing then (contract/outbox.ts).
    const rows = await this.q(
      (
        sql,
      ) => sql`UPDATE deliveries SET status = ${DELIVERY_STATUSES.indexOf(p.status)}, attempts = ${p.attempts},
        next_attempt_at = ${p.nextAttemptAt}, last_error = ${p.lastErrorCode}, delivered_at = ${p.deliveredAt},
        claim = NULL, claimed_until = NULL
        WHERE id = ${idBytes(id)} AND status = ${sql.unsafe(deliveryCode('pending'))} AND claim = ${idBytes(claim)}
        RETURNING rid`,
    );
    return rows.length === 1;
  }
  async expireDeliveriesBefore(at: number, removedBefore: number, now: number) {
    return (
      await this.q(
        (
          sql,
        ) => sql`UPDATE deliveries SET status = ${sql.unsafe(deliveryCode('expired'))}, next_attempt_at = ${now},
            claim = NULL, claimed_until = NULL
          WHERE status = ${sql.unsafe(deliveryCode('pending'))} AND (claimed_until IS NULL OR claimed_until <= ${now})
            AND (created_at < ${at} OR (type = ${EVENT_TYPES.indexOf('match.removed')} AND created_at < ${removedBefore}))
          RETURNING rid`,
      )
    ).length;
  }
  async deleteDeliveredBefore(at: number) {
    return (
      await this.q(
        (sql) => sql`DELETE FROM deliveries
          WHERE (status = ${sql.unsafe(deliveryCode('delivered'))} AND delivered_at < ${at})
             OR (status = ${sql.unsafe(deliveryCode('expired'))} AND next_attempt_at < ${at}) RETURNING rid`,
      )
    ).length;
  }

  // --- match notice mail outbox (schema step 7; the SQL in pg-mail.ts) ---------------------------

  async insertMailNotice(n: NewMailNotice) {
    await this.q((sql) => mailSql.insert(sql, n));
  }
  async claimMailNotices(now: number, claim: OutboxClaim, limit: number) {
    return inClaimOrder(await this.q((sql) => mailSql.claim(sql, now, claim, limit))).map(mailNotice);
  }
  async getMailNotice(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const [r] = await this.q((sql) => mailSql.get(sql, b));
    return r === undefined ? undefined : mailNotice(r);
  }
  async listMailNotices(status: MailNoticeStatus | undefined, limit: number) {
    return (await this.q((sql) => mailSql.list(sql, status, limit))).map(mailNotice);
  }
  async updateMailNotice(id: string, claim: string, p: MailNoticePatch) {
    return (await this.q((sql) => mailSql.update(sql, id, claim, p))).length === 1;
  }
  async deleteDoneMailNoticesBefore(at: number) {
    return (await this.q((sql) => mailSql.deleteDoneBefore(sql, at))).length;
  }
}
