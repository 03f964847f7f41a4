// The server secret's rotation (docs/keys.md) on PostgreSQL (part of PgTx, pg-core.ts):
// the rotation rows, the range walks that re-key stored pseudonyms and request hashes, the
// catch-up list of signals placed during a rotation, and the epoch dependants.

import { rotationRow } from '../sqlite/sqlite-rows.js';
import type { EpochDependants, SecretRotationRow, StoredPseudonymRow } from '../store.js';
import { PgBookkeeping } from './pg-bookkeeping.js';
import { buf, roleCode, roleOf } from './pg-core.js';

export class PgRotation extends PgBookkeeping {
  async latestSecretRotation() {
    // In a write the row stays locked to commit: rotation steps run one after another (store.ts).
    const [r] = await this.q(
      (sql) =>
        sql`SELECT * FROM secret_rotations ORDER BY generation DESC LIMIT 1 ${sql.unsafe(this.write ? 'FOR UPDATE' : '')}`,
    );
    return r === undefined ? undefined : rotationRow(r);
  }
  async secretCheck(generation: number) {
    const [r] = await this.q(
      (sql) => sql`SELECT check_value FROM secret_checks WHERE generation = ${generation}`,
    );
    return r === undefined ? undefined : (r.check_value as Uint8Array);
  }
  async maxSignalRid() {
    const [r] = await this.q((sql) => sql`SELECT coalesce(max(rid), 0)::bigint AS n FROM signals`);
    return Number(r.n);
  }
  async signalHashesInRange(afterRid: number, upToRid: number, limit: number) {
    const rows = await this.q(
      (sql) =>
        sql`SELECT rid, request_hash FROM signals WHERE rid > ${afterRid} AND rid <= ${upToRid} ORDER BY rid LIMIT ${limit}`,
    );
    return rows.map((r) => ({ rid: r.rid as number, requestHash: r.request_hash as Uint8Array }));
  }
  async pseudonymsInRange(afterRid: number, upToRid: number) {
    const rows = await this.q(
      (sql) => sql`SELECT stored, role, signal, epoch, generation FROM signal_pseudonyms
        WHERE signal > ${afterRid} AND signal <= ${upToRid} ORDER BY signal, stored`,
    );
    return rows.map(
      (r): StoredPseudonymRow => ({
        stored: r.stored,
        signalRid: r.signal,
        epoch: r.epoch,
        generation: r.generation,
        role: roleOf(r.role),
      }),
    );
  }
  async pendingRotationCatchUps(limit: number) {
    const rows = await this.q(
      (sql) => sql`SELECT signal FROM rotation_catchups ORDER BY signal LIMIT ${limit}`,
    );
    return rows.map((r) => r.signal as number);
  }
  async epochDependants(epoch: number, now: number): Promise<EpochDependants[]> {
    const rows = await this.q(
      (sql) => sql`SELECT o.id AS org_id,
        count(*) FILTER (WHERE s.state = 0 AND s.expires_at > ${now})::bigint AS active,
        count(*) FILTER (WHERE s.state = 0 AND s.expires_at <= ${now})::bigint AS due,
        count(*) FILTER (WHERE s.state > 0)::bigint AS inactive
        FROM (SELECT p.signal FROM signal_pseudonyms p
                LEFT JOIN epochs e ON e.epoch = p.epoch AND e.status = 0 AND e.epoch <> ${epoch}
              WHERE p.role = 0 GROUP BY p.signal
              HAVING bool_or(p.epoch = ${epoch}) AND NOT bool_or(e.epoch IS NOT NULL)) AS lone
        JOIN signals s ON s.rid = lone.signal JOIN organisations o ON o.rid = s.org
        GROUP BY o.id ORDER BY o.id`,
    );
    return rows.map((r) => ({
      organisationId: r.org_id,
      active: Number(r.active),
      due: Number(r.due),
      inactive: Number(r.inactive),
    }));
  }
  async activeSignalCounts(now: number) {
    const due = await this.q(
      (sql) => sql`SELECT o.id AS org_id, count(*)::bigint AS n FROM signals s
        JOIN organisations o ON o.rid = s.org WHERE s.state = 0 AND s.expires_at <= ${now} GROUP BY o.id`,
    );
    const dueOf = new Map(due.map((r) => [r.org_id as string, Number(r.n)]));
    const rows = await this.q(
      (
        sql,
      ) => sql`SELECT o.id AS org_id, count(*)::bigint AS n FROM signals s JOIN organisations o ON o.rid = s.org
        WHERE s.state = 0 GROUP BY o.id ORDER BY o.id`,
    );
    return rows
      .map((r) => ({
        organisationId: r.org_id as string,
        activeSignals: Number(r.n) - (dueOf.get(r.org_id) ?? 0),
      }))
      .filter((c) => c.activeSignals > 0);
  }
  async epochSignalCounts(now: number) {
    const rows = await this.q(
      (
        sql,
      ) => sql`SELECT o.id AS org_id, p.epoch, count(DISTINCT p.signal)::bigint AS n FROM signal_pseudonyms p
        JOIN signals s ON s.rid = p.signal JOIN organisations o ON o.rid = s.org
        WHERE p.role = 0 AND s.state = 0 AND s.expires_at > ${now}
        GROUP BY o.id, p.epoch ORDER BY o.id, p.epoch`,
    );
    return rows.map((r) => ({
      organisationId: r.org_id as string,
      epoch: r.epoch as number,
      activeSignals: Number(r.n),
    }));
  }
  async activeSignalRidsOnlyUnder(epoch: number) {
    // Due ones included: the retirement records their expiry (contract: key-lifecycle.ts).
    const rows = await this.q(
      (sql) => sql`SELECT s.rid FROM (SELECT p.signal FROM signal_pseudonyms p
                LEFT JOIN epochs e ON e.epoch = p.epoch AND e.status = 0 AND e.epoch <> ${epoch}
              WHERE p.role = 0 GROUP BY p.signal
              HAVING bool_or(p.epoch = ${epoch}) AND NOT bool_or(e.epoch IS NOT NULL)) AS lone
        JOIN signals s ON s.rid = lone.signal WHERE s.state = 0 ORDER BY s.rid`,
    );
    return rows.map((r) => r.rid as number);
  }
  async rekeyPseudonym(row: StoredPseudonymRow, stored: Uint8Array, generation: number) {
    await this.q(
      (sql) => sql`UPDATE signal_pseudonyms SET stored = ${buf(stored)}, generation = ${generation}
        WHERE stored = ${buf(row.stored)} AND role = ${roleCode(row.role)} AND signal = ${row.signalRid}`,
    );
  }
  async updateRequestHash(rid: number, requestHash: Uint8Array) {
    await this.q((sql) => sql`UPDATE signals SET request_hash = ${buf(requestHash)} WHERE rid = ${rid}`);
  }
  async insertSecretRotation(r: SecretRotationRow) {
    await this.q(
      (sql) => sql`INSERT INTO secret_rotations (generation, started_at, completed_at, max_signal, cursor,
        rows_rekeyed, hashes_rekeyed) VALUES (${r.generation}, ${r.startedAt}, ${r.completedAt}, ${r.maxSignalRid},
        ${r.cursorRid}, ${r.rowsRekeyed}, ${r.hashesRekeyed})`,
    );
  }
  async updateSecretRotation(
    generation: number,
    p: Pick<SecretRotationRow, 'cursorRid' | 'rowsRekeyed' | 'hashesRekeyed' | 'completedAt'>,
  ) {
    await this.q(
      (sql) => sql`UPDATE secret_rotations SET cursor = ${p.cursorRid}, rows_rekeyed = ${p.rowsRekeyed},
        hashes_rekeyed = ${p.hashesRekeyed}, completed_at = ${p.completedAt} WHERE generation = ${generation}`,
    );
  }
  async recordSecretCheck(generation: number, checkValue: Uint8Array, at: number) {
    // Two instances recording at once: the later INSERT waits for the earlier one's commit
    // and inserts nothing; the SELECT, a statement of its own, then sees the earlier value.
    await this.q(
      (sql) => sql`INSERT INTO secret_checks (generation, check_value, recorded_at)
        VALUES (${generation}, ${buf(checkValue)}, ${at}) ON CONFLICT (generation) DO NOTHING`,
    );
    const [r] = await this.q(
      (sql) => sql`SELECT check_value FROM secret_checks WHERE generation = ${generation}`,
    );
    return r!.check_value as Buffer;
  }
  async noteRotationCatchUp(signalRid: number) {
    await this.q(
      (sql) => sql`INSERT INTO rotation_catchups (signal)
        SELECT ${signalRid} WHERE EXISTS (SELECT 1 FROM secret_rotations WHERE completed_at IS NULL)
        ON CONFLICT (signal) DO NOTHING`,
    );
  }
  async deleteRotationCatchUps(signalRids: readonly number[]) {
    for (const rid of signalRids)
      await this.q((sql) => sql`DELETE FROM rotation_catchups WHERE signal = ${rid}`);
  }
}
