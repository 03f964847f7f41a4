// Signals and their stored pseudonyms on one better-sqlite3 connection (part of SqliteTx).
// Only stored (re-keyed) pseudonyms reach these statements; deleting a signal deletes its
// pseudonyms and consent with it, so no orphan value outlives the signal. A signal's
// contact is a row of `contacts` shared by the organisation's signals that name the same
// contact, counted, and deleted with the last of them; a signal's pseudonyms are found
// through the prefixes on its row (pseudonym-prefixes.ts).

import type { ListOrder, SignalStatus } from '../../api.js';
import { asBuffer } from '../../bytes-key.js';
import { uuidToBytes } from '../../ids.js';
import type { NewSignal, PseudonymRole, SignalPatch, SignalRow, StoredPseudonymRow } from '../store.js';
import { STATE_CODES, encodeContact, encodeFlags, encodeInformed, encodeState } from './codec.js';
import { chunksOf, editPrefixes, prefixOf, rangeOf } from './pseudonym-prefixes.js';
import { SIGNAL_COLS, signal, idBytes, signalOfColumns } from './sqlite-rows.js';
import { SqliteSignIn } from './sqlite-sign-in.js';

/** The columns of a new signal row, in the order of `signalValues` (single and batch inserts). */
export const SIGNAL_INSERT_COLS =
  'id, org, state, flags, contact, informed, placed_at, expires_at, ended_at, purge_at, request_id, request_hash, person';

const INSERT_SIGNAL = `INSERT INTO signals (${SIGNAL_INSERT_COLS}) VALUES (${new Array(13).fill('?').join(', ')})`;

// The texts of the reads a placement runs, built once: a template literal at the call would
// build the text anew, and the statement cache hash it anew, on every call (docs/performance.md
// "Thirty-third pass: the national year's own work").
const SIGNAL_BY_ID = `SELECT ${SIGNAL_COLS} FROM signals WHERE id = ?`;
const SIGNAL_BY_RID = `SELECT ${SIGNAL_COLS} FROM signals WHERE rid = ?`;
const SIGNAL_BY_REQUEST = `SELECT ${SIGNAL_COLS} FROM signals WHERE org = ? AND request_id = ?`;
const SIGNALS_BY_STORED = `SELECT ${SIGNAL_COLS} FROM signals WHERE rid IN (SELECT signal FROM signal_pseudonyms WHERE stored = ? AND role = ?)`;

/**
 * A new signal's stored values, in the order of `SIGNAL_INSERT_COLS`; `contact` is its contacts
 * row, `id` the id's bytes when the caller has them. Byte values are bound in place (SQLite copies
 * what it binds).
 */
export function signalValues(s: NewSignal, contact: number, id?: Uint8Array): unknown[] {
  return [
    id === undefined ? idBytes(s.id) : asBuffer(id),
    s.organisationRid,
    encodeState(s.status, s.endReason),
    encodeFlags(s),
    contact,
    encodeInformed(s.informed),
    s.placedAt,
    s.expiresAt,
    s.endedAt,
    s.purgeAt,
    idBytes(s.requestId.toLowerCase()),
    asBuffer(s.requestHash),
    s.personRid ?? null,
  ];
}

/**
 * The statement of `listSignals`; its arguments come from `listSignalsArgs`. By a person it
 * walks signals_person (org, person, rowid) in order (schema step 19); the active ones
 * signals_org (org, state), whose entries are in rowid order within a state. The lists that span
 * states are one arm per state (STATE_CODES), each a walk of signals_org in rowid order, which
 * SQLite merges (MERGE (UNION ALL)) instead of sorting every signal of the organisation for each
 * page (docs/performance.md "Three scans made seeks"); the outer LIMIT stops the merge, so a
 * walked arm reads at most a page. The inactive list's state-0 arm, the signals stored active past their
 * expiry (due, not yet recorded by retention), reads those by signals_expiry (partial, state 0)
 * and sorts them: those of every organisation, at most a retention interval's worth, where
 * signals_org would walk every active signal of the organisation to find them. The filters read the row the answer needs
 * anyway. Newest first walks the same indexes backwards, and from the last row has no `after`
 * bound.
 */
export function listSignalsSql(
  status: SignalStatus | undefined,
  byPerson: boolean,
  order: ListOrder = 'oldest',
  fromLast = false,
): string {
  // A row stored active past its expiresAt is inactive (store/contract/signals.ts).
  const [after, sort] =
    order === 'newest' ? [fromLast ? '' : ' AND rid < ?', 'rid DESC'] : [' AND rid > ?', 'rid'];
  const tail = ` ORDER BY ${sort} LIMIT ?`;
  if (status !== 'active' && !byPerson)
    return (
      STATE_CODES.map((k) =>
        status === 'inactive' && k === 0
          ? `SELECT ${SIGNAL_COLS} FROM signals INDEXED BY signals_expiry WHERE org = ? AND state = 0 AND expires_at <= ?${after}`
          : `SELECT ${SIGNAL_COLS} FROM signals WHERE org = ? AND state = ${k}${after}`,
      ).join(' UNION ALL ') + tail
    );
  const state =
    status === 'active'
      ? ' AND state = 0 AND expires_at > ?'
      : status === 'inactive'
        ? ' AND (state > 0 OR expires_at <= ?)'
        : '';
  return `SELECT ${SIGNAL_COLS} FROM signals WHERE org = ?${state}${byPerson ? ' AND person = ?' : ''}${after}${tail}`;
}

/**
 * The arguments of `listSignalsSql(status, person !== undefined, order, fromLast)` for these
 * values: (org, [at,] [person,] [after,] limit), or for the arms by state each arm's (org,
 * [at,] [after]) and the limit once.
 */
export function listSignalsArgs(
  organisationRid: number,
  status: { readonly status: SignalStatus; readonly at: number } | undefined,
  afterRid: number,
  limit: number,
  personRid: number | undefined,
  fromLast: boolean,
): number[] {
  const args: number[] = [];
  const arms = status?.status !== 'active' && personRid === undefined ? STATE_CODES : [0];
  for (const k of arms) {
    args.push(organisationRid);
    if (status !== undefined && k === 0) args.push(status.at);
    if (personRid !== undefined) args.push(personRid);
    if (!fromLast) args.push(afterRid);
  }
  args.push(limit);
  return args;
}

export class SqliteSignals extends SqliteSignIn {
  async getSignal(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const r = this.array(SIGNAL_BY_ID).get(b);
    return r === undefined ? undefined : signalOfColumns(r);
  }
  async getSignalByRid(rid: number) {
    const r = this.array(SIGNAL_BY_RID).get(rid);
    return r === undefined ? undefined : signalOfColumns(r);
  }
  async getSignalByRequest(organisationRid: number, requestId: string) {
    const b = uuidToBytes(requestId.toLowerCase());
    if (b === undefined) return undefined;
    const r = this.array(SIGNAL_BY_REQUEST).get(organisationRid, b);
    return r === undefined ? undefined : signalOfColumns(r);
  }
  async findSignalsByStored(stored: readonly Uint8Array[], role: PseudonymRole) {
    const out = new Map<number, SignalRow>();
    const st = this.array(SIGNALS_BY_STORED);
    for (const s of stored) {
      for (const r of st.all(Buffer.from(s), role === 'subject' ? 0 : 1)) {
        if (!out.has(r[0])) out.set(r[0], signalOfColumns(r));
      }
    }
    return [...out.values()].sort((x, y) => x.rid - y.rid);
  }
  async heldParentLinks(stored: readonly Uint8Array[]) {
    const st = this.st(
      'SELECT stored, held FROM signal_pseudonyms WHERE stored = ? AND role = 1 AND held <> 0',
    );
    const out: { stored: Uint8Array; held: number }[] = [];
    for (const v of stored)
      for (const r of st.all(Buffer.from(v))) out.push({ stored: r.stored, held: r.held });
    return out;
  }
  async pseudonymsOf(signalRid: number): Promise<StoredPseudonymRow[]> {
    const r = this.st('SELECT pfx FROM signals WHERE rid = ?').get(signalRid);
    return r === undefined ? [] : this.pseudonymsByPrefixes(signalRid, r.pfx);
  }
  /** The rows of one signal, given its pfx (callers that read the row already have it). */
  protected pseudonymsByPrefixes(signalRid: number, pfx: Uint8Array): StoredPseudonymRow[] {
    const st = this.st(
      'SELECT stored, role, epoch, generation, held FROM signal_pseudonyms WHERE stored >= ? AND stored <= ? AND signal = ?',
    );
    const out: StoredPseudonymRow[] = [];
    for (const chunk of chunksOf(pfx)) {
      const [low, high] = rangeOf(chunk);
      for (const r of st.all(low, high, signalRid)) {
        out.push({
          stored: r.stored,
          signalRid,
          epoch: r.epoch,
          generation: r.generation,
          role: r.role === 0 ? 'subject' : 'parent',
          ...(r.held !== 0 ? { held: r.held } : {}),
        });
      }
    }
    return out;
  }
  async listSignals(
    organisationRid: number,
    status: { readonly status: SignalStatus; readonly at: number } | undefined,
    afterRid: number,
    limit: number,
    personRid?: number,
    order: ListOrder = 'oldest',
  ) {
    const fromLast = order === 'newest' && afterRid === 0;
    return this.st(listSignalsSql(status?.status, personRid !== undefined, order, fromLast))
      .all(...listSignalsArgs(organisationRid, status, afterRid, limit, personRid, fromLast))
      .map(signal);
  }
  async signalsExpiringBy(now: number, limit: number) {
    return this.st(
      `SELECT ${SIGNAL_COLS} FROM signals WHERE state = 0 AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
    )
      .all(now, limit)
      .map(signal);
  }
  async signalsPurgeableBy(now: number, limit: number) {
    return this.st(
      `SELECT ${SIGNAL_COLS} FROM signals WHERE purge_at IS NOT NULL AND purge_at <= ? ORDER BY purge_at LIMIT ?`,
    )
      .all(now, limit)
      .map(signal);
  }
  async insertSignal(s: NewSignal) {
    const contact = this.#takeContact(s.organisationRid, encodeContact(s.contact));
    try {
      const r = this.st(INSERT_SIGNAL).run(...signalValues(s, contact));
      return Number(r.lastInsertRowid);
    } catch (e) {
      // A refused insert (a duplicate id) is undone by SQLite for its statement only: the
      // contact it took is given back here. When SQLite rolled the whole transaction back
      // instead (a full disk, an I/O error), the count went with it: nothing to give back,
      // and a statement now would commit on its own.
      if (this.db.inTransaction) this.#dropContact(contact);
      throw e;
    }
  }
  async updateSignal(rid: number, p: SignalPatch) {
    if (p.contact !== undefined) this.erased = true;
    const cur = await this.getSignalByRid(rid);
    if (cur === undefined) return;
    const n = { ...cur, ...p };
    const before = encodeContact(cur.contact);
    const after = encodeContact(n.contact);
    if (after !== before) {
      const old = this.st('SELECT contact FROM signals WHERE rid = ?').get(rid).contact as number;
      this.st('UPDATE signals SET contact = ? WHERE rid = ?').run(
        this.#takeContact(cur.organisationRid, after),
        rid,
      );
      this.#dropContact(old);
    }
    this.st(
      `UPDATE signals SET state = ?, flags = ?, informed = ?, expires_at = ?, ended_at = ?, purge_at = ?, person = ? WHERE rid = ?`,
    ).run(
      encodeState(n.status, n.endReason),
      encodeFlags(n),
      encodeInformed(n.informed),
      n.expiresAt,
      n.endedAt,
      n.purgeAt,
      n.personRid,
      rid,
    );
  }
  async expireSignal(rid: number, endedAt: number, purgeAt: number) {
    return (
      this.st('UPDATE signals SET state = ?, ended_at = ?, purge_at = ? WHERE rid = ? AND state = 0').run(
        encodeState('inactive', 'expired'),
        endedAt,
        purgeAt,
        rid,
      ).changes === 1
    );
  }
  async deleteSignal(rid: number) {
    this.erased = true;
    this.dropNoticesOf(rid);
    const r = this.st('SELECT contact, pfx FROM signals WHERE rid = ?').get(rid);
    if (r === undefined) return;
    const del = this.st('DELETE FROM signal_pseudonyms WHERE stored = ? AND role = ? AND signal = ?');
    for (const p of this.pseudonymsByPrefixes(rid, r.pfx))
      del.run(p.stored, p.role === 'subject' ? 0 : 1, rid);
    this.st('DELETE FROM signal_consents WHERE signal = ?').run(rid);
    this.st('DELETE FROM signals WHERE rid = ?').run(rid);
    this.#dropContact(r.contact);
  }
  /** The organisation's row for this contact, counted once more (created at 1). */
  #takeContact(organisationRid: number, body: string): number {
    return this.value(
      `INSERT INTO contacts (org, body, refs) VALUES (?, ?, 1)
       ON CONFLICT (org, body) DO UPDATE SET refs = refs + 1 RETURNING rid`,
    ).get(organisationRid, body) as number;
  }
  /** One signal fewer names this contact; the row goes with the last (secure_delete). */
  #dropContact(contactRid: number): void {
    this.st('UPDATE contacts SET refs = refs - 1 WHERE rid = ?').run(contactRid);
    this.st('DELETE FROM contacts WHERE rid = ? AND refs <= 0').run(contactRid);
  }
  /** Applies a change of a signal's rows to its pfx (one read and one write per signal). */
  protected editPrefixes(
    signalRid: number,
    added: readonly Uint8Array[],
    removed: readonly Uint8Array[],
  ): void {
    const r = this.st('SELECT pfx FROM signals WHERE rid = ?').get(signalRid);
    if (r === undefined) return;
    this.st('UPDATE signals SET pfx = ? WHERE rid = ?').run(editPrefixes(r.pfx, added, removed), signalRid);
  }
  async insertPseudonyms(rows: readonly StoredPseudonymRow[]) {
    const st = this.st(
      'INSERT INTO signal_pseudonyms (stored, role, signal, epoch, generation, held) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const p of rows) {
      st.run(
        Buffer.from(p.stored),
        p.role === 'subject' ? 0 : 1,
        p.signalRid,
        p.epoch,
        p.generation,
        p.held ?? 0,
      );
    }
    // Appending needs no read: one statement per signal (placement is CPU-bound).
    const append = this.st('UPDATE signals SET pfx = unhex(hex(pfx) || ?) WHERE rid = ?');
    for (const [rid, values] of bySignal(rows)) {
      append.run(Buffer.concat(values.map(prefixOf)).toString('hex'), rid);
    }
  }
  async holdParentLinks(stored: readonly Uint8Array[], bit: number, on: boolean) {
    const st = this.st(
      on
        ? 'UPDATE signal_pseudonyms SET held = held | ? WHERE stored = ? AND role = 1 AND (held & ?) = 0 RETURNING signal'
        : 'UPDATE signal_pseudonyms SET held = held & ~? WHERE stored = ? AND role = 1 AND (held & ?) <> 0 RETURNING signal',
    );
    const rids = new Set<number>();
    for (const v of stored) for (const r of st.all(bit, Buffer.from(v), bit)) rids.add(r.signal as number);
    return [...rids].sort((x, y) => x - y);
  }
  async deletePseudonymsOfEpoch(epoch: number) {
    this.erased = true;
    // In primary-key order, a page at a time: retiring an epoch can delete millions of
    // rows, and each page's signals have their prefixes edited before the next.
    const page = this.st(
      `SELECT stored, role, signal AS signalRid FROM signal_pseudonyms
       WHERE epoch = ? AND (stored, role, signal) > (?, ?, ?) ORDER BY stored, role, signal LIMIT ?`,
    );
    const del = this.st('DELETE FROM signal_pseudonyms WHERE stored = ? AND role = ? AND signal = ?');
    let after: [Buffer, number, number] = [Buffer.alloc(0), -1, -1];
    let n = 0;
    for (;;) {
      const rows = page.all(epoch, ...after, EPOCH_PAGE) as {
        stored: Buffer;
        role: number;
        signalRid: number;
      }[];
      for (const r of rows) del.run(r.stored, r.role, r.signalRid);
      for (const [rid, values] of bySignal(rows)) this.editPrefixes(rid, [], values);
      n += rows.length;
      if (rows.length < EPOCH_PAGE) return n;
      const last = rows[rows.length - 1]!;
      after = [last.stored, last.role, last.signalRid];
    }
  }
  async deleteParentPseudonyms(stored: readonly Uint8Array[]) {
    this.erased = true;
    const st = this.st(
      'DELETE FROM signal_pseudonyms WHERE stored = ? AND role = 1 RETURNING stored, signal AS signalRid',
    );
    const gone: { stored: Buffer; signalRid: number }[] = [];
    for (const s of stored) gone.push(...(st.all(Buffer.from(s)) as { stored: Buffer; signalRid: number }[]));
    for (const [rid, values] of bySignal(gone)) this.editPrefixes(rid, [], values);
    return gone.length;
  }
}

const EPOCH_PAGE = 2_000;

function bySignal(rows: readonly { stored: Uint8Array; signalRid: number }[]): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  for (const r of rows) {
    const list = out.get(r.signalRid);
    if (list === undefined) out.set(r.signalRid, [r.stored]);
    else list.push(r.stored);
  }
  return out;
}
