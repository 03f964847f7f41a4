// The hash-chained logbook, replay nonces, the placement budget and the gauge counts on one
// better-sqlite3 connection (part of SqliteTx). Counts are aggregates only: no row, id or
// pseudonym leaves these statements. The logbook's text columns are stored in the compact
// form of logbook-codec.ts and leave here decoded, byte for byte the text that was hashed.

import type { MatchKind, MatchStatus } from '../../api.js';
import { EngineError } from '../../errors.js';
import type {
  LogCheckpoint,
  LogHead,
  LogbookHead,
  LogRow,
  NonceRow,
  PlacementHourRow,
  StoreCounts,
  DueCounts,
  IndexedLogAction,
} from '../store.js';
import { dueCountsOf } from '../due-counts.js';
import { checkGeneration } from '../generation-fence.js';
import { MATCH_KINDS, MATCH_STATUSES } from './codec.js';
import { decodeLogText, encodeLogText, encodeRepeatedLogText } from './logbook-codec.js';
import { idBytes, type Row } from './sqlite-rows.js';
import { SqliteEvents } from './sqlite-events.js';

/** A logbook row as stored (texts in their compact form, logbook-codec.ts) to the contract's row. */
function logRowOf(r: Row): LogRow {
  return {
    seq: r.seq,
    at: r.at,
    actor: decodeLogText(r.actor),
    action: decodeLogText(r.action),
    refs: decodeLogText(r.refs),
    details: decodeLogText(r.details),
    hash: r.hash,
  };
}

/** An erased match's reveal marks, by reveal_marks_match (schema step 32); exported for the plan test. */
export const REVEAL_MARKS_OF_MATCH_DELETE = 'DELETE FROM reveal_marks WHERE match = ?';

/**
 * The page query of logEntriesWithAction, for `forms` bound storage forms of the actions. Its
 * literal predicate is the partial index's own (migrations/steps.ts, the step
 * "logbook_key_actions"): SQLite reads a partial index only for a query whose WHERE holds that
 * very term, which bound parameters cannot (docs/performance.md "The webhook-key start check on
 * a large logbook"). The forms it names: the TEXT and the encoded action (words 31 and 33).
 */
export const logEntriesWithActionSql = (forms: number) =>
  `SELECT seq, at, actor, action, refs, details, hash FROM logbook
    WHERE seq > ? AND action IN ('webhook_key.added', 'webhook_key.retired', X'011f1f', X'011f21')
      AND action IN (${Array.from({ length: forms }, () => '?').join(', ')}) ORDER BY seq LIMIT ?`;

export class SqliteBookkeeping extends SqliteEvents {
  async lastLogEntry() {
    const r = this.array('SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1').get();
    return r === undefined ? undefined : ({ seq: r[0], hash: r[1] } as LogHead);
  }
  async logbookHead(): Promise<LogbookHead> {
    const r = this.st(
      `SELECT (SELECT coalesce(max(generation), 1) FROM secret_rotations) AS generation, l.seq, l.hash
        FROM (SELECT 1) AS one LEFT JOIN (SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1) AS l ON 1`,
    ).get();
    return {
      last: r?.seq == null ? undefined : ({ seq: r.seq, hash: r.hash } as LogHead),
      secretGeneration: r?.generation ?? 1,
    };
  }
  /** The single writer is the logbook section: the generation is read and checked at once. */
  async fenceGeneration(used: number) {
    const generation = this.value('SELECT coalesce(max(generation), 1) FROM secret_rotations').get();
    checkGeneration(used, (generation as number | undefined) ?? 1);
  }
  async logEntries(fromSeq: number, limit: number) {
    return this.st(
      'SELECT seq, at, actor, action, refs, details, hash FROM logbook WHERE seq >= ? ORDER BY seq LIMIT ?',
    )
      .all(fromSeq, limit)
      .map(logRowOf);
  }
  async logEntriesWithAction(afterSeq: number, actions: readonly IndexedLogAction[], limit: number) {
    // Every storage form an action has had: the plain text (rows before the compact form),
    // and the compact forms of appends since (logbook-codec.ts); decoded and checked again below.
    const forms = actions.flatMap((a) => [a, encodeLogText(a), encodeRepeatedLogText(a)]);
    const rows: Row[] = this.st(logEntriesWithActionSql(forms.length)).all(afterSeq, ...forms, limit);
    return rows.map(logRowOf).filter((r) => (actions as readonly string[]).includes(r.action));
  }
  async logCheckpoint() {
    const r = this.st('SELECT seq, at, hash FROM logbook_checkpoint WHERE id = 1').get();
    return r === undefined ? undefined : ({ seq: r.seq, at: r.at, hash: r.hash } as LogCheckpoint);
  }
  async purgeLogThrough(c: LogCheckpoint) {
    const old = await this.logCheckpoint();
    const last = await this.lastLogEntry();
    if ((old !== undefined && c.seq < old.seq) || last === undefined || c.seq >= last.seq) {
      throw new EngineError('conflict', 'the logbook checkpoint must stay below the newest entry');
    }
    this.st(
      'INSERT INTO logbook_checkpoint (id, seq, at, hash) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, at = excluded.at, hash = excluded.hash',
    ).run(c.seq, c.at, Buffer.from(c.hash));
    this.appendedHead = undefined;
    return this.st('DELETE FROM logbook WHERE seq <= ?').run(c.seq).changes;
  }
  async lastRevealLogged(keyId: string, matchId: string) {
    const r = this.st('SELECT at FROM reveal_marks WHERE key_id = ? AND match = ?').get(
      keyId,
      idBytes(matchId),
    );
    return r === undefined ? undefined : (r.at as number);
  }
  async setRevealLogged(keyId: string, matchId: string, at: number) {
    this.st(
      `INSERT INTO reveal_marks (key_id, match, at) SELECT ?, id, ? FROM matches WHERE id = ?
        ON CONFLICT (key_id, match) DO UPDATE SET at = excluded.at`,
    ).run(keyId, at, idBytes(matchId));
  }
  async deleteRevealMarksBefore(at: number) {
    return this.st('DELETE FROM reveal_marks WHERE at < ?').run(at).changes;
  }
  async deleteRevealMarksOfMatch(matchId: string) {
    return this.st(REVEAL_MARKS_OF_MATCH_DELETE).run(idBytes(matchId)).changes;
  }
  async appendLogEntry(entry: (head: LogHead | undefined) => LogRow) {
    // One writer at a time: the head cannot move between this read and the insert. The entry
    // the writer appended last — in this operation or an earlier one of the same group commit —
    // is the head unless something forgot it (sqlite-core.ts `appendedHead`): then it is read again.
    const row = entry(this.appendedHead ?? (await this.lastLogEntry()) ?? (await this.logCheckpoint()));
    this.#insertLogEntry(row);
    this.appendedHead = row;
  }
  async insertLogEntry(e: LogRow) {
    this.appendedHead = undefined;
    this.#insertLogEntry(e);
  }
  #insertLogEntry(e: LogRow) {
    this.st(
      'INSERT INTO logbook (seq, at, actor, action, refs, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      e.seq,
      e.at,
      // Actors, actions and details repeat from entry to entry; refs name new ids each time.
      encodeRepeatedLogText(e.actor),
      encodeRepeatedLogText(e.action),
      encodeLogText(e.refs),
      encodeRepeatedLogText(e.details),
      Buffer.from(e.hash),
    );
  }

  async unexpiredNonces(now: number) {
    return this.st('SELECT key_id, nonce, expires_at FROM nonces WHERE expires_at > ?')
      .all(now)
      .map((r: Row): NonceRow => ({ keyId: r.key_id, nonce: r.nonce, expiresAt: r.expires_at }));
  }
  async insertNonces(rows: readonly NonceRow[]) {
    const st = this.st('INSERT OR IGNORE INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)');
    for (const n of rows) st.run(n.keyId, n.nonce, n.expiresAt);
  }
  async deleteExpiredNonces(now: number) {
    return this.st('DELETE FROM nonces WHERE expires_at <= ?').run(now).changes;
  }

  /** One writer: no other write can hold the section (store.ts `tryBudgetSection`). */
  async tryBudgetSection(_organisationRid: number, _patienceMs?: number) {
    return true;
  }
  async placementHour(organisationRid: number, hour: number) {
    const r = this.st('SELECT count, alerted FROM placement_hours WHERE org = ? AND hour = ?').get(
      organisationRid,
      hour,
    );
    return r === undefined ? undefined : { count: r.count as number, alerted: r.alerted === 1 };
  }
  async placementsSince(organisationRid: number, fromHour: number) {
    return this.value('SELECT coalesce(sum(count), 0) FROM placement_hours WHERE org = ? AND hour >= ?').get(
      organisationRid,
      fromHour,
    ) as number;
  }
  async setPlacementHour(organisationRid: number, hour: number, p: PlacementHourRow) {
    this.st(
      `INSERT INTO placement_hours (org, hour, count, alerted) VALUES (?, ?, ?, ?)
       ON CONFLICT (org, hour) DO UPDATE SET count = excluded.count, alerted = excluded.alerted`,
    ).run(organisationRid, hour, p.count, p.alerted ? 1 : 0);
  }
  async addToPlacementHour(organisationRid: number, hour: number, by: number) {
    const [count, alerted] = this.array(
      `INSERT INTO placement_hours (org, hour, count, alerted) VALUES (?, ?, ?, 0)
       ON CONFLICT (org, hour) DO UPDATE SET count = count + excluded.count RETURNING count, alerted`,
    ).get(organisationRid, hour, by) as [number, number];
    return { count, alerted: alerted === 1 };
  }
  async deletePlacementHoursBefore(hour: number) {
    return this.st('DELETE FROM placement_hours WHERE hour < ?').run(hour).changes;
  }

  async signalStateCounts(organisationRid: number) {
    const active = this.st(
      'SELECT count(*) AS n FROM signals INDEXED BY signals_org WHERE org = ? AND state = 0',
    ).get(organisationRid).n as number;
    const total = this.st('SELECT count(*) AS n FROM signals INDEXED BY signals_org WHERE org = ?').get(
      organisationRid,
    ).n as number;
    return { active, inactive: total - active };
  }
  async matchCount(status: MatchStatus, kind: MatchKind) {
    return this.st(
      'SELECT count(*) AS n FROM matches INDEXED BY matches_status WHERE status = ? AND kind = ?',
    ).get(MATCH_STATUSES.indexOf(status), MATCH_KINDS.indexOf(kind)).n as number;
  }

  async dueCounts(now: number): Promise<DueCounts> {
    const signals = this.st(
      'SELECT count(*) AS n FROM signals INDEXED BY signals_expiry WHERE state = 0 AND expires_at <= ?',
    ).get(now).n as number;
    const groups = this.st(
      // CROSS JOIN keeps this order: the due matches first, then each by its rowid (not a
      // walk of every active match through matches_status).
      `SELECT m.kind, m.outcome_a, m.outcome_b, count(*) AS n FROM (
         SELECT m.rid FROM signals s INDEXED BY signals_expiry JOIN matches m ON m.a = s.rid
         WHERE s.state = 0 AND s.expires_at <= ?
         UNION SELECT m.rid FROM signals s INDEXED BY signals_expiry JOIN matches m ON m.b = s.rid
         WHERE s.state = 0 AND s.expires_at <= ?) d
       CROSS JOIN matches m ON m.rid = d.rid WHERE m.status = 0
       GROUP BY m.kind, m.outcome_a, m.outcome_b`,
    ).all(now, now);
    return dueCountsOf(
      signals,
      groups.map((r: Row) => ({ kind: r.kind, outcomeA: r.outcome_a, outcomeB: r.outcome_b, n: r.n })),
    );
  }

  async counts(): Promise<StoreCounts> {
    const o = this.st('SELECT status, count(*) AS n FROM organisations GROUP BY status').all();
    const s = this.st('SELECT state = 0 AS active, count(*) AS n FROM signals GROUP BY state = 0').all();
    const m = this.st('SELECT status, kind, count(*) AS n FROM matches GROUP BY status, kind').all();
    const sum = (rows: Row[], pred: (r: Row) => boolean) =>
      rows.filter(pred).reduce((acc: number, r: Row) => acc + (r.n as number), 0);
    return {
      organisations: { active: sum(o, (r) => r.status === 0), suspended: sum(o, (r) => r.status === 1) },
      signals: { active: sum(s, (r) => r.active === 1), inactive: sum(s, (r) => r.active === 0) },
      matches: {
        active: sum(m, (r) => r.status === 0),
        ended: sum(m, (r) => r.status === 1),
        family: sum(m, (r) => r.kind === 1),
      },
    };
  }
}
