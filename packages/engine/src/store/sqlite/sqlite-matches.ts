// Matches, signal consent and the match agreement log on one better-sqlite3 connection (part
// of SqliteTx). A pair is stored ordered (a < b), so it is unique whichever side is named
// first; deleting a match takes its events, deliveries, notices and agreements with it.

import type { FollowUpCounts, FollowUpOutcome, MatchStatus } from '../../api.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import type {
  AgreementEntryRow,
  ConsentRow,
  FollowUpPage,
  FollowUpPageQuery,
  FollowUpParty,
  FollowUpPosition,
  MatchPatch,
  NewMatch,
} from '../store.js';
import {
  AGREEMENT_STATUSES,
  MATCH_KINDS,
  MATCH_STATUSES,
  decodeConsentScopes,
  decodeSide,
  encodeConsentScopes,
  encodeOutcome,
  FOLLOW_UP_CODES,
  encodeSide,
} from './codec.js';
import type { Row } from './sqlite-rows.js';
import { MATCH_COLS, match, idBytes } from './sqlite-rows.js';
import { SqliteSignals } from './sqlite-signals.js';

export class SqliteMatches extends SqliteSignals {
  async getMatch(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const r = this.st(MATCH_BY_ID).get(b);
    return r === undefined ? undefined : match(r);
  }
  async getMatchByPair(a: number, b: number) {
    const r = this.st(MATCH_BY_PAIR).get(Math.min(a, b), Math.max(a, b));
    return r === undefined ? undefined : match(r);
  }
  async matchesOfSignal(signalRid: number) {
    return this.st(
      `SELECT ${MATCH_COLS} FROM matches WHERE a = ? UNION ALL SELECT ${MATCH_COLS} FROM matches WHERE b = ? ORDER BY rid`,
    )
      .all(signalRid, signalRid)
      .map(match);
  }
  async listMatches(status: MatchStatus) {
    return this.st(`SELECT ${MATCH_COLS} FROM matches WHERE status = ? ORDER BY created_at, rid`)
      .all(MATCH_STATUSES.indexOf(status))
      .map(match);
  }
  async followUpCounts(status: MatchStatus): Promise<FollowUpCounts> {
    const st = MATCH_STATUSES.indexOf(status);
    const t = this.st(
      `SELECT count(*) AS n, count(*) FILTER (WHERE outcome_a IS NULL AND outcome_b IS NULL) AS none
       FROM matches WHERE status = ?`,
    ).get(st);
    const sides = this.st(
      `SELECT o, count(*) AS n FROM (SELECT outcome_a AS o FROM matches WHERE status = ? AND outcome_a IS NOT NULL
       UNION ALL SELECT outcome_b FROM matches WHERE status = ? AND outcome_b IS NOT NULL) GROUP BY o`,
    ).all(st, st);
    const outcomes = Object.fromEntries(FOLLOW_UP_CODES.map((o) => [o, 0])) as Record<
      FollowUpOutcome,
      number
    >;
    for (const r of sides) outcomes[FOLLOW_UP_CODES[r.o]!] = r.n;
    return { matches: t.n, withoutOutcome: t.none, outcomes };
  }
  async followUpPage(q: FollowUpPageQuery): Promise<FollowUpPage> {
    const { sql, args } = followUpPageStatement(q);
    const rows = this.st(sql).all(...args);
    let scannedTo: FollowUpPosition | null = null;
    if (rows.length < q.limit) {
      // Did the walk stop at `scan` with more to come? The scan-th and the next position.
      const w = followUpWalk(q);
      const ends = this.st(
        `SELECT created_at, id FROM matches INDEXED BY matches_follow_up WHERE ${w.where}
         ORDER BY created_at ${w.order}, id ${w.order} LIMIT 2 OFFSET ?`,
      ).all(...w.args, q.scan - 1);
      if (ends.length === 2) scannedTo = { createdAt: ends[0].created_at, id: uuidFromBytes(ends[0].id) };
    }
    const party = (r: Row, p: 'a' | 'b'): FollowUpParty | null =>
      r[`${p}_sid`] === null || r[`${p}_oid`] === null
        ? null
        : {
            signalId: uuidFromBytes(r[`${p}_sid`]),
            organisationId: r[`${p}_oid`],
            organisationName: r[`${p}_name`],
            organisationType: r[`${p}_type`],
          };
    return {
      rows: rows.map((r: Row) => ({ match: match(r), a: party(r, 'a'), b: party(r, 'b') })),
      scannedTo,
    };
  }
  async insertMatch(m: NewMatch) {
    const r = this.st(INSERT_MATCH).run(...matchValues(m));
    return Number(r.lastInsertRowid);
  }
  async updateMatch(rid: number, p: MatchPatch) {
    const r = this.st(MATCH_BY_RID).get(rid);
    if (r === undefined) return;
    const n = { ...match(r), ...p };
    this.st(
      `UPDATE matches SET status = ?, ended_at = ?, contact_a = ?, contact_b = ?, outcome_a = ?, outcome_b = ?,
       regie = ?, regie_since = ?, proposal_by = ?, proposal_for = ?, proposal_at = ? WHERE rid = ?`,
    ).run(
      MATCH_STATUSES.indexOf(n.status),
      n.endedAt,
      n.contactMadeA,
      n.contactMadeB,
      encodeOutcome(n.outcomeA),
      encodeOutcome(n.outcomeB),
      encodeSide(n.regieHolder),
      n.regieSince,
      encodeSide(n.proposalBy),
      encodeSide(n.proposalFor),
      n.proposalAt,
      rid,
    );
  }
  async deleteMatch(rid: number) {
    this.erased = true;
    const r = this.st('SELECT id FROM matches WHERE rid = ?').get(rid);
    if (r === undefined) return;
    this.st('DELETE FROM events WHERE match = ?').run(r.id);
    // Every webhook delivery and notice of the match, delivered, sent and dropped ones too
    // (docs/privacy.md §4).
    this.st('DELETE FROM deliveries WHERE match = ?').run(r.id);
    this.st('DELETE FROM mail_outbox WHERE match = ?').run(r.id);
    this.st('DELETE FROM match_agreements WHERE match = ?').run(rid);
    this.st('DELETE FROM matches WHERE rid = ?').run(rid);
  }

  // --- consent and agreements -----------------------------------------------------

  async getConsent(signalRid: number) {
    const r = this.st('SELECT * FROM signal_consents WHERE signal = ?').get(signalRid);
    return r === undefined
      ? undefined
      : {
          signalRid,
          date: r.given_on as string,
          scopes: decodeConsentScopes(r.scopes),
          formReference: r.form_ref as string | null,
          recordedAt: r.recorded_at as number,
          withdrawnAt: r.withdrawn_at as number | null,
        };
  }
  async setConsent(c: ConsentRow) {
    this.erased = true;
    this.st(
      `INSERT INTO signal_consents (signal, given_on, scopes, form_ref, recorded_at, withdrawn_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (signal) DO UPDATE SET given_on = excluded.given_on, scopes = excluded.scopes,
       form_ref = excluded.form_ref, recorded_at = excluded.recorded_at, withdrawn_at = excluded.withdrawn_at`,
    ).run(c.signalRid, c.date, encodeConsentScopes(c.scopes), c.formReference, c.recordedAt, c.withdrawnAt);
  }
  async agreementEntries(matchRid: number) {
    return this.st('SELECT * FROM match_agreements WHERE match = ? ORDER BY seq')
      .all(matchRid)
      .map(
        (r: Row): AgreementEntryRow => ({
          matchRid,
          seq: r.seq,
          kind: r.kind === 0 ? 'agreement' : 'status',
          agreementId: uuidFromBytes(r.agreement),
          owner: decodeSide(r.owner),
          actionKind: r.action,
          informationCategory: r.category,
          purpose: r.purpose,
          dueDate: r.due,
          status: r.status === null ? null : AGREEMENT_STATUSES[r.status]!,
          bySide: decodeSide(r.by_side)!,
          at: r.at,
        }),
      );
  }
  async matchesWithAgreements() {
    return this.st(
      `SELECT ${MATCH_COLS} FROM matches WHERE rid IN (SELECT DISTINCT match FROM match_agreements) ORDER BY rid`,
    )
      .all()
      .map(match);
  }
  async appendAgreementEntry(e: AgreementEntryRow) {
    this.st(
      `INSERT INTO match_agreements (match, seq, kind, agreement, owner, action, category, purpose, due, status, by_side, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      e.matchRid,
      e.seq,
      e.kind === 'agreement' ? 0 : 1,
      idBytes(e.agreementId),
      encodeSide(e.owner),
      e.actionKind,
      e.informationCategory,
      e.purpose,
      e.dueDate,
      e.status === null ? null : AGREEMENT_STATUSES.indexOf(e.status),
      encodeSide(e.bySide),
      e.at,
    );
  }
}

/** The walk of a follow-up page: the index range of matches_follow_up, in order. */
function followUpWalk(q: FollowUpPageQuery): { where: string; args: unknown[]; order: 'ASC' | 'DESC' } {
  const where = ['status = ?'];
  const args: unknown[] = [MATCH_STATUSES.indexOf(q.status)];
  if (q.createdFrom !== null) {
    where.push('created_at >= ?');
    args.push(q.createdFrom);
  }
  if (q.createdTo !== null) {
    where.push('created_at <= ?');
    args.push(q.createdTo);
  }
  if (q.after !== null) {
    where.push(`(created_at, id) ${q.order === 'asc' ? '>' : '<'} (?, ?)`);
    args.push(q.after.createdAt, idBytes(q.after.id));
  }
  return { where: where.join(' AND '), args, order: q.order === 'asc' ? 'ASC' : 'DESC' };
}

/**
 * The statement of one follow-up page (exported so the plan test can EXPLAIN every filter
 * and order: store/follow-up-plans.test.ts). The inner select walks matches_follow_up
 * (status, created_at, id) in order from the keyset position for at most `scan` matches;
 * the filters are checked on those only, so a page costs at most `scan` index entries and
 * four primary-key look-ups each, and holds `limit` rows (docs/performance.md "Follow-up
 * overview").
 */
export function followUpPageStatement(q: FollowUpPageQuery): { sql: string; args: unknown[] } {
  const w = followUpWalk(q);
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.withoutOutcome !== null) {
    where.push(
      q.withoutOutcome
        ? 'm.outcome_a IS NULL AND m.outcome_b IS NULL'
        : '(m.outcome_a IS NOT NULL OR m.outcome_b IS NOT NULL)',
    );
  }
  if (q.outcome !== null) {
    where.push('(m.outcome_a = ? OR m.outcome_b = ?)');
    const code = encodeOutcome(q.outcome);
    args.push(code, code);
  }
  if (q.organisationType !== null) {
    where.push('(oa.type = ? OR ob.type = ?)');
    args.push(q.organisationType, q.organisationType);
  }
  if (q.dueBy !== null) {
    where.push('(sa.state IS NOT 0 OR sa.expires_at > ?) AND (sb.state IS NOT 0 OR sb.expires_at > ?)');
    args.push(q.dueBy, q.dueBy);
  }
  const cols = MATCH_COLS.split(', ')
    .map((c) => `m.${c}`)
    .join(', ');
  return {
    sql: `SELECT ${cols}, sa.id AS a_sid, oa.id AS a_oid, oa.name AS a_name, oa.type AS a_type,
     sb.id AS b_sid, ob.id AS b_oid, ob.name AS b_name, ob.type AS b_type
     FROM (SELECT * FROM matches INDEXED BY matches_follow_up WHERE ${w.where}
       ORDER BY created_at ${w.order}, id ${w.order} LIMIT ?) m
     LEFT JOIN signals sa ON sa.rid = m.a LEFT JOIN organisations oa ON oa.rid = sa.org
     LEFT JOIN signals sb ON sb.rid = m.b LEFT JOIN organisations ob ON ob.rid = sb.org
     ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
     ORDER BY m.created_at ${w.order}, m.id ${w.order} LIMIT ?`,
    args: [...w.args, q.scan, ...args, q.limit],
  };
}

/** The columns of a new match row, in the order of `matchValues` (single and batch inserts). */
export const MATCH_INSERT_COLS =
  'id, kind, status, a, b, created_at, ended_at, contact_a, contact_b, outcome_a, outcome_b, regie, regie_since, proposal_by, proposal_for, proposal_at';

// The texts of the statements a placement's match runs, built once (as in sqlite-signals.ts).
// Module constants, read when a method runs: defined here, after MATCH_INSERT_COLS.
const MATCH_BY_ID = `SELECT ${MATCH_COLS} FROM matches WHERE id = ?`;
const MATCH_BY_PAIR = `SELECT ${MATCH_COLS} FROM matches WHERE a = ? AND b = ?`;
const MATCH_BY_RID = `SELECT ${MATCH_COLS} FROM matches WHERE rid = ?`;
const INSERT_MATCH = `INSERT INTO matches (${MATCH_INSERT_COLS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** A new match's stored values, in the order of `MATCH_INSERT_COLS`. */
export function matchValues(m: NewMatch): unknown[] {
  return [
    idBytes(m.id),
    MATCH_KINDS.indexOf(m.kind),
    MATCH_STATUSES.indexOf(m.status),
    m.a,
    m.b,
    m.createdAt,
    m.endedAt,
    m.contactMadeA,
    m.contactMadeB,
    encodeOutcome(m.outcomeA),
    encodeOutcome(m.outcomeB),
    encodeSide(m.regieHolder),
    m.regieSince,
    encodeSide(m.proposalBy),
    encodeSide(m.proposalFor),
    m.proposalAt,
  ];
}
