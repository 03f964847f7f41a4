// The match notice mail outbox's statements on PostgreSQL (schema step 7, docs/engine.md
// "Match notice e-mail"): parameterised tagged templates, rows mapped by sqlite-mail.ts's
// mapper (the columns are the same). A row names a person and a match and holds no address.

import type { MailNoticeStatus } from '../../api.js';
import { MAIL_STATUSES } from '../sqlite/codec.js';
import { idBytes } from '../sqlite/sqlite-rows.js';
import { MAIL_COLS } from '../sqlite/sqlite-mail.js';
import type { MailNoticePatch, NewMailNotice, OutboxClaim } from '../store.js';
import type { Sql } from './pg-core.js';

const FROM = 'FROM mail_outbox m JOIN people p ON p.rid = m.person';

export const insert = (sql: Sql, n: NewMailNotice) =>
  sql`INSERT INTO mail_outbox (id, person, match, status, attempts, next_attempt_at, last_error, created_at, done_at)
    VALUES (${idBytes(n.id)}, ${n.personRid}, ${idBytes(n.matchId)}, ${MAIL_STATUSES.indexOf(n.status)},
    ${n.attempts}, ${n.nextAttemptAt}, ${n.lastErrorCode}, ${n.createdAt}, ${n.doneAt})`;

/** Claims due, unleased notices (store.ts clause 5): SKIP LOCKED as pg-events.ts claimDeliveries. */
export const claim = (sql: Sql, now: number, c: OutboxClaim, limit: number) =>
  sql`WITH c AS (
      SELECT rid FROM mail_outbox
       WHERE status = 0 AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now})
       ORDER BY next_attempt_at, rid LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    UPDATE mail_outbox m SET claim = ${idBytes(c.token)}, claimed_until = ${c.until}
      FROM c, people p WHERE m.rid = c.rid AND p.rid = m.person
    RETURNING ${sql.unsafe(MAIL_COLS)}, m.rid AS order_rid`;

export const get = (sql: Sql, id: Uint8Array) =>
  sql`SELECT ${sql.unsafe(MAIL_COLS)} ${sql.unsafe(FROM)} WHERE m.id = ${Buffer.from(id)}`;

export const list = (sql: Sql, status: MailNoticeStatus | undefined, limit: number) =>
  status === undefined
    ? sql`SELECT ${sql.unsafe(MAIL_COLS)} ${sql.unsafe(FROM)} ORDER BY m.rid DESC LIMIT ${limit}`
    : sql`SELECT ${sql.unsafe(MAIL_COLS)} ${sql.unsafe(FROM)} WHERE m.status = ${MAIL_STATUSES.indexOf(status)}
        ORDER BY m.rid DESC LIMIT ${limit}`;

/**
 * Records an attempt only while `claim` holds the notice pending (contract/outbox.ts
 * `updateMailNotice`): READ COMMITTED re-checks the condition on the row version a concurrent
 * claim or record committed while this statement waited for the row.
 */
export const update = (sql: Sql, id: string, claim: string, p: MailNoticePatch) =>
  sql`UPDATE mail_outbox SET status = ${MAIL_STATUSES.indexOf(p.status)}, attempts = ${p.attempts},
    next_attempt_at = ${p.nextAttemptAt}, last_error = ${p.lastErrorCode}, done_at = ${p.doneAt},
    claim = NULL, claimed_until = NULL
    WHERE id = ${idBytes(id)} AND status = 0 AND claim = ${idBytes(claim)} RETURNING rid`;

export const deleteDoneBefore = (sql: Sql, at: number) =>
  sql`DELETE FROM mail_outbox WHERE status <> 0 AND done_at < ${at} RETURNING rid`;
