// Signals and their stored pseudonyms on one better-sqlite3 connection (part of SqliteTx).
// Only stored (re-keyed) pseudonyms reach these statements; deleting a signal deletes its
// pseudonyms and consent with it, so no orphan value outlives the signal.

import type { SignalStatus } from '../../api.js';
import { uuidToBytes } from '../../ids.js';
import type { NewSignal, PseudonymRole, SignalPatch, SignalRow, StoredPseudonymRow } from '../store.js';
import { encodeContact, encodeFlags, encodeInformed, encodeState } from './codec.js';
import type { Row } from './sqlite-rows.js';
import { SIGNAL_COLS, signal, idBytes } from './sqlite-rows.js';
import type { Prepare } from './statement-cache.js';

export class SqliteSignals {
  readonly #st: Prepare;

  constructor(st: Prepare) {
    this.#st = st;
  }

  async getSignal(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const r = this.#st(`SELECT ${SIGNAL_COLS} FROM signals WHERE id = ?`).get(b);
    return r === undefined ? undefined : signal(r);
  }
  async getSignalByRid(rid: number) {
    const r = this.#st(`SELECT ${SIGNAL_COLS} FROM signals WHERE rid = ?`).get(rid);
    return r === undefined ? undefined : signal(r);
  }
  async getSignalByRequest(organisationRid: number, requestId: string) {
    const b = uuidToBytes(requestId.toLowerCase());
    if (b === undefined) return undefined;
    const r = this.#st(`SELECT ${SIGNAL_COLS} FROM signals WHERE org = ? AND request_id = ?`).get(
      organisationRid,
      b,
    );
    return r === undefined ? undefined : signal(r);
  }
  async findSignalsByStored(stored: readonly Uint8Array[], role: PseudonymRole) {
    const out = new Map<number, SignalRow>();
    const st = this.#st(
      `SELECT ${SIGNAL_COLS} FROM signals WHERE rid IN (SELECT signal FROM signal_pseudonyms WHERE stored = ? AND role = ?)`,
    );
    for (const s of stored) {
      for (const r of st.all(Buffer.from(s), role === 'subject' ? 0 : 1)) {
        if (!out.has(r.rid)) out.set(r.rid, signal(r));
      }
    }
    return [...out.values()].sort((x, y) => x.rid - y.rid);
  }
  async pseudonymsOf(signalRid: number) {
    return this.#st('SELECT stored, role, epoch, generation FROM signal_pseudonyms WHERE signal = ?')
      .all(signalRid)
      .map(
        (r: Row): StoredPseudonymRow => ({
          stored: r.stored,
          signalRid,
          epoch: r.epoch,
          generation: r.generation,
          role: r.role === 0 ? 'subject' : 'parent',
        }),
      );
  }
  async listSignals(
    organisationRid: number,
    status: SignalStatus | undefined,
    afterRid: number,
    limit: number,
  ) {
    if (status === 'active') {
      return this.#st(
        `SELECT ${SIGNAL_COLS} FROM signals WHERE org = ? AND state = 0 AND rid > ? ORDER BY rid LIMIT ?`,
      )
        .all(organisationRid, afterRid, limit)
        .map(signal);
    }
    if (status === 'inactive') {
      return this.#st(
        `SELECT ${SIGNAL_COLS} FROM signals WHERE org = ? AND state > 0 AND rid > ? ORDER BY rid LIMIT ?`,
      )
        .all(organisationRid, afterRid, limit)
        .map(signal);
    }
    return this.#st(`SELECT ${SIGNAL_COLS} FROM signals WHERE org = ? AND rid > ? ORDER BY rid LIMIT ?`)
      .all(organisationRid, afterRid, limit)
      .map(signal);
  }
  async signalsExpiringBy(now: number, limit: number) {
    return this.#st(
      `SELECT ${SIGNAL_COLS} FROM signals WHERE state = 0 AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
    )
      .all(now, limit)
      .map(signal);
  }
  async signalsPurgeableBy(now: number, limit: number) {
    return this.#st(
      `SELECT ${SIGNAL_COLS} FROM signals WHERE purge_at IS NOT NULL AND purge_at <= ? ORDER BY purge_at LIMIT ?`,
    )
      .all(now, limit)
      .map(signal);
  }
  async insertSignal(s: NewSignal) {
    const r = this.#st(
      `INSERT INTO signals (id, org, state, flags, contact, informed, placed_at, expires_at, ended_at, purge_at, request_id, request_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      idBytes(s.id),
      s.organisationRid,
      encodeState(s.status, s.endReason),
      encodeFlags(s.restricted, s.hasParents, s.objection, s.parentsAtPlacement),
      encodeContact(s.contact),
      encodeInformed(s.informed),
      s.placedAt,
      s.expiresAt,
      s.endedAt,
      s.purgeAt,
      idBytes(s.requestId.toLowerCase()),
      Buffer.from(s.requestHash),
    );
    return Number(r.lastInsertRowid);
  }
  async updateSignal(rid: number, p: SignalPatch) {
    const cur = await this.getSignalByRid(rid);
    if (cur === undefined) return;
    const n = { ...cur, ...p };
    this.#st(
      `UPDATE signals SET state = ?, flags = ?, contact = ?, informed = ?, expires_at = ?, ended_at = ?, purge_at = ? WHERE rid = ?`,
    ).run(
      encodeState(n.status, n.endReason),
      encodeFlags(n.restricted, n.hasParents, n.objection, n.parentsAtPlacement),
      encodeContact(n.contact),
      encodeInformed(n.informed),
      n.expiresAt,
      n.endedAt,
      n.purgeAt,
      rid,
    );
  }
  async deleteSignal(rid: number) {
    this.#st('DELETE FROM signal_pseudonyms WHERE signal = ?').run(rid);
    this.#st('DELETE FROM signal_consents WHERE signal = ?').run(rid);
    this.#st('DELETE FROM signals WHERE rid = ?').run(rid);
  }
  async insertPseudonyms(rows: readonly StoredPseudonymRow[]) {
    const st = this.#st(
      'INSERT INTO signal_pseudonyms (stored, role, signal, epoch, generation) VALUES (?, ?, ?, ?, ?)',
    );
    for (const p of rows) {
      st.run(Buffer.from(p.stored), p.role === 'subject' ? 0 : 1, p.signalRid, p.epoch, p.generation);
    }
  }
  async deletePseudonymsOfEpoch(epoch: number) {
    return this.#st('DELETE FROM signal_pseudonyms WHERE epoch = ?').run(epoch).changes;
  }
  async deleteParentPseudonyms(stored: readonly Uint8Array[]) {
    let n = 0;
    const st = this.#st('DELETE FROM signal_pseudonyms WHERE stored = ? AND role = 1');
    for (const s of stored) n += st.run(Buffer.from(s)).changes;
    return n;
  }
}
