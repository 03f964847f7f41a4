// The logbook, reveal marks, nonces, the placement budget and the counts on PostgreSQL
// (part of PgTx, pg-core.ts). In a write a logbook append joins the deferred tail
// (pg-tail.ts); a read of the head enters the logbook section, and a read of the budget
// the organisation's budget section, in the same round trip as the read (docs/engine.md
// "Storage contract", clause 4).

import type { MatchKind, MatchStatus } from '../../api.js';
import { EngineError } from '../../errors.js';
import { MATCH_KINDS, MATCH_STATUSES } from '../sqlite/codec.js';
import { idBytes } from '../sqlite/sqlite-rows.js';
import type {
  LogbookHead,
  LogCheckpoint,
  LogHead,
  LogRow,
  NonceRow,
  PlacementHourRow,
  StoreCounts,
  DueCounts,
  IndexedLogAction,
} from '../store.js';
import { dueCountsOf } from '../due-counts.js';
import { checkGeneration } from '../generation-fence.js';
import { buf, type Row, type Sql } from './pg-core.js';
import { PgEvents } from './pg-events.js';
import { LOCK_BUDGET, LOCK_LOGBOOK } from './pg-locks.js';

/** A logbook row as PostgreSQL returns it (plain texts) to the contract's row. */
function logRowOf(r: Row): LogRow {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    refs: r.refs,
    details: r.details,
    hash: r.hash,
  };
}

/**
 * The page query of logEntriesWithAction. Its literal predicate is the partial index's own
 * (pg-migrations.ts step 19): the planner reads `logbook_key_actions` only when it can prove
 * the query's WHERE implies the index's, which a bound array cannot show (docs/performance.md
 * "The webhook-key start check on a large logbook").
 */
export const logEntriesWithActionQuery = (
  sql: Sql,
  afterSeq: number,
  actions: readonly IndexedLogAction[],
  limit: number,
) =>
  sql`SELECT seq, at, actor, action, refs, details, hash FROM logbook
    WHERE seq > ${afterSeq} AND action IN ('webhook_key.added', 'webhook_key.retired')
      AND action = ANY(${actions as string[]}::text[]) ORDER BY seq LIMIT ${limit}`;

/** An erased match's reveal marks, by reveal_marks_match (schema step 22); exported for the plan test. */
export const revealMarksOfMatchDelete = (sql: Sql, match: Buffer) =>
  sql`DELETE FROM reveal_marks WHERE match = ${match} RETURNING at`;

export class PgBookkeeping extends PgEvents {
  async lastLogEntry() {
    await this.flushTail();
    // The logbook section (clause 4): seq + 1 onto this head cannot be raced.
    await this.lock('logbook', (sql) => sql`SELECT pg_advisory_xact_lock(${LOCK_LOGBOOK}, 0)`);
    const [r] = await this.q((sql) => sql`SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1`);
    return r === undefined ? undefined : ({ seq: r.seq, hash: r.hash } as LogHead);
  }
  async logbookHead() {
    // In a write, what it appended and a pending fence come first (contract/logbook.ts `fenceGeneration`).
    await this.flushTail();
    await this.lock('logbook', (sql) => sql`SELECT pg_advisory_xact_lock(${LOCK_LOGBOOK}, 0)`);
    // One statement, one round trip: the generation rides on the head an append reads anyway.
    const [r] = await this.q(
      (
        sql,
      ) => sql`SELECT (SELECT coalesce(max(generation), 1) FROM secret_rotations) AS generation, l.seq, l.hash
        FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1) AS l ON true`,
    );
    return {
      last: r?.seq == null ? undefined : ({ seq: Number(r.seq), hash: r.hash } as LogHead),
      secretGeneration: Number(r?.generation ?? 1),
    } satisfies LogbookHead;
  }
  async logEntries(fromSeq: number, limit: number) {
    await this.flushTail();
    const rows = await this.q(
      (sql) =>
        sql`SELECT seq, at, actor, action, refs, details, hash FROM logbook WHERE seq >= ${fromSeq} ORDER BY seq LIMIT ${limit}`,
    );
    return rows.map(logRowOf);
  }
  async logEntriesWithAction(afterSeq: number, actions: readonly IndexedLogAction[], limit: number) {
    await this.flushTail();
    const rows = await this.q((sql) => logEntriesWithActionQuery(sql, afterSeq, actions, limit));
    return rows.map(logRowOf);
  }
  async appendLogEntry(entry: (head: LogHead | undefined) => LogRow) {
    this.tail.appendLog(entry);
  }
  async fenceGeneration(used: number) {
    // Deferred with the logbook append (pg-tail.ts); outside a write there is no section to hold.
    if (this.write) this.tail.fence(used);
    else checkGeneration(used, (await this.logbookHead()).secretGeneration);
  }
  async insertLogEntry(e: LogRow) {
    await this.q(
      (
        sql,
      ) => sql`INSERT INTO logbook (seq, at, actor, action, refs, details, hash) VALUES (${e.seq}, ${e.at},
        ${e.actor}, ${e.action}, ${e.refs}, ${e.details}, ${buf(e.hash)})`,
    );
  }
  async logCheckpoint() {
    const [r] = await this.q((sql) => sql`SELECT seq, at, hash FROM logbook_checkpoint WHERE id = 1`);
    return r === undefined ? undefined : ({ seq: r.seq, at: r.at, hash: r.hash } as LogCheckpoint);
  }
  async purgeLogThrough(c: LogCheckpoint) {
    const old = await this.logCheckpoint();
    const last = await this.lastLogEntry();
    if ((old !== undefined && c.seq < old.seq) || last === undefined || c.seq >= last.seq) {
      throw new EngineError('conflict', 'the logbook checkpoint must stay below the newest entry');
    }
    await this.q(
      (
        sql,
      ) => sql`INSERT INTO logbook_checkpoint (id, seq, at, hash) VALUES (1, ${c.seq}, ${c.at}, ${buf(c.hash)})
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, at = excluded.at, hash = excluded.hash`,
    );
    return (await this.q((sql) => sql`DELETE FROM logbook WHERE seq <= ${c.seq} RETURNING seq`)).length;
  }
  async lastRevealLogged(keyId: string, matchId: string) {
    const [r] = await this.q(
      (sql) => sql`SELECT at FROM reveal_marks WHERE key_id = ${keyId} AND match = ${idBytes(matchId)}`,
    );
    return r === undefined ? undefined : (r.at as number);
  }
  async setRevealLogged(keyId: string, matchId: string, at: number) {
    // Only while the match exists, and under its row's key-share lock, which an erasure's
    // delete of the match waits for (and a lock taken after that delete finds no row): so the
    // erasure's later delete of the match's marks sees this one, or none is made (contract
    // logbook.ts, docs/privacy.md §2 art. 17).
    await this.q(
      (sql) => sql`INSERT INTO reveal_marks (key_id, match, at)
        SELECT ${keyId}::text, id, ${at}::bigint FROM matches WHERE id = ${idBytes(matchId)} FOR KEY SHARE
        ON CONFLICT (key_id, match) DO UPDATE SET at = excluded.at`,
    );
  }
  async deleteRevealMarksBefore(at: number) {
    return (await this.q((sql) => sql`DELETE FROM reveal_marks WHERE at < ${at} RETURNING at`)).length;
  }
  async deleteRevealMarksOfMatch(matchId: string) {
    return (await this.q((sql) => revealMarksOfMatchDelete(sql, idBytes(matchId)))).length;
  }
  async unexpiredNonces(now: number) {
    const rows = await this.q(
      (sql) =>
        sql`SELECT key_id, nonce, expires_at FROM nonces WHERE expires_at > ${now} ORDER BY expires_at`,
    );
    return rows.map((r): NonceRow => ({ keyId: r.key_id, nonce: r.nonce, expiresAt: r.expires_at }));
  }
  async insertNonces(rows: readonly NonceRow[]) {
    if (rows.length === 0) return;
    const values = rows.map((n) => ({ key_id: n.keyId, nonce: n.nonce, expires_at: n.expiresAt }));
    await this.q(
      (sql) =>
        sql`INSERT INTO nonces ${sql(values, 'key_id', 'nonce', 'expires_at')} ON CONFLICT (key_id, nonce) DO NOTHING`,
    );
  }
  async deleteExpiredNonces(now: number) {
    return (await this.q((sql) => sql`DELETE FROM nonces WHERE expires_at <= ${now} RETURNING key_id`))
      .length;
  }
  /** A read in the organisation's budget section (clause 4), entered in the same round trip. */
  #inBudgetSection(organisationRid: number, read: (sql: Sql) => Promise<Row[]>): Promise<Row[]> {
    return this.inSection(
      `b${organisationRid}`,
      (sql) => sql`SELECT pg_advisory_xact_lock(${LOCK_BUDGET}, ${organisationRid})`,
      read,
    );
  }
  /** Per budget section, a try sent and not answered yet (`tryBudgetSection`). */
  readonly #tries = new Map<string, Promise<boolean>>();
  /**
   * The budget section without a long wait (store.ts `tryBudgetSection`): tried, and while
   * another write holds it tried again every 2 ms (one statement, polling inside the
   * database: `pg_try_advisory_xact_lock` never queues, so it cannot wait in a cycle; the
   * sleep refers to the row so that it runs again for each) until `patienceMs` after the
   * transaction began (`now()`): one deadline for every try of a write, so a group that
   * meets several taken sections waits ≈ `patienceMs` in all, not that much per section.
   * Counted as held when sent, like `lock` (pg-core.ts), so the budget reads pipelined
   * behind it are sent without a lock of their own: inside the section when it is granted;
   * when it is not, the caller drops their answers and the name is forgotten, so a later
   * read waits for the section as usual. A second try sent before the first is answered
   * waits for that answer (true only once the section is entered), and tries again after
   * a false.
   */
  async tryBudgetSection(organisationRid: number, patienceMs = 0): Promise<boolean> {
    const name = `b${organisationRid}`;
    if (!this.write) return true;
    const pending = this.#tries.get(name);
    if (pending !== undefined) return (await pending) || this.tryBudgetSection(organisationRid, patienceMs);
    if (this.held.has(name)) return true;
    this.held.add(name);
    const trying = this.#try(organisationRid, patienceMs).then(
      (entered) => {
        this.#tries.delete(name);
        if (!entered) this.held.delete(name);
        return entered;
      },
      (e: unknown) => {
        this.#tries.delete(name);
        throw e;
      },
    );
    this.#tries.set(name, trying);
    return trying;
  }
  async #try(organisationRid: number, patienceMs: number): Promise<boolean> {
    const patience = Math.max(0, Math.ceil(patienceMs));
    const [r] = await this.q((sql) =>
      patience === 0
        ? sql`SELECT pg_try_advisory_xact_lock(${LOCK_BUDGET}, ${organisationRid}) AS entered`
        : sql`WITH RECURSIVE t(n, entered) AS (
            SELECT 0, pg_try_advisory_xact_lock(${LOCK_BUDGET}, ${organisationRid})
            UNION ALL
            SELECT t.n + 1, pg_try_advisory_xact_lock(${LOCK_BUDGET}, ${organisationRid})
              FROM t CROSS JOIN LATERAL pg_sleep(0.002 + 0 * t.n)
              WHERE NOT t.entered AND clock_timestamp() < now() + ${patience}::int * interval '1 millisecond')
          SELECT bool_or(entered) AS entered FROM t`,
    );
    return r.entered === true;
  }
  async placementHour(organisationRid: number, hour: number) {
    const [r] = await this.#inBudgetSection(
      organisationRid,
      (sql) =>
        sql`SELECT count, alerted FROM placement_hours WHERE org = ${organisationRid} AND hour = ${hour}`,
    );
    return r === undefined ? undefined : { count: r.count as number, alerted: r.alerted === true };
  }
  async placementsSince(organisationRid: number, fromHour: number) {
    const [r] = await this.#inBudgetSection(
      organisationRid,
      (sql) =>
        sql`SELECT coalesce(sum(count), 0)::bigint AS n FROM placement_hours WHERE org = ${organisationRid} AND hour >= ${fromHour}`,
    );
    return Number(r.n);
  }
  async setPlacementHour(organisationRid: number, hour: number, p: PlacementHourRow) {
    await this.q(
      (
        sql,
      ) => sql`INSERT INTO placement_hours (org, hour, count, alerted) VALUES (${organisationRid}, ${hour},
        ${p.count}, ${p.alerted}) ON CONFLICT (org, hour) DO UPDATE SET count = excluded.count, alerted = excluded.alerted`,
    );
  }
  async addToPlacementHour(organisationRid: number, hour: number, by: number) {
    const [r] = await this.q(
      (
        sql,
      ) => sql`INSERT INTO placement_hours AS h (org, hour, count, alerted) VALUES (${organisationRid}, ${hour},
        ${by}, false) ON CONFLICT (org, hour) DO UPDATE SET count = h.count + excluded.count
        RETURNING count, alerted`,
    );
    return { count: r.count as number, alerted: r.alerted === true };
  }
  async deletePlacementHoursBefore(hour: number) {
    return (await this.q((sql) => sql`DELETE FROM placement_hours WHERE hour < ${hour} RETURNING org`))
      .length;
  }
  async signalStateCounts(organisationRid: number) {
    const [r] = await this.q(
      (sql) => sql`SELECT count(*) FILTER (WHERE state = 0)::bigint AS active,
        count(*) FILTER (WHERE state > 0)::bigint AS inactive FROM signals WHERE org = ${organisationRid}`,
    );
    return { active: Number(r.active), inactive: Number(r.inactive) };
  }
  async matchCount(status: MatchStatus, kind: MatchKind) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT count(*)::bigint AS n FROM matches WHERE status = ${MATCH_STATUSES.indexOf(status)} AND kind = ${MATCH_KINDS.indexOf(kind)}`,
    );
    return Number(r.n);
  }
  async dueCounts(now: number): Promise<DueCounts> {
    const [c] = await this.q(
      (sql) => sql`SELECT count(*)::bigint AS n FROM signals WHERE state = 0 AND expires_at <= ${now}`,
    );
    const groups = await this.q(
      (sql) => sql`SELECT m.kind, m.outcome_a, m.outcome_b, count(*)::bigint AS n FROM (
        SELECT m.rid FROM signals s JOIN matches m ON m.a = s.rid WHERE s.state = 0 AND s.expires_at <= ${now}
        UNION SELECT m.rid FROM signals s JOIN matches m ON m.b = s.rid WHERE s.state = 0 AND s.expires_at <= ${now}) d
        JOIN matches m ON m.rid = d.rid WHERE m.status = 0
        GROUP BY m.kind, m.outcome_a, m.outcome_b`,
    );
    return dueCountsOf(
      Number(c.n),
      groups.map((r: Row) => ({
        kind: r.kind,
        outcomeA: r.outcome_a,
        outcomeB: r.outcome_b,
        n: Number(r.n),
      })),
    );
  }
  async counts(): Promise<StoreCounts> {
    const o = await this.q(
      (sql) => sql`SELECT status, count(*)::bigint AS n FROM organisations GROUP BY status`,
    );
    const s = await this.q(
      (sql) => sql`SELECT (state = 0) AS active, count(*)::bigint AS n FROM signals GROUP BY state = 0`,
    );
    const m = await this.q(
      (sql) => sql`SELECT status, kind, count(*)::bigint AS n FROM matches GROUP BY status, kind`,
    );
    const sum = (rows: Row[], pred: (r: Row) => boolean) =>
      rows.filter(pred).reduce((acc: number, r: Row) => acc + Number(r.n), 0);
    return {
      organisations: { active: sum(o, (r) => r.status === 0), suspended: sum(o, (r) => r.status === 1) },
      signals: { active: sum(s, (r) => r.active === true), inactive: sum(s, (r) => r.active === false) },
      matches: {
        active: sum(m, (r) => r.status === 0),
        ended: sum(m, (r) => r.status === 1),
        family: sum(m, (r) => r.kind === 1),
      },
    };
  }
}
