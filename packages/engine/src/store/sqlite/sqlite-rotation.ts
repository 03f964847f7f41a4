// Key lifecycle (docs/keys.md) on one better-sqlite3 connection (part of SqliteTx): secret
// rotation progress, re-keying stored pseudonyms and request hashes in place, rotation
// catch-ups and epoch dependants. A re-keyed value replaces the old cell (secure_delete).

import type { EpochDependants, SecretRotationRow, StoredPseudonymRow } from '../store.js';
import type { Row } from './sqlite-rows.js';
import { rotationRow } from './sqlite-rows.js';
import { SqliteBookkeeping } from './sqlite-bookkeeping.js';

export class SqliteRotation extends SqliteBookkeeping {
  async latestSecretRotation() {
    const r = this.st('SELECT * FROM secret_rotations ORDER BY generation DESC LIMIT 1').get();
    return r === undefined ? undefined : rotationRow(r);
  }
  async secretCheck(generation: number) {
    const r = this.st('SELECT check_value FROM secret_checks WHERE generation = ?').get(generation);
    return r === undefined ? undefined : (r.check_value as Uint8Array);
  }
  async maxSignalRid() {
    return (this.st('SELECT coalesce(max(rid), 0) AS n FROM signals').get().n as number) ?? 0;
  }
  async signalHashesInRange(afterRid: number, upToRid: number, limit: number) {
    return this.st('SELECT rid, request_hash FROM signals WHERE rid > ? AND rid <= ? ORDER BY rid LIMIT ?')
      .all(afterRid, upToRid, limit)
      .map((r: Row) => ({ rid: r.rid as number, requestHash: r.request_hash as Uint8Array }));
  }
  async pseudonymsInRange(afterRid: number, upToRid: number) {
    const out: StoredPseudonymRow[] = [];
    for (const r of this.st('SELECT rid, pfx FROM signals WHERE rid > ? AND rid <= ?').all(
      afterRid,
      upToRid,
    )) {
      out.push(...this.pseudonymsByPrefixes(r.rid, r.pfx));
    }
    return out;
  }
  async pendingRotationCatchUps(limit: number) {
    return this.st('SELECT signal FROM rotation_catchups ORDER BY signal LIMIT ?')
      .all(limit)
      .map((r: Row) => r.signal as number);
  }
  async epochDependants(epoch: number, now: number): Promise<EpochDependants[]> {
    // Signals with a subject row under `epoch` and none under another active epoch, from
    // one pass over the pseudonyms grouped by signal (there is no by-signal index).
    return this.st(
      `SELECT o.id AS org_id, sum(s.state = 0 AND s.expires_at > @now) AS active,
         sum(s.state = 0 AND s.expires_at <= @now) AS due, sum(s.state > 0) AS inactive
       FROM (SELECT signal FROM signal_pseudonyms WHERE role = 0 GROUP BY signal
             HAVING max(epoch = @epoch) = 1
                AND max(epoch IN (SELECT epoch FROM epochs WHERE status = 0 AND epoch <> @epoch)) = 0) AS only
       JOIN signals s ON s.rid = only.signal JOIN organisations o ON o.rid = s.org
       GROUP BY o.id ORDER BY o.id`,
    )
      .all({ epoch, now })
      .map((r: Row) => ({ organisationId: r.org_id, active: r.active, due: r.due, inactive: r.inactive }));
  }
  async activeSignalCounts(now: number) {
    const due = new Map<string, number>(
      this.st(
        `SELECT o.id AS org_id, count(*) AS n FROM signals s INDEXED BY signals_expiry
         JOIN organisations o ON o.rid = s.org WHERE s.state = 0 AND s.expires_at <= ? GROUP BY o.id`,
      )
        .all(now)
        .map((r: Row) => [r.org_id as string, r.n as number]),
    );
    return this.st(
      `SELECT o.id AS org_id, count(*) AS n FROM signals s JOIN organisations o ON o.rid = s.org
       WHERE s.state = 0 GROUP BY o.id ORDER BY o.id`,
    )
      .all()
      .map((r: Row) => ({
        organisationId: r.org_id as string,
        activeSignals: (r.n as number) - (due.get(r.org_id) ?? 0),
      }))
      .filter((c: { activeSignals: number }) => c.activeSignals > 0);
  }
  async epochSignalCounts(now: number) {
    return this.st(
      `SELECT o.id AS org_id, p.epoch, count(DISTINCT p.signal) AS n FROM signal_pseudonyms p
       JOIN signals s ON s.rid = p.signal JOIN organisations o ON o.rid = s.org
       WHERE p.role = 0 AND s.state = 0 AND s.expires_at > ? GROUP BY o.id, p.epoch ORDER BY o.id, p.epoch`,
    )
      .all(now)
      .map((r: Row) => ({
        organisationId: r.org_id as string,
        epoch: r.epoch as number,
        activeSignals: r.n as number,
      }));
  }
  async activeSignalRidsOnlyUnder(epoch: number) {
    // The grouped pass of epochDependants, then the state of each candidate by its key.
    return this.st(
      `SELECT s.rid FROM (SELECT signal FROM signal_pseudonyms WHERE role = 0 GROUP BY signal
             HAVING max(epoch = @epoch) = 1
                AND max(epoch IN (SELECT epoch FROM epochs WHERE status = 0 AND epoch <> @epoch)) = 0) AS only
       JOIN signals s ON s.rid = only.signal WHERE s.state = 0 ORDER BY s.rid`,
    )
      .all({ epoch })
      .map((r: Row) => r.rid as number);
  }
  async rekeyPseudonym(row: StoredPseudonymRow, stored: Uint8Array, generation: number) {
    this.erased = true;
    const role = row.role === 'subject' ? 0 : 1;
    // The value is the primary key: delete and insert (secure_delete overwrites the old cell).
    this.st('DELETE FROM signal_pseudonyms WHERE stored = ? AND role = ? AND signal = ?').run(
      Buffer.from(row.stored),
      role,
      row.signalRid,
    );
    // The row keeps its parent link's hold (docs/engine.md "GDPR requests (municipality only)").
    this.st(
      'INSERT INTO signal_pseudonyms (stored, role, signal, epoch, generation, held) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(Buffer.from(stored), role, row.signalRid, row.epoch, generation, row.held ?? 0);
    this.editPrefixes(row.signalRid, [stored], [row.stored]);
  }
  async updateRequestHash(rid: number, requestHash: Uint8Array) {
    this.erased = true;
    this.st('UPDATE signals SET request_hash = ? WHERE rid = ?').run(Buffer.from(requestHash), rid);
  }
  async insertSecretRotation(r: SecretRotationRow) {
    this.st(
      `INSERT INTO secret_rotations (generation, started_at, completed_at, max_signal, cursor, rows_rekeyed, hashes_rekeyed)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.generation,
      r.startedAt,
      r.completedAt,
      r.maxSignalRid,
      r.cursorRid,
      r.rowsRekeyed,
      r.hashesRekeyed,
    );
  }
  async updateSecretRotation(
    generation: number,
    p: Pick<SecretRotationRow, 'cursorRid' | 'rowsRekeyed' | 'hashesRekeyed' | 'completedAt'>,
  ) {
    this.st(
      'UPDATE secret_rotations SET cursor = ?, rows_rekeyed = ?, hashes_rekeyed = ?, completed_at = ? WHERE generation = ?',
    ).run(p.cursorRid, p.rowsRekeyed, p.hashesRekeyed, p.completedAt, generation);
  }
  async recordSecretCheck(generation: number, checkValue: Uint8Array, at: number) {
    this.st(
      'INSERT OR IGNORE INTO secret_checks (generation, check_value, recorded_at) VALUES (?, ?, ?)',
    ).run(generation, Buffer.from(checkValue), at);
    const r = this.st('SELECT check_value FROM secret_checks WHERE generation = ?').get(generation) as {
      check_value: Buffer;
    };
    return r.check_value;
  }
  async noteRotationCatchUp(signalRid: number) {
    this.st(
      `INSERT OR IGNORE INTO rotation_catchups (signal)
       SELECT ? WHERE EXISTS (SELECT 1 FROM secret_rotations WHERE completed_at IS NULL)`,
    ).run(signalRid);
  }
  async deleteRotationCatchUps(signalRids: readonly number[]) {
    const st = this.st('DELETE FROM rotation_catchups WHERE signal = ?');
    for (const rid of signalRids) st.run(rid);
  }
}
