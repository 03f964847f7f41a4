// The Store's reader/writer methods on one better-sqlite3 connection. Every statement is
// prepared once and bound with parameters (never string-built from values). The methods
// are async only to honour the Store contract; they run synchronously on the connection,
// so the single writer's transaction is never interleaved with another writer.

import type Database from 'better-sqlite3';
import type { DeliveryStatus, MatchStatus, SignalStatus } from '../../api.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import type {
  AgreementEntryRow,
  ConsentRow,
  DeliveryRow,
  EpochRow,
  EventRow,
  KeyRow,
  LogRow,
  MatchPatch,
  MatchRow,
  NewDelivery,
  NewMatch,
  NewSignal,
  NonceRow,
  OrganisationRow,
  PlacementHourRow,
  PseudonymRole,
  EpochDependants,
  SecretRotationRow,
  SignalPatch,
  SignalRow,
  StoreCounts,
  StoredPseudonymRow,
  StoreWriter,
} from '../store.js';
import {
  AGREEMENT_STATUSES,
  DELIVERY_STATUSES,
  EVENT_TYPES,
  MATCH_KINDS,
  MATCH_STATUSES,
  decodeConsentScopes,
  decodeContact,
  decodeFlags,
  decodeInformed,
  decodeSide,
  decodeState,
  encodeConsentScopes,
  encodeContact,
  encodeFlags,
  encodeInformed,
  encodeSide,
  encodeState,
} from './codec.js';

// biome-ignore lint/suspicious/noExplicitAny: better-sqlite3 rows are untyped
type Row = any;

const SIGNAL_COLS =
  'rid, id, org, state, flags, contact, informed, placed_at, expires_at, ended_at, purge_at, request_id, request_hash';
const MATCH_COLS =
  'rid, id, kind, status, a, b, created_at, ended_at, contact_a, contact_b, regie, regie_since, proposal_by, proposal_for, proposal_at';
const DELIVERY_COLS =
  'd.id, d.org, o.id AS org_id, d.url, d.type, d.match, d.cursor, d.status, d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.delivered_at';

function org(r: Row): OrganisationRow {
  return {
    rid: r.rid,
    id: r.id,
    name: r.name,
    type: r.type,
    status: r.status === 0 ? 'active' : 'suspended',
    webhookUrl: r.webhook_url,
    placementBudgetPerDay: r.budget,
    createdAt: r.created_at,
  };
}

function key(r: Row): KeyRow {
  return {
    keyId: r.key_id,
    role: r.role === 0 ? 'organisation' : 'admin',
    organisationRid: r.org,
    organisationId: r.org_id ?? null,
    publicKey: r.public_key,
    status: r.status === 0 ? 'active' : 'revoked',
    addedAt: r.added_at,
    revokedAt: r.revoked_at,
  };
}

function signal(r: Row): SignalRow {
  const { status, endReason } = decodeState(r.state);
  const flags = decodeFlags(r.flags);
  return {
    rid: r.rid,
    id: uuidFromBytes(r.id),
    organisationRid: r.org,
    status,
    endReason,
    contact: decodeContact(r.contact),
    informed: decodeInformed(r.informed),
    placedAt: r.placed_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
    purgeAt: r.purge_at,
    restricted: flags.restricted,
    objection: flags.objection,
    hasParents: flags.hasParents,
    parentsAtPlacement: flags.parentsAtPlacement,
    requestId: uuidFromBytes(r.request_id),
    requestHash: r.request_hash,
  };
}

function match(r: Row): MatchRow {
  return {
    rid: r.rid,
    id: uuidFromBytes(r.id),
    kind: MATCH_KINDS[r.kind]!,
    status: MATCH_STATUSES[r.status]!,
    a: r.a,
    b: r.b,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    contactMadeA: r.contact_a,
    contactMadeB: r.contact_b,
    regieHolder: decodeSide(r.regie),
    regieSince: r.regie_since,
    proposalBy: decodeSide(r.proposal_by),
    proposalFor: decodeSide(r.proposal_for),
    proposalAt: r.proposal_at,
  };
}

function delivery(r: Row): DeliveryRow {
  return {
    id: uuidFromBytes(r.id),
    organisationRid: r.org,
    organisationId: r.org_id,
    url: r.url,
    type: EVENT_TYPES[r.type]!,
    matchId: uuidFromBytes(r.match),
    cursor: r.cursor,
    status: DELIVERY_STATUSES[r.status]!,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastErrorCode: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

const idBytes = (id: string): Buffer => uuidToBytes(id) ?? Buffer.alloc(0);

export class SqliteTx implements StoreWriter {
  readonly #db: Database.Database;
  readonly #stmts = new Map<string, Database.Statement<unknown[], Row>>();

  /** Nesting depth of savepoint(): names repeat per depth, so their statements are prepared once. */
  #depth = 0;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = `nested_${++this.#depth}`;
    try {
      this.#st(`SAVEPOINT ${name}`).run();
      try {
        const r = await fn();
        this.#st(`RELEASE ${name}`).run();
        return r;
      } catch (e) {
        if (this.#db.inTransaction) {
          this.#st(`ROLLBACK TO ${name}`).run();
          this.#st(`RELEASE ${name}`).run();
        }
        throw e;
      }
    } finally {
      this.#depth--;
    }
  }

  #st(sql: string): Database.Statement<unknown[], Row> {
    let s = this.#stmts.get(sql);
    if (s === undefined) {
      s = this.#db.prepare<unknown[], Row>(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  // --- organisations, keys, epochs -------------------------------------------------

  async getOrganisation(id: string) {
    const r = this.#st('SELECT * FROM organisations WHERE id = ?').get(id);
    return r === undefined ? undefined : org(r);
  }
  async getOrganisationByRid(rid: number) {
    const r = this.#st('SELECT * FROM organisations WHERE rid = ?').get(rid);
    return r === undefined ? undefined : org(r);
  }
  async listOrganisations() {
    return this.#st('SELECT * FROM organisations ORDER BY rid').all().map(org);
  }
  async insertOrganisation(o: Omit<OrganisationRow, 'rid'>) {
    const r = this.#st(
      'INSERT INTO organisations (id, name, type, status, webhook_url, budget, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      o.id,
      o.name,
      o.type,
      o.status === 'active' ? 0 : 1,
      o.webhookUrl,
      o.placementBudgetPerDay,
      o.createdAt,
    );
    return Number(r.lastInsertRowid);
  }
  async updateOrganisation(
    rid: number,
    p: Partial<Pick<OrganisationRow, 'status' | 'webhookUrl' | 'placementBudgetPerDay'>>,
  ) {
    const cur = await this.getOrganisationByRid(rid);
    if (cur === undefined) return;
    const n = { ...cur, ...p };
    this.#st('UPDATE organisations SET status = ?, webhook_url = ?, budget = ? WHERE rid = ?').run(
      n.status === 'active' ? 0 : 1,
      n.webhookUrl,
      n.placementBudgetPerDay,
      rid,
    );
  }

  async getKey(keyId: string) {
    const r = this.#st(
      'SELECT k.*, o.id AS org_id FROM keys k LEFT JOIN organisations o ON o.rid = k.org WHERE key_id = ?',
    ).get(keyId);
    return r === undefined ? undefined : key(r);
  }
  async listKeys(organisationRid?: number | null) {
    const base = 'SELECT k.*, o.id AS org_id FROM keys k LEFT JOIN organisations o ON o.rid = k.org';
    if (organisationRid === undefined) return this.#st(`${base} ORDER BY added_at, key_id`).all().map(key);
    if (organisationRid === null)
      return this.#st(`${base} WHERE k.org IS NULL ORDER BY added_at, key_id`).all().map(key);
    return this.#st(`${base} WHERE k.org = ? ORDER BY added_at, key_id`).all(organisationRid).map(key);
  }
  async insertKey(k: Omit<KeyRow, 'organisationId'>) {
    this.#st(
      'INSERT INTO keys (key_id, role, org, public_key, status, added_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      k.keyId,
      k.role === 'organisation' ? 0 : 1,
      k.organisationRid,
      Buffer.from(k.publicKey),
      k.status === 'active' ? 0 : 1,
      k.addedAt,
      k.revokedAt,
    );
  }
  async updateKey(keyId: string, p: Pick<KeyRow, 'status' | 'revokedAt'>) {
    this.#st('UPDATE keys SET status = ?, revoked_at = ? WHERE key_id = ?').run(
      p.status === 'active' ? 0 : 1,
      p.revokedAt,
      keyId,
    );
  }

  async listEpochs() {
    return this.#st('SELECT * FROM epochs ORDER BY epoch').all().map(epochRow);
  }
  async getEpoch(epoch: number) {
    const r = this.#st('SELECT * FROM epochs WHERE epoch = ?').get(epoch);
    return r === undefined ? undefined : epochRow(r);
  }
  async insertEpoch(e: EpochRow) {
    this.#st('INSERT INTO epochs (epoch, status, registered_at, retired_at) VALUES (?, ?, ?, ?)').run(
      e.epoch,
      e.status === 'active' ? 0 : 1,
      e.registeredAt,
      e.retiredAt,
    );
  }
  async updateEpoch(epoch: number, p: Pick<EpochRow, 'status' | 'retiredAt'>) {
    this.#st('UPDATE epochs SET status = ?, retired_at = ? WHERE epoch = ?').run(
      p.status === 'active' ? 0 : 1,
      p.retiredAt,
      epoch,
    );
  }

  // --- signals and stored pseudonyms -------------------------------------------------

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

  // --- matches, events, deliveries -----------------------------------------------

  async getMatch(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const r = this.#st(`SELECT ${MATCH_COLS} FROM matches WHERE id = ?`).get(b);
    return r === undefined ? undefined : match(r);
  }
  async getMatchByPair(a: number, b: number) {
    const r = this.#st(`SELECT ${MATCH_COLS} FROM matches WHERE a = ? AND b = ?`).get(
      Math.min(a, b),
      Math.max(a, b),
    );
    return r === undefined ? undefined : match(r);
  }
  async matchesOfSignal(signalRid: number) {
    return this.#st(
      `SELECT ${MATCH_COLS} FROM matches WHERE a = ? UNION ALL SELECT ${MATCH_COLS} FROM matches WHERE b = ? ORDER BY rid`,
    )
      .all(signalRid, signalRid)
      .map(match);
  }
  async listMatches(status: MatchStatus) {
    return this.#st(`SELECT ${MATCH_COLS} FROM matches WHERE status = ? ORDER BY created_at, rid`)
      .all(MATCH_STATUSES.indexOf(status))
      .map(match);
  }
  async insertMatch(m: NewMatch) {
    const r = this.#st(
      `INSERT INTO matches (id, kind, status, a, b, created_at, ended_at, contact_a, contact_b, regie, regie_since, proposal_by, proposal_for, proposal_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      idBytes(m.id),
      MATCH_KINDS.indexOf(m.kind),
      MATCH_STATUSES.indexOf(m.status),
      m.a,
      m.b,
      m.createdAt,
      m.endedAt,
      m.contactMadeA,
      m.contactMadeB,
      encodeSide(m.regieHolder),
      m.regieSince,
      encodeSide(m.proposalBy),
      encodeSide(m.proposalFor),
      m.proposalAt,
    );
    return Number(r.lastInsertRowid);
  }
  async updateMatch(rid: number, p: MatchPatch) {
    const r = this.#st(`SELECT ${MATCH_COLS} FROM matches WHERE rid = ?`).get(rid);
    if (r === undefined) return;
    const n = { ...match(r), ...p };
    this.#st(
      `UPDATE matches SET status = ?, ended_at = ?, contact_a = ?, contact_b = ?, regie = ?, regie_since = ?,
       proposal_by = ?, proposal_for = ?, proposal_at = ? WHERE rid = ?`,
    ).run(
      MATCH_STATUSES.indexOf(n.status),
      n.endedAt,
      n.contactMadeA,
      n.contactMadeB,
      encodeSide(n.regieHolder),
      n.regieSince,
      encodeSide(n.proposalBy),
      encodeSide(n.proposalFor),
      n.proposalAt,
      rid,
    );
  }
  async deleteMatch(rid: number) {
    const r = this.#st('SELECT id FROM matches WHERE rid = ?').get(rid);
    if (r === undefined) return;
    this.#st('DELETE FROM events WHERE match = ?').run(r.id);
    this.#st('DELETE FROM deliveries WHERE match = ? AND status = 0').run(r.id);
    this.#st('DELETE FROM match_agreements WHERE match = ?').run(rid);
    this.#st('DELETE FROM matches WHERE rid = ?').run(rid);
  }

  // --- consent and agreements (issue 7) ------------------------------------------

  async getConsent(signalRid: number) {
    const r = this.#st('SELECT * FROM signal_consents WHERE signal = ?').get(signalRid);
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
    this.#st(
      `INSERT INTO signal_consents (signal, given_on, scopes, form_ref, recorded_at, withdrawn_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (signal) DO UPDATE SET given_on = excluded.given_on, scopes = excluded.scopes,
       form_ref = excluded.form_ref, recorded_at = excluded.recorded_at, withdrawn_at = excluded.withdrawn_at`,
    ).run(c.signalRid, c.date, encodeConsentScopes(c.scopes), c.formReference, c.recordedAt, c.withdrawnAt);
  }
  async agreementEntries(matchRid: number) {
    return this.#st('SELECT * FROM match_agreements WHERE match = ? ORDER BY seq')
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
    return this.#st(
      `SELECT ${MATCH_COLS} FROM matches WHERE rid IN (SELECT DISTINCT match FROM match_agreements) ORDER BY rid`,
    )
      .all()
      .map(match);
  }
  async appendAgreementEntry(e: AgreementEntryRow) {
    this.#st(
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

  /** The event's cursor counts per organisation (migration 5), so it reveals nothing about others. */
  async appendEvent(e: Omit<EventRow, 'cursor'>) {
    const { event_seq: seq } = this.#st(
      'UPDATE organisations SET event_seq = event_seq + 1 WHERE rid = ? RETURNING event_seq',
    ).get(e.organisationRid) as { event_seq: number };
    this.#st('INSERT INTO events (org, seq, type, match, at) VALUES (?, ?, ?, ?, ?)').run(
      e.organisationRid,
      seq,
      EVENT_TYPES.indexOf(e.type),
      idBytes(e.matchId),
      e.at,
    );
    return seq;
  }
  async eventsAfter(organisationRid: number, afterCursor: number, limit: number) {
    return this.#st(
      'SELECT seq, org, type, match, at FROM events WHERE org = ? AND seq > ? ORDER BY seq LIMIT ?',
    )
      .all(organisationRid, afterCursor, limit)
      .map(
        (r: Row): EventRow => ({
          cursor: r.seq,
          organisationRid: r.org,
          type: EVENT_TYPES[r.type]!,
          matchId: uuidFromBytes(r.match),
          at: r.at,
        }),
      );
  }
  async deleteEventsBefore(at: number) {
    return this.#st('DELETE FROM events WHERE at < ?').run(at).changes;
  }

  async insertDelivery(d: NewDelivery) {
    this.#st(
      `INSERT INTO deliveries (id, org, url, type, match, cursor, status, attempts, next_attempt_at, last_error, created_at, delivered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      idBytes(d.id),
      d.organisationRid,
      d.url,
      EVENT_TYPES.indexOf(d.type),
      idBytes(d.matchId),
      d.cursor,
      DELIVERY_STATUSES.indexOf(d.status),
      d.attempts,
      d.nextAttemptAt,
      d.lastErrorCode,
      d.createdAt,
      d.deliveredAt,
    );
  }
  async dueDeliveries(now: number, limit: number) {
    return this.#st(
      `SELECT ${DELIVERY_COLS} FROM deliveries d JOIN organisations o ON o.rid = d.org
       WHERE d.status = 0 AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.rid LIMIT ?`,
    )
      .all(now, limit)
      .map(delivery);
  }
  async getDelivery(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const r = this.#st(
      `SELECT ${DELIVERY_COLS} FROM deliveries d JOIN organisations o ON o.rid = d.org WHERE d.id = ?`,
    ).get(b);
    return r === undefined ? undefined : delivery(r);
  }
  async listDeliveries(status: DeliveryStatus | undefined, limit: number) {
    const base = `SELECT ${DELIVERY_COLS} FROM deliveries d JOIN organisations o ON o.rid = d.org`;
    if (status === undefined) return this.#st(`${base} ORDER BY d.rid DESC LIMIT ?`).all(limit).map(delivery);
    return this.#st(`${base} WHERE d.status = ? ORDER BY d.rid DESC LIMIT ?`)
      .all(DELIVERY_STATUSES.indexOf(status), limit)
      .map(delivery);
  }
  async updateDelivery(
    id: string,
    p: Pick<DeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'deliveredAt'>,
  ) {
    this.#st(
      'UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ? WHERE id = ?',
    ).run(
      DELIVERY_STATUSES.indexOf(p.status),
      p.attempts,
      p.nextAttemptAt,
      p.lastErrorCode,
      p.deliveredAt,
      idBytes(id),
    );
  }
  async deleteDeliveredBefore(at: number) {
    return this.#st('DELETE FROM deliveries WHERE status = 1 AND delivered_at < ?').run(at).changes;
  }

  // --- logbook, nonces, budget, counts --------------------------------------------

  async lastLogEntry() {
    const r = this.#st('SELECT * FROM logbook ORDER BY seq DESC LIMIT 1').get();
    return r === undefined ? undefined : (r as LogRow);
  }
  async logEntries(fromSeq: number, limit: number) {
    return this.#st('SELECT * FROM logbook WHERE seq >= ? ORDER BY seq LIMIT ?').all(
      fromSeq,
      limit,
    ) as LogRow[];
  }
  async insertLogEntry(e: LogRow) {
    this.#st(
      'INSERT INTO logbook (seq, at, actor, action, refs, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(e.seq, e.at, e.actor, e.action, e.refs, e.details, Buffer.from(e.hash));
  }

  async unexpiredNonces(now: number) {
    return this.#st('SELECT key_id, nonce, expires_at FROM nonces WHERE expires_at > ?')
      .all(now)
      .map((r: Row): NonceRow => ({ keyId: r.key_id, nonce: r.nonce, expiresAt: r.expires_at }));
  }
  async insertNonces(rows: readonly NonceRow[]) {
    const st = this.#st('INSERT OR IGNORE INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)');
    for (const n of rows) st.run(n.keyId, n.nonce, n.expiresAt);
  }
  async deleteExpiredNonces(now: number) {
    return this.#st('DELETE FROM nonces WHERE expires_at <= ?').run(now).changes;
  }

  async placementHour(organisationRid: number, hour: number) {
    const r = this.#st('SELECT count, alerted FROM placement_hours WHERE org = ? AND hour = ?').get(
      organisationRid,
      hour,
    );
    return r === undefined ? undefined : { count: r.count as number, alerted: r.alerted === 1 };
  }
  async placementsSince(organisationRid: number, fromHour: number) {
    const r = this.#st(
      'SELECT coalesce(sum(count), 0) AS n FROM placement_hours WHERE org = ? AND hour >= ?',
    ).get(organisationRid, fromHour);
    return r.n as number;
  }
  async setPlacementHour(organisationRid: number, hour: number, p: PlacementHourRow) {
    this.#st(
      `INSERT INTO placement_hours (org, hour, count, alerted) VALUES (?, ?, ?, ?)
       ON CONFLICT (org, hour) DO UPDATE SET count = excluded.count, alerted = excluded.alerted`,
    ).run(organisationRid, hour, p.count, p.alerted ? 1 : 0);
  }
  async deletePlacementHoursBefore(hour: number) {
    return this.#st('DELETE FROM placement_hours WHERE hour < ?').run(hour).changes;
  }

  async gaugeCounts(): Promise<Omit<StoreCounts, 'epochs'>> {
    const o = this.#st('SELECT status, count(*) AS n FROM organisations GROUP BY status').all();
    // Active signals through the partial index signals_expiry (WHERE state = 0); the total
    // through the smallest index of the table.
    const active = this.#st(
      'SELECT count(*) AS n FROM signals INDEXED BY signals_expiry WHERE state = 0',
    ).get().n as number;
    const total = this.#st('SELECT count(*) AS n FROM signals').get().n as number;
    const m = this.#st(
      'SELECT status, kind, count(*) AS n FROM matches INDEXED BY matches_status GROUP BY status, kind',
    ).all();
    const sum = (rows: Row[], pred: (r: Row) => boolean) =>
      rows.filter(pred).reduce((acc: number, r: Row) => acc + (r.n as number), 0);
    return {
      organisations: { active: sum(o, (r) => r.status === 0), suspended: sum(o, (r) => r.status === 1) },
      signals: { active, inactive: total - active },
      matches: {
        active: sum(m, (r) => r.status === 0),
        ended: sum(m, (r) => r.status === 1),
        family: sum(m, (r) => r.kind === 1),
      },
    };
  }

  // --- key lifecycle (docs/keys.md) -------------------------------------------------

  async latestSecretRotation() {
    const r = this.#st('SELECT * FROM secret_rotations ORDER BY generation DESC LIMIT 1').get();
    return r === undefined ? undefined : rotationRow(r);
  }
  async maxSignalRid() {
    return (this.#st('SELECT coalesce(max(rid), 0) AS n FROM signals').get().n as number) ?? 0;
  }
  async signalHashesInRange(afterRid: number, upToRid: number, limit: number) {
    return this.#st('SELECT rid, request_hash FROM signals WHERE rid > ? AND rid <= ? ORDER BY rid LIMIT ?')
      .all(afterRid, upToRid, limit)
      .map((r: Row) => ({ rid: r.rid as number, requestHash: r.request_hash as Uint8Array }));
  }
  async pseudonymsInRange(afterRid: number, upToRid: number) {
    return this.#st(
      'SELECT stored, signal, role, epoch, generation FROM signal_pseudonyms WHERE signal > ? AND signal <= ?',
    )
      .all(afterRid, upToRid)
      .map(
        (r: Row): StoredPseudonymRow => ({
          stored: r.stored,
          signalRid: r.signal,
          epoch: r.epoch,
          generation: r.generation,
          role: r.role === 0 ? 'subject' : 'parent',
        }),
      );
  }
  async pendingRotationCatchUps(limit: number) {
    return this.#st('SELECT signal FROM rotation_catchups ORDER BY signal LIMIT ?')
      .all(limit)
      .map((r: Row) => r.signal as number);
  }
  async epochDependants(epoch: number): Promise<EpochDependants[]> {
    return this.#st(
      `SELECT o.id AS org_id, sum(s.state = 0) AS active, sum(s.state > 0) AS inactive
       FROM signals s JOIN organisations o ON o.rid = s.org
       WHERE EXISTS (SELECT 1 FROM signal_pseudonyms p WHERE p.signal = s.rid AND p.role = 0 AND p.epoch = ?)
         AND NOT EXISTS (SELECT 1 FROM signal_pseudonyms p WHERE p.signal = s.rid AND p.role = 0
           AND p.epoch IN (SELECT epoch FROM epochs WHERE status = 0 AND epoch <> ?))
       GROUP BY o.id ORDER BY o.id`,
    )
      .all(epoch, epoch)
      .map((r: Row) => ({ organisationId: r.org_id, active: r.active, inactive: r.inactive }));
  }
  async activeSignalCounts() {
    return this.#st(
      `SELECT o.id AS org_id, count(*) AS n FROM signals s JOIN organisations o ON o.rid = s.org
       WHERE s.state = 0 GROUP BY o.id ORDER BY o.id`,
    )
      .all()
      .map((r: Row) => ({ organisationId: r.org_id as string, activeSignals: r.n as number }));
  }
  async activeSignalsOnlyUnder(epoch: number, afterRid: number, limit: number) {
    return this.#st(
      `SELECT ${SIGNAL_COLS} FROM signals s WHERE s.state = 0 AND s.rid > ?
         AND EXISTS (SELECT 1 FROM signal_pseudonyms p WHERE p.signal = s.rid AND p.role = 0 AND p.epoch = ?)
         AND NOT EXISTS (SELECT 1 FROM signal_pseudonyms p WHERE p.signal = s.rid AND p.role = 0
           AND p.epoch IN (SELECT epoch FROM epochs WHERE status = 0 AND epoch <> ?))
       ORDER BY s.rid LIMIT ?`,
    )
      .all(afterRid, epoch, epoch, limit)
      .map(signal);
  }
  async rekeyPseudonym(row: StoredPseudonymRow, stored: Uint8Array, generation: number) {
    const role = row.role === 'subject' ? 0 : 1;
    // The value is the primary key: delete and insert (secure_delete overwrites the old cell).
    this.#st('DELETE FROM signal_pseudonyms WHERE stored = ? AND role = ? AND signal = ?').run(
      Buffer.from(row.stored),
      role,
      row.signalRid,
    );
    this.#st(
      'INSERT INTO signal_pseudonyms (stored, role, signal, epoch, generation) VALUES (?, ?, ?, ?, ?)',
    ).run(Buffer.from(stored), role, row.signalRid, row.epoch, generation);
  }
  async updateRequestHash(rid: number, requestHash: Uint8Array) {
    this.#st('UPDATE signals SET request_hash = ? WHERE rid = ?').run(Buffer.from(requestHash), rid);
  }
  async insertSecretRotation(r: SecretRotationRow) {
    this.#st(
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
    this.#st(
      'UPDATE secret_rotations SET cursor = ?, rows_rekeyed = ?, hashes_rekeyed = ?, completed_at = ? WHERE generation = ?',
    ).run(p.cursorRid, p.rowsRekeyed, p.hashesRekeyed, p.completedAt, generation);
  }
  async noteRotationCatchUp(signalRid: number) {
    this.#st(
      `INSERT OR IGNORE INTO rotation_catchups (signal)
       SELECT ? WHERE EXISTS (SELECT 1 FROM secret_rotations WHERE completed_at IS NULL)`,
    ).run(signalRid);
  }
  async deleteRotationCatchUps(signalRids: readonly number[]) {
    const st = this.#st('DELETE FROM rotation_catchups WHERE signal = ?');
    for (const rid of signalRids) st.run(rid);
  }

  async counts(): Promise<StoreCounts> {
    const o = this.#st('SELECT status, count(*) AS n FROM organisations GROUP BY status').all();
    const s = this.#st('SELECT state = 0 AS active, count(*) AS n FROM signals GROUP BY state = 0').all();
    const m = this.#st('SELECT status, kind, count(*) AS n FROM matches GROUP BY status, kind').all();
    const e = this.#st(
      `SELECT o.id AS org_id, p.epoch, count(DISTINCT p.signal) AS n FROM signal_pseudonyms p
       JOIN signals s ON s.rid = p.signal JOIN organisations o ON o.rid = s.org
       WHERE p.role = 0 AND s.state = 0 GROUP BY o.id, p.epoch ORDER BY o.id, p.epoch`,
    ).all();
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
      epochs: e.map((r: Row) => ({ organisationId: r.org_id, epoch: r.epoch, activeSignals: r.n })),
    };
  }
}

function rotationRow(r: Row): SecretRotationRow {
  return {
    generation: r.generation,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    maxSignalRid: r.max_signal,
    cursorRid: r.cursor,
    rowsRekeyed: r.rows_rekeyed,
    hashesRekeyed: r.hashes_rekeyed,
  };
}

function epochRow(r: Row): EpochRow {
  return {
    epoch: r.epoch,
    status: r.status === 0 ? 'active' : 'retired',
    registeredAt: r.registered_at,
    retiredAt: r.retired_at,
  };
}
