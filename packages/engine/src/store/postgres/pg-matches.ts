// Matches, consent and match agreements on PostgreSQL (part of PgTx, pg-core.ts), and the
// query of one follow-up page (docs/performance.md "Follow-up overview").

import type postgres from 'postgres';
import type { FollowUpCounts, FollowUpOutcome, MatchStatus } from '../../api.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import {
  AGREEMENT_STATUSES,
  FOLLOW_UP_CODES,
  MATCH_KINDS,
  MATCH_STATUSES,
  decodeConsentScopes,
  decodeSide,
  encodeConsentScopes,
  encodeOutcome,
  encodeSide,
} from '../sqlite/codec.js';
import { idBytes, match } from '../sqlite/sqlite-rows.js';
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
import type { Row, Sql } from './pg-core.js';
import { PgSignals } from './pg-signals.js';

const MATCH_COLS =
  'rid, id, kind, status, a, b, created_at, ended_at, contact_a, contact_b, outcome_a, outcome_b, regie, regie_since, proposal_by, proposal_for, proposal_at';

/** A new match's stored values by column (single and batch inserts, pg-batch.ts). */
export function matchRecord(m: NewMatch) {
  return {
    id: idBytes(m.id),
    kind: MATCH_KINDS.indexOf(m.kind),
    status: MATCH_STATUSES.indexOf(m.status),
    a: m.a,
    b: m.b,
    created_at: m.createdAt,
    ended_at: m.endedAt,
    contact_a: m.contactMadeA,
    contact_b: m.contactMadeB,
    outcome_a: encodeOutcome(m.outcomeA),
    outcome_b: encodeOutcome(m.outcomeB),
    regie: encodeSide(m.regieHolder),
    regie_since: m.regieSince,
    proposal_by: encodeSide(m.proposalBy),
    proposal_for: encodeSide(m.proposalFor),
    proposal_at: m.proposalAt,
  };
}

export class PgMatches extends PgSignals {
  async getMatch(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const [r] = await this.q((sql) => sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE id = ${b}`);
    return r === undefined ? undefined : match(r);
  }
  async getMatchByPair(a: number, b: number) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE a = ${Math.min(a, b)} AND b = ${Math.max(a, b)}`,
    );
    return r === undefined ? undefined : match(r);
  }
  async matchesOfSignal(signalRid: number) {
    const rows = await this.q(
      (sql) =>
        sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE a = ${signalRid} OR b = ${signalRid} ORDER BY rid`,
    );
    return rows.map(match);
  }
  async listMatches(status: MatchStatus) {
    const rows = await this.q(
      (sql) =>
        sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE status = ${MATCH_STATUSES.indexOf(status)} ORDER BY created_at, rid`,
    );
    return rows.map(match);
  }
  async followUpCounts(status: MatchStatus): Promise<FollowUpCounts> {
    const st = MATCH_STATUSES.indexOf(status);
    const [t] = await this.q(
      (sql) => sql`SELECT count(*)::bigint AS n,
        count(*) FILTER (WHERE outcome_a IS NULL AND outcome_b IS NULL)::bigint AS none
        FROM matches WHERE status = ${st}`,
    );
    const sides = await this.q(
      (sql) => sql`SELECT o, count(*)::bigint AS n FROM (
        SELECT outcome_a AS o FROM matches WHERE status = ${st} AND outcome_a IS NOT NULL
        UNION ALL SELECT outcome_b FROM matches WHERE status = ${st} AND outcome_b IS NOT NULL) s GROUP BY o`,
    );
    const outcomes = Object.fromEntries(FOLLOW_UP_CODES.map((o) => [o, 0])) as Record<
      FollowUpOutcome,
      number
    >;
    for (const r of sides) outcomes[FOLLOW_UP_CODES[r.o]!] = Number(r.n);
    return { matches: Number(t.n), withoutOutcome: Number(t.none), outcomes };
  }
  async followUpPage(q: FollowUpPageQuery): Promise<FollowUpPage> {
    const rows = await this.q((sql) => followUpPageQuery(sql, q));
    let scannedTo: FollowUpPosition | null = null;
    if (rows.length < q.limit) {
      // Did the walk stop at `scan` with more to come? The scan-th and the next position.
      const ends = await this.q(
        (sql) => sql`SELECT created_at, id FROM matches m WHERE ${followUpWalk(sql, q)}
          ORDER BY created_at ${order(sql, q)}, id ${order(sql, q)} LIMIT 2 OFFSET ${q.scan - 1}`,
      );
      const [end] = ends;
      if (ends.length === 2 && end !== undefined)
        scannedTo = { createdAt: Number(end.created_at), id: uuidFromBytes(end.id) };
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
    const [r] = await this.q((sql) => sql`INSERT INTO matches ${sql(matchRecord(m))} RETURNING rid`);
    return Number(r.rid);
  }
  async updateMatch(rid: number, p: MatchPatch) {
    // FOR UPDATE, as updateSignal: both parties' follow-up on one match must both survive.
    const [r] = await this.q(
      (sql) => sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE rid = ${rid} FOR UPDATE`,
    );
    if (r === undefined) return;
    const n = { ...match(r), ...p };
    await this.q(
      (sql) => sql`UPDATE matches SET status = ${MATCH_STATUSES.indexOf(n.status)}, ended_at = ${n.endedAt},
        contact_a = ${n.contactMadeA}, contact_b = ${n.contactMadeB}, outcome_a = ${encodeOutcome(n.outcomeA)},
        outcome_b = ${encodeOutcome(n.outcomeB)}, regie = ${encodeSide(n.regieHolder)},
        regie_since = ${n.regieSince}, proposal_by = ${encodeSide(n.proposalBy)},
        proposal_for = ${encodeSide(n.proposalFor)}, proposal_at = ${n.proposalAt} WHERE rid = ${rid}`,
    );
  }
  async deleteMatch(rid: number) {
    const [r] = await this.q((sql) => sql`SELECT id FROM matches WHERE rid = ${rid}`);
    if (r === undefined) return;
    await this.q((sql) => sql`DELETE FROM events WHERE match = ${r.id}`);
    // Every webhook delivery and notice of the match, delivered, sent and dropped ones too
    // (docs/privacy.md §4).
    await this.q((sql) => sql`DELETE FROM deliveries WHERE match = ${r.id}`);
    await this.q((sql) => sql`DELETE FROM mail_outbox WHERE match = ${r.id}`);
    await this.q((sql) => sql`DELETE FROM match_agreements WHERE match = ${rid}`);
    await this.q((sql) => sql`DELETE FROM matches WHERE rid = ${rid}`);
  }
  async getConsent(signalRid: number) {
    const [r] = await this.q((sql) => sql`SELECT * FROM signal_consents WHERE signal = ${signalRid}`);
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
    await this.q(
      (sql) => sql`INSERT INTO signal_consents (signal, given_on, scopes, form_ref, recorded_at, withdrawn_at)
        VALUES (${c.signalRid}, ${c.date}, ${encodeConsentScopes(c.scopes)}, ${c.formReference}, ${c.recordedAt},
        ${c.withdrawnAt})
        ON CONFLICT (signal) DO UPDATE SET given_on = excluded.given_on, scopes = excluded.scopes,
        form_ref = excluded.form_ref, recorded_at = excluded.recorded_at, withdrawn_at = excluded.withdrawn_at`,
    );
  }
  async agreementEntries(matchRid: number) {
    const rows = await this.q(
      (sql) => sql`SELECT * FROM match_agreements WHERE match = ${matchRid} ORDER BY seq`,
    );
    return rows.map(
      (r): AgreementEntryRow => ({
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
    const rows = await this.q(
      (sql) =>
        sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE rid IN (SELECT DISTINCT match FROM match_agreements) ORDER BY rid`,
    );
    return rows.map(match);
  }
  async appendAgreementEntry(e: AgreementEntryRow) {
    await this.q(
      (
        sql,
      ) => sql`INSERT INTO match_agreements (match, seq, kind, agreement, owner, action, category, purpose,
        due, status, by_side, at) VALUES (${e.matchRid}, ${e.seq}, ${e.kind === 'agreement' ? 0 : 1},
        ${idBytes(e.agreementId)}, ${encodeSide(e.owner)}, ${e.actionKind}, ${e.informationCategory},
        ${e.purpose}, ${e.dueDate}, ${e.status === null ? null : AGREEMENT_STATUSES.indexOf(e.status)},
        ${encodeSide(e.bySide)}, ${e.at})`,
    );
  }
}

const order = (sql: Sql, q: FollowUpPageQuery) => sql.unsafe(q.order === 'asc' ? 'ASC' : 'DESC');

/** The walk of a follow-up page: the index range of matches_follow_up (as `m`), in order. */
function followUpWalk(sql: Sql, q: FollowUpPageQuery): postgres.PendingQuery<Row[]> {
  const none = sql``;
  const after =
    q.after === null
      ? none
      : q.order === 'asc'
        ? sql`AND (m.created_at, m.id) > (${q.after.createdAt}::bigint, ${idBytes(q.after.id)}::bytea)`
        : sql`AND (m.created_at, m.id) < (${q.after.createdAt}::bigint, ${idBytes(q.after.id)}::bytea)`;
  return sql`m.status = ${MATCH_STATUSES.indexOf(q.status)}
    ${q.createdFrom === null ? none : sql`AND m.created_at >= ${q.createdFrom}`}
    ${q.createdTo === null ? none : sql`AND m.created_at <= ${q.createdTo}`}
    ${after}`;
}

/**
 * The query of one follow-up page (exported so the plan test can EXPLAIN every filter and
 * order: store/follow-up-plans.test.ts). The inner select walks matches_follow_up (status,
 * created_at, id) in order for at most `scan` matches — its LIMIT makes the ordered index
 * walk the planner's choice whatever the filters — and the filters are checked on those
 * only (docs/performance.md "Follow-up overview"). bytea compares as its bytes, so `id`
 * orders as the 16 UUID bytes, like SQLite's BLOB.
 */
export function followUpPageQuery(sql: Sql, q: FollowUpPageQuery): postgres.PendingQuery<Row[]> {
  const code = q.outcome === null ? null : encodeOutcome(q.outcome);
  const none = sql``;
  const cols = sql.unsafe(
    MATCH_COLS.split(', ')
      .map((c) => `m.${c}`)
      .join(', '),
  );
  const filters = [
    q.withoutOutcome === null
      ? null
      : q.withoutOutcome
        ? sql`m.outcome_a IS NULL AND m.outcome_b IS NULL`
        : sql`(m.outcome_a IS NOT NULL OR m.outcome_b IS NOT NULL)`,
    code === null ? null : sql`(m.outcome_a = ${code} OR m.outcome_b = ${code})`,
    q.organisationType === null
      ? null
      : sql`(oa.type = ${q.organisationType} OR ob.type = ${q.organisationType})`,
    q.dueBy === null
      ? null
      : sql`(oa.state IS DISTINCT FROM 0 OR oa.expires_at > ${q.dueBy})
        AND (ob.state IS DISTINCT FROM 0 OR ob.expires_at > ${q.dueBy})`,
  ].filter((f) => f !== null);
  const where = filters.reduce((acc, f) => (acc === none ? sql`WHERE ${f}` : sql`${acc} AND ${f}`), none);
  // Each party by its primary key, per walked match: LIMIT 1 keeps the planner from turning
  // the look-ups into a hash join over the whole signals table.
  const party = (
    side: 'a' | 'b',
  ) => sql`LEFT JOIN LATERAL (SELECT s.id AS sid, s.state, s.expires_at, o.id AS oid, o.name, o.type
      FROM signals s JOIN organisations o ON o.rid = s.org WHERE s.rid = m.${sql.unsafe(side)} LIMIT 1)
    ${sql.unsafe(`o${side}`)} ON true`;
  return sql`SELECT ${cols}, oa.sid AS a_sid, oa.oid AS a_oid, oa.name AS a_name, oa.type AS a_type,
    ob.sid AS b_sid, ob.oid AS b_oid, ob.name AS b_name, ob.type AS b_type
    FROM (SELECT * FROM matches m WHERE ${followUpWalk(sql, q)}
      ORDER BY m.created_at ${order(sql, q)}, m.id ${order(sql, q)} LIMIT ${q.scan}) m
    ${party('a')} ${party('b')}
    ${where}
    ORDER BY m.created_at ${order(sql, q)}, m.id ${order(sql, q)} LIMIT ${q.limit}`;
}
