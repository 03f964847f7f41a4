// The match notice mail outbox on one better-sqlite3 connection (part of SqliteTx; schema
// step 13, docs/engine.md "Match notice e-mail"). A row names a person and a match by id
// and holds no address and no text.

import type { MailNoticeStatus } from '../../api.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import type { MailNoticePatch, MailNoticeRow, NewMailNotice, OutboxClaim } from '../store.js';
import { MAIL_STATUSES } from './codec.js';
import { idBytes, type Row } from './sqlite-rows.js';
import { SqliteMatches } from './sqlite-matches.js';

export const MAIL_COLS =
  'm.id, m.person, p.id AS person_id, m.match, m.status, m.attempts, m.next_attempt_at, m.last_error, m.created_at, m.done_at, m.claim, m.claimed_until';

export function mailNotice(r: Row): MailNoticeRow {
  return {
    id: uuidFromBytes(r.id),
    personRid: Number(r.person),
    personId: r.person_id,
    matchId: uuidFromBytes(r.match),
    status: MAIL_STATUSES[r.status]!,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastErrorCode: r.last_error,
    createdAt: Number(r.created_at),
    doneAt: r.done_at === null ? null : Number(r.done_at),
    claim: r.claim === null ? null : uuidFromBytes(r.claim),
    claimedUntil: r.claimed_until === null ? null : Number(r.claimed_until),
  };
}

const FROM = `FROM mail_outbox m JOIN people p ON p.rid = m.person`;

export class SqliteMail extends SqliteMatches {
  async insertMailNotice(n: NewMailNotice) {
    this.st(
      `INSERT INTO mail_outbox (id, person, match, status, attempts, next_attempt_at, last_error, created_at, done_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      idBytes(n.id),
      n.personRid,
      idBytes(n.matchId),
      MAIL_STATUSES.indexOf(n.status),
      n.attempts,
      n.nextAttemptAt,
      n.lastErrorCode,
      n.createdAt,
      n.doneAt,
    );
  }
  async claimMailNotices(now: number, claim: OutboxClaim, limit: number) {
    // The single writer runs one claim at a time (store.ts clause 5).
    const rows = this.st(
      `SELECT ${MAIL_COLS} ${FROM} WHERE m.status = 0 AND m.next_attempt_at <= ?
       AND (m.claimed_until IS NULL OR m.claimed_until <= ?) ORDER BY m.next_attempt_at, m.rid LIMIT ?`,
    )
      .all(now, now, limit)
      .map(mailNotice);
    const set = this.st('UPDATE mail_outbox SET claim = ?, claimed_until = ? WHERE id = ?');
    for (const n of rows) set.run(idBytes(claim.token), claim.until, idBytes(n.id));
    return rows.map((n) => ({ ...n, claim: claim.token, claimedUntil: claim.until }));
  }
  async getMailNotice(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const r = this.st(`SELECT ${MAIL_COLS} ${FROM} WHERE m.id = ?`).get(b);
    return r === undefined ? undefined : mailNotice(r);
  }
  async listMailNotices(status: MailNoticeStatus | undefined, limit: number) {
    if (status === undefined)
      return this.st(`SELECT ${MAIL_COLS} ${FROM} ORDER BY m.rid DESC LIMIT ?`).all(limit).map(mailNotice);
    return this.st(`SELECT ${MAIL_COLS} ${FROM} WHERE m.status = ? ORDER BY m.rid DESC LIMIT ?`)
      .all(MAIL_STATUSES.indexOf(status), limit)
      .map(mailNotice);
  }
  async updateMailNotice(id: string, claim: string, p: MailNoticePatch) {
    // Only while its claim still holds it pending (contract/outbox.ts).
    const changes = this.st(
      `UPDATE mail_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, done_at = ?, claim = NULL, claimed_until = NULL
       WHERE id = ? AND status = 0 AND claim = ?`,
    ).run(
      MAIL_STATUSES.indexOf(p.status),
      p.attempts,
      p.nextAttemptAt,
      p.lastErrorCode,
      p.doneAt,
      idBytes(id),
      idBytes(claim),
    ).changes;
    return changes === 1;
  }
  async deleteDoneMailNoticesBefore(at: number) {
    return this.st('DELETE FROM mail_outbox WHERE status <> 0 AND done_at < ?').run(at).changes;
  }
}
